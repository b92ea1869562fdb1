"""Generation metrics in the evaluator's space, each next to its real-vs-real floor."""

from __future__ import annotations

import numpy as np

from genzoo.metrics import (
    class_coverage,
    classifier_score,
    frechet_distance,
    kernel_inception_distance,
    precision_recall_density_coverage,
)

NOT_APPLICABLE = "not applicable: unlabelled dataset, the evaluator predicts rotations, not classes"


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
    paired = {}
    for name, value in metrics.items():
        paired[name] = {"value": _round(value), "floor": _round(floor.get(name))}
    return paired


def _round(value):
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value
