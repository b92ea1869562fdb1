"""The reference stage: train the evaluator, embed the reference images, score the floor."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genzoo import files
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.images import resized
from genzoo.scoring import ladder
from genzoo.scoring.evaluator import embed, train_evaluator
from genzoo.scoring.samples import generation_metrics, metric_settings, size_key
from genzoo.subset import seeded_indices, seeded_subset
from genzoo.scoring.record import write_reference_scores


def floors_by_size(test_images: np.ndarray, sizes, score) -> dict:
    """The real-vs-real floor at the data's own size and at every other size in ``sizes``.

    A model that trains at another size (``image_size``) sees the test images only through
    a resize there and back; the resize alone costs FD, KID and recall, so its floor is the
    test images sent through the same round trip, not the untouched ones.
    """
    floors = {size_key(test_images): score(test_images)}
    for size in sizes:
        round_trip = resized(test_images, size)
        if size_key(round_trip) not in floors:
            floors[size_key(round_trip)] = score(round_trip)
    for floor in floors.values():
        floor["n"] = int(len(test_images))
    return floors


def build_reference(
    data_dir: str | Path,
    out_dir: str | Path,
    metrics_path: str | Path,
    *,
    details_path: str | Path,
    profile: str,
    evaluator: dict,
    evaluation: dict,
    seed: int,
    device: dict,
    speed: dict | None = None,
) -> dict:
    """Train the evaluator, embed the reference (train) set, score the floors and the ladder.

    The floor scores ``n_samples`` test images exactly as a model's ``n_samples`` generated
    images are scored, so a model's number and its floor share the same sample-size bias;
    there is one floor per size in ``evaluation.round_trip_sizes`` (``floors_by_size``).
    The validation ladder (``genzoo.scoring.ladder``) scores disturbed and degenerate
    versions of the same test images, and the metrics say which of its checks hold.

    Writes ``out_dir``'s evaluator, reference features and floor (names in ``genzoo.files``)
    the whole record to ``details_path`` and its headline (evaluator accuracy, ladder verdict,
    floors) to the declared ``metrics_path``. ``speed``: the training path's settings (``speed.resolve``).
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
        speed=speed,
    )
    reference, _ = embed(model, seeded_subset(x_train, evaluation["n_reference"], seed))
    index = seeded_indices(len(x_test), evaluation["n_samples"], seed)
    test_images, test_labels = x_test[index], y_test[index]
    settings = metric_settings(evaluation)

    def score(images: np.ndarray) -> dict:
        features, probs = embed(model, images)
        return generation_metrics(features, probs, reference, class_based=has_labels, **settings)

    floors = floors_by_size(test_images, evaluation["round_trip_sizes"], score)
    native = floors[size_key(test_images)]
    steps = ladder.score_rungs(test_images, test_labels if has_labels else None, seed, score)
    checks = ladder.checks(steps, native)
    with atomic_dir(out_dir) as tmp:
        model.save(tmp / files.EVALUATOR)
        write_npz(tmp / files.REFERENCE, features=reference)
        write_json(tmp / files.FLOOR, floors)
    metrics = {
        "dataset": info["dataset"],
        "data_source": info["source"],
        "counts": info["counts"],
        "evaluator": summary,
        "device": device["device"],
        "n_reference": int(len(reference)),
        "floor": floors,
        "ladder_size": size_key(test_images),
        "ladder": steps,
        "ladder_checks_passed": int(sum(checks.values())),
        "ladder_checks_total": len(checks),
        "ladder_failures": sorted(name for name, held in checks.items() if not held),
    }
    return write_reference_scores(details_path, metrics_path, metrics, profile)
