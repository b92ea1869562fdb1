"""Tiny params for every convolutional adversarial model, and the tests each of them passes.

A model's test file subclasses ``GanContract`` with its ``NAME`` (a key of ``CASES``), so the
checks are written once and every module still has its own file.
"""

import numpy as np
import pytest

from genzoo.models import REGISTRY
from genzoo.schema import ParamsError

from ._entries import check_entry

_TRAINING = {"epochs": 1, "batch_size": 8, "max_train": None, "grid_every": 1, "latent": "uniform"}
_WASSERSTEIN = {"image_size": None, "width": 2, "latent_dim": 8, "n_critic": 2, "beta_1": 0.5, "beta_2": 0.9}

CASES = {
    "dcgan": ((28, 28, 1), _TRAINING | {
        "latent_dim": 100, "d_learning_rate": 2e-4, "g_learning_rate": 2e-4, "beta_1": 0.5,
        "dropout": 0.4, "real_label": 1.0,
    }),
    "dcgan_upsample": ((28, 28, 1), _TRAINING | {"latent_dim": 100, "learning_rate": 5e-4, "momentum": 0.9}),
    "dcgan_faces": ((64, 64, 1), _TRAINING | {
        "architecture": "dcgan64", "latent_dim": 16, "width": 2,
        "d_learning_rate": 1e-4, "g_learning_rate": 5e-4, "beta_1": 0.5, "real_label": 0.9,
    }),
    "wgan": ((64, 64, 1), _TRAINING | _WASSERSTEIN | {"clip_value": 0.01, "learning_rate": 5e-5}),
    "wgan_gp": ((64, 64, 1), _TRAINING | _WASSERSTEIN | {"gp_weight": 10.0, "learning_rate": 1e-4, "beta_1": 0.0}),
}


def fixed_batch(shape, n=16, seed=0):
    """Dark images with a bright bar at a random row: a learnable, fixed 'dataset'."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, *shape), "float32")
    h, w = shape[:2]
    for image, row in zip(images, rng.integers(h // 4, 3 * h // 4, n)):
        image[row : row + max(2, h // 10), w // 5 : 4 * w // 5] = 1.0
    return images


def build(name, **changes):
    """``name``'s model from its tiny case, seeded; returns (model, image shape, params)."""
    import keras

    keras.utils.set_random_seed(0)
    shape, params = CASES[name]
    params = params | changes
    return REGISTRY[name].build(shape, None, params, 0), shape, params


class GanContract:
    """Shapes and ranges, one finite fit step, D's loss falls, bad params, other sizes refused.

    Subclasses set ``NAME`` (a key of ``CASES``) and ``SIZE_HINT`` (what the error on an
    image size the networks cannot take must say).
    """

    NAME: str
    SIZE_HINT: str

    def test_generator_shape_and_range_and_critic_shape(self):
        import keras
        import tensorflow as tf

        from genzoo.families.gan.game import generate

        model, shape, params = build(self.NAME)
        images = generate(model.generator, 5, latent_dim=params["latent_dim"], latent="uniform",
                          pixel_range=model.pixel_range, seed=1)
        assert images.shape == (5, *shape)
        assert images.min() >= 0.0 and images.max() <= 1.0
        raw = model.generator(keras.random.uniform((5, params["latent_dim"]), -1, 1, seed=2))
        low, high = (-1.0, 1.0) if model.pixel_range == "tanh" else (0.0, 1.0)
        assert float(tf.reduce_min(raw)) >= low and float(tf.reduce_max(raw)) <= high
        assert model.discriminator(images).shape == (5, 1)

    def test_one_fit_step_gives_finite_losses(self):
        model, shape, _ = build(self.NAME)
        model.run_eagerly = True  # one step: tracing the graph would cost more than the step
        history = model.fit(fixed_batch(shape, 16), batch_size=16, epochs=1, verbose=0)
        assert history.history
        for key, values in history.history.items():
            assert np.isfinite(values[-1]), key

    def test_discriminator_loss_falls_on_a_fixed_batch(self):
        """D (or the critic) alone, against a frozen generator, with a fast optimizer."""
        import keras
        import tensorflow as tf

        from genzoo.families.gan.game import discriminator_loss
        from genzoo.families.gan.wasserstein import critic_loss

        model, shape, params = build(self.NAME)
        real = fixed_batch(shape, 16)
        real = real * 2 - 1 if model.pixel_range == "tanh" else real
        fake = model.generator(keras.random.uniform((16, params["latent_dim"]), -1, 1, seed=3), training=False)
        loss_of = critic_loss if self.NAME.startswith("wgan") else discriminator_loss
        d = model.discriminator
        optimizer = keras.optimizers.Adam(1e-3)
        losses = []
        for _ in range(15):
            with tf.GradientTape() as tape:
                loss = loss_of(d(real, training=True), d(fake, training=True))
            optimizer.apply_gradients(zip(tape.gradient(loss, d.trainable_weights), d.trainable_weights))
            losses.append(float(loss))
        assert losses[-1] < losses[0] - 0.05

    def test_the_tiny_case_is_a_valid_entry(self):
        check_entry(self.NAME, CASES[self.NAME][1])

    def test_a_bad_param_names_its_key(self):
        _, params = CASES[self.NAME]
        name = self.NAME
        with pytest.raises(ParamsError, match=rf"^models\.{name}\.batch_size is 0; it must be int \(>= 1\)$"):
            check_entry(name, params | {"batch_size": 0})
        with pytest.raises(ParamsError, match=f"models.{name}.latent.*'uniform', 'normal'"):
            check_entry(name, params | {"latent": "gaussian"})
        with pytest.raises(ParamsError, match=rf"^models\.{name}\.family is 'vae'; allowed values: 'gan'$"):
            check_entry(name, params | {"family": "vae"})

    def test_other_image_sizes_are_refused_with_the_fix(self):
        shape, params = CASES[self.NAME]
        wrong = (28, 28, 1) if shape[0] == 64 else (64, 64, 1)
        with pytest.raises(ValueError, match=self.SIZE_HINT):
            REGISTRY[self.NAME].build(wrong, None, params, 0)
