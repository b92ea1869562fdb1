"""The CycleGAN game: LSGAN losses, cycle consistency, identity, the history buffer, train_step.

Images are in [-1, 1] inside the model (the generators end in tanh); the pipeline maps the
prepared [0, 1] data in and out.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops


def lsgan_discriminator_loss(real_scores, fake_scores):
    """Mao et al. 2017's least squares, as the paper uses: ½ E[(D(real) − 1)²] + ½ E[D(fake)²].

    The ½ is the paper's: it divides D's objective by two so that D learns slower than G.
    """
    return 0.5 * (ops.mean(ops.square(real_scores - 1.0)) + ops.mean(ops.square(fake_scores)))


def lsgan_generator_loss(fake_scores):
    """E[(D(G(x)) − 1)²]: the generator pulls D's score on its images towards "real"."""
    return ops.mean(ops.square(fake_scores - 1.0))


def cycle_loss(real, reconstructed):
    """The mean absolute error ‖F(G(a)) − a‖₁ per pixel (λ weighs it in the generators' loss)."""
    return ops.mean(ops.abs(real - reconstructed))


class HistoryBuffer(layers.Layer):
    """Shrivastava et al. 2017's image pool: D sees generated images of past generators too.

    Holds up to ``size`` images. While it fills, each new image is stored and passed on.
    Once full, each new image, with probability ½, replaces a uniformly chosen stored one,
    and the stored one is passed on instead; otherwise the new image is passed on. Images
    are taken one at a time, so two images of one batch may meet the same slot. The
    random draws are arguments (``coins`` in [0, 1), ``slots`` in [0, size)), so the rule
    can be checked by hand; ``__call__`` without them draws them from a seed generator.
    """

    def __init__(self, size: int, image_shape: tuple[int, ...], seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.images = self.add_weight(shape=(max(size, 1), *image_shape), initializer="zeros",
                                      trainable=False, name="images")
        self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32", trainable=False, name="count")
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, batch, coins=None, slots=None):
        if self.size == 0:
            return batch
        n = ops.shape(batch)[0]
        if coins is None:
            coins = keras.random.uniform((n,), seed=self.seed_generator)
            slots = keras.random.randint((n,), 0, self.size, seed=self.seed_generator)
        return self.query(batch, coins, slots)

    def query(self, batch, coins, slots):
        """The images D is shown for ``batch``, updating the stored ones (the rule above).

        An explicit ``tf.while_loop`` over the batch (Keras does not autograph a layer's
        call), carrying the stored images and their count, which are assigned once at the end.
        """
        n = tf.shape(batch)[0]
        slots = tf.cast(slots, "int32")

        def step(i, stored, count, shown):
            image = batch[i]

            def fill():  # still filling: store the image and show it
                return tf.tensor_scatter_nd_update(stored, tf.reshape(count, (1, 1)), image[None]), count + 1, image

            def swap():  # full, and the coin says swap: show a stored image, keep the new one
                slot = tf.reshape(slots[i], (1, 1))
                return tf.tensor_scatter_nd_update(stored, slot, image[None]), count, tf.gather(stored, slots[i])

            def keep():
                return stored, count, image

            stored, count, picked = tf.cond(
                count < self.size, fill, lambda: tf.cond(coins[i] < 0.5, swap, keep)
            )
            return i + 1, stored, count, shown.write(i, picked)

        _, stored, count, shown = tf.while_loop(
            lambda i, *_: i < n, step,
            (tf.constant(0), tf.convert_to_tensor(self.images.value), tf.convert_to_tensor(self.count.value),
             tf.TensorArray(batch.dtype, size=n, element_shape=batch.shape[1:])),
        )
        self.images.assign(stored)
        self.count.assign(count)
        return shown.stack()


