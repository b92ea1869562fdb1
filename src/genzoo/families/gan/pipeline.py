"""The GAN family's stages: train a model, draw its grid and samples, score the samples."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from genzoo import models
from genzoo.evaluation import score_samples
from genzoo.families.gan.game import generate
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.training import fit

GRID_SEED = 1234  # fixed codes, so the per-epoch grids show one set of digits/faces evolving


def train(
    name: str,
    *,
    data_dir: Path,
    out_dir: Path,
    live_dir: Path,
    checkpoint_dir: Path,
    params: dict,
    seed: int,
    device: dict,
) -> dict:
    """Build model ``name`` from its params, train it on the prepared data, save it.

    Writes ``out_dir/generator.keras``, ``out_dir/discriminator.keras`` and
    ``out_dir/info.json`` (latent settings, timing, device). GAN runs on the laptop
    profile take minutes, so they start over rather than resume: ``checkpoint_dir``
    is unused.
    """
    module = models.get(name)
    with np.load(Path(data_dir) / "train.npz") as f:
        x_train = f["x"]
    model = module.build(x_train.shape[1:], params, seed)
    sampling = {"latent_dim": model.latent_dim, "latent": model.latent, "pixel_range": model.pixel_range}

    def draw_grid() -> np.ndarray:
        return generate(model.generator, 64, seed=GRID_SEED, **sampling)

    timing = fit(
        model, x_train,
        epochs=params["epochs"], batch_size=params["batch_size"], seed=seed,
        live_dir=live_dir, draw_grid=draw_grid, grid_every=params["grid_every"],
    )
    info = {
        "model": name,
        "family": module.FAMILY,
        "image_shape": list(x_train.shape[1:]),
        "n_train": int(len(x_train)),
        **sampling,
        **timing,
        **device,
    }
    with atomic_dir(out_dir) as tmp:
        model.generator.save(tmp / "generator.keras")
        model.discriminator.save(tmp / "discriminator.keras")
        write_json(tmp / "info.json", info)
    return info


def sample(
    name: str,
    *,
    trained_dir: Path,
    data_dir: Path,
    out_dir: Path,
    params: dict,
    evaluation: dict,
    seed: int,
) -> None:
    """Write ``figures/grid.png`` (8×8) and ``data/samples.npz`` (``n_samples`` images in [0, 1])."""
    info = read_json(Path(trained_dir) / "info.json")
    generator = keras.models.load_model(Path(trained_dir) / "generator.keras")
    sampling = {key: info[key] for key in ("latent_dim", "latent", "pixel_range")}
    images = generate(generator, evaluation["n_samples"], seed=seed, **sampling)
    with atomic_dir(out_dir) as tmp:
        (tmp / "figures").mkdir()
        (tmp / "data").mkdir()
        scale = max(1, 512 // (8 * images.shape[2]))  # enlarge 28×28 digits to a legible size
        save_png(tmp / "figures" / "grid.png", grid(images[:64], ncols=8), scale=scale)
        write_npz(tmp / "data" / "samples.npz", images=images)


def evaluate(
    name: str,
    *,
    trained_dir: Path,
    samples_dir: Path,
    data_dir: Path,
    evaluator_dir: Path,
    out_path: Path,
    params: dict,
    evaluation: dict,
    seed: int,
) -> dict:
    """Score the samples in the dataset's evaluator space, each metric with its floor."""
    return score_samples(
        name, Path(samples_dir) / "data" / "samples.npz", Path(trained_dir) / "info.json", evaluator_dir,
        Path(data_dir) / "info.json", out_path, evaluation=evaluation, seed=seed,
    )
