"""Test-set scores of a classifier from its predictions: accuracy per class and the confusion rows."""

from __future__ import annotations

import numpy as np


def per_class_accuracy(labels: np.ndarray, predicted: np.ndarray, class_names: list[str]) -> dict[str, float | None]:
    """The fraction of each class's test images predicted right; None for a class absent from the test set."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    scores = {}
    for k, name in enumerate(class_names):
        members = labels == k
        scores[name] = float((predicted[members] == k).mean()) if members.any() else None
    return scores


def confusion_rows(labels: np.ndarray, predicted: np.ndarray, class_names: list[str]) -> list[dict[str, str]]:
    """One {actual, predicted} row per test image: the input of DVC's ``confusion`` plot template."""
    return [
        {"actual": class_names[a], "predicted": class_names[p]}
        for a, p in zip(np.asarray(labels).tolist(), np.asarray(predicted).tolist())
    ]
