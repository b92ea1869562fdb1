"""The baseline: each algorithm written as the keras.io examples write it, on the project's networks.

What a user would write from the keras.io DCGAN, WGAN-GP and VAE examples: a
``keras.Model`` subclass whose ``train_step`` takes its gradients with ``tf.GradientTape``,
compiled with Keras' defaults (no ``steps_per_execution``, no ``jit_compile`` argument),
fitted on ``from_tensor_slices(x).shuffle(1024).batch(bs).prefetch(AUTOTUNE)``.

The networks are the project's own (the model module's builders, via ``build``), fresh and
untrained, so both sides train the same layers; the loop around them is written here, from
the papers' algorithms, and does per image the work the project's ``train_step`` does: the
same updates per batch, the same losses, the same optimizers. The SOM's baseline is
MiniSom.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

SHUFFLE_BUFFER = 1024  # the keras.io examples' buffer


def keras_io_dataset(x: np.ndarray, y: np.ndarray | None, batch_size: int, preprocess=None) -> tf.data.Dataset:
    """The keras.io input pipeline: slices, a 1024-image shuffle buffer, batches, prefetch."""
    data = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
    data = data.shuffle(SHUFFLE_BUFFER).batch(batch_size)
    if preprocess is not None:
        data = data.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)


def draw_latent(n, latent_dim: int, latent: str, seed_generator):
    """z ~ U(-1, 1) or N(0, 1), as the params entry's ``latent`` says."""
    if latent == "uniform":
        return keras.random.uniform((n, latent_dim), minval=-1.0, maxval=1.0, seed=seed_generator)
    return keras.random.normal((n, latent_dim), seed=seed_generator)


def pixel_scale(pixel_range: str) -> tuple[float, float]:
    """(scale, offset) taking data in [0, 1] to the generator's output range."""
    return (2.0, -1.0) if pixel_range == "tanh" else (1.0, 0.0)


