"""The data layer's image helpers: uint8 scaling, channels, Lanczos resizing, listing and decoding files."""

import numpy as np
import pytest
from PIL import Image

from genzoo.data.images import ImageReadError, list_images, load_image, resize, to_uint8, with_channels


def test_to_uint8_rounds_and_clips():
    np.testing.assert_array_equal(to_uint8(np.array([0.0, 0.5, 1.0, 1.2, -0.1]), 1.0), [0, 128, 255, 255, 0])
    np.testing.assert_array_equal(to_uint8(np.array([0.0, 127.6, 255.0]), 255.0), [0, 128, 255])


def test_with_channels_adds_copies_or_converts():
    gray = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    assert with_channels(gray, 1).shape == (2, 3, 3, 1)
    rgb = with_channels(gray, 3)
    assert rgb.shape == (2, 3, 3, 3) and (rgb[..., 0] == rgb[..., 2]).all()
    back = with_channels(rgb, 1)
    np.testing.assert_array_equal(back[..., 0], gray)  # equal channels convert back exactly
    with pytest.raises(ValueError, match="cannot convert 4 channels to 1"):
        with_channels(np.zeros((1, 2, 2, 4), np.uint8), 1)


def test_resize_changes_only_what_differs():
    x = np.full((2, 4, 6, 1), 200, np.uint8)
    assert resize(x, (4, 6)) is x
    out = resize(x, (8, 3))
    assert out.shape == (2, 8, 3, 1) and out.dtype == np.uint8 and (out == 200).all()


def test_list_images_is_recursive_sorted_and_by_suffix(tmp_path):
    for name in ("b.png", "a/c.JPG", "a/b.txt", "z.webp"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert [p.relative_to(tmp_path).as_posix() for p in list_images(tmp_path)] == ["a/c.JPG", "b.png", "z.webp"]


def test_load_image_converts_and_resizes(tmp_path):
    Image.new("RGB", (6, 4), (255, 0, 0)).save(tmp_path / "red.png")
    assert load_image(tmp_path / "red.png", 3, None).shape == (4, 6, 3)
    gray = load_image(tmp_path / "red.png", 1, (8, 5))
    assert gray.shape == (8, 5, 1) and gray.dtype == np.uint8 and (gray == 76).all()  # ITU-R 601 luma of red


def test_an_undecodable_file_is_named(tmp_path):
    (tmp_path / "bad.png").write_bytes(b"not an image")
    with pytest.raises(ImageReadError, match="bad.png: UnidentifiedImageError") as err:
        load_image(tmp_path / "bad.png", 1, None)
    assert err.value.path == tmp_path / "bad.png"
