"""The adversarial game shared by the GAN models: losses, latent sampling, train_step."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from genzoo.families.gan.schema import LATENTS

PIXEL_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def discriminator_loss(real_logits, fake_logits, real_label: float = 1.0):
    """BCE on logits: real images towards ``real_label``, generated ones towards 0.

    ``real_label`` < 1 is one-sided label smoothing (Salimans et al. 2016): only the real
    targets are softened, so the discriminator is not rewarded for doubting fakes.
    """
    real = keras.losses.binary_crossentropy(
        ops.full_like(real_logits, real_label), real_logits, from_logits=True
    )
    fake = keras.losses.binary_crossentropy(ops.zeros_like(fake_logits), fake_logits, from_logits=True)
    return ops.mean(real) + ops.mean(fake)


def generator_loss(fake_logits):
    """The non-saturating loss of Goodfellow et al. 2014: maximise log D(G(z))."""
    return ops.mean(
        keras.losses.binary_crossentropy(ops.ones_like(fake_logits), fake_logits, from_logits=True)
    )


def sample_latent(n, latent_dim: int, latent: str, seed):
    """Draw ``n`` codes: U(-1, 1) as in the write-ups, or N(0, 1)."""
    if latent == "uniform":
        return keras.random.uniform((n, latent_dim), -1.0, 1.0, seed=seed)
    if latent == "normal":
        return keras.random.normal((n, latent_dim), seed=seed)
    raise ValueError(f"latent is {latent!r}; allowed values: {', '.join(LATENTS)}")


def to_model_range(images, pixel_range: str):
    """Map data in [0, 1] to the generator's output range."""
    low, high = PIXEL_RANGES[pixel_range]
    return images * (high - low) + low


def to_unit_range(images, pixel_range: str):
    """Map generator output back to [0, 1]."""
    low, high = PIXEL_RANGES[pixel_range]
    return (images - low) / (high - low)


class AdversarialGame(keras.Model):
    """What every two-player game shares: the players, the latent code, one optimizer each.

    Subclasses add their loss trackers (``metrics``) and ``train_step``.
    """

    # Discriminator (critic) batches per generator step; the Wasserstein game takes more.
    n_critic = 1

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        *,
        latent_dim: int,
        latent: str = "uniform",
        pixel_range: str = "sigmoid",
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if latent not in LATENTS:
            raise ValueError(f"latent is {latent!r}; allowed values: {', '.join(LATENTS)}")
        if pixel_range not in PIXEL_RANGES:
            raise ValueError(f"pixel_range is {pixel_range!r}; allowed values: {', '.join(PIXEL_RANGES)}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.latent = latent
        self.pixel_range = pixel_range
        self.seed_generator = keras.random.SeedGenerator(seed)

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    def call(self, z, training=False):
        return self.generator(z, training=training)


class GAN(AdversarialGame):
    """A generator and a discriminator trained in alternation, one step each per batch."""

    def __init__(self, generator: keras.Model, discriminator: keras.Model, *, real_label: float = 1.0, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        self.real_label = real_label
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        # D's mean belief that real and generated images are real: the usual GAN health check.
        self.real_score_tracker = keras.metrics.Mean(name="d_real")
        self.fake_score_tracker = keras.metrics.Mean(name="d_fake")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.real_score_tracker, self.fake_score_tracker]

    def train_step(self, data):
        real_images = data[0] if isinstance(data, tuple) else data
        real_images = to_model_range(real_images, self.pixel_range)
        # The batch's real size: the last batch of an epoch may be short.
        batch_size = ops.shape(real_images)[0]

        z = sample_latent(batch_size, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            fake_images = self.generator(z, training=True)
            real_logits = self.discriminator(real_images, training=True)
            fake_logits = self.discriminator(fake_images, training=True)
            d_loss = discriminator_loss(real_logits, fake_logits, self.real_label)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        z = sample_latent(batch_size, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            g_loss = generator_loss(self.discriminator(self.generator(z, training=True), training=True))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.real_score_tracker.update_state(ops.mean(ops.sigmoid(real_logits)))
        self.fake_score_tracker.update_state(ops.mean(ops.sigmoid(fake_logits)))
        return {m.name: m.result() for m in self.metrics}


def generate(
    generator: keras.Model,
    n: int,
    *,
    latent_dim: int,
    latent: str,
    pixel_range: str,
    seed: int,
    batch_size: int = 500,
) -> np.ndarray:
    """Draw ``n`` images in [0, 1] from a trained generator, deterministically for a seed."""
    seed_generator = keras.random.SeedGenerator(seed)
    batches = []
    for start in range(0, n, batch_size):
        z = sample_latent(min(batch_size, n - start), latent_dim, latent, seed_generator)
        images = generator(z, training=False)
        batches.append(ops.convert_to_numpy(to_unit_range(images, pixel_range)))
    return np.clip(np.concatenate(batches), 0.0, 1.0).astype(np.float32)
