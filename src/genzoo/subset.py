"""Seeded subsets: the one way the zoo draws N of its images."""

from __future__ import annotations

import numpy as np


def seeded_indices(n: int, k: int | None, seed: int) -> np.ndarray:
    """Sorted indices of ``k`` of ``n`` items drawn without replacement; all of them when ``k`` is None or ≥ n.

    Sorted, so the subset keeps the order of the data it is drawn from.
    """
    if k is None or k >= n:
        return np.arange(n, dtype=np.int64)
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False)).astype(np.int64)


def seeded_subset(x: np.ndarray, k: int | None, seed: int) -> np.ndarray:
    """``k`` rows of ``x`` drawn by ``seeded_indices`` (``x`` itself when it has no more than ``k``)."""
    if k is None or len(x) <= k:
        return x
    return x[seeded_indices(len(x), k, seed)]
