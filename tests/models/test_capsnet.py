"""capsnet: the paper's network from params: shapes and ranges, one fit step, the loss falls, bad params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.models import capsnet  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._entries import check_entry  # noqa: E402

PARAMS = {
    "epochs": 2,
    "batch_size": 8,
    "routing_iterations": 3,
    "learning_rate": 0.001,
    "reconstruction_weight": 0.0005,
    "max_train": None,
    "conv_filters": 16,  # narrow, so the tests build fast; the paper's 256
    "primary_maps": 4,   # the paper's 32
    "shift": 2,
}
SHAPE = (28, 28, 1)


@pytest.fixture
def batch():
    """8 fixed digit-like images of 4 classes, class k a bright bar at its own height."""
    labels = np.arange(8) % 4
    images = np.zeros((8, *SHAPE), "float32")
    for image, k in zip(images, labels):
        image[2 + 5 * k : 5 + 5 * k, 4:24] = 1.0
    return images, labels


def _build(n_classes=4, **changes):
    keras.utils.set_random_seed(0)
    return capsnet.build(SHAPE, n_classes, PARAMS | changes, seed=0)


def test_outputs_one_capsule_per_class_and_reconstructions_in_range(batch):
    model = _build()
    out = model(batch[0][:3])
    assert tuple(out["capsules"].shape) == (3, 4, 16)
    lengths = keras.ops.convert_to_numpy(out["lengths"])
    assert lengths.shape == (3, 4) and (lengths >= 0).all() and (lengths < 1).all()
    recon = keras.ops.convert_to_numpy(out["reconstructions"])
    assert recon.shape == (3, *SHAPE) and recon.min() >= 0.0 and recon.max() <= 1.0


def test_params_reach_the_network():
    model = _build(routing_iterations=2, reconstruction_weight=0.01, learning_rate=0.002)
    assert model.encoder.get_layer("digit_caps").routing_iterations == 2
    assert model.reconstruction_weight == 0.01
    assert float(model.optimizer.learning_rate) == pytest.approx(0.002)


def test_the_width_params_size_conv1_and_the_primary_capsules():
    model = _build(conv_filters=12, primary_maps=3)
    assert model.encoder.get_layer("conv1").filters == 12
    # 28×28 → conv 9×9 → 20×20 → primary 9×9 stride 2 → 6×6 positions × 3 maps of 8-D capsules.
    assert tuple(model.encoder.get_layer("primary_caps").output.shape) == (None, 6 * 6 * 3, 8)


def test_one_fit_step_is_finite(batch):
    history = _build().fit(*batch, batch_size=8, epochs=1, verbose=0)
    for name in ("loss", "margin_loss", "reconstruction_loss", "accuracy"):
        assert np.isfinite(history.history[name][-1]), name


def test_margin_loss_falls_on_a_fixed_batch(batch):
    history = _build().fit(*batch, batch_size=8, epochs=6, verbose=0, shuffle=False)
    losses = history.history["margin_loss"]
    assert losses[-1] < 0.5 * losses[0], losses


def test_the_tiny_params_are_a_valid_entry():
    check_entry("capsnet", PARAMS)


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("routing_iterations", 0, ">= 1"),
        ("epochs", 1.5, "int"),
        ("max_train", 0, ">= 1"),
        ("learning_rate", "fast", "int or float"),
        ("shift", -1, ">= 0"),
        ("shift", 1.5, "int"),
        ("conv_filters", 0, ">= 1"),
        ("primary_maps", "wide", "int"),
    ],
)
def test_bad_params_name_the_key(key, value, message):
    with pytest.raises(ParamsError, match=f"models.capsnet.{key}.*{message}"):
        check_entry("capsnet", PARAMS | {key: value})
