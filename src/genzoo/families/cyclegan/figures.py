"""The translation figures: fixed test images, their translation, and the way back."""

from __future__ import annotations

from typing import Callable

import numpy as np

N_SHOWN = 10  # one column per digit class, when the domain is labelled


def fixed_examples(images: np.ndarray, labels: np.ndarray, n: int = N_SHOWN) -> np.ndarray:
    """``n`` fixed test images: the first of each class in label order when labelled, else the first ``n``.

    The same columns every epoch, so the logged grids show one translation improving.
    """
    if len(labels) and (labels >= 0).all():
        classes = np.unique(labels)[:n]
        return images[[int(np.flatnonzero(labels == c)[0]) for c in classes]]
    return images[:n]


def translation_rows(images: np.ndarray, there, back, translate: Callable) -> list[np.ndarray]:
    """Three rows: the images, their translation, and its translation back (x, G(x), F(G(x)))."""
    forward = translate(there, images)
    return [images, forward, translate(back, forward)]
