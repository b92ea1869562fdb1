"""Training loops: dvclive logging of per-epoch losses and sample grids, exact resume."""

from __future__ import annotations

import csv
import math
import time
from pathlib import Path
from typing import Any, Callable, Mapping

import keras
import numpy as np
import tensorflow as tf

from genzoo.checkpoint import Checkpoint, replay_order
from genzoo.images import grid, to_pil
from genzoo.speed import apply as apply_speed


class TrainingDiverged(FloatingPointError):
    """A loss became NaN or infinite: the run stops and nothing of it is saved."""


class StopOnNonFinite(keras.callbacks.Callback):
    """Stop at the end of the first epoch whose logged losses are not all finite.

    It runs before the checkpoint callback, so a diverged epoch is never saved to resume from.
    """

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def on_epoch_end(self, epoch, logs=None):
        bad = {key: float(value) for key, value in (logs or {}).items() if not math.isfinite(float(value))}
        if bad:
            key, value = next(iter(bad.items()))
            raise TrainingDiverged(
                f"{self.name}: {key} became {value} in epoch {epoch + 1}; nothing was saved. "
                "Lower the learning rate (or check the data for NaN) and run again"
            )


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


def open_live(live_dir: str | Path, resume_at: int = 0):
    """A dvclive logger for a pipeline stage; ``resume_at`` epochs of a killed run are kept.

    The pipeline declares these plots in dvc.yaml itself, so dvclive must neither write a
    dvc.yaml of its own nor start a DVC experiment from inside a stage. On resume, rows of
    epochs after the checkpoint (logged before the kill, to be run again) are dropped.
    """
    from dvclive import Live

    if resume_at == 0:
        return Live(str(live_dir), dvcyaml=None, save_dvc_exp=False)
    for curve in (Path(live_dir) / "plots" / "metrics").rglob("*.tsv"):
        _keep_steps_before(curve, resume_at)
    live = Live(str(live_dir), dvcyaml=None, save_dvc_exp=False, resume=True)
    live.step = resume_at  # dvclive reads the last step from its summary, which may be ahead
    return live


def _keep_steps_before(curve: Path, step: int) -> None:
    with open(curve, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    column = rows[0].index("step") if rows else 0
    kept = rows[:1] + [row for row in rows[1:] if int(row[column]) < step]
    with open(curve, "w", newline="") as f:
        csv.writer(f, delimiter="\t", lineterminator="\n").writerows(kept)


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
    name: str = "model",
    live_dir: str | Path | None = None,
    draw_grid: Callable[[], np.ndarray] | None = None,
    grid_every: int = 1,
    callbacks: list | None = None,
    preprocess: Callable | None = None,
    speed: Mapping[str, Any] | None = None,
    checkpoint: Checkpoint | None = None,
) -> dict:
    """Train ``model`` on ``x`` (and ``y``) and time it; resume from ``checkpoint`` if it holds a run.

    Args:
        name: the model's name in a divergence error.
        live_dir: where dvclive logs every epoch's losses (and grids); None logs nothing.
        draw_grid: returns a sample grid's images, logged every ``grid_every`` epochs.
        preprocess: a per-batch map applied after batching, so enlarged copies of the
            images (MobileNetV2's 224×224×3) exist one batch at a time.
        speed: the performance settings (``speed.resolve``); None keeps Keras' defaults.
        checkpoint: saves the run after every epoch and restores a killed one; None: no resume.

    Returns:
        ``{"train_seconds", "images_per_second", "epochs", "final": {loss: value}, "speed",
        "resumed_from_epoch"}``, ``speed`` being the settings the model ran with; the
        seconds and the rate are those of the epochs this process ran.
    """

    def make_data() -> tf.data.Dataset:
        data = batches(x, y, batch_size, seed)
        if preprocess is not None:
            data = data.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
        return data

    applied = None if speed is None else apply_speed(model, speed)
    data = make_data()
    timing = run_epochs(model, data, make_data, epochs=epochs, name=name, live_dir=live_dir,
                        draw_grid=draw_grid, grid_every=grid_every, callbacks=callbacks, checkpoint=checkpoint)
    epochs_run = timing.pop("epochs_run")
    return {**timing, "images_per_second": round(len(x) * epochs_run / timing["train_seconds"], 1), "speed": applied}


