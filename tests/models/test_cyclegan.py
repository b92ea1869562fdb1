"""The cyclegan module: shapes and ranges, one finite fit step, D's loss falls, bad params."""

import numpy as np
import pytest

from genzoo.config import model_schema
from genzoo.models import REGISTRY
from genzoo.schema import ParamsError, check_section

from ._entries import entry

TINY = {
    "epochs": 1, "batch_size": 4, "max_train": None, "width": 2, "n_blocks": 1, "d_width": 2, "d_layers": 2,
    "learning_rate": 2e-4, "beta_1": 0.5, "cycle_weight": 10.0, "identity_weight": 0.5, "buffer_size": 50,
    "grid_every": 1,
}


def build(shape=(28, 28, 1), **changes):
    import keras

    keras.utils.set_random_seed(0)
    return REGISTRY["cyclegan"].build(shape, None, TINY | changes, 0)


def digits_like(n, seed):
    """Bright strokes on black, in [-1, 1]: a fixed, learnable batch of one domain."""
    images = -np.ones((n, 28, 28, 1), "float32")
    for image, row in zip(images, np.random.default_rng(seed).integers(6, 20, n)):
        image[row : row + 3, 8:20] = 1.0
    return images


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3)])
def test_generators_keep_the_shape_in_tanh_range_and_discriminators_score_patches(shape):
    import keras

    model = build(shape)
    x = keras.random.uniform((3, *shape), -1, 1, seed=1)
    for generator in (model.g, model.f):
        y = np.asarray(generator(x))
        assert y.shape == (3, *shape)
        assert y.min() >= -1.0 and y.max() <= 1.0
    # Two stride-2 convs: a 28×28 image gets 7×7 patch scores.
    assert model.d_a(x).shape == (3, shape[0] // 4, shape[1] // 4, 1)


def test_the_paper_patchgan_sees_70_by_70_patches():
    from genzoo.families.cyclegan.nets import patch_discriminator

    d = patch_discriminator((256, 256, 3), 64, 3, name="d")
    # C64-C128-C256 stride 2, C512 and the output stride 1: 256/8 = 32 patches a side.
    assert d.output_shape == (None, 32, 32, 1)
    assert [layer.filters for layer in d.layers if hasattr(layer, "filters")] == [64, 128, 256, 512, 1]


def test_one_fit_step_gives_finite_losses():
    model = build()
    logs = model.train_step((digits_like(4, 0), digits_like(4, 1)))
    assert set(logs) == {"g_adv", "f_adv", "cycle_a", "cycle_b", "identity", "d_a_loss", "d_b_loss"}
    for name, value in logs.items():
        assert np.isfinite(float(value)), name


def test_a_compiled_fit_runs_on_unpaired_batches():
    from genzoo.families.cyclegan.pipeline import unpaired_batches

    model = build()
    data = unpaired_batches((digits_like(6, 0) + 1) / 2, (digits_like(10, 1) + 1) / 2, 4, 0)
    history = model.fit(data, epochs=1, steps_per_epoch=2, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())


def test_the_discriminator_loss_falls_on_a_fixed_batch():
    import keras
    import tensorflow as tf

    from genzoo.families.cyclegan.model import lsgan_discriminator_loss

    model = build()
    real_b, a = digits_like(8, 1), digits_like(8, 0)
    fake_b = model.g(a, training=False)
    d, optimizer, losses = model.d_b, keras.optimizers.Adam(1e-3), []
    for _ in range(15):
        with tf.GradientTape() as tape:
            loss = lsgan_discriminator_loss(d(real_b, training=True), d(fake_b, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, d.trainable_weights), d.trainable_weights))
        losses.append(float(loss))
    assert losses[-1] < losses[0] - 0.05


def test_the_cycle_loss_falls_on_a_tiny_batch():
    model = build(identity_weight=0.0)
    a, b = digits_like(4, 0), digits_like(4, 1)
    first = float(model.train_step((a, b))["cycle_a"])
    for _ in range(15):
        last = float(model.train_step((a, b))["cycle_a"])
    assert last < first


def test_a_saved_generator_loads_in_safe_mode(tmp_path):
    import keras

    model = build()
    model.g.save(tmp_path / "g.keras")
    loaded = keras.models.load_model(tmp_path / "g.keras")
    x = digits_like(2, 3)
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model.g(x)), atol=1e-6)


def check(params, dataset="uci_to_mnist"):
    schema = model_schema("cyclegan", {"mnist": {}, "uci_digits": {}}, {"uci_to_mnist": {}})
    check_section("models.cyclegan", entry("cyclegan", params, dataset), schema)


def test_the_tiny_case_is_a_valid_entry_and_bad_params_name_their_key():
    check(TINY)
    with pytest.raises(ParamsError, match=r"^models\.cyclegan\.width is 0"):
        check(TINY | {"width": 0})
    with pytest.raises(ParamsError, match=r"^models\.cyclegan\.beta_1 is 1\.0"):
        check(TINY | {"beta_1": 1.0})
    # A translation model trains on a pair, not on one dataset.
    with pytest.raises(ParamsError, match=r"^models\.cyclegan\.dataset is 'mnist'; allowed values: 'uci_to_mnist'$"):
        check(TINY, dataset="mnist")


def test_image_sides_not_divisible_by_four_are_refused():
    with pytest.raises(ValueError, match="divisible by 4"):
        build((30, 30, 1))