class PlainGAN(keras.Model):
    """The keras.io DCGAN's train_step: one discriminator step, then one generator step, per batch.

    Binary cross-entropy on logits; real images are labelled ``real_label`` (one-sided
    smoothing when < 1), generated ones 0; the generator's loss is the non-saturating one.
    """

    def __init__(self, generator, discriminator, *, latent_dim, latent, pixel_range, real_label=1.0, seed=0):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.latent = latent
        self.scale, self.offset = pixel_scale(pixel_range)
        self.real_label = real_label
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_images):
        real_images = real_images * self.scale + self.offset
        batch_size = tf.shape(real_images)[0]

        z = draw_latent(batch_size, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            fake_images = self.generator(z, training=True)
            real_logits = self.discriminator(real_images, training=True)
            fake_logits = self.discriminator(fake_images, training=True)
            d_loss = (self.loss_fn(tf.fill(tf.shape(real_logits), self.real_label), real_logits)
                      + self.loss_fn(tf.zeros_like(fake_logits), fake_logits))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        z = draw_latent(batch_size, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = self.loss_fn(tf.ones_like(fake_logits), fake_logits)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


class PlainWGAN(keras.Model):
    """The keras.io WGAN-GP's train_step, with each critic step on its own slice of the batch.

    Each batch holds ``n_critic`` critic batches (Algorithm 1 of both Wasserstein papers):
    ``n_critic`` critic steps on mean C(fake) − mean C(real) (+ ``gp_weight`` × the gradient
    penalty, or weight clipping when ``clip_value`` is set), then one generator step on
    −mean C(fake). A short last batch is cut into equal slices that wrap round.
    """

    def __init__(self, generator, critic, *, latent_dim, latent, pixel_range, n_critic, gp_weight, clip_value, seed=0):
        super().__init__()
        self.generator = generator
        self.critic = critic
        self.latent_dim = latent_dim
        self.latent = latent
        self.scale, self.offset = pixel_scale(pixel_range)
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.clip_value = clip_value
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.c_loss_metric = keras.metrics.Mean(name="c_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    def compile(self, c_optimizer, g_optimizer):
        super().compile()
        self.c_optimizer = c_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return [self.c_loss_metric, self.g_loss_metric]

    def gradient_penalty(self, real_images, fake_images):
        """mean (‖∇C(x̂)‖ − 1)² at random points x̂ between real and fake images (Gulrajani et al. 2017)."""
        alpha = keras.random.uniform((tf.shape(real_images)[0], 1, 1, 1), seed=self.seed_generator)
        interpolated = real_images + alpha * (fake_images - real_images)
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            scores = self.critic(interpolated, training=True)
        grads = gp_tape.gradient(scores, interpolated)
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean((norm - 1.0) ** 2)

    def train_step(self, real_images):
        real_images = real_images * self.scale + self.offset
        total = tf.shape(real_images)[0]
        size = (total + self.n_critic - 1) // self.n_critic

        for i in range(self.n_critic):
            real = tf.gather(real_images, tf.range(i * size, (i + 1) * size) % total)
            z = draw_latent(size, self.latent_dim, self.latent, self.seed_generator)
            with tf.GradientTape() as tape:
                fake = self.generator(z, training=True)
                real_scores = self.critic(real, training=True)
                fake_scores = self.critic(fake, training=True)
                c_loss = tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores)
                if self.gp_weight > 0:
                    c_loss += self.gp_weight * self.gradient_penalty(real, fake)
            grads = tape.gradient(c_loss, self.critic.trainable_weights)
            self.c_optimizer.apply_gradients(zip(grads, self.critic.trainable_weights))
            if self.clip_value is not None:
                for weight in self.critic.trainable_weights:
                    weight.assign(tf.clip_by_value(weight, -self.clip_value, self.clip_value))
            self.c_loss_metric.update_state(c_loss)

        z = draw_latent(size, self.latent_dim, self.latent, self.seed_generator)
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.critic(self.generator(z, training=True), training=True))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.g_loss_metric.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


class PlainVAE(keras.Model):
    """The keras.io VAE's train_step on a Bernoulli decoder that outputs logits.

    Loss: the negative ELBO, Σ_pixels BCE(x, decoder(z)) + KL(q(z|x) ‖ N(0, I)), each averaged
    over the batch; z = μ + σ·ε. ``binarize`` redraws each batch as Bernoulli pixels first.
    """

    def __init__(self, encoder, decoder, *, binarize=False, seed=0):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.binarize = binarize
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.loss_metric = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_metric]

    def train_step(self, data):
        if self.binarize:
            data = tf.cast(keras.random.uniform(tf.shape(data), seed=self.seed_generator) < data, data.dtype)
        with tf.GradientTape() as tape:
            z_mean, z_log_var = self.encoder(data, training=True)
            epsilon = keras.random.normal(tf.shape(z_mean), seed=self.seed_generator)
            z = z_mean + tf.exp(0.5 * z_log_var) * epsilon
            logits = self.decoder(z, training=True)
            reconstruction_loss = tf.reduce_mean(tf.reduce_sum(
                keras.losses.binary_crossentropy(data, logits, from_logits=True), axis=(1, 2)))
            kl_loss = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
            kl_loss = tf.reduce_mean(tf.reduce_sum(kl_loss, axis=1))
            loss = reconstruction_loss + kl_loss
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.loss_metric.update_state(loss)
        return {m.name: m.result() for m in self.metrics}


