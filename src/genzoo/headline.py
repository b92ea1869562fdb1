"""The declared metrics: the few numbers per model that a terminal compares.

Each evaluate stage writes two files. ``metrics/models/<model>.json`` is declared in
dvc.yaml as a metric and holds only this module's headline, flat numbers under short keys,
so that ``dvc exp show --only-changed`` and ``dvc metrics diff`` show what moved and
nothing else. ``metrics/details/models/<model>.json`` holds the whole record (floors,
histograms, per-class lists, counts, timings, the device), which the report reads; it is
not a metric, so a rerun that only took longer changes no declared number.
"""

from __future__ import annotations

from typing import Any, Mapping

# short key -> (record key, field): field picks from {"value", "floor"} entries or from
# per-split dicts; None takes a plain number. A model reports the keys its record has.
MODEL = {
    "fid": ("fid", "value"),
    "kid": ("kid", "value"),
    "precision": ("precision", "value"),
    "recall": ("recall", "value"),
    "density": ("density", "value"),
    "coverage": ("coverage", "value"),
    "classes": ("classes_covered", "value"),
    "entropy": ("class_entropy", "value"),
    "class_score": ("classifier_score", "value"),
    "memorisation": ("memorisation_ratio", "value"),
    "accuracy": ("accuracy", None),
    "iw_bound": ("test_iw_bound_binarized", None),
    "elbo": ("test_elbo_binarized", None),
    "kl": ("test_kl_binarized", None),
    "label_fidelity": ("label_fidelity", None),
    "purity": ("kmeans_purity", None),
    "recon_bce": ("reconstruction_bce", None),
    "recon_mse": ("reconstruction_mse", None),
    "qe": ("quantization_error", "test"),
    "te": ("topographic_error", "test"),
    # A translation model (cyclegan), each way: G(a) in B's evaluator space, F(b) in A's.
    "label_ab": ("label_preservation_a_to_b", None),
    "label_ba": ("label_preservation_b_to_a", None),
    "fid_ab": ("fid_a_to_b", "value"),
    "fid_ba": ("fid_b_to_a", "value"),
    "cycle_a": ("cycle_l1_a", None),
    "cycle_b": ("cycle_l1_b", None),
}

# The floor's metrics, per image size, in a reference's headline.
FLOOR = ("fid", "kid", "precision", "recall", "density", "coverage", "classes", "entropy", "class_score")

LOWER_IS_BETTER = {"fid", "kid", "recon_bce", "recon_mse", "qe", "te", "kl", "fid_ab", "fid_ba", "cycle_a", "cycle_b"}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def pick(record: Mapping[str, Any], key: str, field: str | None) -> Any:
    """``record[key]``, or its ``field`` when it is a dict; None when absent."""
    value = record.get(key)
    if field is not None:
        value = value.get(field) if isinstance(value, Mapping) else None
    return value


def model_headline(record: Mapping[str, Any]) -> dict[str, float]:
    """``{short key: number}`` of a model's whole record, in ``MODEL``'s order."""
    found = {}
    for short, (key, field) in MODEL.items():
        value = pick(record, key, field)
        if _number(value):
            found[short] = value
    return found


def reference_headline(record: Mapping[str, Any]) -> dict[str, Any]:
    """A reference's evaluator accuracy, ladder verdict and floor at each image size."""
    found: dict[str, Any] = {}
    accuracy = (record.get("evaluator") or {}).get("test_accuracy")
    if _number(accuracy):
        found["evaluator_accuracy"] = accuracy
    if _number(record.get("ladder_checks_passed")):
        found["ladder_passed"] = record["ladder_checks_passed"]
    floors = {}
    for size, floor in (record.get("floor") or {}).items():
        short = {name: MODEL[name][0] for name in FLOOR}
        values = {name: round(floor[key], 5) for name, key in short.items() if _number(floor.get(key))}
        if values:
            floors[size] = values
    if floors:
        found["floor"] = floors
    return found
