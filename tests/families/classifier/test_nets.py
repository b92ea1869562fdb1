"""What the Keras classifiers share: the loss on logits, and the cosine learning-rate schedule."""

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.classifier.nets import compile_classifier, cosine_schedule  # noqa: E402


def test_the_loss_takes_logits_once():
    image = keras.Input((2,))
    model = keras.Model(image, keras.layers.Dense(3, use_bias=False, kernel_initializer="zeros")(image))
    compile_classifier(model, 0.01)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    # Zero logits: the softmax is uniform and the cross-entropy ln 3.
    loss, accuracy = model.evaluate(np.zeros((4, 2), "float32"), np.zeros(4), verbose=0)
    assert loss == pytest.approx(math.log(3), rel=1e-5)
    # Logits [2, 0, 0] for class 0: −ln(e² / (e² + 2)); a second softmax would flatten them first.
    logits = np.array([[2.0, 0.0, 0.0]], "float32")
    expected = -math.log(math.exp(2) / (math.exp(2) + 2))
    assert float(model.loss(np.array([0]), logits)) == pytest.approx(expected, rel=1e-5)


def test_cosine_schedule_by_hand():
    schedule = cosine_schedule(0.1, epochs=4)
    rates = [schedule.schedule(epoch, 0.0) for epoch in range(4)]
    assert rates == pytest.approx([0.1, 0.1 * 0.5 * (1 + math.cos(math.pi / 4)), 0.05, 0.1 * 0.5 * (1 + math.cos(3 * math.pi / 4))])
    assert all(a > b for a, b in zip(rates, rates[1:]))
