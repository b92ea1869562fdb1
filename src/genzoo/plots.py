"""``dvc plots show`` with a page that works offline: ``python -m genzoo.plots [dvc plots show args]``.

DVC's default page loads vega, vega-lite and vega-embed from a CDN, so without the network it
stays blank. Here the three scripts are fetched once from the npm registry (``npm pack``,
exact versions, each file checked against its SHA-256) into a git-ignored folder,
``.plots-vendor/`` at the repository root (or ``$GENZOO_PLOTS_VENDOR``), and inlined into the
HTML template handed to ``dvc plots show --html-template``: the page then needs no server and
no network, and opens as a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from genzoo.io import atomic_file

VENDOR_ENV = "GENZOO_PLOTS_VENDOR"
VENDOR_DIR = ".plots-vendor"
TEMPLATE = "offline-template.html"


@dataclass(frozen=True)
class Script:
    package: str
    version: str
    file: str  # the UMD build in the package's build/ folder; its name in the vendor folder
    sha256: str

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


# The major versions of dvc_render's default page (vega 5, vega-lite 5, vega-embed 6), newest
# of each; vega-embed looks up the globals the other two define, so this is also load order.
SCRIPTS = (
    Script("vega", "5.33.1", "vega.min.js",
           "463f3db6a40b20e9747b4ed38f37ed0add508838f9141b1cf8366784b07b30c8"),
    Script("vega-lite", "5.23.0", "vega-lite.min.js",
           "58c27358e26f2d319cf62f45bc17a4c8362f08645001df2ec8d341eee4097c7f"),
    Script("vega-embed", "6.29.0", "vega-embed.min.js",
           "12d02acfbe3ec59ef9a37dd4822a2e04e2961b5bbb671bbe661d2221715b99da"),
)

# npm's error codes for a registry it cannot reach (DNS, refused, timed out, no route).
_NETWORK_CODES = {"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT",
                  "ENETUNREACH", "EHOSTUNREACH", "ERR_SOCKET_TIMEOUT", "EPROXY"}

# dvc_render fills these by plain text replacement. {scripts} is left out on purpose: it is
# where dvc_render puts its CDN <script src> tags.
PAGE = """<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    {refresh_tag}
    <title>DVC Plot</title>
%(scripts)s
    <style>
        table {
            border-spacing: 15px;
        }
    </style>
</head>
<body>
    {plot_divs}
