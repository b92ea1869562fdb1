"""The train, sample and evaluate stages of the adversarial (GAN) models."""

from __future__ import annotations

import logging
from pathlib import Path

import keras
import numpy as np

from genzoo import models
from genzoo.evaluation import score_samples
from genzoo.families.gan.figures import decode, interpolation_codes, memorisation, memorisation_panel
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.families.gan.game import generate
from genzoo.training import fit

GRID_SEED = 1234  # fixed codes, so the per-epoch grids show one set of faces/digits evolving
INTERPOLATION_SEED = 4321
MEMORISATION_DATASETS = ("faces",)  # few training images, so copying them is a real risk
log = logging.getLogger(__name__)


def training_images(x: np.ndarray, params: dict, seed: int) -> np.ndarray:
    """The model's own view of the training set: capped at ``max_train``, resized to ``image_size``.

    Both keys are optional per model: the WGANs train on Fashion-MNIST at 64×64 while the
    dataset (and its evaluator) stay 28×28; the evaluator resizes samples back when scoring.
    """
    cap = params.get("max_train")
    if cap is not None and len(x) > cap:
        x = x[np.sort(np.random.default_rng(seed).choice(len(x), cap, replace=False))]
    size = params.get("image_size")
    if size is not None and tuple(x.shape[1:3]) != (size, size):
        import tensorflow as tf

        # Bicubic, as the WGAN write-up resizes; it overshoots a little, hence the clip.
        resized = [tf.image.resize(x[i : i + 1000], (size, size), method="bicubic").numpy() for i in range(0, len(x), 1000)]
        x = np.clip(np.concatenate(resized), 0.0, 1.0).astype(np.float32)
    return x


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

    Writes ``out_dir/generator.keras``, ``out_dir/discriminator.keras`` (the critic, for a
    WGAN) and ``out_dir/info.json`` (latent settings, timing, device).
    """
    module = models.get(name)
    with np.load(Path(data_dir) / "train.npz") as f:
        x_train = training_images(f["x"], params, seed)
    model = module.build(x_train.shape[1:], params, seed)
    sampling = {"latent_dim": model.latent_dim, "latent": model.latent, "pixel_range": model.pixel_range}

    def draw_grid() -> np.ndarray:
        return generate(model.generator, 64, seed=GRID_SEED, **sampling)

    # A Wasserstein model takes n_critic critic batches per generator step from each batch.
    images_per_step = params["batch_size"] * getattr(model, "n_critic", 1)
    log.info("training %s on %d images of %s, %d epochs", name, len(x_train), x_train.shape[1:], params["epochs"])
    timing = fit(
        model, x_train,
        epochs=params["epochs"], batch_size=images_per_step, seed=seed,
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


def draw_samples(
    trained_dir: str | Path, data_dir: str | Path, out_dir: str | Path, *, dataset: str, n: int, seed: int
) -> None:
    """Write the sample figures and the samples that evaluate scores.

    ``out_dir/figures``: grid.png (8×8), interpolation.png (8 lines through latent space)
    and, for faces, memorisation.png (generated faces above their nearest training faces).
    ``out_dir/data``: samples.npz (``n`` images in [0, 1]) and, for faces, memorisation.json.
    """
    trained_dir, data_dir = Path(trained_dir), Path(data_dir)
    info = read_json(trained_dir / "info.json")
    generator = keras.models.load_model(trained_dir / "generator.keras")
    sampling = {key: info[key] for key in ("latent_dim", "latent", "pixel_range")}
    images = generate(generator, n, seed=seed, **sampling)
    codes = interpolation_codes(8, 10, latent_dim=info["latent_dim"], latent=info["latent"], seed=INTERPOLATION_SEED)
    strip = decode(generator, codes, info["pixel_range"])
    scale = max(1, 512 // (8 * images.shape[2]))  # enlarge 28×28 digits to a legible size
    with atomic_dir(out_dir) as tmp:
        (tmp / "figures").mkdir()
        (tmp / "data").mkdir()
        save_png(tmp / "figures/grid.png", grid(images[:64], ncols=8), scale=scale)
        save_png(tmp / "figures/interpolation.png", grid(strip, ncols=10), scale=scale)
        write_npz(tmp / "data/samples.npz", images=images)
        if dataset in MEMORISATION_DATASETS:
            with np.load(data_dir / "train.npz") as f:
                train = training_images(f["x"], {"image_size": images.shape[1]}, seed)
            with np.load(data_dir / "test.npz") as f:
                test = training_images(f["x"], {"image_size": images.shape[1]}, seed)
            save_png(tmp / "figures/memorisation.png", grid(memorisation_panel(images, train), ncols=8), scale=scale)
            write_json(tmp / "data/memorisation.json", memorisation(images, train, test))


def evaluate_model(
    name: str, samples_dir: str | Path, trained_info: str | Path, evaluator_dir: str | Path,
    data_info: str | Path, out_path: str | Path, *, evaluation: dict, seed: int,
) -> dict:
    """The foundation's metrics and floors, plus the memorisation check where sampling made one."""
    samples_dir = Path(samples_dir)
    result = score_samples(
        name, samples_dir / "data/samples.npz", trained_info, evaluator_dir, data_info, out_path,
        evaluation=evaluation, seed=seed,
    )
    check = samples_dir / "data/memorisation.json"
    if check.exists():
        result["memorisation"] = read_json(check)
        write_json(out_path, result)
    return result
