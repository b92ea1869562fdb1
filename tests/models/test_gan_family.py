"""The convolutional GANs and WGANs, parametrised over the registry: shapes, ranges, fit, learning, params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
import tensorflow as tf  # noqa: E402

from _gan_cases import CASES, fixed_batch  # noqa: E402
from genzoo.config import ParamsError, check_section  # noqa: E402
from genzoo.models import REGISTRY  # noqa: E402
from genzoo.families.gan.game import discriminator_loss, generate  # noqa: E402
from genzoo.families.gan.wasserstein import critic_loss  # noqa: E402

NAMES = sorted(CASES)


def _build(name):
    keras.utils.set_random_seed(0)
    shape, params = CASES[name]
    return REGISTRY[name].build(shape, params, seed=0), shape, params


def test_every_gan_module_is_registered_and_has_a_case():
    family = {n for n, m in REGISTRY.items() if m.FAMILY == "gan"}
    assert family - set(CASES) == {"gan_mlp"}  # tested in its own file
    assert set(CASES) <= family


@pytest.mark.parametrize("name", NAMES)
def test_generator_shape_and_range_and_critic_shape(name):
    model, shape, params = _build(name)
    images = generate(model.generator, 5, latent_dim=params["latent_dim"], latent="uniform",
                      pixel_range=model.pixel_range, seed=1)
    assert images.shape == (5, *shape)
    assert images.min() >= 0.0 and images.max() <= 1.0
    raw = model.generator(keras.random.uniform((5, params["latent_dim"]), -1, 1, seed=2))
    low, high = (-1.0, 1.0) if model.pixel_range == "tanh" else (0.0, 1.0)
    assert float(tf.reduce_min(raw)) >= low and float(tf.reduce_max(raw)) <= high
    assert model.discriminator(images).shape == (5, 1)


@pytest.mark.parametrize("name", NAMES)
def test_one_fit_step_gives_finite_losses(name):
    model, shape, params = _build(name)
    model.run_eagerly = True  # one step: tracing the graph would cost more than the step
    history = model.fit(fixed_batch(shape, 16), batch_size=16, epochs=1, verbose=0)
    assert history.history
    for key, values in history.history.items():
        assert np.isfinite(values[-1]), key


@pytest.mark.parametrize("name", NAMES)
def test_discriminator_loss_falls_on_a_fixed_batch(name):
    """D (or the critic) alone, against a frozen generator, with a fast optimizer."""
    model, shape, params = _build(name)
    real = fixed_batch(shape, 16)
    real = real * 2 - 1 if model.pixel_range == "tanh" else real
    fake = model.generator(keras.random.uniform((16, params["latent_dim"]), -1, 1, seed=3), training=False)
    loss_of = critic_loss if name.startswith("wgan") else discriminator_loss
    d = model.discriminator
    optimizer = keras.optimizers.Adam(1e-3)
    losses = []
    for _ in range(15):
        with tf.GradientTape() as tape:
            loss = loss_of(d(real, training=True), d(fake, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, d.trainable_weights), d.trainable_weights))
        losses.append(float(loss))
    assert losses[-1] < losses[0] - 0.05


@pytest.mark.parametrize("name", NAMES)
def test_laptop_profile_passes_the_schema(name):
    import yaml

    section = yaml.safe_load(open("params.yaml"))["models"][name]
    check_section(f"models.{name}", {k: v for k, v in section.items() if k not in ("dataset", "family")},
                  REGISTRY[name].PARAMS)


@pytest.mark.parametrize("name", NAMES)
def test_a_bad_param_names_its_key(name):
    _, params = CASES[name]
    with pytest.raises(ParamsError, match=f"models.{name}.batch_size"):
        check_section(f"models.{name}", params | {"batch_size": 0}, REGISTRY[name].PARAMS)
    with pytest.raises(ParamsError, match=f"models.{name}.latent.*'uniform', 'normal'"):
        check_section(f"models.{name}", params | {"latent": "gaussian"}, REGISTRY[name].PARAMS)


@pytest.mark.parametrize("name", ["dcgan_faces", "wgan", "wgan_gp"])
def test_a_64_pixel_model_on_other_sizes_says_which_key_to_set(name):
    _, params = CASES[name]
    with pytest.raises(ValueError, match="64×64.*image_size"):
        REGISTRY[name].build((28, 28, 1), params, seed=0)
