"""The evaluator network: its training task, rotation labels, output shapes, resizing, and that it learns."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.scoring.evaluator import (  # noqa: E402
    FEATURES,
    build_evaluator,
    embed,
    rotation_task,
    train_evaluator,
    training_task,
)


def test_rotation_task_labels_each_quarter_turn():
    image = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    x, y = rotation_task(image)
    assert y.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(x[0], image[0])
    np.testing.assert_array_equal(x[2, ..., 0], image[0, ::-1, ::-1, 0])  # 180° = both flips


def test_rotation_task_needs_square_images():
    with pytest.raises(ValueError, match="square"):
        rotation_task(np.zeros((2, 4, 5, 1)))


def test_training_task_is_the_labels_or_the_rotations():
    x = np.random.default_rng(0).random((5, 6, 6, 1)).astype("float32")
    y = np.array([0, 2, 1, 2, 0])
    same_x, same_y, n_classes = training_task(x, y, has_labels=True)
    assert same_x is x and same_y is y and n_classes == 3  # max label + 1
    rotated, labels, n_classes = training_task(x, np.full(5, -1), has_labels=False)
    assert rotated.shape == (20, 6, 6, 1) and n_classes == 4
    assert labels.tolist() == [0] * 5 + [1] * 5 + [2] * 5 + [3] * 5
    np.testing.assert_array_equal(rotated[5:10], np.rot90(x, 1, axes=(1, 2)))


def test_embed_gives_features_and_probabilities_and_resizes():
    model = build_evaluator((28, 28, 1), 10)
    assert model.get_layer(FEATURES).output.shape[-1] == 128
    features, probs = embed(model, np.random.default_rng(0).uniform(size=(7, 64, 64, 1)).astype("float32"))
    assert features.shape == (7, 128) and probs.shape == (7, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_embed_rejects_wrong_channels():
    with pytest.raises(ValueError, match="3 channels but the evaluator expects 1"):
        embed(build_evaluator((28, 28, 1), 10), np.zeros((2, 28, 28, 3), "float32"))


def test_evaluator_learns_an_easy_task():
    """Two classes that differ by a bright top or bottom half: accuracy must beat chance."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 0.2, (200, 28, 28, 1)).astype("float32")
    y = np.arange(200) % 2
    x[y == 0, :14] += 0.8
    x[y == 1, 14:] += 0.8
    keras.utils.set_random_seed(0)
    _, summary = train_evaluator(x[:160], y[:160], x[160:], y[160:], has_labels=True,
                                 epochs=3, batch_size=32, learning_rate=1e-3, seed=0)
    assert summary["task"] == "classes" and summary["n_classes"] == 2
    assert summary["test_accuracy"] > 0.9
