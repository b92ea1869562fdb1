"""The CapsNet: conv → PrimaryCaps → DigitCaps encoder, a masked decoder, and their losses."""

from __future__ import annotations

import math

import keras
import tensorflow as tf
from keras import layers, ops

from genzoo.families.capsnet.augment import random_shift
from genzoo.families.capsnet.layers import DigitCaps, PrimaryCaps, safe_norm

# The paper's margin loss constants: a present digit's capsule should be longer than
# M_PLUS, an absent one shorter than M_MINUS; absent digits weigh LAMBDA so that the
# start of training does not shrink every capsule towards zero.
M_PLUS, M_MINUS, LAMBDA = 0.9, 0.1, 0.5


def margin_loss(labels, lengths, m_plus: float = M_PLUS, m_minus: float = M_MINUS, down_weight: float = LAMBDA):
    """Σ_k T_k max(0, m⁺−‖v_k‖)² + λ(1−T_k) max(0, ‖v_k‖−m⁻)², averaged over the batch.

    Args:
        labels: integer classes, shape (batch,).
        lengths: capsule lengths ‖v_k‖, shape (batch, classes).
    """
    present = ops.one_hot(ops.cast(labels, "int32"), ops.shape(lengths)[-1], dtype=lengths.dtype)
    per_class = present * ops.square(ops.relu(m_plus - lengths)) + down_weight * (1.0 - present) * ops.square(
        ops.relu(lengths - m_minus)
    )
    return ops.mean(ops.sum(per_class, axis=-1))


def reconstruction_loss(images, reconstructions):
    """Sum of squared pixel errors per image, averaged over the batch (not yet scaled)."""
    squared = ops.square(ops.cast(images, reconstructions.dtype) - reconstructions)
    return ops.mean(ops.sum(ops.reshape(squared, (ops.shape(squared)[0], -1)), axis=-1))


def mask(capsules, labels):
    """Zero every digit capsule but ``labels``' and flatten to the decoder's input (batch, n·dims)."""
    keep = ops.one_hot(ops.cast(labels, "int32"), ops.shape(capsules)[1], dtype=capsules.dtype)
    masked = capsules * keep[:, :, None]
    return ops.reshape(masked, (-1, capsules.shape[1] * capsules.shape[2]))


def build_encoder(
    image_shape: tuple[int, ...],
    *,
    classes: int = 10,
    conv_filters: int = 256,
    conv_kernel: int = 9,
    primary_maps: int = 32,
    primary_dims: int = 8,
    primary_kernel: int = 9,
    digit_dims: int = 16,
    routing_iterations: int = 3,
    w_stddev: float = 0.01,
) -> keras.Model:
    """image → conv ReLU → PrimaryCaps → DigitCaps; outputs the digit capsules (batch, classes, dims)."""
    x = keras.Input(image_shape, name="image")
    # The paper fixes only W's initialisation. With Keras' Glorot default the primary
    # capsules start ~0.007 long and the digit capsules ~1e-6, where squash is flat: the
    # gradients (~1e-10) sit far below Adam's ε and the margin loss stayed at 0.8094 for
    # 30+ steps. He init, the usual one for ReLU convolutions, starts them at ~0.7 and ~0.01.
    h = layers.Conv2D(conv_filters, conv_kernel, activation="relu", kernel_initializer="he_normal", name="conv1")(x)
    u = PrimaryCaps(primary_maps, primary_dims, primary_kernel, strides=2, name="primary_caps")(h)
    v = DigitCaps(classes, digit_dims, routing_iterations, w_stddev, name="digit_caps")(u)
    return keras.Model(x, v, name="encoder")


