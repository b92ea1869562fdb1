"""Training loops: dvclive logging of per-epoch losses and sample grids."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Mapping

import keras
import numpy as np
import tensorflow as tf

from genzoo.images import grid, to_pil
from genzoo.speed import apply as apply_speed


class LiveLogger(keras.callbacks.Callback):
    """Log every epoch's losses, and a sample grid every ``grid_every`` epochs, to dvclive.

    dvclive's own Keras callback logs metrics only; images need the same step counter, so
    one callback does both and advances the step once per epoch.
    """

    def __init__(self, live, draw_grid: Callable[[], np.ndarray] | None, grid_every: int, epochs: int):
        super().__init__()
        self.live = live
        self.draw_grid = draw_grid
        self.grid_every = grid_every
        self.epochs = epochs

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.live.log_metric(f"train/{name}", float(value))
        done = epoch + 1
        if self.draw_grid is not None and (done % self.grid_every == 0 or done == self.epochs):
            self.live.log_image(f"samples/epoch_{done:04d}.png", to_pil(grid(self.draw_grid())))
        self.live.next_step()


def open_live(live_dir: str | Path):
    """A dvclive logger for a pipeline stage.

    The pipeline declares these plots in dvc.yaml itself, so dvclive must neither write a
    dvc.yaml of its own nor start a DVC experiment from inside a stage.
    """
    from dvclive import Live

    return Live(str(live_dir), dvcyaml=None, save_dvc_exp=False)


def batches(x: np.ndarray, y: np.ndarray | None, batch_size: int, seed: int) -> tf.data.Dataset:
    """Shuffled batches, reshuffled each epoch from ``seed`` for determinism.

    The arrays become tensors once. Each epoch shuffles only the indices and gathers one
    batch at a time, so no epoch pushes the images one by one through a shuffle buffer.
    """
    arrays = (tf.convert_to_tensor(x),) if y is None else (tf.convert_to_tensor(x), tf.convert_to_tensor(y))

    def gather(indices):
        return tuple(tf.gather(array, indices) for array in arrays)

    return (
        tf.data.Dataset.range(len(x))
        .shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .map(gather, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )


def fit(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray | None = None,
    *,
    epochs: int,
    batch_size: int,
    seed: int,
    live_dir: str | Path | None = None,
    draw_grid: Callable[[], np.ndarray] | None = None,
    grid_every: int = 1,
    callbacks: list | None = None,
    preprocess: Callable | None = None,
    speed: Mapping[str, Any] | None = None,
) -> dict:
    """Train ``model`` on ``x`` (and ``y``) and time it.

    Args:
        live_dir: where dvclive logs every epoch's losses (and grids); None logs nothing.
        draw_grid: returns a sample grid's images, logged every ``grid_every`` epochs.
        preprocess: a per-batch map applied after batching, so enlarged copies of the
            images (MobileNetV2's 224×224×3) exist one batch at a time.
        speed: the performance settings (``speed.resolve``); None keeps Keras' defaults.

    Returns:
        ``{"train_seconds", "images_per_second", "epochs", "final": {loss: value}, "speed"}``,
        ``speed`` being the settings the model ran with.
    """
    callbacks = list(callbacks or [])
    applied = None if speed is None else apply_speed(model, speed)
    live = None
    if live_dir is not None:
        live = open_live(live_dir)
        callbacks.append(LiveLogger(live, draw_grid, grid_every, epochs))
    data = batches(x, y, batch_size, seed)
    if preprocess is not None:
        data = data.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
    start = time.perf_counter()
    # `batches` reshuffles every epoch; Keras cannot shuffle a tf.data.Dataset itself.
    history = model.fit(data, epochs=epochs, verbose=2, shuffle=False, callbacks=callbacks)
    seconds = time.perf_counter() - start
    if live is not None:
        live.end()
    return {
        "train_seconds": round(seconds, 2),
        "images_per_second": round(len(x) * epochs / seconds, 1),
        "epochs": epochs,
        "final": {name: float(values[-1]) for name, values in history.history.items()},
        "speed": applied,
    }
