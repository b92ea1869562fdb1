"""The Wasserstein game: losses by hand, clipping, the gradient penalty, n_critic slicing."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
import tensorflow as tf  # noqa: E402

from genzoo.families.gan.wasserstein import (  # noqa: E402
    WGAN, clip_weights, critic_loss, gradient_penalty, wasserstein_generator_loss,
)
from genzoo.models import REGISTRY  # noqa: E402

from models._gan_cases import CASES, fixed_batch  # noqa: E402


def test_losses_match_hand_computation():
    real = np.array([[1.0], [3.0]], "float32")  # mean 2
    fake = np.array([[-1.0], [0.0]], "float32")  # mean -0.5
    assert float(critic_loss(real, fake)) == pytest.approx(-2.5)
    assert float(wasserstein_generator_loss(fake)) == pytest.approx(0.5)


def _linear_critic(shape, scale):
    """C(x) = scale · <w, x> with ‖w‖ = 1: gradient norm |scale| everywhere."""
    image = keras.Input(shape)
    dense = keras.layers.Dense(1, use_bias=False)
    critic = keras.Model(image, dense(keras.layers.Flatten()(image)))
    w = np.random.default_rng(0).normal(size=(int(np.prod(shape)), 1)).astype("float32")
    dense.set_weights([scale * w / np.linalg.norm(w)])
    return critic


def test_penalty_is_zero_for_a_unit_gradient_critic_and_positive_otherwise():
    shape = (8, 8, 1)
    real, fake = fixed_batch(shape, 6, seed=1), fixed_batch(shape, 6, seed=2) * 0.3
    seed = keras.random.SeedGenerator(0)
    assert float(gradient_penalty(_linear_critic(shape, 1.0), real, fake, seed)) == pytest.approx(0.0, abs=1e-6)
    # ‖∇C‖ = 3 everywhere → (3 − 1)² = 4.
    assert float(gradient_penalty(_linear_critic(shape, 3.0), real, fake, seed)) == pytest.approx(4.0, rel=1e-4)


def test_clip_weights_bounds_every_trainable_weight():
    critic = _linear_critic((4, 4, 1), 5.0)
    clip_weights(critic, 0.01)
    assert max(float(np.abs(w).max()) for w in critic.get_weights()) <= 0.01


def test_after_a_wgan_step_every_critic_weight_lies_within_the_clip():
    keras.utils.set_random_seed(0)
    shape, params = CASES["wgan"]
    model = REGISTRY["wgan"].build(shape, None, params, seed=0)
    model.fit(fixed_batch(shape, 8), batch_size=8, epochs=1, verbose=0)
    for weight in model.critic.trainable_weights:
        assert float(tf.reduce_max(tf.abs(weight))) <= params["clip_value"] + 1e-7, weight.path


def test_short_batches_still_give_n_critic_finite_steps():
    """5 images for 3 critic steps: slices of 2 wrap round instead of leaving a step empty."""
    keras.utils.set_random_seed(0)
    shape, params = CASES["wgan_gp"]
    model = REGISTRY["wgan_gp"].build(shape, None, params | {"n_critic": 3}, seed=0)
    history = model.fit(fixed_batch(shape, 5), batch_size=5, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(model.d_optimizer.iterations) == 3 and int(model.g_optimizer.iterations) == 1


def test_bad_game_settings_are_rejected():
    g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="n_critic"):
        WGAN(g, g, latent_dim=2, n_critic=0)
    with pytest.raises(ValueError, match="latent.*uniform"):
        WGAN(g, g, latent_dim=2, latent="gaussian")
