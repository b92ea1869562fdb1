"""Classifier score and class coverage against hand-computed values."""

import numpy as np
import pytest

from genzoo.metrics import class_coverage, classifier_score


def test_uniform_predictions_score_one():
    assert classifier_score(np.full((8, 10), 0.1)) == pytest.approx(1.0)


def test_confident_balanced_predictions_score_number_of_classes():
    assert classifier_score(np.eye(4).repeat(3, axis=0)) == pytest.approx(4.0)


def test_two_examples_by_hand():
    # p(y) = [0.75, 0.25].
    # KL([1, 0] || p(y)) = ln(4/3); KL([.5, .5] || p(y)) = .5 ln(2/3) + .5 ln 2 = .5 ln(4/3).
    # Mean 0.75 ln(4/3), so the score is (4/3)^0.75.
    probs = np.array([[1.0, 0.0], [0.5, 0.5]])
    assert classifier_score(probs) == pytest.approx((4 / 3) ** 0.75)


def test_class_coverage_by_hand():
    probs = np.eye(4)[[0, 1, 0, 1]]
    got = class_coverage(probs)
    assert got["histogram"] == pytest.approx([0.5, 0.5, 0.0, 0.0])
    assert got["entropy"] == pytest.approx(np.log(2))
    assert got["normalized_entropy"] == pytest.approx(0.5)  # ln 2 / ln 4
    assert got["classes_covered"] == 2


def test_class_coverage_uses_argmax_of_soft_predictions():
    probs = np.array([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.4, 0.35, 0.25]])
    got = class_coverage(probs, n_classes=3)
    # argmax: 0, 2, 2, 0 -> [0.5, 0, 0.5].
    assert got["histogram"] == pytest.approx([0.5, 0.0, 0.5])
    assert sum(got["histogram"]) == pytest.approx(1.0)
    assert got["normalized_entropy"] == pytest.approx(np.log(2) / np.log(3))
    assert got["classes_covered"] == 2


@pytest.mark.parametrize(
    "probs",
    [
        np.full(10, 0.1),  # 1-D
        np.array([[0.5, np.nan]]),
        np.array([[1.5, -0.5]]),  # negative
        np.array([[2.0, 3.0]]),  # logits, not probabilities
    ],
)
def test_bad_probs_name_the_argument(probs):
    with pytest.raises(ValueError, match="probs"):
        classifier_score(probs)
    with pytest.raises(ValueError, match="probs"):
        class_coverage(probs)


def test_n_classes_mismatch_names_the_argument():
    with pytest.raises(ValueError, match="n_classes"):
        class_coverage(np.eye(3), n_classes=10)


def test_score_over_splits_by_hand():
    from genzoo.metrics import classifier_score_splits

    # Split 1: two confident, different classes -> score 2. Split 2: two uniform rows -> 1.
    probs = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.5, 0.5]])
    assert classifier_score_splits(probs, 2) == pytest.approx({"mean": 1.5, "std": 0.5})
    assert classifier_score_splits(probs, 1)["mean"] == pytest.approx(classifier_score(probs))
    assert classifier_score_splits(probs, 1)["std"] == 0.0


@pytest.mark.parametrize("n_splits", [0, 5])
def test_score_over_splits_refuses_impossible_splits(n_splits):
    from genzoo.metrics import classifier_score_splits

    with pytest.raises(ValueError, match=f"n_splits must be between 1 and the number of samples \\(4\\), got {n_splits}"):
        classifier_score_splits(np.full((4, 2), 0.5), n_splits)
