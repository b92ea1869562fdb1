"""Classification scores from true and predicted labels: confusion matrix, accuracies, plot rows."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def _labels(name: str, labels, n_classes: int) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array of integer class indices, got {labels.dtype} {labels.shape}")
    if len(labels) and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"{name} holds classes outside 0..{n_classes - 1}")
    return labels


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) counts: row = actual class, column = predicted class."""
    y_true = _labels("y_true", y_true, n_classes)
    y_pred = _labels("y_pred", y_pred, n_classes)
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    # Each (actual, predicted) pair becomes one cell index of the flattened matrix.
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def accuracy(matrix: np.ndarray) -> float:
    """Correct predictions over all predictions: the trace over the total."""
    total = int(matrix.sum())
    if total == 0:
        raise ValueError("the confusion matrix is empty: no predictions to score")
    return float(np.trace(matrix) / total)


def per_class_accuracy(matrix: np.ndarray) -> list[float | None]:
    """Per actual class, the fraction predicted correctly (its recall); None for a class with no examples."""
    support = matrix.sum(axis=1)
    return [float(matrix[k, k] / n) if n else None for k, n in enumerate(support)]


def confusion_rows(y_true, y_pred, class_names: Sequence[str]) -> list[dict]:
    """One ``{actual, predicted}`` record per example, with class names, for dvc's confusion template."""
    names = list(class_names)
    y_true = _labels("y_true", y_true, len(names))
    y_pred = _labels("y_pred", y_pred, len(names))
    return [{"actual": names[a], "predicted": names[p]} for a, p in zip(y_true.tolist(), y_pred.tolist())]


def classification_scores(y_true, y_pred, class_names: Sequence[str]) -> dict:
    """Test-set accuracy, per-class accuracy keyed by class name, the counts and the matrix."""
    matrix = confusion_matrix(y_true, y_pred, len(class_names))
    return {
        "accuracy": accuracy(matrix),
        "per_class_accuracy": dict(zip(class_names, per_class_accuracy(matrix))),
        "n_test": int(matrix.sum()),
        "n_errors": int(matrix.sum() - np.trace(matrix)),
        "confusion_matrix": matrix.tolist(),
    }
