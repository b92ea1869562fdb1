"""The adversarial game: its losses by hand, latent codes, pixel ranges, sampling, bad settings."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.gan.game import (  # noqa: E402
    GAN,
    discriminator_loss,
    generate,
    generator_loss,
    sample_latent,
    to_model_range,
    to_unit_range,
)


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


def test_uniform_and_normal_codes():
    seed = keras.random.SeedGenerator(0)
    uniform = np.asarray(sample_latent(2000, 3, "uniform", seed))
    assert uniform.shape == (2000, 3) and uniform.min() >= -1.0 and uniform.max() <= 1.0
    assert abs(uniform.mean()) < 0.05 and uniform.var() == pytest.approx(1 / 3, rel=0.1)
    normal = np.asarray(sample_latent(2000, 3, "normal", seed))
    assert abs(normal.mean()) < 0.1 and normal.std() == pytest.approx(1.0, rel=0.1) and np.abs(normal).max() > 1.0
    with pytest.raises(ValueError, match="latent is 'gaussian'; allowed values: uniform, normal"):
        sample_latent(2, 3, "gaussian", seed)


def test_pixel_ranges_round_trip():
    x = np.array([0.0, 0.25, 1.0], "float32")
    np.testing.assert_allclose(np.asarray(to_model_range(x, "tanh")), [-1.0, -0.5, 1.0])
    np.testing.assert_allclose(np.asarray(to_model_range(x, "sigmoid")), x)
    for pixel_range in ("tanh", "sigmoid"):
        np.testing.assert_allclose(np.asarray(to_unit_range(to_model_range(x, pixel_range), pixel_range)), x, atol=1e-7)


def _tiny_generator(latent_dim=3):
    keras.utils.set_random_seed(0)
    z = keras.Input((latent_dim,))
    x = keras.layers.Dense(4, activation="tanh")(z)
    return keras.Model(z, keras.layers.Reshape((2, 2, 1))(x))


def test_generate_is_seeded_batched_and_in_the_unit_range():
    generator = _tiny_generator()
    settings = {"latent_dim": 3, "latent": "uniform", "pixel_range": "tanh"}
    a = generate(generator, 7, seed=1, **settings)
    assert a.shape == (7, 2, 2, 1) and a.dtype == np.float32 and a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(a, generate(generator, 7, seed=1, **settings))
    assert not np.array_equal(a, generate(generator, 7, seed=2, **settings))
    assert generate(generator, 7, seed=1, batch_size=3, **settings).shape == (7, 2, 2, 1)


def test_bad_game_settings_are_rejected():
    g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="latent is 'gaussian'; allowed values: uniform, normal"):
        GAN(g, g, latent_dim=2, latent="gaussian")
    with pytest.raises(ValueError, match="pixel_range is 'relu'; allowed values: sigmoid, tanh"):
        GAN(g, g, latent_dim=2, pixel_range="relu")


def test_one_gan_step_updates_each_player_once():
    generator = _tiny_generator(latent_dim=3)
    image = keras.Input((2, 2, 1))
    discriminator = keras.Model(image, keras.layers.Dense(1)(keras.layers.Flatten()(image)))
    model = GAN(generator, discriminator, latent_dim=3, pixel_range="tanh", real_label=0.9)
    model.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    history = model.fit(np.full((4, 2, 2, 1), 0.5, "float32"), batch_size=4, epochs=1, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert int(model.d_optimizer.iterations) == 1 and int(model.g_optimizer.iterations) == 1
    assert 0.0 < history.history["d_real"][0] < 1.0