class PlainAAE(keras.Model):
    """The adversarial autoencoder's three phases per batch (Makhzani et al. 2016).

    1. reconstruction: encoder and decoder on the mean per-pixel BCE;
    2. regularisation, discriminator: prior samples N(0, prior_std²) against the encoder's
       codes (encoder in inference mode);
    3. regularisation, generator: the encoder alone, to have its codes taken for prior samples.
    ``supervised`` puts the label's one-hot before the code at the decoder's input.
    """

    def __init__(self, encoder, decoder, discriminator, *, code_dim, prior_std, supervised, n_classes=10, seed=0):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.discriminator = discriminator
        self.code_dim = code_dim
        self.prior_std = prior_std
        self.supervised = supervised
        self.n_classes = n_classes
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.reconstruction_metric = keras.metrics.Mean(name="reconstruction_loss")
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.reg_loss_metric = keras.metrics.Mean(name="reg_loss")

    def compile(self, ae_optimizer, d_optimizer, reg_optimizer):
        super().compile()
        self.ae_optimizer = ae_optimizer
        self.d_optimizer = d_optimizer
        self.reg_optimizer = reg_optimizer

    @property
    def metrics(self):
        return [self.reconstruction_metric, self.d_loss_metric, self.reg_loss_metric]

    def train_step(self, data):
        images, labels = data
        batch_size = tf.shape(images)[0]
        flat = tf.reshape(images, (batch_size, -1))

        ae_weights = self.encoder.trainable_weights + self.decoder.trainable_weights
        with tf.GradientTape() as tape:
            z = self.encoder(images, training=True)
            if self.supervised:
                z = tf.concat([tf.one_hot(labels, self.n_classes), z], axis=-1)
            logits = tf.reshape(self.decoder(z, training=True), (batch_size, -1))
            reconstruction_loss = self.bce(flat, logits)
        grads = tape.gradient(reconstruction_loss, ae_weights)
        self.ae_optimizer.apply_gradients(zip(grads, ae_weights))

        codes = self.encoder(images, training=False)
        prior = keras.random.normal((batch_size, self.code_dim), stddev=self.prior_std, seed=self.seed_generator)
        with tf.GradientTape() as tape:
            prior_logits = self.discriminator(prior, training=True)
            code_logits = self.discriminator(codes, training=True)
            d_loss = (self.bce(tf.ones_like(prior_logits), prior_logits)
                      + self.bce(tf.zeros_like(code_logits), code_logits))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        with tf.GradientTape() as tape:
            code_logits = self.discriminator(self.encoder(images, training=True), training=False)
            reg_loss = self.bce(tf.ones_like(code_logits), code_logits)
        grads = tape.gradient(reg_loss, self.encoder.trainable_weights)
        self.reg_optimizer.apply_gradients(zip(grads, self.encoder.trainable_weights))

        self.reconstruction_metric.update_state(reconstruction_loss)
        self.d_loss_metric.update_state(d_loss)
        self.reg_loss_metric.update_state(reg_loss)
        return {m.name: m.result() for m in self.metrics}


class PlainCapsNet(keras.Model):
    """Sabour et al. 2017's loss: margin loss on the capsule lengths + weight × the decoder's SSE.

    In training the decoder sees only the true class's capsule (the others masked to 0).
    """

    def __init__(self, encoder, decoder, *, reconstruction_weight):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.reconstruction_weight = reconstruction_weight
        self.loss_metric = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_metric]

    def train_step(self, data):
        images, labels = data
        with tf.GradientTape() as tape:
            capsules = self.encoder(images, training=True)  # (batch, classes, dims)
            lengths = tf.sqrt(tf.reduce_sum(tf.square(capsules), axis=-1) + 1e-7)
            present = tf.one_hot(labels, tf.shape(lengths)[-1])
            margin = present * tf.square(tf.nn.relu(0.9 - lengths)) + 0.5 * (1.0 - present) * tf.square(
                tf.nn.relu(lengths - 0.1))
            margin_loss = tf.reduce_mean(tf.reduce_sum(margin, axis=-1))
            masked = tf.reshape(capsules * present[:, :, None], (tf.shape(images)[0], -1))
            reconstructions = self.decoder(masked, training=True)
            sse = tf.reduce_mean(tf.reduce_sum(tf.square(images - reconstructions), axis=[1, 2, 3]))
            loss = margin_loss + self.reconstruction_weight * sse
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.loss_metric.update_state(loss)
        return {m.name: m.result() for m in self.metrics}


def adam_or_sgd(section: dict, learning_rate_key: str = "learning_rate") -> keras.optimizers.Optimizer:
    """The optimizer the params entry describes: SGD with Nesterov momentum when it has
    ``momentum``, else Adam with its ``beta_1`` (and ``beta_2``) where given."""
    learning_rate = section[learning_rate_key]
    if "momentum" in section:
        return keras.optimizers.SGD(learning_rate, momentum=section["momentum"], nesterov=True)
    betas = {key: section[key] for key in ("beta_1", "beta_2") if key in section}
    return keras.optimizers.Adam(learning_rate, **betas)


def gan_optimizers(section: dict) -> tuple:
    """(discriminator/critic optimizer, generator optimizer) from the params entry."""
    if "d_learning_rate" in section:
        return adam_or_sgd(section, "d_learning_rate"), adam_or_sgd(section, "g_learning_rate")
    return adam_or_sgd(section), adam_or_sgd(section)


