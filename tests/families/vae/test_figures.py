"""The VAE's pictures: the 20×20 manifold of a 2-D latent, and prior samples."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.vae.figures import manifold, manifold_codes, prior_samples  # noqa: E402
from genzoo.models import vae  # noqa: E402

from models._autoencoder_cases import SHAPE  # noqa: E402


def test_manifold_is_20_by_20_digits():
    keras.utils.set_random_seed(0)
    decoder = vae.build_decoder(2, SHAPE, 8)
    picture = manifold(decoder)
    assert picture.shape == (20 * 28, 20 * 28, 1)
    codes = manifold_codes()
    assert codes.min() == -3.0 and codes.max() == 3.0
    assert tuple(codes[0]) == (-3.0, 3.0) and tuple(codes[-1]) == (3.0, -3.0)  # top-left to bottom-right


def test_manifold_needs_a_2d_latent():
    with pytest.raises(ValueError, match="2-D latent"):
        manifold(vae.build_decoder(3, SHAPE, 8))


def test_prior_samples_are_images_in_the_unit_range_and_seeded():
    keras.utils.set_random_seed(0)
    decoder = vae.build_decoder(3, SHAPE, 8)
    a, b = prior_samples(decoder, 7, 3, seed=5), prior_samples(decoder, 7, 3, seed=5)
    assert a.shape == (7, *SHAPE) and a.dtype == np.float32 and a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, prior_samples(decoder, 7, 3, seed=6))
