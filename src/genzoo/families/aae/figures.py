"""The AAE's pictures: the style grid and decoded prior samples."""

from __future__ import annotations

import keras
import numpy as np

from genzoo.families.aae.model import N_CLASSES, decode_codes
from genzoo.images import grid


def style_dims(codes: np.ndarray) -> tuple[int, int]:
    """The two code dimensions with the largest spread over the test set.

    Sweeping a dimension the encoder barely uses would show ten identical rows.
    """
    order = np.argsort(codes.std(axis=0))[::-1]
    return int(order[0]), int(order[1])


def style_codes(codes: np.ndarray, labels: np.ndarray, supervised: bool, steps: int = 5) -> np.ndarray:
    """The codes of the style grid, row by row: 10 columns (digits), ``steps`` rows per swept dimension.

    Supervised, the label is fed to the decoder, so every column starts from the mean code
    (one neutral style) and only the label differs. Unsupervised, the class lives in the
    code, so each column starts from the mean code of that digit's test images.
    """
    first, second = style_dims(codes)
    if supervised:
        base = np.repeat(codes.mean(axis=0, keepdims=True), N_CLASSES, axis=0)
    else:
        base = np.stack([codes[labels == c].mean(axis=0) for c in range(N_CLASSES)])
    rows = []
    for dim in (first, second):
        spread = codes[:, dim].std()
        for value in np.linspace(-2.0, 2.0, steps) * spread + codes[:, dim].mean():
            row = base.copy()
            row[:, dim] = value
            rows.append(row)
    return np.concatenate(rows).astype(np.float32)


def style_grid(decoder: keras.Model, codes: np.ndarray, labels: np.ndarray, supervised: bool, steps: int = 5) -> np.ndarray:
    """Each digit (column) decoded while one code dimension sweeps ±2 std (top rows), then a second."""
    z = style_codes(codes, labels, supervised, steps)
    column_labels = np.tile(np.arange(N_CLASSES), len(z) // N_CLASSES)
    return grid(decode_codes(decoder, z, column_labels, supervised), ncols=N_CLASSES)


def prior_samples(decoder: keras.Model, n: int, code_dim: int, prior_std: float, supervised: bool,
                  seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images decoded from the prior, and the labels fed to the decoder (0..9 in turn)."""
    z = (np.random.default_rng(seed).standard_normal((n, code_dim)) * prior_std).astype(np.float32)
    labels = np.arange(n) % N_CLASSES
    return decode_codes(decoder, z, labels, supervised), labels
