"""Scoring a model's samples in the evaluator's space, each metric next to its real-vs-real floor."""

from __future__ import annotations

import numpy as np

from genzoo import files
from genzoo.io import read_json
from genzoo.metrics import (
    class_coverage,
    classifier_score_splits as score_over_splits,
    frechet_distance,
    kernel_inception_distance,
    precision_recall_density_coverage,
)
from genzoo.runs import Run
from genzoo.scoring.record import write_scores

NOT_APPLICABLE = "not applicable: unlabelled dataset, the evaluator predicts rotations, not classes"
# Below this many scored images (the 20 test faces) one draw of samples says little, so the
# spread over further draws is reported with every metric (``spread_over_draws``).
SMALL_SAMPLE = 100
MAX_DRAWS = 50
SPREAD = ("fid", "kid", "precision", "recall", "density", "coverage", "classifier_score")


def metric_settings(evaluation: dict) -> dict:
    """The ``evaluation`` keys ``generation_metrics`` takes."""
    return {key: evaluation[key] for key in ("pr_k", "dc_k", "classifier_score_splits")}


def size_key(images: np.ndarray) -> str:
    """The floor a set of images is compared with: ``"<H>x<W>"``, the size they were made at."""
    return f"{images.shape[1]}x{images.shape[2]}"


def generation_metrics(
    fake_features: np.ndarray,
    fake_probs: np.ndarray,
    reference_features: np.ndarray,
    *,
    class_based: bool,
    pr_k: int,
    dc_k: int,
    classifier_score_splits: int,
) -> dict:
    """All generation metrics of one sample set against the reference (train) features.

    Args:
        fake_features, fake_probs: evaluator features and softmax of the images scored.
        reference_features: evaluator features of the training images.
        class_based: whether the softmax is over the dataset's classes; the classifier
            score and class coverage are meaningless for a rotation evaluator.
    """
    kid = kernel_inception_distance(reference_features, fake_features)
    # k-NN radii depend on how densely each set is sampled, and Naeem et al. define the
    # four manifold metrics for equal-sized sets: compare against as many reference rows.
    prdc = precision_recall_density_coverage(
        reference_features[: len(fake_features)], fake_features, pr_k=pr_k, dc_k=dc_k
    )
    metrics = {
        "fid": float(frechet_distance(reference_features, fake_features)),
        "kid": kid["mmd2"],
        "kid_se": kid["standard_error"],
        **{name: float(value) for name, value in prdc.items()},
    }
    if class_based:
        coverage = class_coverage(fake_probs, n_classes=fake_probs.shape[1])
        score = score_over_splits(fake_probs, classifier_score_splits)
        metrics["classifier_score"] = score["mean"]
        metrics["classifier_score_std"] = score["std"]
        metrics["class_entropy"] = float(coverage["entropy"])
        metrics["classes_covered"] = int(coverage["classes_covered"])
        metrics["class_histogram"] = [round(float(s), 4) for s in coverage["histogram"]]
    return metrics


def spread_over_draws(features: np.ndarray, probs: np.ndarray, n: int, reference: np.ndarray,
                      *, class_based: bool, settings: dict) -> dict:
    """The standard deviation of each metric over disjoint draws of ``n`` samples.

    A metric on ``n`` samples is one draw of a random variable; where ``n`` is small its
    spread is what says whether two models differ. The generator gives as many samples as
    the evaluate stage drew, so the spread is measured, not modelled: up to ``MAX_DRAWS``
    disjoint sets of ``n``, each scored exactly like the first. Empty with fewer than two.
    """
    draws = min(MAX_DRAWS, len(features) // n)
    if draws < 2:
        return {}
    scores = [generation_metrics(features[i * n : (i + 1) * n], probs[i * n : (i + 1) * n], reference,
                                 class_based=class_based, **settings) for i in range(draws)]
    spread = {name: float(np.std([s[name] for s in scores], ddof=1)) for name in SPREAD if name in scores[0]}
    return {"n_draws": draws, **spread}


def with_floor(metrics: dict, floor: dict) -> dict:
    """Pair each metric with its real-vs-real floor: ``{name: {"value": v, "floor": f}}``."""
    return {name: {"value": _round(value), "floor": _round(floor.get(name))} for name, value in metrics.items()}


def _round(value):
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def floor_at(floors: dict, size: str, dataset: str) -> dict:
    """The floor at ``size``, or an error naming the params key that adds it."""
    if size not in floors:
        raise ValueError(
            f"no {dataset} floor at {size} (floors: {', '.join(floors)}); add {size.split('x')[0]} to "
            "evaluation.round_trip_sizes in params.yaml and re-run the reference stage"
        )
    return floors[size]


def score_samples(run: Run) -> dict:
    """Score ``run``'s samples against its dataset's reference; write and return its metrics.

    The metrics file holds every generation metric as ``{value, floor}`` plus where the data
    came from and how the model was trained; a family adds its own metrics and rewrites it.
    With fewer than ``SMALL_SAMPLE`` scored images, ``draw_sd`` holds each metric's spread
    over further draws (``spread_over_draws``).
    """
    import keras

    from genzoo.scoring.evaluator import embed

    floors = read_json(run.reference / files.FLOOR)
    data_info = read_json(run.data / files.INFO)
    trained = read_json(run.trained / files.INFO)
    samples_path = run.samples / files.SAMPLES
    with np.load(samples_path) as f:
        drawn = f["images"]
    floor = floor_at(floors, size_key(drawn), data_info["dataset"])
    n = floor["n"]
    if len(drawn) < n:
        raise ValueError(f"{samples_path} holds {len(drawn)} samples; the floor used {n}")
    # The first n are scored, the same count as the floor, so both carry the same
    # finite-sample bias; a small n also scores further draws for their spread.
    if n >= SMALL_SAMPLE:
        drawn = drawn[:n]
    with np.load(run.reference / files.REFERENCE) as f:
        reference = f["features"]
    evaluator = keras.models.load_model(run.reference / files.EVALUATOR)
    features, probs = embed(evaluator, drawn)
    has_labels = bool(data_info["has_labels"])
    settings = metric_settings(run.evaluation)
    metrics = generation_metrics(features[:n], probs[:n], reference, class_based=has_labels, **settings)
    images = drawn[:n]
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
        "floor_size": size_key(images),
        **with_floor(metrics, floor),
    }
    if n < SMALL_SAMPLE:
        spread = spread_over_draws(features, probs, n, reference, class_based=has_labels, settings=settings)
        if spread:
            result["draw_sd"] = {name: _round(value) for name, value in spread.items()}
    if not has_labels:
        result["classifier_score"] = NOT_APPLICABLE
    result = write_scores(run, result)
    return result
