"""Pictures of a classifier's test predictions: misclassified examples and the confusion matrix."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from genzoo.io import atomic_file


def _save(figure: Figure, path: str | Path) -> None:
    with atomic_file(path, "wb") as handle:
        figure.savefig(handle, format="png", dpi=100, bbox_inches="tight")


def misclassified_figure(images, y_true, y_pred, class_names: Sequence[str], path: str | Path, n: int = 25) -> int:
    """A grid of the first ``n`` misclassified images, each titled "true → predicted".

    The first ones in test-set order rather than a random draw, so the figure changes
    only when the predictions do. Returns how many images it shows.
    """
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))[:n]
    cols = max(1, min(5, len(wrong)))
    rows = max(1, math.ceil(len(wrong) / cols))
    figure = Figure(figsize=(2.2 * cols, 2.4 * rows))
    axes = figure.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, wrong):
        ax.imshow(np.asarray(images[i])[..., 0], cmap="gray_r", vmin=0.0, vmax=1.0)
        ax.set_title(f"{class_names[y_true[i]]} → {class_names[y_pred[i]]}", fontsize=8)
    if not len(wrong):
        axes.flat[0].text(0.5, 0.5, "no misclassified test images", ha="center", va="center")
    figure.suptitle("misclassified test images (true → predicted)", fontsize=10)
    _save(figure, path)
    return len(wrong)


def confusion_figure(matrix: np.ndarray, class_names: Sequence[str], path: str | Path, title: str) -> None:
    """The confusion matrix as a heat map with counts; rows are actual, columns predicted classes."""
    matrix = np.asarray(matrix)
    figure = Figure(figsize=(7.5, 6.5))
    ax = figure.subplots()
    # Row-normalised colours, so rare and common classes read on one scale; the text shows counts.
    support = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    image = ax.imshow(matrix / support, cmap="Blues", vmin=0.0, vmax=1.0)
    figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="fraction of the actual class")
    for (r, c), count in np.ndenumerate(matrix):
        ax.text(c, r, str(count), ha="center", va="center", fontsize=7,
                color="white" if matrix[r, c] / support[r, 0] > 0.5 else "black")
    ticks = np.arange(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(ticks, class_names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("actual")
    ax.set_title(title)
    _save(figure, path)