class CycleGAN(keras.Model):
    """G: A→B and F: B→A with their discriminators D_B and D_A, trained in one step per batch pair.

    The generators minimise LSGAN(D_B(G(a))) + LSGAN(D_A(F(b))) + λ·(cycle A + cycle B)
    + identity·λ·(‖G(b) − b‖₁ + ‖F(a) − a‖₁); each discriminator minimises its LSGAN loss on
    real images against generated ones drawn through its history buffer.
    """

    def __init__(self, g, f, d_a, d_b, *, image_shape, cycle_weight=10.0, identity_weight=0.5,
                 buffer_size=50, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.g, self.f, self.d_a, self.d_b = g, f, d_a, d_b
        self.cycle_weight = cycle_weight
        self.identity_weight = identity_weight  # times cycle_weight: the paper's 0.5λ
        self.pool_a = HistoryBuffer(buffer_size, image_shape, seed=seed, name="pool_a")  # past F(b), for D_A
        self.pool_b = HistoryBuffer(buffer_size, image_shape, seed=seed + 1, name="pool_b")  # past G(a), for D_B
        self.trackers = {name: keras.metrics.Mean(name=name) for name in (
            "g_adv", "f_adv", "cycle_a", "cycle_b", "identity", "d_a_loss", "d_b_loss")}

    def compile(self, g_optimizer, d_optimizer, **kwargs):
        """One Adam for both generators (their losses are summed) and one for both discriminators."""
        super().compile(**kwargs)
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, a, training=False):
        return self.g(a, training=training)

    def train_step(self, data):
        real_a, real_b = data
        generators = self.g.trainable_weights + self.f.trainable_weights
        with tf.GradientTape() as tape:
            fake_b = self.g(real_a, training=True)
            fake_a = self.f(real_b, training=True)
            cycled_a = self.f(fake_b, training=True)
            cycled_b = self.g(fake_a, training=True)
            g_adv = lsgan_generator_loss(self.d_b(fake_b, training=True))
            f_adv = lsgan_generator_loss(self.d_a(fake_a, training=True))
            cycle_a = cycle_loss(real_a, cycled_a)
            cycle_b = cycle_loss(real_b, cycled_b)
            identity = 0.0
            if self.identity_weight > 0:
                identity = cycle_loss(real_b, self.g(real_b, training=True)) + cycle_loss(real_a, self.f(real_a, training=True))
            total = g_adv + f_adv + self.cycle_weight * (cycle_a + cycle_b + self.identity_weight * identity)
        self.g_optimizer.apply_gradients(zip(tape.gradient(total, generators), generators))

        shown_a = self.pool_a(fake_a)
        shown_b = self.pool_b(fake_b)
        discriminators = self.d_a.trainable_weights + self.d_b.trainable_weights
        with tf.GradientTape() as tape:
            d_a_loss = lsgan_discriminator_loss(self.d_a(real_a, training=True), self.d_a(shown_a, training=True))
            d_b_loss = lsgan_discriminator_loss(self.d_b(real_b, training=True), self.d_b(shown_b, training=True))
            d_total = d_a_loss + d_b_loss
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_total, discriminators), discriminators))

        for name, value in (("g_adv", g_adv), ("f_adv", f_adv), ("cycle_a", cycle_a), ("cycle_b", cycle_b),
                            ("identity", identity), ("d_a_loss", d_a_loss), ("d_b_loss", d_b_loss)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


class LinearDecay(keras.callbacks.Callback):
    """The paper's schedule: the initial rate for the first half of the epochs, then linearly to 0.

    Set at each epoch's start, as the paper does (100 epochs constant, 100 decaying): in
    epoch e (from 0) of E with decay from epoch E_d, the rate is lr·(1 − (e − E_d + 1)/(E − E_d + 1)).
    """

    def __init__(self, learning_rate: float, epochs: int, optimizers):
        super().__init__()
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.start = epochs // 2
        self.optimizers = optimizers

    def rate(self, epoch: int) -> float:
        if epoch < self.start:
            return self.learning_rate
        return self.learning_rate * (1.0 - (epoch - self.start + 1) / (self.epochs - self.start + 1))

    def on_epoch_begin(self, epoch, logs=None):
        for optimizer in self.optimizers:
            optimizer.learning_rate.assign(self.rate(epoch))
