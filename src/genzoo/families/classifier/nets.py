"""What the Keras classifiers share: the compiled loss, and a cosine learning-rate schedule."""

from __future__ import annotations

import math

import keras


def compile_classifier(model: keras.Model, learning_rate: float) -> None:
    """Adam on sparse cross-entropy from logits.

    Every network here ends in a linear layer and the softmax lives in the loss, once:
    the write-ups' LeNet-5 put a softmax layer before a ``from_logits=True`` loss.
    """
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )


def cosine_schedule(learning_rate: float, epochs: int) -> keras.callbacks.Callback:
    """Per-epoch cosine decay from ``learning_rate`` towards 0 (Loshchilov & Hutter 2017, no restarts)."""

    def rate(epoch: int, _current: float) -> float:
        return learning_rate * 0.5 * (1.0 + math.cos(math.pi * epoch / epochs))

    return keras.callbacks.LearningRateScheduler(rate)
