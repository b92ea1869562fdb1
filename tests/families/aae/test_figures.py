"""The AAE's pictures: the style grid's codes and layout, and seeded prior samples."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.aae.figures import prior_samples, style_codes, style_dims, style_grid  # noqa: E402
from genzoo.models import aae  # noqa: E402

from models._autoencoder_cases import AAE_PARAMS as PARAMS  # noqa: E402
from models._autoencoder_cases import SHAPE, labelled_bars  # noqa: E402


@pytest.fixture
def data():
    return labelled_bars()


@pytest.mark.parametrize("supervised", [False, True])
def test_style_grid_has_ten_digits_and_two_sweeps(data, supervised):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS | {"supervised": supervised}, seed=0)
    codes = np.asarray(model.encoder(x))
    z = style_codes(codes, y, supervised, steps=5)
    assert z.shape == (100, 10)
    picture = style_grid(model.decoder, codes, y, supervised, steps=5)
    assert picture.shape == (10 * 30 + 2, 10 * 30 + 2, 1)  # 28-pixel tiles with 2-pixel gaps


def test_style_codes_sweep_the_two_widest_dimensions_by_hand():
    codes = np.zeros((20, 4), "float32")
    labels = np.arange(20) % 10
    codes[:, 2] = np.arange(20) * 3.0  # widest
    codes[:, 0] = np.arange(20) * 1.0  # second
    codes[:, 3] = labels  # class-dependent, narrower
    assert style_dims(codes) == (2, 0)
    z = style_codes(codes, labels, supervised=True, steps=3).reshape(2, 3, 10, 4)
    mean, spread = codes.mean(axis=0), codes.std(axis=0)
    # Supervised: every column is the mean code; the first sweep moves dim 2 by −2, 0, +2 std.
    np.testing.assert_allclose(z[0, :, :, 2], (mean[2] + np.array([-2, 0, 2]) * spread[2])[:, None].repeat(10, 1), rtol=1e-5)
    np.testing.assert_allclose(z[0, :, :, 3], mean[3], rtol=1e-6)
    # Unsupervised: each column starts from its digit's mean code.
    z = style_codes(codes, labels, supervised=False, steps=3).reshape(2, 3, 10, 4)
    np.testing.assert_allclose(z[1, 1, :, 3], np.arange(10), atol=1e-6)


def test_prior_samples_cycle_the_labels_and_are_seeded():
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS | {"supervised": True}, seed=0)
    images, labels = prior_samples(model.decoder, 12, 10, 5.0, True, seed=3)
    assert images.shape == (12, *SHAPE) and images.min() >= 0.0 and images.max() <= 1.0
    assert labels.tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    np.testing.assert_array_equal(images, prior_samples(model.decoder, 12, 10, 5.0, True, seed=3)[0])
