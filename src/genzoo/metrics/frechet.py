"""Fréchet distance between Gaussians fitted to two feature sets (FID on Inception features)."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg

from ._checks import _check_feature_pair, _check_features


def gaussian_stats(features) -> tuple[np.ndarray, np.ndarray]:
    """Return the mean vector and the unbiased (ddof=1) covariance matrix of ``features``."""
    x = _check_features("features", features)
    mu = x.mean(axis=0)
    # atleast_2d: np.cov collapses a single feature column to a 0-d array.
    sigma = np.atleast_2d(np.cov(x, rowvar=False, ddof=1))
    return mu, sigma


def _sqrtm_product(sigma1: np.ndarray, sigma2: np.ndarray) -> np.ndarray:
    # Singular covariances (fewer samples than features) are expected; finiteness is checked
    # by the caller, so scipy's singularity warning is only noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        return linalg.sqrtm(sigma1 @ sigma2)


def _frechet_from_stats(mu1, sigma1, mu2, sigma2, eps: float) -> float:
    diff = mu1 - mu2
    covmean = _sqrtm_product(sigma1, sigma2)
    if not np.isfinite(covmean).all():
        # Same remedy as the TTUR reference code (Heusel et al. 2017): nudge both covariances
        # off singularity so that the product has a finite square root.
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = _sqrtm_product(sigma1 + offset, sigma2 + offset)
    if np.iscomplexobj(covmean):
        # S1 S2 has a real non-negative spectrum in exact arithmetic; rounding leaves tiny
        # imaginary parts. A large one means the statistics are broken, not noisy.
        if not np.allclose(np.diagonal(covmean).imag, 0.0, atol=1e-3):
            raise ValueError(
                f"sqrtm(S1 S2) has a large imaginary component "
                f"({np.max(np.abs(covmean.imag)):.3g}); the covariances are degenerate"
            )
        covmean = covmean.real
    value = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)
    # Rounding can push identical distributions slightly below zero.
    return float(max(value, 0.0))


def frechet_distance(real_features, fake_features, *, eps: float = 1e-6) -> float:
    """||mu1 - mu2||^2 + Tr(S1 + S2 - 2 sqrtm(S1 S2)) between Gaussians fitted to both sets."""
    real, fake = _check_feature_pair(real_features, fake_features)
    mu1, sigma1 = gaussian_stats(real)
    mu2, sigma2 = gaussian_stats(fake)
    return _frechet_from_stats(mu1, sigma1, mu2, sigma2, eps)
