"""Test-set likelihood bounds of a trained VAE: the ELBO and the importance-weighted bound."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from genzoo.families.vae.model import (
    kl_divergence,
    log_importance_weights,
    log_mean_exp,
    reconstruction_loss,
    reparameterize,
)

CODES_PER_CALL = 20_000  # decoder inputs per call: bounds memory at large k


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
        chunk = max(1, CODES_PER_CALL // len(batch))
        log_weights = []
        for start in range(0, k, chunk):
            n = min(chunk, k - start)
            means = ops.broadcast_to(z_mean[None], (n, *z_mean.shape))
            log_vars = ops.broadcast_to(z_log_var[None], (n, *z_log_var.shape))
            z = reparameterize(means, log_vars, seed_generator)
            logits = decoder(ops.reshape(z, (-1, z.shape[-1])), training=False)
            logits = ops.reshape(logits, (n, len(batch), *logits.shape[1:]))
            log_weights.append(log_importance_weights(batch, logits, z, z_mean, z_log_var))
        bounds.append(ops.convert_to_numpy(log_mean_exp(ops.concatenate(log_weights, axis=0), axis=0)))
    return float(np.mean(np.concatenate(bounds)))
