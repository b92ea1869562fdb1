"""The Wasserstein game: a critic scored by the earth mover's distance, n_critic steps per G step.

WGAN (Arjovsky et al. 2017) keeps the critic Lipschitz by clipping its weights to
±clip_value after every critic update; WGAN-GP (Gulrajani et al. 2017) replaces the
clipping with a penalty on the critic's gradient norm at points between real and fake.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from genzoo.families.gan.game import AdversarialGame, sample_latent, to_model_range


def critic_loss(real_scores, fake_scores):
    """mean C(G(z)) − mean C(x): minimising it widens the critic's real-vs-fake margin."""
    return ops.mean(fake_scores) - ops.mean(real_scores)


def wasserstein_generator_loss(fake_scores):
    """−mean C(G(z)): the generator pushes its samples' scores up."""
    return -ops.mean(fake_scores)


def gradient_penalty(critic: keras.Model, real_images, fake_images, seed):
    """mean (‖∇C(x̂)‖₂ − 1)² at x̂ uniformly on the segments from real to fake images.

    Zero for a critic whose gradient has unit norm everywhere (a 1-Lipschitz linear map).
    """
    batch_size = ops.shape(real_images)[0]
    alpha = keras.random.uniform((batch_size, 1, 1, 1), seed=seed)
    mixed = real_images + alpha * (fake_images - real_images)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grads = tape.gradient(scores, mixed)
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=(1, 2, 3)) + 1e-12)
    return ops.mean(ops.square(norms - 1.0))


def clip_weights(model: keras.Model, clip_value: float) -> None:
    """Clip every trainable weight of ``model`` to [−clip_value, clip_value]."""
    for weight in model.trainable_weights:
        weight.assign(ops.clip(weight, -clip_value, clip_value))


class WGAN(AdversarialGame):
    """A generator and a critic; each batch gives ``n_critic`` critic steps, then one G step.

    The data pipeline feeds batches of ``n_critic × batch_size`` images; each critic step
    takes its own slice, so every critic step sees fresh real images, as in Algorithm 1 of
    both papers. ``clip_value`` None and ``gp_weight`` > 0 give WGAN-GP.
    """

    def __init__(
        self,
        generator: keras.Model,
        critic: keras.Model,
        *,
        n_critic: int = 5,
        clip_value: float | None = 0.01,
        gp_weight: float = 0.0,
        pixel_range: str = "tanh",
        **kwargs,
    ):
        if n_critic < 1:
            raise ValueError(f"n_critic is {n_critic}; it must be >= 1")
        super().__init__(generator, critic, pixel_range=pixel_range, **kwargs)
        self.n_critic = n_critic
        self.clip_value = clip_value
        self.gp_weight = gp_weight
        self.c_loss_tracker = keras.metrics.Mean(name="c_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        # −critic loss: the critic's estimate of the Wasserstein distance, the curve to watch.
        self.distance_tracker = keras.metrics.Mean(name="w_distance")
        self.gp_tracker = keras.metrics.Mean(name="gp")

    @property
    def critic(self) -> keras.Model:
        """The discriminator, by the name the Wasserstein papers give it."""
        return self.discriminator

    @property
    def metrics(self):
        return [self.c_loss_tracker, self.g_loss_tracker, self.distance_tracker, self.gp_tracker]

    def _critic_step(self, real_images):
        batch_size = ops.shape(real_images)[0]
        z = sample_latent(batch_size, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            fake_images = self.generator(z, training=True)
            distance_loss = critic_loss(self.critic(real_images, training=True), self.critic(fake_images, training=True))
            penalty = ops.convert_to_tensor(0.0)
            if self.gp_weight > 0:
                penalty = gradient_penalty(self.critic, real_images, fake_images, self.seed_generator)
            loss = distance_loss + self.gp_weight * penalty
        grads = tape.gradient(loss, self.critic.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_weights))
        if self.clip_value is not None:
            clip_weights(self.critic, self.clip_value)
        return loss, distance_loss, penalty

    def train_step(self, data):
        real_images = data[0] if isinstance(data, tuple) else data
        real_images = to_model_range(real_images, self.pixel_range)
        total = ops.shape(real_images)[0]
        # Equal slices, wrapping round: a short last batch still gives n_critic non-empty steps.
        chunk = (total + self.n_critic - 1) // self.n_critic
        for step in range(self.n_critic):
            index = (ops.arange(chunk) + step * chunk) % total
            loss, distance_loss, penalty = self._critic_step(ops.take(real_images, index, axis=0))
            self.c_loss_tracker.update_state(loss)
            self.distance_tracker.update_state(-distance_loss)
            self.gp_tracker.update_state(penalty)

        z = sample_latent(chunk, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            g_loss = wasserstein_generator_loss(self.critic(self.generator(z, training=True), training=True))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}
