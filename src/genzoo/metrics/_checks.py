"""Input validation shared by the metrics, raising ValueError that names the bad argument."""

from __future__ import annotations

import numpy as np


def _as_float_array(name: str, x) -> np.ndarray:
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a numeric array ({err})") from err


def _check_features(name: str, x) -> np.ndarray:
    """Return ``x`` as a float64 (n, d) array with n >= 2 finite rows, else raise ValueError."""
    x = _as_float_array(name, x)
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples, features), got shape {x.shape}")
    if x.shape[0] < 2:
        raise ValueError(f"{name} needs at least 2 samples, got {x.shape[0]}")
    if x.shape[1] < 1:
        raise ValueError(f"{name} needs at least 1 feature, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def _check_feature_pair(real_features, fake_features) -> tuple[np.ndarray, np.ndarray]:
    """Check both feature sets and that they live in the same feature space."""
    real = _check_features("real_features", real_features)
    fake = _check_features("fake_features", fake_features)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"fake_features has {fake.shape[1]} features but real_features has {real.shape[1]}"
        )
    return real, fake


def _check_probs(name: str, p) -> np.ndarray:
    """Return ``p`` as a float64 (n, C) array of probability rows, else raise ValueError."""
    p = _as_float_array(name, p)
    if p.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples, classes), got shape {p.shape}")
    if p.shape[0] < 1 or p.shape[1] < 1:
        raise ValueError(f"{name} must have at least one sample and one class, got shape {p.shape}")
    if not np.isfinite(p).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    if (p < 0).any():
        raise ValueError(f"{name} contains negative probabilities")
    # Softmax outputs in float32 sum to 1 only up to rounding; logits passed by mistake do not.
    if not np.allclose(p.sum(axis=1), 1.0, rtol=0.0, atol=1e-3):
        raise ValueError(f"{name} rows must sum to 1 (pass softmax probabilities, not logits)")
    return p
