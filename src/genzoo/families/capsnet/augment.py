"""The paper's training augmentation: every image shifted by up to ``shift`` pixels, zero-filled."""

from __future__ import annotations

import keras
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


def random_shift(images: tf.Tensor, shift: int, seed_generator) -> tf.Tensor:
    """Each image moved by its own offset of up to ``shift`` pixels each way, zero-filled.

    The offsets come from ``seed_generator``, a Keras seed generator of the model: it is a
    variable of the model, so a checkpoint saves its state and a resumed run draws the
    shifts an uninterrupted one draws, batch for batch.
    """
    n = tf.shape(images)[0]
    offsets = keras.random.randint((2, n), minval=0, maxval=2 * shift + 1, seed=seed_generator, dtype="int32")
    return translate(images, offsets[0], offsets[1], shift)
