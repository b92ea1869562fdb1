"""The paper's training augmentation: every image shifted by up to ``shift`` pixels, zero-filled."""

from __future__ import annotations

from typing import Callable

import tensorflow as tf


def translate(images: tf.Tensor, dy: tf.Tensor, dx: tf.Tensor, shift: int) -> tf.Tensor:
    """Each image cut from a ``shift``-pixel zero border at its own offset (dy, dx) in [0, 2·shift].

    Offset (shift, shift) is the image itself; (0, 0) moves its content ``shift`` pixels
    down and right. images: (batch, H, W, C); dy, dx: int32 (batch,).
    """
    height, width = images.shape[1], images.shape[2]
    padded = tf.pad(images, [[0, 0], [shift, shift], [shift, shift], [0, 0]])
    rows = dy[:, None] + tf.range(height)[None, :]   # (batch, H)
    cols = dx[:, None] + tf.range(width)[None, :]    # (batch, W)
    picked = tf.gather(padded, rows, axis=1, batch_dims=1)   # (batch, H, W + 2·shift, C)
    return tf.gather(picked, cols, axis=2, batch_dims=1)     # (batch, H, W, C)


def random_shift(shift: int, seed: int) -> Callable | None:
    """A per-batch map for ``training.fit(preprocess=...)``: (images, labels) with the images shifted.

    None for ``shift`` 0. The offsets come from a generator seeded with ``seed``; with
    TensorFlow's op determinism on (``runtime.setup``) tf.data runs a map holding such a
    stateful op serially, so a rerun draws the same shifts in the same order.
    """
    if shift == 0:
        return None
    generator = tf.random.Generator.from_seed(seed)

    def preprocess(images, labels):
        n = tf.shape(images)[0]
        offsets = generator.uniform((2, n), minval=0, maxval=2 * shift + 1, dtype=tf.int32)
        return translate(images, offsets[0], offsets[1], shift), labels

    return preprocess
