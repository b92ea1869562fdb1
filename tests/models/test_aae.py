"""aae: shapes, losses by hand, the discriminator learns alone, fitting, the style grid, bad params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.config import ParamsError, check_section  # noqa: E402
from genzoo.families.aae.figures import style_codes, style_grid  # noqa: E402
from genzoo.families.aae.model import discriminator_loss, pixel_bce, regularization_loss  # noqa: E402
from genzoo.families.aae.pipeline import code_purity  # noqa: E402
from genzoo.models import aae  # noqa: E402

SHAPE = (28, 28, 1)
PARAMS = {"family": "aae", "dataset": "mnist", "epochs": 1, "batch_size": 8, "code_dim": 10, "hidden": 32,
          "disc_hidden": 32, "dropout": 0.2, "prior_std": 5.0, "learning_rate": 1e-3, "reg_lr_scale": 0.1,
          "projection": "pca"}


@pytest.fixture
def data():
    """Fixed digit-like images (a bar at a row given by the label) and their labels."""
    labels = np.arange(20) % 10
    images = np.zeros((20, *SHAPE), "float32")
    for image, label in zip(images, labels):
        image[4 + 2 * label : 7 + 2 * label, 6:22] = 1.0
    return images, labels.astype("int32")


@pytest.mark.parametrize("supervised", [False, True])
def test_shapes_and_range(data, supervised):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, PARAMS | {"supervised": supervised}, seed=0)
    assert model.encoder(x).shape == (20, 10)
    assert model.decoder.input_shape == (None, 20 if supervised else 10)
    assert model.discriminator(model.encoder(x)).shape == (20, 1)
    out = np.asarray(model((x, y)))
    assert out.shape == (20, *SHAPE) and out.min() >= 0.0 and out.max() <= 1.0


def test_losses_match_hand_computation():
    zero = np.zeros((4, 1), "float32")
    assert float(discriminator_loss(zero, zero)) == pytest.approx(2 * np.log(2), rel=1e-6)
    assert float(regularization_loss(zero)) == pytest.approx(np.log(2), rel=1e-6)
    x = np.array([[1.0, 0.0, 0.5]], "float32")
    logits = np.array([[0.0, 2.0, -1.0]], "float32")
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = -(x * np.log(p) + (1 - x) * np.log(1 - p)).mean()
    assert float(pixel_bce(x, logits)) == pytest.approx(expected, rel=1e-5)


def test_discriminator_loss_falls_against_a_frozen_encoder(data):
    x, _ = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, PARAMS | {"supervised": False, "disc_hidden": 128}, seed=0)
    encoder_before = [w.copy() for w in model.encoder.get_weights()]
    losses = [float(model.discriminator_step(x)) for _ in range(60)]
    assert losses[-1] < 0.5 * losses[0]
    for a, b in zip(encoder_before, model.encoder.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("supervised", [False, True])
def test_one_fit_step_is_finite_and_reconstruction_falls(data, supervised):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, PARAMS | {"supervised": supervised}, seed=0)
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # 20 = 8 + 8 + 4: a short last batch
    for name in ("reconstruction_loss", "d_loss", "reg_loss"):
        assert np.isfinite(history.history[name][-1]), name
    history = model.fit(x, y, batch_size=20, epochs=40, verbose=0, shuffle=False)
    losses = history.history["reconstruction_loss"]
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.parametrize("supervised", [False, True])
def test_style_grid_has_ten_digits_and_two_sweeps(data, supervised):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, PARAMS | {"supervised": supervised}, seed=0)
    codes = np.asarray(model.encoder(x))
    z = style_codes(codes, y, supervised, steps=5)
    assert z.shape == (100, 10)
    picture = style_grid(model.decoder, codes, y, supervised, steps=5)
    assert picture.shape == (10 * 30 + 2, 10 * 30 + 2, 1)  # 28-pixel tiles with 2-pixel gaps


def test_code_purity_of_separated_clusters_is_one():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 20)
    codes = np.eye(10)[labels] * 50 + rng.normal(0, 0.1, (200, 10))
    assert code_purity(codes, labels, seed=0) == 1.0


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("variants", ["semi"], r"variants\[0\].*'unsupervised', 'supervised'"),
        ("variants", ["supervised", "supervised"], "variants"),
        ("dropout", 1.0, "dropout"),
    ],
)
def test_bad_params_name_the_key(key, value, message):
    section = {k: v for k, v in PARAMS.items() if k not in ("family", "dataset")}
    section |= {"variants": ["unsupervised", "supervised"], key: value}
    with pytest.raises(ParamsError, match=f"autoencoders.aae.{message}"):
        check_section("autoencoders.aae", section, aae.PARAMS)
