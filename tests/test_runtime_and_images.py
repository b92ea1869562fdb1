"""Device selection, sample grids and atomic writes."""

import numpy as np
import pytest

from genzoo.images import grid
from genzoo.io import atomic_dir, read_json, write_json


def test_gpu_requested_without_one_is_a_clear_error():
    tf = pytest.importorskip("tensorflow")
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("this machine has a GPU")
    from genzoo.runtime import DeviceError, setup

    with pytest.raises(DeviceError, match="base.device is 'gpu' but TensorFlow sees no GPU"):
        setup(seed=0, device="gpu")
    assert setup(seed=0, device="cpu")["device"] == "cpu"


def test_grid_tiles_images_with_padding():
    images = np.zeros((5, 4, 4, 1), "float32")
    images[1] = 1.0
    picture = grid(images, ncols=3, pad=1)
    assert picture.shape == (2 * 5 + 1, 3 * 5 + 1, 1)
    assert picture.dtype == np.uint8
    assert (picture[1:5, 6:10] == 255).all()  # the second tile is white
    assert (picture[1:5, 1:5] == 0).all()  # the first is black
    assert (picture[0] == 255).all()  # padding


def test_grid_rejects_empty_input():
    with pytest.raises(ValueError, match="non-empty"):
        grid(np.zeros((0, 4, 4, 1)))


def test_atomic_dir_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out"
    write_json(tmp_path / "out" / "keep.json", {"a": 1})
    with pytest.raises(RuntimeError):
        with atomic_dir(target) as tmp:
            write_json(tmp / "half.json", {"b": 2})
            raise RuntimeError("interrupted")
    assert read_json(target / "keep.json") == {"a": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
