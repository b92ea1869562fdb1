"""Tiny prepared datasets, references and ``Run``s for the scoring and family pipeline tests.

The files are written with the names in ``genzoo.files`` and the keys the prepare stage
writes, so a test runs the product's own stage code on seconds' worth of data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genzoo import files
from genzoo.io import write_json, write_npz
from genzoo.runs import Run

DIGITS = [str(k) for k in range(10)]
# Small enough for seconds, large enough for every metric: k-NN with k = 3, 2 score splits.
EVALUATION = {"n_samples": 20, "n_reference": 40, "pr_k": 3, "dc_k": 3, "classifier_score_splits": 2,
              "round_trip_sizes": [32]}
EVALUATOR = {"epochs": 1, "batch_size": 32, "learning_rate": 1e-3, "max_train": None}
DEVICE = {"device": "cpu", "device_name": "test"}


def bars(n: int, seed: int, size: int = 28, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images of ``classes`` classes: class k is a bright bar at its own height, on faint noise."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % classes
    images = (rng.random((n, size, size, 1)) * 0.1).astype("float32")
    step = max(1, (size - 4) // classes)
    for image, k in zip(images, labels):
        image[1 + step * k : 3 + step * k, size // 5 : 4 * size // 5] = 1.0
    return images, labels.astype("int64")


def blobs(n: int, seed: int, size: int = 16) -> np.ndarray:
    """``n`` unlabelled 'faces': a bright disc at a random place, brighter on top, so rotations differ."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[:size, :size]
    images = np.zeros((n, size, size, 1), "float32")
    for image, (r, c) in zip(images, rng.integers(size // 4, 3 * size // 4, (n, 2))):
        disc = (rows - r) ** 2 + (cols - c) ** 2 <= (size // 4) ** 2
        image[..., 0] = disc * (1.0 - rows / (2 * size))
    return images


def write_data(path: Path, *, labelled: bool = True, n_train: int = 60, n_test: int = 30, size: int = 28,
               dataset: str | None = None) -> Path:
    """A prepared dataset directory: train.npz, test.npz and info.json."""
    if labelled:
        (x_train, y_train), (x_test, y_test) = bars(n_train, 0, size), bars(n_test, 1, size)
    else:
        x_train, x_test = blobs(n_train, 0, size), blobs(n_test, 1, size)
        y_train, y_test = np.full(n_train, -1, "int64"), np.full(n_test, -1, "int64")
    write_npz(path / files.TRAIN, x=x_train, y=y_train)
    write_npz(path / files.TEST, x=x_test, y=y_test)
    write_json(path / files.INFO, {
        "dataset": dataset or ("mnist" if labelled else "faces"),
        "source": "generated",
        "has_labels": labelled,
        "n_classes": 10 if labelled else 0,
        "class_names": DIGITS if labelled else None,
        "counts": {"train": n_train, "test": n_test},
        "image_shape": list(x_train.shape[1:]),
    })
    return path


def write_reference(data_dir: Path, out_dir: Path, metrics_path: Path, seed: int = 0) -> dict:
    """The reference stage on ``data_dir``: a one-epoch evaluator, reference features and floor."""
    from genzoo.scoring.reference import build_reference

    return build_reference(data_dir, out_dir, metrics_path, details_path=metrics_path.with_suffix(".details.json"),
                           profile="test", evaluator=EVALUATOR, evaluation=EVALUATION, seed=seed, device=DEVICE)


def make_run(tmp: Path, name: str, params: dict, data: Path, *, reference: Path | None = None, seed: int = 0) -> Run:
    """A ``Run`` for every stage of ``name``, with all its paths under ``tmp``."""
    return Run(
        name=name, params=params, seed=seed, evaluation=EVALUATION, data=data, trained=tmp / "trained",
        device=DEVICE, live=tmp / "live", checkpoints=tmp / "checkpoints", samples=tmp / "samples",
        figures=tmp / "figures", reference=reference, metrics=tmp / "metrics.json", details=tmp / "details.json",
    )
