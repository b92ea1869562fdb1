"""Scores computed from a classifier's softmax outputs on generated samples."""

from __future__ import annotations

import numpy as np

from ._checks import _check_probs

# Guards log(0) for hard one-hot predictions; small enough not to move real scores.
_EPS = 1e-12


def classifier_score(probs) -> float:
    """exp(E_x KL(p(y|x) || p(y))): the Inception-score formula applied to any classifier."""
    p_yx = _check_probs("probs", probs)
    p_y = p_yx.mean(axis=0, keepdims=True)
    kl = (p_yx * (np.log(p_yx + _EPS) - np.log(p_y + _EPS))).sum(axis=1)
    return float(np.exp(kl.mean()))


def classifier_score_splits(probs, n_splits: int = 10) -> dict:
    """Mean and std of the classifier score over ``n_splits`` consecutive equal splits.

    The Inception-score convention (Salimans et al. 2016): the score of one split, not of
    the whole set, so numbers compare with the literature's "mean ± std over 10 splits".
    """
    p_yx = _check_probs("probs", probs)
    if not 1 <= n_splits <= len(p_yx):
        raise ValueError(f"n_splits must be between 1 and the number of samples ({len(p_yx)}), got {n_splits}")
    scores = [classifier_score(part) for part in np.array_split(p_yx, n_splits)]
    return {"mean": float(np.mean(scores)), "std": float(np.std(scores))}


def class_coverage(probs, n_classes: int | None = None) -> dict:
    """Histogram of argmax classes, its entropy in nats, and how many classes are hit at all."""
    p = _check_probs("probs", probs)
    if n_classes is None:
        n_classes = p.shape[1]
    elif n_classes != p.shape[1]:
        raise ValueError(f"n_classes is {n_classes} but probs has {p.shape[1]} columns")
    if n_classes < 2:
        raise ValueError(f"n_classes must be >= 2 for a normalised entropy, got {n_classes}")
    counts = np.bincount(p.argmax(axis=1), minlength=n_classes)
    hist = counts / counts.sum()
    nonzero = hist[hist > 0]
    # 0 log 0 = 0: absent classes contribute nothing, they only lower the entropy's ceiling.
    entropy = float(-(nonzero * np.log(nonzero)).sum())
    return {
        "histogram": [float(h) for h in hist],
        "entropy": entropy,
        "normalized_entropy": entropy / float(np.log(n_classes)),
        "classes_covered": int((counts > 0).sum()),
    }
