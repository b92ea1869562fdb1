"""Sample grids and PNG output."""

import numpy as np
import pytest
from PIL import Image

from genzoo.images import grid, save_png, to_pil


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


def test_grid_is_square_by_default_clips_and_takes_channel_less_images():
    images = np.full((5, 3, 3), 2.0)  # no channel axis, values above 1
    picture = grid(images, pad=0)
    assert picture.shape == (2 * 3, 3 * 3, 1)  # ceil(sqrt(5)) = 3 columns, 2 rows
    assert (picture[:3] == 255).all()
    assert (picture[3:, 6:] == 255).all()  # the empty sixth cell stays white
    half = grid(np.full((1, 2, 2, 3), 0.5), pad=0)
    assert half.shape == (2, 2, 3) and (half == 128).all()  # rounded, not truncated


def test_save_png_enlarges_by_an_integer_scale(tmp_path):
    picture = grid(np.random.default_rng(0).random((4, 5, 5, 1)), ncols=2, pad=1)
    save_png(tmp_path / "sub" / "g.png", picture, scale=3)
    with Image.open(tmp_path / "sub" / "g.png") as image:
        assert image.size == (picture.shape[1] * 3, picture.shape[0] * 3) and image.mode == "L"
        np.testing.assert_array_equal(np.asarray(image)[::3, ::3], picture[..., 0])


def test_to_pil_keeps_colour():
    assert to_pil(np.zeros((2, 3, 3), np.uint8)).mode == "RGB"
    assert to_pil(np.zeros((2, 3, 1), np.uint8)).size == (3, 2)
