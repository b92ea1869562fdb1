"""The classifier family's stages: train@ fits, sample@ predicts the test set, evaluate@ scores it."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from genzoo import models
from genzoo.io import atomic_dir, read_json, write_json, write_npz

from . import figures, fitting, scores

log = logging.getLogger("genzoo")


def _load_split(data_dir: Path, split: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    path = Path(data_dir) / f"{split}.npz"
    with np.load(path) as f:
        if "y" not in f:
            raise ValueError(f"{path} has no labels `y`; a classifier needs a labelled dataset")
        # The prepare stage already shuffled the training set, so its first images are a fair sample.
        return f["x"][:limit], f["y"][:limit]


def train(name, *, data_dir, out_dir, live_dir, checkpoint_dir, params, seed, device) -> dict:
    """Fit model ``name`` on the training set; write ``out_dir/model.*`` and ``out_dir/info.json``.

    Classifiers train in minutes and do not resume, so ``checkpoint_dir`` stays empty.
    """
    module = models.get(name)
    data_info = read_json(Path(data_dir) / "info.json")
    x, y = _load_split(data_dir, "train", params["max_train"])
    model = module.build(x.shape[1:], data_info["n_classes"], params, seed)
    log.info("%s: training on %d images", name, len(x))
    if fitting.is_keras(model):
        preprocess = module.preprocess(params) if hasattr(module, "preprocess") else None
        extra = module.callbacks(params) if hasattr(module, "callbacks") else []
        timing = fitting.fit_keras(
            model, x, y, epochs=params["epochs"], batch_size=params["batch_size"], seed=seed,
            live_dir=live_dir, preprocess=preprocess, callbacks=extra,
        )
    else:
        timing = fitting.fit_estimator(model, x, y, live_dir=live_dir)
    info = {
        "model": name,
        "family": module.FAMILY,
        "dataset": params["dataset"],
        "class_names": data_info["class_names"],
        "data_source": data_info.get("source"),
        "n_train": int(len(x)),
        **fitting.count_parameters(model),
        **(module.describe(params) if hasattr(module, "describe") else {}),
        **timing,
        **device,
    }
    with atomic_dir(out_dir) as tmp:
        info["file"] = fitting.save(model, tmp)
        write_json(tmp / "info.json", info)
    return info


def sample(name, *, trained_dir, data_dir, out_dir, params, evaluation, seed) -> None:
    """Predict the whole test set; write ``data/`` (predictions, confusion rows) and ``figures/``."""
    module = models.get(name)
    trained_dir = Path(trained_dir)
    info = read_json(trained_dir / "info.json")
    model = fitting.load(trained_dir, info["file"])
    x, y = _load_split(data_dir, "test")
    preprocess = module.preprocess(params) if hasattr(module, "preprocess") else None
    with fitting.timer() as clock:
        logits = fitting.predict(model, x, preprocess=preprocess)
    predicted = logits.argmax(axis=1)
    names = info["class_names"]
    matrix = scores.confusion_matrix(y, predicted, len(names))
    log.info("%s: test accuracy %.4f on %d images", name, scores.accuracy(matrix), len(y))
    with atomic_dir(out_dir) as tmp:
        (tmp / "data").mkdir()
        (tmp / "figures").mkdir()
        write_npz(tmp / "data" / "predictions.npz", y_true=y, y_pred=predicted, scores=logits.astype(np.float32))
        write_json(tmp / "data" / "confusion.json", scores.confusion_rows(y, predicted, names))
        write_json(tmp / "data" / "predict.json", {"n_test": int(len(y)), "predict_seconds": clock["seconds"]})
        figures.misclassified_figure(x, y, predicted, names, tmp / "figures" / "misclassified.png")
        figures.confusion_figure(matrix, names, tmp / "figures" / "confusion.png", title=f"{name} on the test set")


def evaluate(name, *, trained_dir, samples_dir, data_dir, evaluator_dir, out_path, params, evaluation, seed) -> dict:
    """Score the predictions into ``out_path``; classifiers need no evaluator network."""
    module = models.get(name)
    info = read_json(Path(trained_dir) / "info.json")
    data_info = read_json(Path(data_dir) / "info.json")
    samples_dir = Path(samples_dir)
    with np.load(samples_dir / "data" / "predictions.npz") as f:
        y_true, y_pred = f["y_true"], f["y_pred"]
    expected = data_info["counts"]["test"]
    if len(y_true) != expected:
        raise ValueError(f"{samples_dir} holds {len(y_true)} predictions but the test set has {expected}; "
                         "re-run the model's sample stage")
    result = scores.classification_scores(y_true, y_pred, info["class_names"])
    # The matrix is drawn from samples/<name>/data/confusion.json and figures/confusion.png;
    # as a nested list it would only clutter `dvc metrics show`.
    del result["confusion_matrix"]
    reference = module.REFERENCE_ACCURACY
    metrics = {
        "model": name,
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
        "predict_seconds": read_json(samples_dir / "data" / "predict.json")["predict_seconds"],
        "device": info["device"],
    }
    for key in ("epochs", "converged", "weights", "base", "resolution", "alpha"):
        if key in info:
            metrics[key] = info[key]
    write_json(out_path, metrics)
    return metrics
