"""Downloads through Keras' and scikit-learn's fetchers, turned into clear offline errors."""

from __future__ import annotations

import os
import socket
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import DataSourceError

# Where scikit-learn downloads Olivetti from; only its host is used, for the DNS check.
OLIVETTI_URL = "https://ndownloader.figshare.com/files/5976027"

OFFLINE_TODO = (
    "no network? Connect to the internet and run again, or choose a local source "
    "(source: system, packaged, or folder with a path)"
)


def require_host(dataset: str, source: str, url: str) -> None:
    """Fail at once when the download host does not resolve, instead of retrying for seconds."""
    if urllib.request.getproxies():
        return  # behind a proxy, local DNS failure says nothing about reachability
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        socket.getaddrinfo(host, 443)
    except OSError as err:
        raise DataSourceError(
            dataset, source, f"cannot resolve {host} to download {url} ({err})", OFFLINE_TODO
        ) from err


def keras_cache_dir(subdir: str) -> Path:
    """A writable Keras cache root joined with ``subdir``; passed to get_file explicitly so
    we know where a bad download lands."""
    home = os.path.expanduser(os.environ.get("KERAS_HOME", os.path.join("~", ".keras")))
    for root in (home, os.path.join(tempfile.gettempdir(), ".keras")):
        try:
            os.makedirs(root, exist_ok=True)
        except OSError:
            continue  # read-only home: fall back to the temp dir, as get_file itself would
        if os.access(root, os.W_OK):
            return Path(root) / subdir
    raise OSError(f"no writable Keras cache directory (tried {home} and the temp dir)")


def download(
    dataset: str, source: str, fname: str, origin: str, *, subdir: str, file_hash: str | None = None
) -> Path:
    """Fetch ``origin`` into the Keras cache (reusing a cached copy) and return its path."""
    require_host(dataset, source, origin)
    target = keras_cache_dir(subdir) / fname
    try:
        return Path(_keras_get_file(fname, origin, subdir, file_hash, target.parent.parent))
    except ValueError as err:
        # get_file raises ValueError on a hash mismatch but keeps the bad file; drop it
        # so the next run downloads afresh instead of failing on it again.
        target.unlink(missing_ok=True)
        raise DataSourceError(
            dataset, source, f"the download of {fname} from {origin} is corrupt ({err})",
            "run again to re-download; if it keeps failing the mirror may have changed",
        ) from err
    except Exception as err:
        # get_file wraps every urllib error in a bare Exception ("URL fetch failure ...")
        # and has already removed the partial file.
        raise DataSourceError(
            dataset, source, f"downloading {origin} failed ({err})", OFFLINE_TODO
        ) from err


def _keras_get_file(fname: str, origin: str, subdir: str, file_hash: str | None, cache_dir: Path) -> str:
    from keras.utils import get_file  # imported late: it pulls in the whole backend

    return get_file(fname, origin=origin, file_hash=file_hash, cache_dir=str(cache_dir), cache_subdir=subdir)


def fetch_olivetti(data_home: str | None) -> tuple[object, Path]:
    """Return scikit-learn's Olivetti faces Bunch and its cache file, downloading if needed."""
    from sklearn.datasets import fetch_olivetti_faces, get_data_home

    cached = Path(get_data_home(data_home)) / "olivetti.pkz"
    if cached.exists():
        try:
            return _sklearn_olivetti(fetch_olivetti_faces, data_home), cached
        except Exception as err:
            # joblib can fail on a damaged pickle in many ways (EOFError, zlib.error,
            # UnpicklingError, ...); all of them mean the cached file is unusable.
            raise DataSourceError(
                "faces", "official", f"the cached file {cached} cannot be loaded ({type(err).__name__}: {err})",
                f"delete {cached} and run again to re-download it",
            ) from err
    require_host("faces", "official", OLIVETTI_URL)
    try:
        return _sklearn_olivetti(fetch_olivetti_faces, data_home), cached
    except OSError as err:
        # urllib's URLError and scikit-learn's checksum failure are both OSErrors.
        raise DataSourceError("faces", "official", f"downloading Olivetti faces failed ({err})", OFFLINE_TODO) from err


def _sklearn_olivetti(fetcher, data_home: str | None):
    return fetcher(data_home=data_home, download_if_missing=True)
