"""Atomic writes: a directory or file appears complete or not at all; JSON and npz round trips."""

import json

import numpy as np
import pytest

from genzoo.io import atomic_dir, atomic_file, read_json, write_json, write_npz


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
