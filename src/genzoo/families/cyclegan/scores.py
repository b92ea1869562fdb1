"""What a translation preserves: labels, the target domain's statistics, and the image itself.

Both directions are scored in the target domain's evaluator space (``run.reference/{a,b}``):
- label preservation: the target evaluator's accuracy on G(a) against a's label (only when
  both domains share their classes, as digits do); beside it, the same evaluator on the
  untranslated images, the baseline a translation must beat, and on the target's own test
  images, the ceiling;
- generation metrics (Fréchet distance, KID, precision/recall, density/coverage, class
  coverage), each with its real-vs-real floor: the target's test images scored the same
  way, as many as the translations, so both carry the same finite-sample bias;
- the cycle error: the mean absolute pixel difference |F(G(a)) − a| in [0, 1] units.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from genzoo import files
from genzoo.data.pair import domain_dir
from genzoo.runs import Run
from genzoo.scoring.evaluator import embed
from genzoo.scoring.samples import generation_metrics, metric_settings, with_floor

DIRECTIONS = {"a_to_b": ("a", "b"), "b_to_a": ("b", "a")}
# Flat copies of these per-direction metrics, for the headline DVC compares.
FLAT = ("fid", "kid", "precision", "recall", "density", "coverage", "classes_covered", "class_entropy")


def accuracy(probs: np.ndarray, labels: np.ndarray) -> float:
    """The fraction of rows whose most probable class is the label."""
    return float(np.mean(np.argmax(probs, axis=1) == labels))


def per_class_accuracy(probs: np.ndarray, labels: np.ndarray) -> list[float]:
    """The accuracy within each label 0..max, so a class the translation turns into another shows."""
    predicted = np.argmax(probs, axis=1)
    return [round(float(np.mean(predicted[labels == c] == c)), 4) if np.any(labels == c) else None
            for c in range(int(labels.max()) + 1)]


def cycle_error(images: np.ndarray, cycled: np.ndarray) -> float:
    """Mean |F(G(x)) − x| over pixels, images in [0, 1]."""
    return float(np.mean(np.abs(cycled.astype(np.float64) - images.astype(np.float64))))


def _test(run: Run, domain: str) -> tuple[np.ndarray, np.ndarray]:
    with np.load(domain_dir(run.data, domain) / files.TEST) as f:
        return f["x"], f["y"]


def score_direction(run: Run, translated: np.ndarray, source: str, target: str, labels_shared: bool,
                    load_model: Callable) -> dict:
    """One direction's metrics, translated images in [0, 1] scored in ``target``'s space."""
    reference_dir = domain_dir(run.reference, target)
    evaluator = load_model(reference_dir / files.EVALUATOR)
    with np.load(reference_dir / files.REFERENCE) as f:
        reference = f["features"]
    source_x, source_y = _test(run, source)
    target_x, target_y = _test(run, target)
    target_labelled = bool(len(target_y)) and bool((target_y >= 0).all())
    n = min(len(translated), len(target_x), run.evaluation["n_samples"])
    features, probs = embed(evaluator, translated)
    # The whole target test set once: its first n are the floor, all of it the ceiling.
    real_features, real_probs = embed(evaluator, target_x)
    settings = metric_settings(run.evaluation)
    metrics = generation_metrics(features[:n], probs[:n], reference, class_based=target_labelled, **settings)
    floor = generation_metrics(real_features[:n], real_probs[:n], reference, class_based=target_labelled, **settings)
    result = {"n_scored": int(n), **with_floor(metrics, floor)}
    if labels_shared:
        _, untranslated = embed(evaluator, source_x)
        result["label_preservation"] = {
            "value": round(accuracy(probs, source_y), 5),
            "per_class": per_class_accuracy(probs, source_y),
            "untranslated": round(accuracy(untranslated, source_y), 5),
            "target_test": round(accuracy(real_probs, target_y), 5),
            "n": int(len(source_y)),
        }
    return result


def score_translations(run: Run, translations: dict, pair: dict, load_model: Callable) -> dict:
    """Both directions' records, their flat headline copies and the cycle errors."""
    shared = bool(pair["labelled"] and pair["shared_classes"])
    out: dict = {}
    for direction, (source, target) in DIRECTIONS.items():
        scored = score_direction(run, translations[direction], source, target, shared, load_model)
        out[direction] = scored
        for name in FLAT:
            if name in scored:
                out[f"{name}_{direction}"] = scored[name]
        if "label_preservation" in scored:
            out[f"label_preservation_{direction}"] = scored["label_preservation"]["value"]
    for domain in ("a", "b"):
        x, _ = _test(run, domain)
        out[f"cycle_l1_{domain}"] = round(cycle_error(x, translations[f"{domain}_cycle"]), 5)
    if not shared:
        out["label_preservation"] = "not applicable: the domains do not share labelled classes"
    return out
