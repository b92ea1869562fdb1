"""The held-out bounds of a trained VAE: the ELBO's parts add up, the IW bound is the tighter."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.vae.bounds import heldout_elbo, importance_weighted_bound  # noqa: E402
from genzoo.models import vae  # noqa: E402

from models._autoencoder_cases import SHAPE, bar_batch  # noqa: E402
from models._autoencoder_cases import VAE_PARAMS as PARAMS  # noqa: E402


@pytest.fixture
def batch():
    return bar_batch()


def test_bounds_on_a_batch_are_ordered(batch):
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, None, PARAMS, seed=0)
    model.fit(batch, batch_size=8, epochs=3, verbose=0)
    parts = heldout_elbo(model.encoder, model.decoder, batch, seed=0)
    assert parts["elbo"] == pytest.approx(-parts["reconstruction"] - parts["kl"], rel=1e-6)
    assert parts["kl"] >= 0.0
    iw = importance_weighted_bound(model.encoder, model.decoder, batch, k=64, seed=0)
    assert np.isfinite(iw) and iw >= parts["elbo"] - 1.0  # tighter than the ELBO, up to noise


def test_chunked_codes_give_the_same_bound(batch, monkeypatch):
    """Few decoder inputs per call split k into chunks; the bound must not depend on the split."""
    from genzoo.families.vae import bounds

    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, None, PARAMS, seed=0)
    whole = importance_weighted_bound(model.encoder, model.decoder, batch, k=8, seed=3)
    monkeypatch.setattr(bounds, "CODES_PER_CALL", 16)  # one code per image per call: 8 chunks
    chunked = importance_weighted_bound(model.encoder, model.decoder, batch, k=8, seed=3)
    assert np.isfinite(whole) and np.isfinite(chunked)
    # Different chunks draw different ε, so equal only in distribution: close, not identical.
    assert chunked == pytest.approx(whole, abs=5.0)
