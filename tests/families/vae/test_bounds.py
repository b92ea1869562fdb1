"""The held-out bounds of a trained VAE: the ELBO's parts add up, the IW bound is the tighter,
the binarised ELBO of a hand-made model matches numpy, and the test binarisation is fixed."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.vae.bounds import binarized_digits, heldout_elbo, importance_weighted_bound  # noqa: E402
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
    monkeypatch.setattr(bounds, "CODES_PER_CALL", 16 * 3)  # chunks of 3, 3 and 2 codes
    uneven = importance_weighted_bound(model.encoder, model.decoder, batch, k=8, seed=3)
    assert np.isfinite(whole)
    # ε is drawn for all k codes before chunking, so only float rounding may differ.
    assert chunked == pytest.approx(whole, rel=1e-6) and uneven == pytest.approx(whole, rel=1e-6)


GREY = np.array([[0.0, 0.3], [0.7, 1.0]], "float32")[None, :, :, None]  # one 2×2 image


def test_binarized_digits_are_bernoulli_draws_of_the_grey_levels():
    x = np.tile(GREY, (5000, 1, 1, 1))
    binary = binarized_digits(x, seed=7)
    assert binary.shape == x.shape and binary.dtype == np.float32
    assert set(np.unique(binary)) <= {0.0, 1.0}
    # Per pixel the mean is the grey level: 0 and 1 exactly, 0.3 and 0.7 within 4 standard errors.
    np.testing.assert_allclose(binary.mean(axis=0), GREY[0], atol=4 * np.sqrt(0.21 / 5000))
    assert binary[:, 0, 0].max() == 0.0 and binary[:, 1, 1].min() == 1.0


def test_binarized_digits_are_the_same_for_a_seed():
    x = np.tile(GREY, (100, 1, 1, 1))
    np.testing.assert_array_equal(binarized_digits(x, seed=7), binarized_digits(x, seed=7))
    assert not np.array_equal(binarized_digits(x, seed=7), binarized_digits(x, seed=8))


def _hand_made_vae(A, c, W, b, log_var):
    """Encoder z_mean = flat(x)·A + c with a constant z_log_var; decoder logits = z·W + b."""
    from keras import initializers, layers

    def dense(units, kernel, bias, name):
        return layers.Dense(units, kernel_initializer=initializers.Constant(kernel),
                            bias_initializer=initializers.Constant(bias), name=name)

    x = keras.Input((2, 2, 1))
    flat = layers.Flatten()(x)
    z_mean = dense(2, A, c, "z_mean")(flat)
    z_log_var = dense(2, np.zeros_like(A), log_var, "z_log_var")(flat)
    encoder = keras.Model(x, [z_mean, z_log_var])
    z = keras.Input((2,))
    decoder = keras.Model(z, layers.Reshape((2, 2, 1))(dense(4, W, b, "logits")(z)))
    return encoder, decoder


def test_binarized_elbo_of_a_hand_made_model_matches_numpy():
    rng = np.random.default_rng(0)
    A, c = rng.normal(0, 1, (4, 2)).astype("float32"), np.array([0.5, -0.5], "float32")
    W, b = rng.normal(0, 1, (2, 4)).astype("float32"), np.array([0.1, -0.2, 0.3, -0.4], "float32")
    log_var = -40.0  # σ = e⁻²⁰: the one sampled code is z_mean to float precision
    encoder, decoder = _hand_made_vae(A, c, W, b, log_var)
    x = binarized_digits(rng.uniform(0, 1, (6, 2, 2, 1)).astype("float32"), seed=1)

    flat = x.reshape(6, 4).astype(np.float64)
    mu = flat @ A + c
    logits = mu @ W + b
    reconstruction = (np.logaddexp(0.0, logits) - flat * logits).sum(axis=1)  # −log Bernoulli(x; σ(logits))
    kl = 0.5 * (np.exp(log_var) + mu**2 - 1.0 - log_var).sum(axis=1)
    parts = heldout_elbo(encoder, decoder, x, seed=0)
    assert parts["reconstruction"] == pytest.approx(reconstruction.mean(), rel=1e-5)
    assert parts["kl"] == pytest.approx(kl.mean(), rel=1e-5)
    assert parts["elbo"] == pytest.approx((-reconstruction - kl).mean(), rel=1e-5)
