"""The reference stage: train the evaluator, embed the reference images, score the floor."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genzoo import files
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.scoring.evaluator import embed, train_evaluator
from genzoo.scoring.samples import generation_metrics, metric_settings
from genzoo.subset import seeded_subset


def build_reference(
    data_dir: str | Path,
    out_dir: str | Path,
    metrics_path: str | Path,
    *,
    evaluator: dict,
    evaluation: dict,
    seed: int,
    device: dict,
) -> dict:
    """Train the evaluator, embed the reference (train) set and score the real-vs-real floor.

    The floor scores ``n_samples`` test images exactly as a model's ``n_samples`` generated
    images are scored, so a model's number and its floor share the same sample-size bias.

    Writes ``out_dir``'s evaluator, reference features and floor (names in ``genzoo.files``)
    and the metrics file.
    """
    data_dir = Path(data_dir)
    info = read_json(data_dir / files.INFO)
    with np.load(data_dir / files.TRAIN) as f:
        x_train, y_train = f["x"], f["y"]
    with np.load(data_dir / files.TEST) as f:
        x_test, y_test = f["x"], f["y"]
    has_labels = bool(info["has_labels"])
    fit_x, fit_y = x_train, y_train
    if evaluator["max_train"] is not None:
        fit_x, fit_y = x_train[: evaluator["max_train"]], y_train[: evaluator["max_train"]]

    model, summary = train_evaluator(
        fit_x, fit_y, x_test, y_test,
        has_labels=has_labels,
        epochs=evaluator["epochs"],
        batch_size=evaluator["batch_size"],
        learning_rate=evaluator["learning_rate"],
        seed=seed,
    )
    reference, _ = embed(model, seeded_subset(x_train, evaluation["n_reference"], seed))
    test_images = seeded_subset(x_test, evaluation["n_samples"], seed)
    test_features, test_probs = embed(model, test_images)
    floor = generation_metrics(test_features, test_probs, reference, class_based=has_labels,
                               **metric_settings(evaluation, seed))
    floor["n"] = int(len(test_images))
    with atomic_dir(out_dir) as tmp:
        model.save(tmp / files.EVALUATOR)
        write_npz(tmp / files.REFERENCE, features=reference)
        write_json(tmp / files.FLOOR, floor)
    metrics = {
        "dataset": info["dataset"],
        "data_source": info["source"],
        "counts": info["counts"],
        "evaluator": summary,
        "device": device["device"],
        "n_reference": int(len(reference)),
        "floor": floor,
    }
    write_json(metrics_path, metrics)
    return metrics
