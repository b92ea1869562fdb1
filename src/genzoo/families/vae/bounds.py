"""Test-set likelihood bounds of a trained VAE: the ELBO and the importance-weighted bound.

Both are Bernoulli log-likelihoods, so they are densities only on binary pixels: the
literature scores a fixed binarisation of the test digits (``binarized_digits``).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from genzoo.families.vae.model import (
    bernoulli_sample,
    kl_divergence,
    log_importance_weights,
    log_mean_exp,
    reconstruction_loss,
    reparameterize,
)

CODES_PER_CALL = 20_000  # decoder inputs per call: bounds memory at large k


def binarized_digits(x: np.ndarray, *, seed: int) -> np.ndarray:
    """One fixed draw of Bernoulli pixels from the grey levels ``x`` (Burda et al. 2016).

    Drawn once with an integer seed, so every model and every rerun is scored on the same
    binary digits and the nats compare with the literature's binarised MNIST.
    """
    return ops.convert_to_numpy(bernoulli_sample(ops.convert_to_tensor(x, "float32"), seed)).astype(np.float32)


def heldout_elbo(encoder: keras.Model, decoder: keras.Model, x: np.ndarray, *, seed: int, batch_size: int = 500) -> dict:
    """Mean ELBO over ``x`` in nats, with its reconstruction and KL parts.

    The KL is exact; the reconstruction term takes one code per image, as in training.
    """
    seed_generator = keras.random.SeedGenerator(seed)
    reconstruction, kl = [], []
    for i in range(0, len(x), batch_size):
        batch = x[i : i + batch_size]
        z_mean, z_log_var = encoder(batch, training=False)
        logits = decoder(reparameterize(z_mean, z_log_var, seed_generator), training=False)
        reconstruction.append(ops.convert_to_numpy(reconstruction_loss(batch, logits)))
        kl.append(ops.convert_to_numpy(kl_divergence(z_mean, z_log_var)))
    reconstruction, kl = np.concatenate(reconstruction), np.concatenate(kl)
    return {
        "elbo": float(np.mean(-reconstruction - kl)),
        "reconstruction": float(np.mean(reconstruction)),
        "kl": float(np.mean(kl)),
    }


def importance_weighted_bound(
    encoder: keras.Model, decoder: keras.Model, x: np.ndarray, *, k: int, seed: int, batch_size: int = 100
) -> float:
    """Mean over ``x`` of log (1/k) Σ p(x, z_i) / q(z_i|x), z_i ~ q(z|x) (Burda et al. 2016).

    It lies between the ELBO (k = 1) and log p(x), tightening as k grows.
    """
    seed_generator = keras.random.SeedGenerator(seed)
    bounds = []
    for i in range(0, len(x), batch_size):
        batch = x[i : i + batch_size]
        z_mean, z_log_var = encoder(batch, training=False)
        # All k·B noise draws at once (k·B·D numbers, far fewer than the k·B·pixels the
        # decoder writes), so how the codes are chunked below cannot change the bound.
        epsilon = keras.random.normal((k, *z_mean.shape), seed=seed_generator)
        bounds.append(ops.convert_to_numpy(_log_mean_weight(decoder, batch, z_mean, z_log_var, epsilon)))
    return float(np.mean(np.concatenate(bounds)))


def _log_mean_weight(decoder: keras.Model, batch, z_mean, z_log_var, epsilon):
    """log (1/k) Σ_i w_i per image, decoding CODES_PER_CALL codes at a time.

    The decoder's output, k·B·pixels numbers, is what would not fit at k = 5000; the log
    weights kept across chunks are k·B numbers, smaller than ε itself.
    """
    chunk = max(1, CODES_PER_CALL // len(batch))
    log_weights = []
    for start in range(0, epsilon.shape[0], chunk):
        z = z_mean[None] + ops.exp(0.5 * z_log_var[None]) * epsilon[start : start + chunk]
        logits = decoder(ops.reshape(z, (-1, z.shape[-1])), training=False)
        logits = ops.reshape(logits, (z.shape[0], len(batch), *logits.shape[1:]))
        log_weights.append(log_importance_weights(batch, logits, z, z_mean, z_log_var))
    return log_mean_exp(ops.concatenate(log_weights, axis=0), axis=0)
