"""gan_mlp: shapes and ranges, one fit step, D's loss falls, determinism, bad params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.config import ParamsError, check_section  # noqa: E402
from genzoo.models import REGISTRY, gan_mlp, get  # noqa: E402
from genzoo.families.gan.game import discriminator_loss, generate, generator_loss  # noqa: E402

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
    model = gan_mlp.build(SHAPE, PARAMS, seed=0)
    images = generate(model.generator, 10, latent_dim=100, latent="uniform", pixel_range="sigmoid", seed=1)
    assert images.shape == (10, *SHAPE)
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert model.discriminator(images).shape == (10, 1)


def test_one_fit_step_gives_finite_losses(batch):
    keras.utils.set_random_seed(0)
    model = gan_mlp.build(SHAPE, PARAMS, seed=0)
    history = model.fit(batch, batch_size=16, epochs=1, verbose=0)
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[name][-1]), name


def test_discriminator_loss_falls_on_a_fixed_batch(batch):
    """D alone, against a frozen generator: its loss must fall within a few steps."""
    keras.utils.set_random_seed(0)
    model = gan_mlp.build(SHAPE, PARAMS, seed=0)
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


def test_losses_match_hand_computation():
    # logits 0 → p = 0.5 → BCE = ln 2 for each term.
    zero = np.zeros((4, 1), "float32")
    assert float(discriminator_loss(zero, zero)) == pytest.approx(2 * np.log(2), rel=1e-5)
    assert float(generator_loss(zero)) == pytest.approx(np.log(2), rel=1e-5)
    # smoothing 0.9, real logit 0: -0.9 ln .5 - 0.1 ln .5 is still ln 2; use logit 2 instead.
    two = np.full((1, 1), 2.0, "float32")
    p = 1 / (1 + np.exp(-2.0))
    expected = -(0.9 * np.log(p) + 0.1 * np.log(1 - p)) + np.log(2)
    assert float(discriminator_loss(two, np.zeros((1, 1), "float32"), 0.9)) == pytest.approx(expected, rel=1e-5)


def test_same_seed_same_weights(batch):
    weights = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        model = gan_mlp.build(SHAPE, PARAMS, seed=7)
        model.fit(batch, batch_size=16, epochs=1, verbose=0, shuffle=False)
        weights.append([w.copy() for w in model.generator.get_weights()])
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


def test_unknown_model_lists_valid_names():
    with pytest.raises(ValueError, match="gan_mlp"):
        get("gan_mpl")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_registry_params_schema_accepts_the_laptop_profile(name):
    import yaml

    sections = yaml.safe_load(open("params.yaml"))
    # The fanned-out models (vae, aae) live under autoencoders:, the rest under models:.
    params = sections["models"].get(name) or sections["autoencoders"][name]
    params = {k: v for k, v in params.items() if k not in ("family", "dataset")}
    check_section(f"models.{name}", params, REGISTRY[name].PARAMS)


def test_bad_latent_is_a_params_error():
    with pytest.raises(ParamsError, match="models.gan_mlp.latent.*'uniform', 'normal'"):
        check_section("models.gan_mlp", PARAMS | {"latent": "gaussian"}, gan_mlp.PARAMS)
