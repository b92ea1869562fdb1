"""Atomic writes: a directory or file appears complete or not at all; JSON and npz round trips."""

import errno
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from genzoo import io
from genzoo.io import StorageError, atomic_dir, atomic_file, read_json, read_npz, write_json, write_npz


def test_atomic_dir_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out"
    write_json(tmp_path / "out" / "keep.json", {"a": 1})
    with pytest.raises(RuntimeError):
        with atomic_dir(target) as tmp:
            write_json(tmp / "half.json", {"b": 2})
            raise RuntimeError("interrupted")
    assert read_json(target / "keep.json") == {"a": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_atomic_dir_replaces_the_old_directory_whole(tmp_path):
    target = tmp_path / "deep" / "out"
    write_json(target / "old.json", {"a": 1})
    with atomic_dir(target) as tmp:
        assert tmp.parent == target.parent and not (tmp / "old.json").exists()
        write_json(tmp / "new.json", {"b": 2})
        assert not (target / "new.json").exists()  # nothing shows until the block ends
    assert sorted(p.name for p in target.iterdir()) == ["new.json"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["out"]  # no scratch left behind


def test_atomic_dir_replaces_a_file_of_that_name(tmp_path):
    (tmp_path / "out").write_text("a file")
    with atomic_dir(tmp_path / "out") as tmp:
        (tmp / "x").write_text("x")
    assert (tmp_path / "out" / "x").read_text() == "x"


def test_atomic_file_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_file(path) as handle:
            handle.write("new, half")
            raise RuntimeError("interrupted")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]
    with atomic_file(path) as handle:
        handle.write("new")
    assert path.read_text() == "new"


def test_write_json_is_sorted_indented_and_takes_numpy_and_paths(tmp_path):
    path = tmp_path / "sub" / "m.json"
    write_json(path, {"b": np.float32(0.5), "a": np.arange(3), "c": np.int64(7), "d": tmp_path})
    text = path.read_text()
    assert text.endswith("\n") and text.index('"a"') < text.index('"b"')
    assert json.loads(text) == {"a": [0, 1, 2], "b": 0.5, "c": 7, "d": str(tmp_path)}
    assert read_json(path) == json.loads(text)


def test_write_json_refuses_what_json_cannot_hold(tmp_path):
    with pytest.raises(TypeError, match="cannot serialise set to JSON"):
        write_json(tmp_path / "m.json", {"a": {1, 2}})
    assert not (tmp_path / "m.json").exists()


def test_write_npz_round_trip(tmp_path):
    x, y = np.random.default_rng(0).random((3, 2, 2, 1)).astype("float32"), np.arange(3)
    write_npz(tmp_path / "d" / "a.npz", x=x, y=y)
    with np.load(tmp_path / "d" / "a.npz") as f:
        assert sorted(f.files) == ["x", "y"]
        np.testing.assert_array_equal(f["x"], x)
        np.testing.assert_array_equal(f["y"], y)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_outputs_follow_the_umask(tmp_path, umask_022):
    # A scratch name from tempfile is private (0700, 0600): the output must not stay so.
    with atomic_dir(tmp_path / "out") as tmp:
        write_json(tmp / "m.json", {"a": 1})
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out" / "m.json").stat().st_mode & 0o777 == 0o644


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_scratch_left_by_a_killed_writer_is_removed_by_the_next(tmp_path):
    dead = _dead_pid()
    # What `kill -9` leaves: the scratch directory and file of a process that is gone.
    (tmp_path / f".out.{dead}.0a1b2c3d.tmp").mkdir()
    (tmp_path / f".out.{dead}.0a1b2c3d.tmp" / "half.npz").write_bytes(b"half")
    (tmp_path / f".m.json.{dead}.0a1b2c3d.tmp").write_text("{")
    # A live writer's scratch, and names that only look alike, are kept.
    live = tmp_path / f".out.{os.getppid()}.0a1b2c3d.tmp"
    live.mkdir()
    (tmp_path / f".out.old.{dead}.0a1b2c3d.tmp").mkdir()
    with atomic_dir(tmp_path / "out") as tmp:
        (tmp / "x").write_text("x")
    write_json(tmp_path / "m.json", {"a": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out", "m.json", live.name, f".out.old.{dead}.0a1b2c3d.tmp"]
    )


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_names_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(io.json, "dump", _disk_full)
    with pytest.raises(StorageError) as error:
        write_json(tmp_path / "m.json", {"a": 1})
    assert str(error.value) == f"{tmp_path / 'm.json'}: the disk is full (no space left on device); free space and run the stage again"
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_inside_an_atomic_dir_names_the_directory(tmp_path):
    with pytest.raises(StorageError, match=r"^.*/out: the disk is full \(no space left on device\); free space"):
        with atomic_dir(tmp_path / "out"):
            _disk_full()
    assert list(tmp_path.iterdir()) == []


def test_read_npz_names_a_truncated_file_and_what_to_do(tmp_path):
    path = tmp_path / "arrays.npz"
    write_npz(path, x=np.zeros((50, 8, 8)), y=np.arange(50))
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(StorageError) as error:
        read_npz(path, "write it again")
    assert str(error.value).startswith(f"{path} is truncated or corrupt (")
    assert str(error.value).endswith("); write it again")
    write_npz(path, y=np.arange(3))
    assert read_npz(path, "write it again")["y"].tolist() == [0, 1, 2]
