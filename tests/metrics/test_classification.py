"""Classification scores: the confusion matrix, accuracies and plot rows, against counts worked out by hand."""

import numpy as np
import pytest

from genzoo.metrics import classification as scores

NAMES = ("cat", "dog", "owl")
# actual:    0 0 0 1 1 2 2 2 2 2
# predicted: 0 1 0 1 1 2 0 2 2 1
Y_TRUE = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
Y_PRED = np.array([0, 1, 0, 1, 1, 2, 0, 2, 2, 1])


def test_confusion_matrix_by_hand():
    matrix = scores.confusion_matrix(Y_TRUE, Y_PRED, 3)
    np.testing.assert_array_equal(matrix, [[2, 1, 0], [0, 2, 0], [1, 1, 3]])
    assert matrix.sum() == len(Y_TRUE)


def test_accuracies_by_hand():
    matrix = scores.confusion_matrix(Y_TRUE, Y_PRED, 3)
    assert scores.accuracy(matrix) == pytest.approx(7 / 10)
    assert scores.per_class_accuracy(matrix) == pytest.approx([2 / 3, 1.0, 3 / 5])


def test_class_without_examples_has_no_accuracy():
    matrix = scores.confusion_matrix(np.array([0, 0]), np.array([0, 2]), 3)
    assert scores.per_class_accuracy(matrix) == [0.5, None, None]


def test_scores_sum_to_the_test_count():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 1000), rng.integers(0, 10, 1000)
    result = scores.classification_scores(y_true, y_pred, [str(k) for k in range(10)])
    assert np.sum(result["confusion_matrix"]) == result["n_test"] == 1000
    assert result["n_errors"] == int((y_true != y_pred).sum())
    assert result["accuracy"] == pytest.approx(float((y_true == y_pred).mean()))


def test_confusion_rows_name_the_classes():
    rows = scores.confusion_rows(Y_TRUE, Y_PRED, NAMES)
    assert len(rows) == len(Y_TRUE)
    assert rows[1] == {"actual": "cat", "predicted": "dog"}
    assert rows[6] == {"actual": "owl", "predicted": "cat"}


@pytest.mark.parametrize("y_pred, message", [
    (np.array([0, 3]), "outside 0..2"),
    (np.array([0.0, 1.0]), "integer class indices"),
    (np.array([0]), "has 1"),
])
def test_bad_labels_are_rejected(y_pred, message):
    with pytest.raises(ValueError, match=message):
        scores.confusion_matrix(np.array([0, 1]), y_pred, 3)


def test_empty_matrix_has_no_accuracy():
    with pytest.raises(ValueError, match="empty"):
        scores.accuracy(np.zeros((3, 3), int))


def test_per_class_accuracy_and_confusion_rows():
    # Was capsnet's own copy; capsnet now scores with this module too.
    labels, predicted = np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 0])
    result = scores.classification_scores(labels, predicted, ["a", "b", "c"])
    assert result["per_class_accuracy"] == {"a": 0.5, "b": pytest.approx(2 / 3), "c": None}
    assert scores.per_class_accuracy(scores.confusion_matrix(labels, predicted, 3)) == [0.5, pytest.approx(2 / 3), None]
    assert scores.confusion_rows(labels[:2], predicted[:2], ["a", "b"]) == [
        {"actual": "a", "predicted": "a"}, {"actual": "a", "predicted": "b"},
    ]


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError, match="y_true has 2 labels but y_pred has 3"):
        scores.confusion_matrix(np.array([0, 1]), np.array([0, 1, 1]), 3)


def test_confusion_rows_refuse_a_class_without_a_name():
    with pytest.raises(ValueError, match=r"y_pred holds classes outside 0\.\.1"):
        scores.confusion_rows(np.array([0, 1]), np.array([0, 2]), ["a", "b"])