def run_epochs(
    model: keras.Model,
    data: tf.data.Dataset,
    make_data: Callable[[], tf.data.Dataset],
    *,
    epochs: int,
    name: str,
    live_dir: str | Path | None = None,
    draw_grid: Callable[[], np.ndarray] | None = None,
    grid_every: int = 1,
    callbacks: list | None = None,
    checkpoint: Checkpoint | None = None,
    **fit_kwargs,
) -> dict:
    """``model.fit`` over ``data`` with the divergence stop, the curves and the checkpoint.

    ``make_data`` builds a second copy of the data pipeline, whose first batch lets a resumed
    run build its optimizers before the checkpoint overwrites them (``Checkpoint.restore``).

    Returns ``{"train_seconds", "epochs", "epochs_run", "final", "resumed_from_epoch"}``.
    """
    done = 0
    if checkpoint is not None:
        done = checkpoint.restore(model, lambda: model.fit(make_data().take(1), epochs=1, verbose=0,
                                                           **_steps_of_one(fit_kwargs)))
        if done:
            steps = fit_kwargs.get("steps_per_epoch")
            replay_order(data, done * _iterators_per_epoch(data, steps))
            data = data.skip(done * steps) if steps else data
    callbacks = [StopOnNonFinite(name), *(callbacks or [])]
    live = None
    if live_dir is not None:
        live = open_live(live_dir, resume_at=done)
        callbacks.append(LiveLogger(live, draw_grid, grid_every, epochs))
    if checkpoint is not None:
        callbacks.append(checkpoint)  # last: it saves only an epoch every other callback accepted
    start = time.perf_counter()
    # The data reshuffles every epoch itself; Keras cannot shuffle a tf.data.Dataset.
    fitted = model.fit(data, epochs=epochs, initial_epoch=done, verbose=2, shuffle=False, callbacks=callbacks,
                       **fit_kwargs)
    seconds = max(time.perf_counter() - start, 1e-3)
    if live is not None:
        live.end()
    history = checkpoint.history if checkpoint is not None else _epoch_logs(fitted.history)
    return {
        "train_seconds": round(seconds, 2),
        "epochs": epochs,
        "epochs_run": epochs - done,
        "final": dict(history[-1]) if history else {},
        "resumed_from_epoch": done,
    }


def _iterators_per_epoch(data: tf.data.Dataset, steps_per_epoch: int | None) -> int:
    """How many iterators of ``data`` Keras' fit makes per epoch; each draws a new shuffle.

    Keras' epoch iterator (``keras.src.trainers.epoch_iterator``): with ``steps_per_epoch``,
    one iterator serves every epoch of an endless dataset (a resumed run skips the finished
    batches instead); otherwise a dataset of known length gets one iterator as an epoch starts
    and one more as it ends, unused; one of unknown length, one per epoch. The resume tests
    compare a resumed run with an uninterrupted one, so a Keras that counts otherwise fails them.
    """
    if steps_per_epoch:
        return 0
    known = int(data.cardinality()) >= 0
    return 2 if known else 1


def _steps_of_one(fit_kwargs: dict) -> dict:
    """The warm-up step's fit arguments: one step, whatever the run's steps per epoch."""
    return {"steps_per_epoch": 1} if "steps_per_epoch" in fit_kwargs else {}


def _epoch_logs(history: Mapping[str, list]) -> list[dict]:
    """Keras' History (loss: per-epoch values) as one dict of logs per epoch."""
    n = len(next(iter(history.values()), []))
    return [{key: float(values[i]) for key, values in history.items()} for i in range(n)]
