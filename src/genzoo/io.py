"""Atomic file and directory writes, so an interrupted stage leaves nothing half-written."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import zipfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np

FULL_DISK = "the disk is full (no space left on device); free space and run the stage again"


class StorageError(RuntimeError):
    """A file a stage reads is damaged, or one it writes cannot be: says which and what to do."""


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a scratch directory that replaces ``path`` only if the block succeeds.

    The scratch directory is a sibling of ``path`` so the final ``rename`` stays on one
    filesystem and is atomic. On any exception the scratch directory is removed and an
    existing ``path`` is left untouched.
    """
    path = Path(path)
    tmp = _scratch(path)
    os.mkdir(tmp)  # mode 0777 less the umask, as any directory the user makes
    try:
        yield tmp
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)
        _raise_if_disk_full(err, path)
        raise
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    os.replace(tmp, path)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "w") -> Iterator[Any]:
    """Open a temporary sibling of ``path`` for writing; rename it over ``path`` on success."""
    path = Path(path)
    tmp = _scratch(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # 0666 less the umask
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        _raise_if_disk_full(err, path)
        raise


def _scratch(path: Path) -> Path:
    """A new scratch name beside ``path`` that records its writer: ``.<name>.<pid>.<random>.tmp``.

    The writer's process id lets the next writer of ``path`` remove what a killed one left
    (a `kill -9` runs no clean-up), and nothing of a writer still running.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_scratch(path)
    return path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _remove_stale_scratch(path: Path) -> None:
    prefix, suffix = f".{path.name}.", ".tmp"
    for candidate in path.parent.glob(f"{_glob_escape(prefix)}*{suffix}"):
        writer = candidate.name[len(prefix):-len(suffix)].split(".")
        if len(writer) != 2 or not writer[0].isdigit() or _alive(int(writer[0])):
            continue
        if candidate.is_dir() and not candidate.is_symlink():
            shutil.rmtree(candidate, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()


def _glob_escape(text: str) -> str:
    """``text`` matched literally by ``Path.glob`` (an output name may hold ``[``)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def _raise_if_disk_full(err: BaseException, path: Path) -> None:
    if isinstance(err, OSError) and err.errno == errno.ENOSPC:
        raise StorageError(f"{path}: {FULL_DISK}") from None


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` as indented, key-sorted JSON, atomically."""
    with atomic_file(path) as handle:
        json.dump(obj, handle, indent=2, sort_keys=True, default=_json_default)
        handle.write("\n")


def read_npz(path: str | os.PathLike, todo: str) -> dict[str, np.ndarray]:
    """Every array of an ``.npz``; a truncated or corrupt file is a StorageError ending in ``todo``."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise StorageError(f"{path} is truncated or corrupt ({err}); {todo}") from None


def read_json(path: str | os.PathLike) -> Any:
    with open(path) as handle:
        return json.load(handle)


def write_npz(path: str | os.PathLike, **arrays: np.ndarray) -> None:
    """Write arrays to an uncompressed ``.npz``, atomically."""
    with atomic_file(path, "wb") as handle:
        np.savez(handle, **arrays)


def _json_default(value: Any) -> Any:
    # numpy scalars and arrays show up in metrics dicts; JSON has no type for them.
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")
