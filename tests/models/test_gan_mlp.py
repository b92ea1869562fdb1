"""gan_mlp: shapes and ranges, one fit step, D's loss falls, determinism, bad params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.gan.game import discriminator_loss, generate  # noqa: E402
from genzoo.models import gan_mlp  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._entries import check_entry  # noqa: E402

PARAMS = {
    "epochs": 1,
    "batch_size": 16,
    "latent_dim": 100,
    "latent": "uniform",
    "hidden": 128,
    "d_learning_rate": 5e-4,
    "g_learning_rate": 6e-4,
    "beta_1": 0.9,
    "real_label": 1.0,
    "grid_every": 1,
}
SHAPE = (28, 28, 1)


@pytest.fixture
def batch():
    """A fixed batch of digit-like images: dark background, a bright stroke at random rows."""
    rng = np.random.default_rng(0)
    images = np.zeros((32, *SHAPE), "float32")
    for image, row in zip(images, rng.integers(6, 20, 32)):
        image[row : row + 3, 6:22] = 1.0
    return images


def test_generator_shape_and_range():
    keras.utils.set_random_seed(0)
    model = gan_mlp.build(SHAPE, None, PARAMS, seed=0)
    images = generate(model.generator, 10, latent_dim=100, latent="uniform", pixel_range="sigmoid", seed=1)
    assert images.shape == (10, *SHAPE)
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert model.discriminator(images).shape == (10, 1)


def test_one_fit_step_gives_finite_losses(batch):
    keras.utils.set_random_seed(0)
    model = gan_mlp.build(SHAPE, None, PARAMS, seed=0)
    history = model.fit(batch, batch_size=16, epochs=1, verbose=0)
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[name][-1]), name


def test_discriminator_loss_falls_on_a_fixed_batch(batch):
    """D alone, against a frozen generator: its loss must fall within a few steps."""
    keras.utils.set_random_seed(0)
    model = gan_mlp.build(SHAPE, None, PARAMS, seed=0)
    z = keras.random.uniform((32, 100), -1, 1, seed=3)
    fake = model.generator(z)
    optimizer = keras.optimizers.Adam(1e-3)
    import tensorflow as tf

    losses = []
    for _ in range(20):
        with tf.GradientTape() as tape:
            loss = discriminator_loss(model.discriminator(batch, training=True), model.discriminator(fake, training=True))
        grads = tape.gradient(loss, model.discriminator.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.discriminator.trainable_weights))
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0]


def test_same_seed_same_weights(batch):
    weights = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        model = gan_mlp.build(SHAPE, None, PARAMS, seed=7)
        model.fit(batch, batch_size=16, epochs=1, verbose=0, shuffle=False)
        weights.append([w.copy() for w in model.generator.get_weights()])
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


def test_bad_latent_is_a_params_error():
    with pytest.raises(ParamsError, match="models.gan_mlp.latent.*'uniform', 'normal'"):
        check_entry("gan_mlp", PARAMS | {"latent": "gaussian"})
    with pytest.raises(ParamsError, match=r"^models\.gan_mlp\.real_label is 1\.5; it must be int or float \(>= 0\.5, <= 1\.0\)$"):
        check_entry("gan_mlp", PARAMS | {"real_label": 1.5})


def test_the_tiny_params_are_a_valid_entry():
    check_entry("gan_mlp", PARAMS)
