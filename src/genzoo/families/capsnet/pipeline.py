"""The capsnet stages: train (resumable), sample (predictions and figures), evaluate (metrics)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType

import keras
import numpy as np

from genzoo import files
from genzoo.version import __version__
from genzoo.families.capsnet import figures
from genzoo.families.capsnet.network import mask
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.metrics.classification import confusion_matrix, confusion_rows, per_class_accuracy
from genzoo.runs import Run
from genzoo.checkpoint import for_run
from genzoo.training import fit
from genzoo.scoring.record import write_scores

log = logging.getLogger("genzoo")

PREDICT_BATCH = 100
N_RECONSTRUCTIONS = 20  # input/reconstruction pairs in the figure
N_POSE_DIGITS = 3       # digits in the pose-parameter figure


def train(module: ModuleType, run: Run) -> dict:
    """Train the CapsNet on the training split; resume from ``run.checkpoints`` if killed.

    Writes the encoder, the decoder and the info file to ``run.trained``.
    """
    params, seed = run.params, run.seed
    x, y = _split(run.data, files.TRAIN)
    if params["max_train"] is not None:
        x, y = x[: params["max_train"]], y[: params["max_train"]]
    n_classes = read_json(run.data / files.INFO)["n_classes"]
    model = module.build(x.shape[1:], n_classes, params, seed)
    checkpoint = for_run(module, run, int(len(x)), [files.TRAIN])
    shown = x[:18]

    def draw_grid() -> np.ndarray:
        recon = model.predict(shown, verbose=0)["reconstructions"]
        # 36 tiles make a 6×6 grid whose rows alternate: 6 inputs, their reconstructions, ...
        return np.concatenate([part for k in range(0, 18, 6) for part in (shown[k : k + 6], recon[k : k + 6])])

    timing = fit(
        model, x, y, epochs=params["epochs"], batch_size=params["batch_size"], seed=seed,
        live_dir=run.live, draw_grid=draw_grid, grid_every=1, speed=run.speed,
        name=run.name, checkpoint=checkpoint,
    )
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,  # a model file from another version says so on load
        "image_shape": list(x.shape[1:]),
        "n_train": int(len(x)),
        "parameters": int(model.count_params()),
        "routing_iterations": params["routing_iterations"],
        "shift": params["shift"],
        **timing,
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        model.encoder.save(tmp / files.ENCODER)
        model.decoder.save(tmp / files.DECODER)
        write_json(tmp / files.INFO, info)
    return info


def sample(module: ModuleType, run: Run) -> None:
    """Classify and reconstruct the test set; write predictions, confusion rows and figures.

    ``run.samples``: the predictions (labels, predicted, lengths, per-image squared error)
    and the confusion rows; ``run.figures``: reconstructions.png and pose.png.
    """
    class_names = read_json(run.data / files.INFO)["class_names"]
    x, labels = _split(run.data, files.TEST)
    encoder = keras.models.load_model(run.trained / files.ENCODER)
    decoder = keras.models.load_model(run.trained / files.DECODER)
    capsules = encoder.predict(x, batch_size=PREDICT_BATCH, verbose=2)
    lengths = np.sqrt((capsules**2).sum(-1))
    predicted = lengths.argmax(-1)
    recon = decoder.predict(_masked(capsules, predicted), batch_size=PREDICT_BATCH, verbose=0)
    sse = ((recon - x) ** 2).reshape(len(x), -1).sum(-1)

    picks = _distinct_digits(labels, N_POSE_DIGITS)
    sweeps = _pose_sweeps(decoder, capsules[picks], predicted[picks])
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figure_dir:
        write_npz(data / files.PREDICTIONS, labels=labels, predicted=predicted, lengths=lengths, sse=sse)
        write_json(data / files.CONFUSION, confusion_rows(labels, predicted, class_names))
        n = N_RECONSTRUCTIONS
        figures.reconstruction_figure(
            figure_dir / "reconstructions.png", x[:n], recon[:n], labels[:n], predicted[:n], class_names
        )
        titles = [f"label {class_names[labels[i]]}, pred {class_names[predicted[i]]}" for i in picks]
        figures.pose_figure(figure_dir / "pose.png", sweeps, titles)


def evaluate(module: ModuleType, run: Run) -> dict:
    """Test accuracy, error, per-class accuracy, reconstruction error, timing and size."""
    info = read_json(run.trained / files.INFO)
    data_info = read_json(run.data / files.INFO)
    class_names = data_info["class_names"]
    with np.load(run.samples / files.PREDICTIONS) as f:
        labels, predicted, sse = f["labels"], f["predicted"], f["sse"]
    accuracy = float((labels == predicted).mean())
    pixels = int(np.prod(info["image_shape"]))
    per_class = per_class_accuracy(confusion_matrix(labels, predicted, len(class_names)))
    metrics = {
        "accuracy": round(accuracy, 4),
        "test_error": round(1.0 - accuracy, 4),
        "per_class_accuracy": {name: None if v is None else round(v, 4) for name, v in zip(class_names, per_class)},
        # Sum of squared pixel errors per test image (the training loss's SSE), with the
        # decoder fed the predicted capsule, as at test time in the paper; and per pixel.
        "reconstruction_error": round(float(sse.mean()), 3),
        "reconstruction_mse": round(float(sse.mean()) / pixels, 5),
        "data_source": data_info.get("source"),
        "n_test": int(len(labels)),
        "n_train": info["n_train"],
        "epochs": info["epochs"],
        "routing_iterations": info["routing_iterations"],
        "parameters": info["parameters"],
        "train_seconds": info["train_seconds"],
        "images_per_second": info["images_per_second"],
        "device": info["device"],
        "device_name": info.get("device_name"),  # where it trained
    }
    metrics = write_scores(run, metrics)
    return metrics


def _split(data_dir: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    path = data_dir / split
    with np.load(path) as f:
        if "y" not in f:
            raise ValueError(f"{path} has no labels `y`; capsnet needs a labelled dataset such as mnist")
        return f["x"].astype("float32"), f["y"].astype("int64")


def _masked(capsules: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return keras.ops.convert_to_numpy(mask(capsules, classes))


def _distinct_digits(labels: np.ndarray, n: int) -> list[int]:
    """The first test image of each of the first ``n`` classes met, so the panels differ."""
    picks, seen = [], set()
    for i, label in enumerate(labels.tolist()):
        if label not in seen:
            picks.append(i)
            seen.add(label)
        if len(picks) == n:
            break
    return picks


def _pose_sweeps(decoder: keras.Model, capsules: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Decode every tweak of each example's predicted capsule: (examples, dims, steps, H, W, C)."""
    batches, classes = [], []
    for example, k in zip(capsules, predicted.tolist()):
        tweaked = figures.tweak_poses(example[k])
        batch = np.repeat(example[None], len(tweaked) * tweaked.shape[1], axis=0)
        batch[:, k] = tweaked.reshape(len(batch), -1)
        batches.append(batch)
        classes.append(np.full(len(batch), k))
    # One decoder call for all examples: each predict call on a new shape traces again.
    images = decoder.predict(_masked(np.concatenate(batches), np.concatenate(classes)), verbose=0)
    dims, steps = tweaked.shape[:2]
    return images.reshape(len(capsules), dims, steps, *images.shape[1:])
