"""The evaluator stage (reference features, floors) and the scoring of generated samples."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from genzoo.evaluator import embed, train_evaluator
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.scoring import NOT_APPLICABLE, generation_metrics, with_floor


def _subset(x: np.ndarray, n: int, seed: int) -> np.ndarray:
    """A seeded subset of ``n`` rows (all rows when there are fewer)."""
    if len(x) <= n:
        return x
    return x[np.sort(np.random.default_rng(seed).choice(len(x), n, replace=False))]


def _metric_kwargs(evaluation: dict, seed: int) -> dict:
    return {
        "kid_subsets": evaluation["kid_subsets"],
        "kid_subset_size": evaluation["kid_subset_size"],
        "pr_k": evaluation["pr_k"],
        "dc_k": evaluation["dc_k"],
        "seed": seed,
    }


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

    Writes ``out_dir/evaluator.keras``, ``out_dir/reference.npz`` (train features),
    ``out_dir/floor.json`` and the metrics file.
    """
    data_dir = Path(data_dir)
    info = read_json(data_dir / "info.json")
    with np.load(data_dir / "train.npz") as f:
        x_train, y_train = f["x"], f["y"]
    with np.load(data_dir / "test.npz") as f:
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
    reference, _ = embed(model, _subset(x_train, evaluation["n_reference"], seed))
    test_images = _subset(x_test, evaluation["n_samples"], seed)
    test_features, test_probs = embed(model, test_images)
    floor = generation_metrics(
        test_features, test_probs, reference, class_based=has_labels, **_metric_kwargs(evaluation, seed)
    )
    floor["n"] = int(len(test_images))
    with atomic_dir(out_dir) as tmp:
        model.save(tmp / "evaluator.keras")
        write_npz(tmp / "reference.npz", features=reference)
        write_json(tmp / "floor.json", floor)
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


def score_samples(
    model_name: str,
    samples_path: str | Path,
    trained_info_path: str | Path,
    evaluator_dir: str | Path,
    data_info_path: str | Path,
    out_path: str | Path,
    *,
    evaluation: dict,
    seed: int,
) -> dict:
    """Score a model's samples against its dataset's reference set; write the metrics JSON."""
    evaluator_dir = Path(evaluator_dir)
    floor = read_json(evaluator_dir / "floor.json")
    data_info = read_json(data_info_path)
    trained = read_json(trained_info_path)
    with np.load(samples_path) as f:
        # The same count as the floor, so both carry the same finite-sample bias.
        images = f["images"][: floor["n"]]
    if len(images) < floor["n"]:
        raise ValueError(f"{samples_path} holds {len(images)} samples; the floor used {floor['n']}")
    with np.load(evaluator_dir / "reference.npz") as f:
        reference = f["features"]
    evaluator = keras.models.load_model(evaluator_dir / "evaluator.keras")
    features, probs = embed(evaluator, images)
    has_labels = bool(data_info["has_labels"])
    metrics = generation_metrics(features, probs, reference, class_based=has_labels, **_metric_kwargs(evaluation, seed))
    result = {
        "model": model_name,
        "dataset": data_info["dataset"],
        "data_source": data_info["source"],
        "data_counts": data_info["counts"],
        "device": trained["device"],
        "device_name": trained["device_name"],
        "train_seconds": trained["train_seconds"],
        "images_per_second": trained["images_per_second"],
        "n_samples": int(len(images)),
        **with_floor(metrics, floor),
    }
    if not has_labels:
        result["classifier_score"] = NOT_APPLICABLE
    write_json(out_path, result)
    return result
