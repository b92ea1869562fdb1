"""The train and sample stages of the generative models."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from genzoo import models
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.models.gan import generate
from genzoo.training import fit

GRID_SEED = 1234  # fixed codes, so the per-epoch grids show one set of faces/digits evolving


def train_model(
    name: str,
    data_dir: str | Path,
    out_dir: str | Path,
    live_dir: str | Path,
    *,
    params: dict,
    seed: int,
    device: dict,
) -> dict:
    """Build model ``name`` from its params, train it on the prepared data, save it.

    Writes ``out_dir/generator.keras``, ``out_dir/discriminator.keras`` and
    ``out_dir/info.json`` (latent settings, timing, device).
    """
    module = models.get(name)
    data_dir = Path(data_dir)
    with np.load(data_dir / "train.npz") as f:
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
        "kind": module.KIND,
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


def draw_samples(trained_dir: str | Path, out_dir: str | Path, *, n: int, seed: int) -> None:
    """Write ``out_dir/grid.png`` (8×8) and ``out_dir/samples.npz`` (``n`` images in [0, 1])."""
    trained_dir = Path(trained_dir)
    info = read_json(trained_dir / "info.json")
    generator = keras.models.load_model(trained_dir / "generator.keras")
    sampling = {key: info[key] for key in ("latent_dim", "latent", "pixel_range")}
    images = generate(generator, n, seed=seed, **sampling)
    with atomic_dir(out_dir) as tmp:
        scale = max(1, 512 // (8 * images.shape[2]))  # enlarge 28×28 digits to a legible size
        save_png(tmp / "grid.png", grid(images[:64], ncols=8), scale=scale)
        write_npz(tmp / "samples.npz", images=images)