def build_decoder(image_shape: tuple[int, ...], capsule_units: int, hidden: tuple[int, ...] = (512, 1024)) -> keras.Model:
    """The masked capsules → ReLU layers → one sigmoid per pixel, reshaped to the image."""
    z = keras.Input((capsule_units,), name="masked_capsules")
    h = z
    for units in hidden:
        h = layers.Dense(units, activation="relu")(h)
    pixels = layers.Dense(math.prod(image_shape), activation="sigmoid")(h)
    return keras.Model(z, layers.Reshape(image_shape)(pixels), name="decoder")


class CapsNet(keras.Model):
    """Encoder + decoder, trained on margin loss + ``reconstruction_weight`` × SSE.

    In training the decoder sees the label's capsule; at test time (``call``, ``test_step``)
    the predicted one, as in the paper. ``shift`` > 0 moves each training image by up to that
    many pixels (the paper's 2), drawn from the model's own seed generator.
    """

    def __init__(self, encoder: keras.Model, decoder: keras.Model, reconstruction_weight: float = 0.0005,
                 shift: int = 0, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder
        self.reconstruction_weight = reconstruction_weight
        self.shift = shift
        self.shift_seeds = keras.random.SeedGenerator(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.margin_tracker = keras.metrics.Mean(name="margin_loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.accuracy_tracker = keras.metrics.Mean(name="accuracy")

    @property
    def metrics(self):
        return [self.loss_tracker, self.margin_tracker, self.reconstruction_tracker, self.accuracy_tracker]

    def call(self, images, training=False):
        capsules = self.encoder(images, training=training)
        lengths = safe_norm(capsules)
        predicted = ops.argmax(lengths, axis=-1)
        reconstructions = self.decoder(mask(capsules, predicted), training=training)
        return {"lengths": lengths, "capsules": capsules, "reconstructions": reconstructions}

    def _forward(self, images, labels, training: bool):
        capsules = self.encoder(images, training=training)
        lengths = safe_norm(capsules)
        predicted = ops.argmax(lengths, axis=-1)
        shown = labels if training else predicted
        reconstructions = self.decoder(mask(capsules, shown), training=training)
        margin = margin_loss(labels, lengths)
        sse = reconstruction_loss(images, reconstructions)
        correct = ops.cast(ops.equal(predicted, ops.cast(labels, predicted.dtype)), "float32")
        return margin + self.reconstruction_weight * sse, margin, sse, correct

    def _track(self, loss, margin, sse, correct):
        self.loss_tracker.update_state(loss)
        self.margin_tracker.update_state(margin)
        self.reconstruction_tracker.update_state(sse)
        self.accuracy_tracker.update_state(correct)  # per example, so uneven batches weigh right
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        images, labels = data
        if self.shift:
            images = random_shift(images, self.shift, self.shift_seeds)
        with tf.GradientTape() as tape:
            loss, margin, sse, correct = self._forward(images, labels, training=True)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return self._track(loss, margin, sse, correct)

    def test_step(self, data):
        images, labels = data
        return self._track(*self._forward(images, labels, training=False))


def build_capsnet(
    image_shape: tuple[int, ...],
    *,
    classes: int = 10,
    routing_iterations: int = 3,
    reconstruction_weight: float = 0.0005,
    decoder_hidden: tuple[int, ...] = (512, 1024),
    shift: int = 0,
    seed: int = 0,
    **encoder_sizes,
) -> CapsNet:
    """An uncompiled CapsNet; the defaults are the paper's MNIST network (≈ 8.2M parameters).

    ``encoder_sizes`` (conv_filters, conv_kernel, primary_maps, primary_dims, primary_kernel,
    digit_dims, w_stddev) exist so the tests can build a tiny network with the same code.
    """
    encoder = build_encoder(
        tuple(image_shape), classes=classes, routing_iterations=routing_iterations, **encoder_sizes
    )
    capsule_units = encoder.output.shape[1] * encoder.output.shape[2]
    decoder = build_decoder(tuple(image_shape), capsule_units, decoder_hidden)
    model = CapsNet(encoder, decoder, reconstruction_weight, shift=shift, seed=seed)
    model.build((None, *image_shape))
    return model
