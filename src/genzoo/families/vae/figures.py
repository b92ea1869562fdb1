"""The VAE's pictures: the latent manifold and samples from the prior."""

from __future__ import annotations

import keras
import numpy as np

from genzoo.families.vae.model import decode
from genzoo.images import grid


def manifold_codes(n: int = 20, span: float = 3.0) -> np.ndarray:
    """An n×n lattice over [−span, span]², row by row from the top (z₂ = +span) down."""
    values = np.linspace(-span, span, n, dtype=np.float32)
    z1, z2 = np.meshgrid(values, values[::-1])
    return np.stack([z1.ravel(), z2.ravel()], axis=1)


def manifold(decoder: keras.Model, n: int = 20, span: float = 3.0) -> np.ndarray:
    """The decoded n×n lattice as one picture of n·28 × n·28 pixels (no padding, as in the paper)."""
    if decoder.input_shape[-1] != 2:
        raise ValueError(f"the manifold needs a 2-D latent space, this decoder takes {decoder.input_shape[-1]}")
    return grid(decode(decoder, manifold_codes(n, span)), ncols=n, pad=0)


def prior_samples(decoder: keras.Model, n: int, latent_dim: int, seed: int) -> np.ndarray:
    """``n`` images decoded from z ~ N(0, I), in [0, 1]."""
    z = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)
    return decode(decoder, z)
