"""Precision/recall (Kynkäänniemi 2019) and density/coverage (Naeem 2020) from k-NN balls."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from ._checks import _check_feature_pair

# Rows per block of the distance matrix: a 1024 x 10k float64 block is ~80 MB, so 10k x 10k
# feature sets never need the full 800 MB matrix in memory.
_CHUNK = 1024


def _squared_distance_blocks(a: np.ndarray, b: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (start, squared Euclidean distances of a[start:start+_CHUNK] to every row of b)."""
    b_sq = np.einsum("ij,ij->i", b, b)
    for start in range(0, len(a), _CHUNK):
        block = a[start : start + _CHUNK]
        a_sq = np.einsum("ij,ij->i", block, block)
        # |a|^2 + |b|^2 - 2 a.b runs on BLAS; cancellation can give tiny negatives, hence the clip.
        d2 = a_sq[:, None] + b_sq[None, :] - 2.0 * (block @ b.T)
        yield start, np.maximum(d2, 0.0)


def _kth_neighbour_sq_radii(x: np.ndarray, k: int) -> np.ndarray:
    """Squared distance from each row of ``x`` to its k-th nearest *other* row."""
    radii = np.empty(len(x))
    for start, d2 in _squared_distance_blocks(x, x):
        rows = np.arange(len(d2))
        # Exclude each point by index, not by zero distance, so exact duplicates still count
        # as neighbours of one another.
        d2[rows, start + rows] = np.inf
        radii[start : start + len(d2)] = np.partition(d2, k - 1, axis=1)[:, k - 1]
    return radii


def _check_k(name: str, k: int, *counts: int) -> None:
    limit = min(counts)
    if not 1 <= k < limit:
        raise ValueError(f"{name} must satisfy 1 <= {name} < number of samples ({limit}), got {k}")


def precision_recall_density_coverage(
    real_features, fake_features, *, pr_k: int = 3, dc_k: int = 5
) -> dict:
    """Manifold precision/recall (k = pr_k) and density/coverage (k = dc_k) of fakes vs reals."""
    real, fake = _check_feature_pair(real_features, fake_features)
    n_real, n_fake = len(real), len(fake)
    _check_k("pr_k", pr_k, n_real, n_fake)
    _check_k("dc_k", dc_k, n_real)

    real_r2_pr = _kth_neighbour_sq_radii(real, pr_k)
    real_r2_dc = _kth_neighbour_sq_radii(real, dc_k)
    fake_r2_pr = _kth_neighbour_sq_radii(fake, pr_k)

    # Balls are closed (<=): ties have probability zero for continuous features, and a closed
    # ball still holds an exact copy of a duplicated real point whose radius is 0.
    fake_in_real_pr = np.empty(n_fake, dtype=bool)
    fake_ball_counts = np.empty(n_fake)
    for start, d2 in _squared_distance_blocks(fake, real):
        stop = start + len(d2)
        fake_in_real_pr[start:stop] = (d2 <= real_r2_pr[None, :]).any(axis=1)
        fake_ball_counts[start:stop] = (d2 <= real_r2_dc[None, :]).sum(axis=1)

    real_in_fake_pr = np.empty(n_real, dtype=bool)
    real_covered = np.empty(n_real, dtype=bool)
    for start, d2 in _squared_distance_blocks(real, fake):
        stop = start + len(d2)
        real_in_fake_pr[start:stop] = (d2 <= fake_r2_pr[None, :]).any(axis=1)
        # Coverage asks only whether the nearest fake lies in the real point's own ball, which
        # makes it robust to fakes clustering around a few real outliers.
        real_covered[start:stop] = d2.min(axis=1) <= real_r2_dc[start:stop]

    return {
        "precision": float(fake_in_real_pr.mean()),
        "recall": float(real_in_fake_pr.mean()),
        # Density counts how many real balls hold each fake, not merely whether one does, so
        # it is unbounded above and rewards fakes in dense real regions (Naeem et al. 2020).
        "density": float(fake_ball_counts.sum() / (dc_k * n_fake)),
        "coverage": float(real_covered.mean()),
    }