</body>
</html>
"""
PLACEHOLDERS = ("{plot_divs}", "{scripts}", "{refresh_tag}")


class PlotsError(Exception):
    """A failure the user can fix; its message is one line that says how."""


def vendor_dir(start: Path | None = None) -> Path:
    """$GENZOO_PLOTS_VENDOR, else .plots-vendor/ at the root of the DVC repository holding ``start``."""
    if os.environ.get(VENDOR_ENV):
        return Path(os.environ[VENDOR_ENV]).resolve()
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / ".dvc").is_dir():
            return folder / VENDOR_DIR
    raise PlotsError(f"{start} is not inside a DVC repository (no .dvc folder here or above)")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _show(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _by_hand(vendor: Path, missing: list[Script]) -> str:
    names = ", ".join(f"{s.file} (build/{s.file} of {s.spec})" for s in missing)
    return f"or copy {names} into {_show(vendor)}/ by hand"


def _npm_failure(result: subprocess.CompletedProcess) -> tuple[str, str]:
    """(code, one-line summary) of a failed ``npm pack --json``."""
    try:
        error = json.loads(result.stdout)["error"]
        return error.get("code") or "", " ".join(str(error.get("summary", "")).split())
    except (ValueError, KeyError, TypeError):
        lines = [line for line in result.stderr.splitlines() if line.startswith("npm error")]
        code = next((line.split()[-1] for line in lines if line.startswith("npm error code ")), "")
        detail = next((line for line in lines if not line.startswith(("npm error code", "npm error syscall",
                                                                     "npm error errno"))), "")
        return code, " ".join(detail.removeprefix("npm error").split()) or f"exit status {result.returncode}"


def _fetch(script: Script, npm: str, vendor: Path, missing: list[Script]) -> bytes:
    """The script's bytes from its npm tarball, checked against the pinned hash."""
    # Short retries: offline, npm's defaults wait minutes before they give up. A cached
    # tarball (--prefer-offline) needs no network at all.
    env = dict(os.environ)
    env.setdefault("npm_config_fetch_retries", "1")
    env.setdefault("npm_config_fetch_timeout", "60000")
    with tempfile.TemporaryDirectory(prefix="genzoo-plots-") as scratch:
        result = subprocess.run([npm, "pack", script.spec, "--json", "--prefer-offline", "--pack-destination", scratch],
                                cwd=scratch, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            code, summary = _npm_failure(result)
            cause = f"{code}: {summary}" if code and code not in summary else summary
            if code in _NETWORK_CODES:
                raise PlotsError(f"cannot reach the npm registry to fetch {script.spec} ({cause}); "
                                 f"check the network or npm's registry and proxy settings and run again, "
                                 f"{_by_hand(vendor, missing)}")
            raise PlotsError(f"npm could not fetch {script.spec} ({cause}); {_by_hand(vendor, missing)}")
        tarball = Path(scratch) / json.loads(result.stdout)[0]["filename"]
        with tarfile.open(tarball) as archive:
            try:
                data = archive.extractfile(f"package/build/{script.file}").read()
            except KeyError:
                raise PlotsError(f"{script.spec} from npm has no build/{script.file}; "
                                 f"{_by_hand(vendor, missing)}") from None
    if _sha256(data) != script.sha256:
        raise PlotsError(f"build/{script.file} of {script.spec} from npm does not match its pinned SHA-256; "
                         f"{_by_hand(vendor, missing)}")
    return data


def ensure_scripts(vendor: Path, log=print) -> list[Path]:
    """Paths of the three scripts in ``vendor``, fetching with npm those absent or different.

    A file already there with the pinned hash is kept, whether npm or a person put it there.
    """
    missing = [s for s in SCRIPTS if not (vendor / s.file).is_file()
               or _sha256((vendor / s.file).read_bytes()) != s.sha256]
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            files = ", ".join(s.file for s in missing)
            raise PlotsError(f"npm is not installed and {_show(vendor)}/ has no pinned copy of {files}: install npm "
                             f"(on Debian: sudo apt-get install npm) and run again, {_by_hand(vendor, missing)}")
        vendor.mkdir(parents=True, exist_ok=True)
        for number, script in enumerate(missing, 1):
            log(f"fetching {script.spec} from the npm registry ({number}/{len(missing)})")
            data = _fetch(script, npm, vendor, missing[number - 1:])
            with atomic_file(vendor / script.file, "wb") as handle:
                handle.write(data)
            log(f"  {_show(vendor / script.file)}: {len(data) / 1024:.0f} KiB, SHA-256 checked")
    return [vendor / s.file for s in SCRIPTS]


def _inline(script: Script, path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # The source map is not vendored; a browser's developer tools would go looking for it.
    text = "\n".join(line for line in text.splitlines() if not line.startswith("//# sourceMappingURL="))
    for bad in ("</script", *PLACEHOLDERS):
        # Either would end the <script> early or be filled in by dvc_render.
        if bad in text:
            raise PlotsError(f"{_show(path)} contains {bad!r}, which cannot be inlined into the page")
    return f"    <script>/* {script.spec} */\n{text}\n    </script>"


def build_template(paths: list[Path]) -> str:
    """The page template with the scripts at ``paths`` (in SCRIPTS order) inlined."""
    return PAGE % {"scripts": "\n".join(_inline(s, p) for s, p in zip(SCRIPTS, paths, strict=True))}


def write_template(vendor: Path, log=print) -> Path:
    """Make sure the scripts are in ``vendor`` and write the template next to them."""
    template = vendor / TEMPLATE
    with atomic_file(template) as handle:
        handle.write(build_template(ensure_scripts(vendor, log)))
    return template


def show(args: list[str], template: Path) -> int:
    """Run ``dvc plots show`` with ``template``; echo its output and say where the page is."""
    result = subprocess.run([sys.executable, "-m", "dvc", "plots", "show", "--html-template", str(template), *args],
                            stdout=subprocess.PIPE, text=True)
    page = None
    for line in result.stdout.splitlines():
        if line.startswith("file://") and line.endswith(".html"):
            page = line  # restated below, as a path
        else:
            print(line)
    if result.returncode == 0 and page is not None:
        print(f"plots page (opens as a file, offline): {_show(Path(unquote(urlparse(page).path)))}")
    elif page is not None:
        print(page)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        template = write_template(vendor_dir(), log=lambda line: print(line, file=sys.stderr, flush=True))
    except PlotsError as err:
        print(f"genzoo.plots: error: {err}", file=sys.stderr)
        return 1
    return show(args, template)


if __name__ == "__main__":
    sys.exit(main())
