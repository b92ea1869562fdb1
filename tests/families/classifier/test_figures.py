"""Classifier figures: the misclassified grid and the confusion matrix, written as PNG."""

import numpy as np

from genzoo.families.classifier import figures
from genzoo.metrics.classification import confusion_matrix

NAMES = ("cat", "dog", "owl")
# actual:    0 0 0 1 1 2 2 2 2 2
# predicted: 0 1 0 1 1 2 0 2 2 1
Y_TRUE = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
Y_PRED = np.array([0, 1, 0, 1, 1, 2, 0, 2, 2, 1])
PNG = b"\x89PNG\r\n\x1a\n"


def test_figures_are_written(tmp_path):
    images = np.random.default_rng(0).random((10, 28, 28, 1)).astype("float32")
    shown = figures.misclassified_figure(images, Y_TRUE, Y_PRED, NAMES, tmp_path / "wrong.png")
    assert shown == 3
    figures.confusion_figure(confusion_matrix(Y_TRUE, Y_PRED, 3), NAMES, tmp_path / "cm.png", "test")
    for name in ("wrong.png", "cm.png"):
        assert (tmp_path / name).read_bytes()[:8] == PNG


def test_the_misclassified_grid_shows_at_most_n_and_copes_with_none(tmp_path):
    images = np.zeros((10, 28, 28, 1), "float32")
    assert figures.misclassified_figure(images, Y_TRUE, Y_PRED, NAMES, tmp_path / "two.png", n=2) == 2
    assert figures.misclassified_figure(images, Y_TRUE, Y_TRUE, NAMES, tmp_path / "none.png") == 0
    assert (tmp_path / "none.png").read_bytes()[:8] == PNG
