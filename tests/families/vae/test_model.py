"""The VAE's maths: the KL and the ELBO against numpy, the importance weights, log-mean-exp."""

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo.families.vae.model import (  # noqa: E402
    elbo,
    kl_divergence,
    log_importance_weights,
    log_mean_exp,
    reconstruction_loss,
)


def _np_bce_sum(x, p):
    x, p = x.reshape(len(x), -1), p.reshape(len(p), -1)
    return -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1)


def test_kl_is_exactly_zero_for_the_prior():
    zeros = np.zeros((5, 4), "float32")
    assert np.all(np.asarray(kl_divergence(zeros, zeros)) == 0.0)


def test_kl_matches_hand_computation():
    # KL(N(1, e) ‖ N(0, 1)) in one dimension = ½(σ² + μ² − 1 − ln σ²) = ½(e + 1 − 1 − 1).
    value = float(kl_divergence(np.array([[1.0]], "float32"), np.array([[1.0]], "float32"))[0])
    assert value == pytest.approx(0.5 * (np.e - 1.0), rel=1e-6)


def test_elbo_matches_numpy():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (3, 4, 4, 1)).astype("float32")
    x[0] = (x[0] > 0.5)  # binary and grey targets both
    logits = rng.normal(0, 2, (3, 4, 4, 1)).astype("float32")
    z_mean = rng.normal(0, 1, (3, 2)).astype("float32")
    z_log_var = rng.normal(0, 0.5, (3, 2)).astype("float32")
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    kl = 0.5 * (np.exp(z_log_var) + z_mean**2 - 1 - z_log_var).sum(axis=1)
    expected = -_np_bce_sum(x, p) - kl
    np.testing.assert_allclose(np.asarray(elbo(x, logits, z_mean, z_log_var)), expected, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(reconstruction_loss(x, logits)), _np_bce_sum(x, p), rtol=1e-5)


def test_importance_weights_reduce_to_the_likelihood_when_q_is_the_prior():
    # q = N(0, I) = p(z), so log p(z) − log q(z|x) = 0 and each weight is log p(x|z).
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 1, (2, 3, 3, 1)).astype("float32")
    logits = rng.normal(0, 1, (5, 2, 3, 3, 1)).astype("float32")
    z = rng.normal(0, 1, (5, 2, 4)).astype("float32")
    zeros = np.zeros((2, 4), "float32")
    weights = np.asarray(log_importance_weights(x, logits, z, zeros, zeros))
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = np.stack([-_np_bce_sum(x, p[i]) for i in range(5)])
    np.testing.assert_allclose(weights, expected, rtol=1e-5)


def test_log_mean_exp_matches_hand_computation():
    values = np.array([[0.0, 1000.0], [np.log(3.0), 1000.0]], "float32")
    out = np.asarray(log_mean_exp(values, axis=0))
    np.testing.assert_allclose(out, [np.log(2.0), 1000.0], rtol=1e-6)
