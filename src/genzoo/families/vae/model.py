"""The VAE's loss maths and its keras.Model: reparameterised codes, Bernoulli decoder, ELBO."""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf
from keras import ops

LOG_2PI = math.log(2.0 * math.pi)


def kl_divergence(z_mean, z_log_var):
    """KL(q(z|x) ‖ N(0, I)) per example, in closed form for a diagonal Gaussian q."""
    return -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)


def reconstruction_loss(x, logits):
    """−log p(x|z) per example: Bernoulli cross-entropy summed over every pixel.

    Taken from the decoder's logits: the write-ups' log(1e-10 + p) on sigmoid outputs
    loses precision where p saturates, which is exactly where a sharp digit sits.
    """
    x = ops.reshape(x, (ops.shape(x)[0], -1))
    logits = ops.reshape(logits, (ops.shape(logits)[0], -1))
    per_pixel = ops.maximum(logits, 0.0) - logits * x + ops.log1p(ops.exp(-ops.abs(logits)))
    return ops.sum(per_pixel, axis=-1)


def elbo(x, logits, z_mean, z_log_var):
    """The evidence lower bound per example, in nats: −reconstruction − KL."""
    return -reconstruction_loss(x, logits) - kl_divergence(z_mean, z_log_var)


def reparameterize(z_mean, z_log_var, seed):
    """z = μ + σ·ε, with ε drawn at the batch's real size.

    The write-ups drew ε with a fixed batch size, which fails on an epoch's last, shorter
    batch (and on any test set whose size is not a multiple of it).
    """
    epsilon = keras.random.normal(ops.shape(z_mean), seed=seed)
    return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def bernoulli_sample(probabilities, seed):
    """x ~ Bernoulli(p) per pixel, as float 0s and 1s: the dynamic binarisation of MNIST.

    A Bernoulli likelihood is a density only for {0, 1} pixels; on grey levels its nats are
    not those of the literature, which binarises each digit by drawing its pixels from
    their grey levels (Burda et al. 2016). An integer ``seed`` gives the same draw every
    call; a SeedGenerator gives a new draw each call, as training wants.
    """
    uniform = keras.random.uniform(ops.shape(probabilities), seed=seed, dtype=probabilities.dtype)
    return ops.cast(uniform < probabilities, probabilities.dtype)


def log_normal(z, mean, log_var):
    """log N(z; mean, diag(exp(log_var))) summed over the last axis."""
    return -0.5 * ops.sum(LOG_2PI + log_var + ops.square(z - mean) / ops.exp(log_var), axis=-1)


def log_importance_weights(x, logits, z, z_mean, z_log_var):
    """log p(x|z) + log p(z) − log q(z|x) for each of the k codes per example.

    Shapes: x (B, ...), logits (k, B, ...), z (k, B, D), z_mean and z_log_var (B, D);
    returns (k, B).
    """
    k = ops.shape(z)[0]
    flat_logits = ops.reshape(logits, (-1, *ops.shape(logits)[2:]))
    tiled_x = ops.tile(x[None], (k,) + (1,) * len(x.shape))
    log_px = -ops.reshape(reconstruction_loss(ops.reshape(tiled_x, ops.shape(flat_logits)), flat_logits), (k, -1))
    zeros = ops.zeros_like(z)
    return log_px + log_normal(z, zeros, zeros) - log_normal(z, z_mean[None], z_log_var[None])


def log_mean_exp(values, axis=0):
    """log(mean(exp(values))) along ``axis`` without overflow."""
    top = ops.max(values, axis=axis, keepdims=True)
    n = ops.cast(ops.shape(values)[axis], values.dtype)
    return ops.squeeze(top, axis) + ops.log(ops.sum(ops.exp(values - top), axis=axis)) - ops.log(n)


class VAE(keras.Model):
    """An encoder (x → z_mean, z_log_var) and a decoder (z → Bernoulli logits), trained on −ELBO.

    With ``dynamic_binarization`` each training batch is redrawn as Bernoulli pixels from its
    grey levels (Burda et al. 2016), so the model sees a fresh binary digit every epoch;
    ``test_step`` scores the data as given.
    """

    def __init__(self, encoder: keras.Model, decoder: keras.Model, *, latent_dim: int, seed: int = 0,
                 dynamic_binarization: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.latent_dim = latent_dim
        self.dynamic_binarization = dynamic_binarization
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.total_loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def call(self, x, training=False):
        """Reconstructions in [0, 1] (Bernoulli means) from the codes' means."""
        z_mean, _ = self.encoder(x, training=training)
        return ops.sigmoid(self.decoder(z_mean, training=training))

    def _compute_losses(self, x, training):
        z_mean, z_log_var = self.encoder(x, training=training)
        z = reparameterize(z_mean, z_log_var, self.seed_generator)
        logits = self.decoder(z, training=training)
        reconstruction = ops.mean(reconstruction_loss(x, logits))
        kl = ops.mean(kl_divergence(z_mean, z_log_var))
        return reconstruction + kl, reconstruction, kl

    def _update_trackers(self, total, reconstruction, kl):
        self.total_loss_tracker.update_state(total)
        self.reconstruction_loss_tracker.update_state(reconstruction)
        self.kl_loss_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        if self.dynamic_binarization:
            x = bernoulli_sample(ops.convert_to_tensor(x), self.seed_generator)
        with tf.GradientTape() as tape:
            total, reconstruction, kl = self._compute_losses(x, training=True)
        grads = tape.gradient(total, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return self._update_trackers(total, reconstruction, kl)

    def test_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return self._update_trackers(*self._compute_losses(x, training=False))


def decode(decoder: keras.Model, z: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Bernoulli means in [0, 1] for codes ``z``, batch by batch."""
    out = [ops.convert_to_numpy(ops.sigmoid(decoder(z[i : i + batch_size], training=False)))
           for i in range(0, len(z), batch_size)]
    return np.concatenate(out).astype(np.float32)


def encode(encoder: keras.Model, x: np.ndarray, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """z_mean and z_log_var of ``x``, batch by batch."""
    means, log_vars = [], []
    for i in range(0, len(x), batch_size):
        z_mean, z_log_var = encoder(x[i : i + batch_size], training=False)
        means.append(ops.convert_to_numpy(z_mean))
        log_vars.append(ops.convert_to_numpy(z_log_var))
    return np.concatenate(means), np.concatenate(log_vars)
