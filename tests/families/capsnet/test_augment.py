"""The shift augmentation: each image translated by at most `shift` pixels, zero-filled, reproducibly."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from genzoo.families.capsnet.augment import random_shift, translate  # noqa: E402

keras = pytest.importorskip("keras")


def _images(n=6, size=10):
    rng = np.random.default_rng(0)
    # Bright content everywhere but an all-positive one, so a zero border is a shift, not data.
    return (rng.uniform(0.1, 1.0, (n, size, size, 1))).astype("float32")


def _translated(image, down, right):
    """``image`` moved down/right (negative: up/left), the uncovered rows and columns zero."""
    out = np.zeros_like(image)
    h, w = image.shape[:2]
    out[max(down, 0) : h + min(down, 0), max(right, 0) : w + min(right, 0)] = image[
        max(-down, 0) : h - max(down, 0), max(-right, 0) : w - max(right, 0)
    ]
    return out


def test_translate_moves_each_image_by_its_own_offset():
    images = _images(3)
    dy, dx = np.array([0, 2, 4], "int32"), np.array([4, 2, 1], "int32")
    out = translate(tf.constant(images), tf.constant(dy), tf.constant(dx), 2).numpy()
    assert out.shape == images.shape and out.dtype == np.float32
    np.testing.assert_array_equal(out[0], _translated(images[0], 2, -2))
    np.testing.assert_array_equal(out[1], images[1])  # offset (shift, shift) is the image itself
    np.testing.assert_array_equal(out[2], _translated(images[2], -2, 1))


def test_random_shift_translates_each_image_by_at_most_shift():
    images = _images()
    shifted = random_shift(tf.constant(images), 2, keras.random.SeedGenerator(0)).numpy()
    assert shifted.shape == images.shape
    moves = []
    for image, out in zip(images, shifted):
        found = [(d, r) for d in range(-2, 3) for r in range(-2, 3) if np.array_equal(out, _translated(image, d, r))]
        assert len(found) == 1, "not a translation of the image by at most 2 pixels"
        moves.append(found[0])
    assert len(set(moves)) > 1  # the images are not all moved alike


def test_the_shifts_follow_the_seed_generator_state():
    """Same state, same shifts (what a resumed run relies on); each draw advances the state."""
    images = tf.constant(_images(12))
    first, again, other = keras.random.SeedGenerator(0), keras.random.SeedGenerator(0), keras.random.SeedGenerator(1)
    a1, b1 = random_shift(images, 1, first).numpy(), random_shift(images, 1, again).numpy()
    np.testing.assert_array_equal(a1, b1)
    a2 = random_shift(images, 1, first).numpy()
    assert not np.array_equal(a1, a2)
    assert not np.array_equal(a1, random_shift(images, 1, other).numpy())
