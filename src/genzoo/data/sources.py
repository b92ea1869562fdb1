"""Public entry points: fetch a dataset from a named source, or download it to a directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from .. import io
from . import images, loaders
from .errors import DataSourceError

SOURCES = ("auto", "official", "system", "packaged", "folder")
DATASETS = ("mnist", "fashion_mnist", "faces", "uci_digits")

# A folder dataset holds the user's own images, so it may take any name of this form:
# lowercase, and safe in file names and params keys on every platform.
FOLDER_NAME = re.compile(r"[a-z0-9_]+")

# auto tries these in order: local files first, the network next, bundled samples last.
AUTO_ORDER = ("system", "official", "packaged")

_LOADERS = {
    "official": loaders.official,
    "system": loaders.system,
    "packaged": loaders.packaged,
    "folder": loaders.folder,
}

__all__ = ["DATASETS", "SOURCES", "DataSourceError", "download", "fetch"]


def fetch(
    dataset: str,
    *,
    source: str = "auto",
    path: str | None = None,
    channels: int = 1,
    image_size: int | None = None,
) -> tuple[dict[str, np.ndarray], dict]:
    """Return (arrays, info).

    arrays: x_train uint8 (N,H,W,C), y_train int64 (N,) (-1 when unlabelled), and, only
    when the source has an official split, x_test / y_test. ``channels`` (1 or 3) converts
    every source; ``image_size`` resizes every image to a square of that side.
    info: dataset, source (the one used), tried (auto only: {source: reason or "ok"}),
    files ({name: sha256}), counts, image_shape [H, W, C], has_labels, n_classes, class_names.
    """
    _validate(dataset, source, channels, image_size)
    path = os.fspath(path) if path is not None else None
    tried: dict[str, str] = {}
    if source != "auto":
        raw = _LOADERS[source](dataset, path, channels, image_size)
    else:
        raw = _auto(dataset, path, channels, image_size, tried)
        source = next(s for s, outcome in tried.items() if outcome == "ok")
    arrays = {}
    for split in ("train", "test"):
        if f"x_{split}" not in raw.arrays:
            continue
        x = images.with_channels(raw.arrays[f"x_{split}"], channels)
        if image_size is not None:
            x = images.resize(x, (image_size, image_size))
        arrays[f"x_{split}"] = np.ascontiguousarray(x, dtype=np.uint8)
        arrays[f"y_{split}"] = np.asarray(raw.arrays[f"y_{split}"], dtype=np.int64)
    info = _info(dataset, source, arrays, raw)
    if tried:
        info["tried"] = tried
    return arrays, info


def download(dataset: str, out_dir: str | os.PathLike, **kwargs) -> dict:
    """fetch(), then write out_dir/arrays.npz and out_dir/info.json; all or nothing."""
    arrays, info = fetch(dataset, **kwargs)
    with io.atomic_dir(out_dir) as tmp:
        io.write_npz(Path(tmp) / "arrays.npz", **arrays)
        io.write_json(Path(tmp) / "info.json", info)
    return info


def _auto(dataset: str, path: str | None, channels: int, size: int | None, tried: dict) -> loaders.Raw:
    for source in AUTO_ORDER:
        try:
            raw = _LOADERS[source](dataset, path, channels, size)
        except DataSourceError as err:
            tried[source] = f"{err.why.rstrip('.')}" + (f" ({err.todo.rstrip('.')})" if err.todo else "")
            continue
        tried[source] = "ok"
        return raw
    reasons = "; ".join(f"[{source}] {reason}" for source, reason in tried.items())
    raise DataSourceError(
        dataset, "auto", f"every automatic source failed: {reasons}",
        f"fix one of the sources above, or set datasets.{dataset}.source: folder with a path to a directory of images",
    )


def _info(dataset: str, source: str, arrays: dict[str, np.ndarray], raw: loaders.Raw) -> dict:
    y = arrays["y_train"]
    has_labels = bool(len(y)) and bool((y >= 0).all())
    names = list(raw.class_names) if raw.class_names and has_labels else None
    return {
        "dataset": dataset,
        "source": source,
        "files": dict(raw.files),
        "counts": {"train": len(y), "test": len(arrays.get("y_test", ()))},
        "image_shape": list(arrays["x_train"].shape[1:]),
        "has_labels": has_labels,
        "n_classes": len(names) if names else (int(y.max()) + 1 if has_labels else 0),
        "class_names": names,
    }


def _validate(dataset: str, source: str, channels: int, image_size: int | None) -> None:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; valid sources: {', '.join(SOURCES)}")
    _validate_name(dataset, source)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels!r}")
    if image_size is not None and (isinstance(image_size, bool) or not isinstance(image_size, int) or image_size < 8):
        raise ValueError(f"image_size must be an integer >= 8 or None, got {image_size!r}")


def _validate_name(dataset: str, source: str) -> None:
    """Only a folder dataset may have a name of the user's choosing: every other source
    needs a loader written for that very dataset."""
    if source == "folder":
        if not isinstance(dataset, str) or not FOLDER_NAME.fullmatch(dataset):
            raise ValueError(
                f"folder dataset name {dataset!r} is not allowed; rename it using only lowercase letters, digits and _"
            )
        return
    if dataset not in DATASETS:
        raise ValueError(
            f"unknown dataset {dataset!r} for source {source!r}; valid datasets: {', '.join(DATASETS)} "
            f"(for your own images set source: folder and a path)"
        )
