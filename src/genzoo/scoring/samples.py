"""Scoring a model's samples in the evaluator's space, each metric next to its real-vs-real floor."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genzoo import files
from genzoo.io import read_json, write_json
from genzoo.metrics import (
    class_coverage,
    classifier_score,
    frechet_distance,
    kernel_inception_distance,
    precision_recall_density_coverage,
)
from genzoo.runs import Run

NOT_APPLICABLE = "not applicable: unlabelled dataset, the evaluator predicts rotations, not classes"


def metric_settings(evaluation: dict, seed: int) -> dict:
    """The ``evaluation`` keys ``generation_metrics`` takes, with the seed of its subsets."""
    return {
        "kid_subsets": evaluation["kid_subsets"],
        "kid_subset_size": evaluation["kid_subset_size"],
        "pr_k": evaluation["pr_k"],
        "dc_k": evaluation["dc_k"],
        "seed": seed,
    }


def generation_metrics(
    fake_features: np.ndarray,
    fake_probs: np.ndarray,
    reference_features: np.ndarray,
    *,
    class_based: bool,
    kid_subsets: int,
    kid_subset_size: int,
    pr_k: int,
    dc_k: int,
    seed: int,
) -> dict:
    """All generation metrics of one sample set against the reference (train) features.

    Args:
        fake_features, fake_probs: evaluator features and softmax of the images scored.
        reference_features: evaluator features of the training images.
        class_based: whether the softmax is over the dataset's classes; the classifier
            score and class coverage are meaningless for a rotation evaluator.
    """
    kid = kernel_inception_distance(
        reference_features, fake_features, n_subsets=kid_subsets, subset_size=kid_subset_size, seed=seed
    )
    # k-NN radii depend on how densely each set is sampled, and Naeem et al. define the
    # four manifold metrics for equal-sized sets: compare against as many reference rows.
    prdc = precision_recall_density_coverage(
        reference_features[: len(fake_features)], fake_features, pr_k=pr_k, dc_k=dc_k
    )
    metrics = {
        "fid": float(frechet_distance(reference_features, fake_features)),
        "kid": float(kid["mean"]),
        "kid_std": float(kid["std"]),
        **{name: float(value) for name, value in prdc.items()},
    }
    if class_based:
        coverage = class_coverage(fake_probs, n_classes=fake_probs.shape[1])
        metrics["classifier_score"] = float(classifier_score(fake_probs))
        metrics["class_entropy"] = float(coverage["entropy"])
        metrics["classes_covered"] = int(coverage["classes_covered"])
        metrics["class_histogram"] = [round(float(s), 4) for s in coverage["histogram"]]
    return metrics


def with_floor(metrics: dict, floor: dict) -> dict:
    """Pair each metric with its real-vs-real floor: ``{name: {"value": v, "floor": f}}``."""
    return {name: {"value": _round(value), "floor": _round(floor.get(name))} for name, value in metrics.items()}


def _round(value):
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def score_samples(run: Run) -> dict:
    """Score ``run``'s samples against its dataset's reference; write and return its metrics.

    The metrics file holds every generation metric as ``{value, floor}`` plus where the data
    came from and how the model was trained; a family adds its own metrics and rewrites it.
    """
    import keras

    from genzoo.scoring.evaluator import embed

    floor = read_json(run.reference / files.FLOOR)
    data_info = read_json(run.data / files.INFO)
    trained = read_json(run.trained / files.INFO)
    samples_path = run.samples / files.SAMPLES
    with np.load(samples_path) as f:
        # The same count as the floor, so both carry the same finite-sample bias.
        images = f["images"][: floor["n"]]
    if len(images) < floor["n"]:
        raise ValueError(f"{samples_path} holds {len(images)} samples; the floor used {floor['n']}")
    with np.load(run.reference / files.REFERENCE) as f:
        reference = f["features"]
    evaluator = keras.models.load_model(run.reference / files.EVALUATOR)
    features, probs = embed(evaluator, images)
    has_labels = bool(data_info["has_labels"])
    metrics = generation_metrics(features, probs, reference, class_based=has_labels,
                                 **metric_settings(run.evaluation, run.seed))
    result = {
        "model": run.name,
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
    write_json(run.metrics, result)
    return result