def to_rgb_at(resolution: int):
    """A per-batch map: grey images in [0, 1] → (resolution, resolution, 3) in [-1, 1]."""

    def prepare(images, labels):
        images = tf.image.resize(images, (resolution, resolution))
        if images.shape[-1] == 1:
            images = tf.image.grayscale_to_rgb(images)
        return images * 2.0 - 1.0, labels

    return prepare


def build_plain(family: str, section: dict, networks, seed: int):
    """The compiled plain model for ``family`` around ``networks`` (an untrained project model,
    used only for its layers), its batch size, and the per-batch preprocessing (or None)."""
    if family == "gan":
        d_optimizer, g_optimizer = gan_optimizers(section)
        common = {"latent_dim": networks.latent_dim, "latent": networks.latent,
                  "pixel_range": networks.pixel_range, "seed": seed}
        if "n_critic" in section:
            # WGAN-GP's entry has gp_weight, WGAN's clip_value.
            model = PlainWGAN(networks.generator, networks.discriminator, n_critic=section["n_critic"],
                              gp_weight=section.get("gp_weight", 0.0), clip_value=section.get("clip_value"), **common)
            model.compile(c_optimizer=d_optimizer, g_optimizer=g_optimizer)
            return model, section["batch_size"] * section["n_critic"], None
        model = PlainGAN(networks.generator, networks.discriminator, real_label=section.get("real_label", 1.0),
                         **common)
        model.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer)
        return model, section["batch_size"], None
    if family == "vae":
        model = PlainVAE(networks.encoder, networks.decoder, binarize=section["binarize"] == "dynamic", seed=seed)
        model.compile(optimizer=keras.optimizers.Adam(section["learning_rate"]))
        return model, section["batch_size"], None
    if family == "aae":
        model = PlainAAE(networks.encoder, networks.decoder, networks.discriminator, code_dim=section["code_dim"],
                         prior_std=section["prior_std"], supervised=section["supervised"], seed=seed)
        lr = section["learning_rate"]
        model.compile(ae_optimizer=keras.optimizers.Adam(lr), d_optimizer=keras.optimizers.Adam(lr),
                      reg_optimizer=keras.optimizers.Adam(lr * section["reg_lr_scale"]))
        return model, section["batch_size"], None
    if family == "capsnet":
        model = PlainCapsNet(networks.encoder, networks.decoder,
                             reconstruction_weight=section["reconstruction_weight"])
        model.compile(optimizer=keras.optimizers.Adam(section["learning_rate"]))
        return model, section["batch_size"], None
    if family == "classifier":
        networks.compile(optimizer=keras.optimizers.Adam(section["learning_rate"]),
                         loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        # MobileNetV2 takes its images enlarged to resolution² × 3 (its module's preprocess hook).
        preprocess = to_rgb_at(section["resolution"]) if "resolution" in section else None
        return networks, section["batch_size"], preprocess
    raise ValueError(f"no plain implementation for the {family!r} family")


def plain_epoch(model: keras.Model, x: np.ndarray, y: np.ndarray | None, batch_size: int, preprocess=None) -> dict:
    """One epoch of ``model.fit`` on the keras.io pipeline; returns the epoch's logs.

    ``verbose=2`` (one line per epoch), as the project's ``fit`` prints, so logging costs
    both sides the same; Keras' default progress bar would print every few steps.
    """
    history = model.fit(keras_io_dataset(x, y, batch_size, preprocess), epochs=1, verbose=2)
    return {name: float(values[-1]) for name, values in history.history.items()}


class MiniSomSide:
    """MiniSom's ``train`` on the same samples, grid, initial weights and (η, σ).

    ``use_epochs=True`` with one epoch is one shuffled pass, one update per sample, with η
    and σ constant over the pass, as the project's pass is.
    """

    def __init__(self, data: np.ndarray, rows: int, cols: int, initial: np.ndarray, rates: tuple, seed: int):
        from minisom import MiniSom

        self.data = data
        eta, sigma = rates
        self.som = MiniSom(rows, cols, data.shape[1], sigma=sigma, learning_rate=eta,
                           neighborhood_function="gaussian", random_seed=seed)
        self.som._weights = np.array(initial, dtype=np.float64).reshape(rows, cols, data.shape[1])

    def epoch(self) -> None:
        self.som.train(self.data, 1, random_order=True, use_epochs=True)

    def quantization_error(self, data: np.ndarray) -> float:
        return float(self.som.quantization_error(data))
