"""The classifier family's stages: train@ fits; evaluate@ predicts the test set (``sample``) and scores it."""

from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType

import numpy as np

from genzoo import files
from genzoo.version import __version__
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.metrics import classification
from genzoo.runs import Run
from genzoo.checkpoint import for_run
from genzoo.training import fit
from genzoo.scoring.record import write_scores

from . import figures, fitting

PREDICT_TIMING = "predict.json"  # the prediction time (``sample``), for the metrics
log = logging.getLogger("genzoo")


def _load_split(data_dir: Path, split: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    path = Path(data_dir) / split
    with np.load(path) as f:
        if "y" not in f:
            raise ValueError(f"{path} has no labels `y`; a classifier needs a labelled dataset")
        # The prepare stage already shuffled the training set, so its first images are a fair sample.
        return f["x"][:limit], f["y"][:limit]


def _preprocess(module: ModuleType, params: dict):
    return None if module.HOOKS.preprocess is None else module.HOOKS.preprocess(params)


def train(module: ModuleType, run: Run) -> dict:
    """Fit ``module``'s classifier on the training set; write the model and the info file to ``run.trained``.

    A Keras network resumes a killed run from ``run.checkpoints``; a linear classifier has
    no epochs and starts over.
    """
    params, hooks = run.params, module.HOOKS
    data_info = read_json(run.data / files.INFO)
    x, y = _load_split(run.data, files.TRAIN, params["max_train"])
    model = module.build(x.shape[1:], data_info["n_classes"], params, run.seed)
    log.info("%s: training on %d images", run.name, len(x))
    if fitting.is_keras(model):
        timing = fit(
            model, x, y, epochs=params["epochs"], batch_size=params["batch_size"], seed=run.seed,
            live_dir=run.live, preprocess=_preprocess(module, params), speed=run.speed,
            callbacks=[] if hooks.callbacks is None else hooks.callbacks(params),
            name=run.name, checkpoint=for_run(module, run, len(x), [files.TRAIN]),
        )
    else:
        timing = fitting.fit_estimator(model, x, y, live_dir=run.live)
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,  # a model file from another version says so on load
        "dataset": params["dataset"],
        "class_names": data_info["class_names"],
        "data_source": data_info.get("source"),
        "n_train": int(len(x)),
        **fitting.count_parameters(model),
        **({} if hooks.describe is None else hooks.describe(params)),
        **timing,
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        info["file"] = fitting.save(model, tmp)
        write_json(tmp / files.INFO, info)
    return info


def sample(module: ModuleType, run: Run) -> None:
    """Predict the whole test set; write the predictions and confusion rows, and the figures."""
    info = read_json(run.trained / files.INFO)
    x, y = _load_split(run.data, files.TEST)
    model = fitting.load(run.trained, info["file"],
                         lambda: module.build(x.shape[1:], len(info["class_names"]), run.params, run.seed))
    with fitting.timer() as clock:
        logits = fitting.predict(model, x, preprocess=_preprocess(module, run.params))
    predicted = logits.argmax(axis=1)
    names = info["class_names"]
    matrix = classification.confusion_matrix(y, predicted, len(names))
    log.info("%s: test accuracy %.4f on %d images", run.name, classification.accuracy(matrix), len(y))
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figure_dir:
        write_npz(data / files.PREDICTIONS, y_true=y, y_pred=predicted, scores=logits.astype(np.float32))
        write_json(data / files.CONFUSION, classification.confusion_rows(y, predicted, names))
        write_json(data / PREDICT_TIMING, {"n_test": int(len(y)), "predict_seconds": clock["seconds"]})
        figures.misclassified_figure(x, y, predicted, names, figure_dir / "misclassified.png")
        figures.confusion_figure(matrix, names, figure_dir / "confusion.png", title=f"{run.name} on the test set")


def evaluate(module: ModuleType, run: Run) -> dict:
    """Score the predictions into ``run.metrics``; classifiers need no evaluator network."""
    info = read_json(run.trained / files.INFO)
    data_info = read_json(run.data / files.INFO)
    with np.load(run.samples / files.PREDICTIONS) as f:
        y_true, y_pred = f["y_true"], f["y_pred"]
    expected = data_info["counts"]["test"]
    if len(y_true) != expected:
        raise ValueError(f"{run.samples} holds {len(y_true)} predictions but the test set has {expected}; "
                         "re-run the model's evaluate stage")
    result = classification.classification_scores(y_true, y_pred, info["class_names"])
    # The matrix is drawn from the confusion rows and figures/confusion.png; as a nested
    # list it would only clutter `dvc metrics show`.
    del result["confusion_matrix"]
    reference = module.REFERENCE_ACCURACY
    metrics = {
        "model": run.name,
        "family": info["family"],
        "dataset": info["dataset"],
        "data_source": info["data_source"],
        **result,
        # The write-up's test accuracy (`reference`, as the report calls it) and our gap to it.
        "reference": reference,
        "vs_reference": None if reference is None else round(result["accuracy"] - reference, 4),
        "n_train": info["n_train"],
        "n_parameters": info["n_parameters"],
        "n_trainable_parameters": info["n_trainable_parameters"],
        "train_seconds": info["train_seconds"],
        "predict_seconds": read_json(run.samples / PREDICT_TIMING)["predict_seconds"],
        "device": info["device"],
        "device_name": info.get("device_name"),  # where it trained
    }
    for key in ("epochs", "converged", "weights", "base", "resolution", "alpha"):
        if key in info:
            metrics[key] = info[key]
    metrics = write_scores(run, metrics)
    return metrics
