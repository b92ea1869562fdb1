"""Exact resume: a training run's whole state, saved after every epoch, restored bit for bit.

A killed run starts again after its last finished epoch and, on CPU, ends exactly where an
uninterrupted run ends. That needs every piece of state the run changes:

- the variables: every network's weights and statistics, every Keras seed generator (the
  latent codes' and dropout's), and each optimizer's step count and moments;
- any state outside Keras that the caller names, such as the augmentation's generator;
- the data order: ``tf.data`` draws an epoch's shuffle when that epoch's iterator is made,
  so making (and dropping) one iterator per finished epoch puts the order where it was;
- the curves of the finished epochs, kept so the run's history stays whole.

The state is one npz file of plain arrays (never a pickle), written to a temporary name and
renamed, so a kill during the write leaves the previous epoch's file. It holds the run's
fingerprint: a checkpoint of other params, data or code is cleared rather than resumed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import keras
import numpy as np

log = logging.getLogger("genzoo")

STATE = "state.npz"
SET_ASIDE = "unreadable"      # where a checkpoint that cannot be read is moved, for a look
_RUN_KEY = "run"              # the npz entry holding the fingerprint, epoch and curves (JSON text)


class UnusableCheckpoint(Exception):
    """A checkpoint file that exists but cannot be restored (damaged, or of another layout)."""


def file_digest(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of ``paths``, in order: the prepared data's or the code's version."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode())
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def code_files(module) -> list[Path]:
    """The model's module, its family package and the training loop: the code a run's state depends on."""
    from genzoo import families

    family = Path(families.__file__).parent / module.FAMILY
    here = Path(__file__).parent
    own = [Path(module.__file__)] if getattr(module, "__file__", None) else []  # a test may pass a namespace
    return [*own, *sorted(family.glob("*.py")), here / "training.py", here / "checkpoint.py"]


def fingerprint(module, run, n_train: Any, data_files: Sequence[str]) -> dict:
    """What a checkpoint must have been made with to be resumed: params, seed, data and code."""
    return {
        "params": json.loads(json.dumps(dict(run.params))),
        "seed": run.seed,
        "n_train": n_train,
        "data": file_digest(run.data / name for name in data_files),
        "code": file_digest(code_files(module)),
    }


def for_run(module, run, n_train: Any, data_files: Sequence[str], extra_state: Sequence = ()) -> "Checkpoint | None":
    """The checkpoint of a stage's run in ``run.checkpoints``; None where the run has no such directory."""
    if run.checkpoints is None:
        return None
    return Checkpoint(run.checkpoints, fingerprint(module, run, n_train, data_files), extra_state)


def finish(directory: str | os.PathLike) -> None:
    """Empty the directory of a run that finished: its model is saved, nothing is left to resume."""
    directory = Path(directory)
    for entry in directory.iterdir() if directory.exists() else ():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def optimizers(model: keras.Model) -> dict[str, keras.optimizers.Optimizer]:
    """Every optimizer a model trains with, by attribute name (``optimizer``, ``d_optimizer``, ...)."""
    found = {name: value for name, value in sorted(vars(model).items())
             if isinstance(value, keras.optimizers.Optimizer)}
    if getattr(model, "optimizer", None) is not None:
        found.setdefault("optimizer", model.optimizer)
    return found


def state_variables(model: keras.Model, extra: Sequence = ()) -> list:
    """Every variable a training run changes, in an order that is the same in every process.

    ``model.variables`` holds the layers' weights and seed generators' states; each optimizer
    adds its step count and moments, built on its first step.
    """
    variables = list(model.variables)
    seen = {id(v) for v in variables}
    for optimizer in optimizers(model).values():
        for v in optimizer.variables:
            if id(v) not in seen:
                variables.append(v)
                seen.add(id(v))
    return variables + list(extra)


class Checkpoint(keras.callbacks.Callback):
    """Saves the run's state after every epoch into ``directory``; ``restore`` reads it back.

    Args:
        directory: the model's persistent checkpoint directory.
        fingerprint: what the run is made with (``fingerprint``).
        extra_state: variables outside the model to save too (``tf.Variable`` or Keras).
    """

    def __init__(self, directory: str | os.PathLike, fingerprint: Mapping, extra_state: Sequence = ()):
        super().__init__()
        self.directory = Path(directory)
        self.fingerprint = json.loads(json.dumps(fingerprint))
        self.extra_state = list(extra_state)
        self.history: list[dict] = []   # one dict of logs per finished epoch

    @property
    def path(self) -> Path:
        return self.directory / STATE

    def on_epoch_end(self, epoch, logs=None):
        self.history.append({name: float(value) for name, value in (logs or {}).items()})
        self.save(epoch + 1)

    def save(self, epochs_done: int) -> None:
        """Write the state after ``epochs_done`` epochs; the old file stays until the new one is whole."""
        arrays = {f"v{i:05d}": np.asarray(v.numpy())
                  for i, v in enumerate(state_variables(self.model, self.extra_state))}
        record = {"fingerprint": self.fingerprint, "epochs_done": epochs_done, "history": self.history}
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.directory / f".{STATE}.partial"
        with open(partial, "wb") as f:
            np.savez(f, **{_RUN_KEY: np.array(json.dumps(record))}, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, self.path)

    def restore(self, model: keras.Model, warm_up: Callable[[], None]) -> int:
        """Load the kept state into ``model``; the number of epochs it had finished (0: start afresh).

        ``warm_up`` runs one training step on a throwaway batch, so that every optimizer has
        made its variables; the restore then overwrites all of them, that step included.
        """
        self.set_model(model)
        (self.directory / f".{STATE}.partial").unlink(missing_ok=True)  # a write a kill cut short
        if not self.path.exists():
            return 0
        try:
            record, arrays = _read(self.path)
        except UnusableCheckpoint as why:
            self._set_aside(why)
            return 0
        if record["fingerprint"] != self.fingerprint:
            log.info("clearing %s: it was made with other params, data or code", self.path)
            self.path.unlink()
            return 0
        warm_up()
        variables = state_variables(model, self.extra_state)
        shapes = [tuple(v.shape) for v in variables]
        if len(arrays) != len(variables) or any(a.shape != s for a, s in zip(arrays, shapes)):
            self._set_aside(UnusableCheckpoint("its variables do not match this model's"))
            return 0
        for variable, array in zip(variables, arrays):
            variable.assign(array)
        self.history = list(record["history"])
        epochs_done = int(record["epochs_done"])
        log.info("resuming from %s after epoch %d", self.path, epochs_done)
        return epochs_done

    def _set_aside(self, why: Exception) -> None:
        aside = self.directory / SET_ASIDE
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir()
        os.replace(self.path, aside / STATE)
        log.warning("%s cannot be resumed (%s); training starts over (the file is kept in %s until the run ends)",
                    self.path, why, aside)


def _read(path: Path) -> tuple[dict, list[np.ndarray]]:
    """The record and the arrays of a state file, or UnusableCheckpoint saying why not."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            record = json.loads(str(npz[_RUN_KEY]))
            names = sorted(name for name in npz.files if name != _RUN_KEY)
            return record, [npz[name] for name in names]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        raise UnusableCheckpoint(f"{type(err).__name__}: {err}") from err


def replay_order(data, epochs_done: int) -> None:
    """Advance ``data``'s reshuffling to epoch ``epochs_done``: one dropped iterator per finished epoch."""
    for _ in range(epochs_done):
        iter(data)
