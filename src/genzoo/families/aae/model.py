"""The AAE's losses and its keras.Model: reconstruction, discriminator and regularisation phases."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops

N_CLASSES = 10


def pixel_bce(x, logits):
    """Bernoulli cross-entropy per pixel, averaged (the write-up's reconstruction loss), from logits."""
    return ops.mean(keras.losses.binary_crossentropy(
        ops.reshape(x, (ops.shape(x)[0], -1)), ops.reshape(logits, (ops.shape(logits)[0], -1)), from_logits=True
    ))


def discriminator_loss(prior_logits, code_logits):
    """The discriminator's BCE: samples of the prior are "real" (1), encoder codes are "fake" (0)."""
    real = keras.losses.binary_crossentropy(ops.ones_like(prior_logits), prior_logits, from_logits=True)
    fake = keras.losses.binary_crossentropy(ops.zeros_like(code_logits), code_logits, from_logits=True)
    return ops.mean(real) + ops.mean(fake)


def regularization_loss(code_logits):
    """The encoder's loss for fooling the discriminator: its codes judged as prior samples."""
    return ops.mean(keras.losses.binary_crossentropy(ops.ones_like(code_logits), code_logits, from_logits=True))


def sample_prior(n, code_dim: int, prior_std: float, seed):
    """z ~ N(0, prior_std² I); the write-ups use std 5."""
    return keras.random.normal((n, code_dim), stddev=prior_std, seed=seed)


def decoder_input(z, labels, supervised: bool):
    """The decoder's input: the code, preceded by the label's one-hot when supervised."""
    if not supervised:
        return z
    return ops.concatenate([ops.one_hot(ops.cast(labels, "int32"), N_CLASSES, dtype=z.dtype), z], axis=-1)


class AAE(keras.Model):
    """Encoder, decoder and code discriminator, updated in three phases per batch.

    1. reconstruction: encoder and decoder on the pixel BCE;
    2. discriminator: prior samples against the (dropout-free) encoder's codes;
    3. regularisation: the encoder alone, to make the discriminator call its codes prior
       samples, with its own optimizer at a tenth of the learning rate.
    """

    def __init__(self, encoder, decoder, discriminator, *, code_dim: int, prior_std: float,
                 supervised: bool, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.discriminator = discriminator
        self.code_dim = code_dim
        self.prior_std = prior_std
        self.supervised = supervised
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.reg_loss_tracker = keras.metrics.Mean(name="reg_loss")

    def compile(self, ae_optimizer, d_optimizer, reg_optimizer, **kwargs):
        super().compile(**kwargs)
        self.ae_optimizer = ae_optimizer
        self.d_optimizer = d_optimizer
        self.reg_optimizer = reg_optimizer

    @property
    def metrics(self):
        return [self.reconstruction_tracker, self.d_loss_tracker, self.reg_loss_tracker]

    def call(self, inputs, training=False):
        """Reconstructions in [0, 1] of ``(images, labels)`` (labels are ignored when unsupervised)."""
        x, labels = inputs
        z = self.encoder(x, training=training)
        return ops.sigmoid(self.decoder(decoder_input(z, labels, self.supervised), training=training))

    def discriminator_step(self, x):
        """Phase 2 alone: one discriminator update; returns its loss (tests train it alone too)."""
        # The write-ups score the codes with the encoder in eval mode: dropout-free codes
        # are the ones the decoder will see from the prior at sampling time.
        codes = self.encoder(x, training=False)
        prior = sample_prior(ops.shape(x)[0], self.code_dim, self.prior_std, self.seed_generator)
        with tf.GradientTape() as tape:
            d_loss = discriminator_loss(
                self.discriminator(prior, training=True), self.discriminator(codes, training=True)
            )
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        return d_loss

    def train_step(self, data):
        x, labels = data
        ae_weights = self.encoder.trainable_weights + self.decoder.trainable_weights
        with tf.GradientTape() as tape:
            z = self.encoder(x, training=True)
            logits = self.decoder(decoder_input(z, labels, self.supervised), training=True)
            reconstruction = pixel_bce(x, logits)
        self.ae_optimizer.apply_gradients(zip(tape.gradient(reconstruction, ae_weights), ae_weights))

        d_loss = self.discriminator_step(x)

        with tf.GradientTape() as tape:
            reg_loss = regularization_loss(self.discriminator(self.encoder(x, training=True), training=False))
        grads = tape.gradient(reg_loss, self.encoder.trainable_weights)
        self.reg_optimizer.apply_gradients(zip(grads, self.encoder.trainable_weights))

        self.reconstruction_tracker.update_state(reconstruction)
        self.d_loss_tracker.update_state(d_loss)
        self.reg_loss_tracker.update_state(reg_loss)
        return {m.name: m.result() for m in self.metrics}


def encode_codes(encoder: keras.Model, x: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Dropout-free codes of ``x``, batch by batch."""
    return np.concatenate([ops.convert_to_numpy(encoder(x[i : i + batch_size], training=False))
                           for i in range(0, len(x), batch_size)])


def decode_codes(decoder: keras.Model, z: np.ndarray, labels: np.ndarray | None, supervised: bool,
                 batch_size: int = 500) -> np.ndarray:
    """Images in [0, 1] decoded from codes (and labels when supervised), batch by batch."""
    out = []
    for i in range(0, len(z), batch_size):
        batch_labels = None if labels is None else labels[i : i + batch_size]
        inputs = decoder_input(ops.convert_to_tensor(z[i : i + batch_size]), batch_labels, supervised)
        out.append(ops.convert_to_numpy(ops.sigmoid(decoder(inputs, training=False))))
    return np.concatenate(out).astype(np.float32)
