"""The SOM family's stages: train the map, draw its mosaic, hit map and U-matrix, measure its errors."""

from __future__ import annotations

import time
from pathlib import Path
from types import ModuleType

import numpy as np

from genzoo import files
from genzoo.version import __version__
from genzoo.families.som import kohonen as som
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.runs import Run
from genzoo.subset import seeded_indices
from genzoo.scoring.record import write_scores


def train(module: ModuleType, run: Run) -> dict:
    """Train a map on a seeded subset of the training images; log its errors with dvclive.

    Writes to ``run.trained`` the weights (``weights`` (rows·cols, H·W·C), ``indices`` of the
    training images used) and the info file. Training takes seconds, so it does not
    checkpoint.
    """
    from genzoo.training import open_live

    params = run.params
    with np.load(run.data / files.TRAIN) as f:
        x = f["x"]
    indices = seeded_indices(len(x), params["max_samples"], run.seed)
    data = x[indices].reshape(len(indices), -1)
    kohonen_map = module.build(x.shape[1:], None, params, run.seed)

    live = open_live(run.live)

    def log_point(entry: dict) -> None:
        # The plot's x axis is then the iteration, not the count of logged points.
        live.step = entry["step"]
        live.log_metric("quantization_error", entry["quantization_error"])
        live.log_metric("topographic_error", entry["topographic_error"])
        live.next_step()

    start = time.perf_counter()
    weights, history = kohonen_map.fit(data, log_every=params["log_every"], on_log=log_point)
    seconds = time.perf_counter() - start
    live.end()
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,  # a model file from another version says so on load
        "rows": params["rows"],
        "cols": params["cols"],
        "image_shape": list(x.shape[1:]),
        "n_samples": int(len(indices)),
        "iterations": params["adjust_iterations"] + params["converge_iterations"],
        "train_seconds": round(seconds, 2),
        "final": {key: history[-1][key] for key in ("quantization_error", "topographic_error")},
        "data_source": read_json(run.data / files.INFO).get("source"),
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        write_npz(tmp / files.SOM_WEIGHTS, weights=weights, indices=indices)
        write_json(tmp / files.INFO, info)
    return info


def sample(module: ModuleType, run: Run) -> None:
    """Write the mosaic, hit map and U-matrix to ``run.figures``, their numbers to ``run.samples``.

    A map draws no new images; its "samples" are its weights seen as faces. The hit map
    counts the training images the map was trained on.
    """
    weights, indices, info = _load(run.trained)
    rows, cols = info["rows"], info["cols"]
    train = _flat_unit_norm(run.data / files.TRAIN, indices)
    # Each unit on its own scale: unit-norm weights are tiny and signed, and a common
    # scale would show their contrast poorly.
    low = weights.min(axis=1, keepdims=True)
    high = weights.max(axis=1, keepdims=True)
    faces = ((weights - low) / np.maximum(high - low, 1e-12)).reshape(-1, *info["image_shape"])
    hits = som.hit_map(weights, train, rows, cols)
    distances = som.u_matrix(weights, rows, cols)
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figures:
        save_png(figures / "mosaic.png", grid(faces, ncols=cols))
        _heatmap(figures / "hit_map.png", hits,
                 title="Hit map: training faces per unit", label="faces", annotate=True)
        _heatmap(figures / "u_matrix.png", distances,
                 title="U-matrix: mean distance to grid neighbours", label="distance", annotate=False)
        write_json(data / "map.json", {"hits": hits.tolist(), "u_matrix": distances.tolist()})


def evaluate(module: ModuleType, run: Run) -> dict:
    """Write the final quantisation and topographic errors on the training subset and the test set.

    Both are measured on unit-norm images, the space the map was trained in.
    """
    weights, indices, info = _load(run.trained)
    rows, cols = info["rows"], info["cols"]
    parts = {
        "train": _flat_unit_norm(run.data / files.TRAIN, indices),
        "test": _flat_unit_norm(run.data / files.TEST),
    }
    metrics = {
        "model": run.name,
        "quantization_error": {part: som.quantization_error(weights, x) for part, x in parts.items()},
        "topographic_error": {part: som.topographic_error(weights, x, rows, cols) for part, x in parts.items()},
        "data_source": info["data_source"],
        "n_samples": info["n_samples"],
        "n_test": int(len(parts["test"])),
        "train_seconds": info["train_seconds"],
        "device": info["device"],
        "device_name": info["device_name"],
        "rows": rows,
        "cols": cols,
    }
    metrics = write_scores(run, metrics)
    return metrics


def _load(trained_dir: Path) -> tuple[np.ndarray, np.ndarray, dict]:
    with np.load(trained_dir / files.SOM_WEIGHTS) as f:
        weights, indices = f["weights"], f["indices"]
    return weights, indices, read_json(trained_dir / files.INFO)


def _flat_unit_norm(path: Path, indices: np.ndarray | None = None) -> np.ndarray:
    with np.load(path) as f:
        x = f["x"]
    if indices is not None:
        x = x[indices]
    return som.unit_norm(x.reshape(len(x), -1))


def _heatmap(path: Path, values: np.ndarray, *, title: str, label: str, annotate: bool) -> None:
    # The Agg canvas directly: no pyplot, so no global backend state and no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows, cols = values.shape
    fig = Figure(figsize=(1.5 + 0.6 * cols, 0.6 * rows + 0.8), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap="viridis")
    bar = fig.colorbar(image, ax=ax, label=label)
    ax.set_title(title, fontsize=9)
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    if annotate:
        bar.locator = MaxNLocator(integer=True)  # counts: no 0.5 ticks
        middle = (values.min() + values.max()) / 2
        for (r, c), value in np.ndenumerate(values):
            # Light text on the dark end of viridis, dark text on the light end.
            ax.text(c, r, str(value), ha="center", va="center", fontsize=7,
                    color="white" if value < middle else "black")
    fig.savefig(path, format="png")
