"""Deterministic, seeded train/test split, subsetting and [0, 1] normalisation."""

from __future__ import annotations

import hashlib
import math
import numbers
import os
from pathlib import Path

import numpy as np

from .. import io
from . import images
from .errors import DataSourceError


def prepare(
    arrays: dict,
    info: dict,
    *,
    seed: int,
    test_fraction: float,
    max_train: int | None,
    max_test: int | None,
    image_size: int | None,
) -> tuple[dict[str, np.ndarray], dict]:
    """Return ({x_train, y_train, x_test, y_test}, info): x float32 in [0, 1] (N,H,W,C), y int64.

    An official split is kept (``test_fraction`` is then unused); otherwise the data are
    split with ``seed``, stratified by label when labelled. Train is shuffled, then both
    parts are cut to ``max_train`` / ``max_test`` keeping class proportions.
    """
    _validate(seed, test_fraction, max_train, max_test, image_size)
    x, y = np.asarray(arrays["x_train"]), np.asarray(arrays["y_train"], dtype=np.int64)
    labelled = bool(info.get("has_labels", False)) and len(y) > 0 and bool((y >= 0).all())
    stratified = False
    if "x_test" in arrays:
        split = "official"
        parts = {"train": (x, y), "test": (np.asarray(arrays["x_test"]), np.asarray(arrays["y_test"], dtype=np.int64))}
    else:
        split = "seeded"
        _check_splittable(len(y), test_fraction, info)
        train_idx, test_idx, stratified = _seeded_split(y, labelled, seed, test_fraction)
        parts = {"train": (x[train_idx], y[train_idx]), "test": (x[test_idx], y[test_idx])}
    # Separate streams, so changing max_test never changes which training images are kept.
    rngs = dict(zip(("train", "test"), np.random.default_rng(seed).spawn(2)))
    limits = {"train": max_train, "test": max_test}
    out = {}
    for part, (xs, ys) in parts.items():
        keep = _subset(ys, limits[part], labelled, rngs[part])
        xs = xs[keep]
        if image_size is not None:
            xs = images.resize(xs, (image_size, image_size))
        out[f"x_{part}"] = (xs.astype(np.float32) / np.float32(255.0))
        out[f"y_{part}"] = ys[keep]
    info = {
        **info,
        "split": split,
        "stratified": stratified,
        "seed": seed,
        "test_fraction": test_fraction if split == "seeded" else None,
        "max_train": max_train,
        "max_test": max_test,
        "image_size": image_size,
        "counts": {"train": len(out["y_train"]), "test": len(out["y_test"])},
        "image_shape": list(out["x_train"].shape[1:]),
        "pixel_range": [0, 1],
        "sha256": {name: _digest(array) for name, array in sorted(out.items())},
    }
    return out, info


def prepare_dir(raw_dir: str | os.PathLike, out_dir: str | os.PathLike, **kwargs) -> dict:
    """prepare() raw_dir/{arrays.npz, info.json} into out_dir/{train.npz, test.npz, info.json}.

    Each .npz holds ``x`` and ``y``; out_dir appears complete or not at all.
    """
    raw_dir = Path(raw_dir)
    # The download stage's output, named by dataset in dvc.yaml: data/raw/<dataset>.
    todo = f"restore it (dvc checkout {raw_dir}) or write it again (dvc repro -f download@{raw_dir.name})"
    arrays = io.read_npz(raw_dir / "arrays.npz", todo)
    data, info = prepare(arrays, io.read_json(raw_dir / "info.json"), **kwargs)
    with io.atomic_dir(out_dir) as tmp:
        for part in ("train", "test"):
            io.write_npz(Path(tmp) / f"{part}.npz", x=data[f"x_{part}"], y=data[f"y_{part}"])
        io.write_json(Path(tmp) / "info.json", info)
    return info


def _check_splittable(count: int, fraction: float, info: dict) -> None:
    """Each part of a seeded split needs an image: the test part takes ceil(count × fraction)."""
    if 1 <= math.ceil(count * fraction) < count:
        return
    needed = next(n for n in range(2, 10**6) if math.ceil(n * fraction) < n)
    dataset = info.get("dataset", "?")
    raise DataSourceError(
        dataset, info.get("source", "?"),
        f"{count} image{'s' if count != 1 else ''} cannot be split into train and test at test_fraction {fraction}",
        f"give it at least {needed} images (datasets.{dataset}.path), "
        f"or set datasets.{dataset}.test_fraction so that each part gets one",
    )


def _seeded_split(y: np.ndarray, labelled: bool, seed: int, fraction: float) -> tuple[np.ndarray, np.ndarray, bool]:
    # scikit-learn is imported here, not at the top: the download stage and params
    # validation import this package and need none of it.
    from sklearn.model_selection import train_test_split

    indices = np.arange(len(y))
    if labelled:
        try:
            train, test = train_test_split(indices, test_size=fraction, random_state=seed, stratify=y)
            return train, test, True
        except ValueError:
            pass  # a class too small to appear on both sides: fall back to a plain split
    train, test = train_test_split(indices, test_size=fraction, random_state=seed, shuffle=True)
    return train, test, False


def _subset(y: np.ndarray, limit: int | None, labelled: bool, rng: np.random.Generator) -> np.ndarray:
    """Shuffled indices into ``y``, at most ``limit`` of them, class-balanced when labelled."""
    order = rng.permutation(len(y))
    if limit is None or limit >= len(y):
        return order
    if labelled:
        order = order[_interleave_classes(y[order])]
    return rng.permutation(order[:limit])  # reshuffle: interleaving leaves a class pattern


def _interleave_classes(y: np.ndarray) -> np.ndarray:
    """A stable reordering in which every prefix holds each class in proportion to its size."""
    _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    by_class = np.argsort(inverse, kind="stable")
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    rank = np.empty(len(y))
    rank[by_class] = np.arange(len(y)) - starts
    return np.argsort((rank + 0.5) / counts[inverse], kind="stable")


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _validate(seed, test_fraction, max_train, max_test, image_size) -> None:
    if not _is_int(seed) or not 0 <= seed < 2**32:  # scikit-learn's random_state range
        raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    if not isinstance(test_fraction, numbers.Real) or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    for name, value, low in (("max_train", max_train, 1), ("max_test", max_test, 1), ("image_size", image_size, 8)):
        if value is not None and (not _is_int(value) or value < low):
            raise ValueError(f"{name} must be an integer >= {low} or None, got {value!r}")


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
