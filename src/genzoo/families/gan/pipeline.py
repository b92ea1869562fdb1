"""The GAN family's stages: train a model, draw its figures and samples, score the samples."""

from __future__ import annotations

import logging
from pathlib import Path

import keras
import numpy as np

from genzoo import models
from genzoo.evaluation import score_samples
from genzoo.families.gan.figures import decode, interpolation_codes, memorisation, memorisation_panel
from genzoo.families.gan.game import generate
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
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

    Writes ``out_dir/generator.keras``, ``out_dir/discriminator.keras`` (the critic, for a
    WGAN) and ``out_dir/info.json`` (latent settings, timing, device). GAN runs on the
    laptop profile take minutes, so they start over rather than resume: ``checkpoint_dir``
    is unused.
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
    """Write the sample figures and the samples that evaluate scores.

    ``out_dir/figures``: grid.png (8×8), interpolation.png (8 lines through latent space)
    and, for faces, memorisation.png (generated faces above their nearest training faces).
    ``out_dir/data``: samples.npz (``n_samples`` images in [0, 1]) and, for faces,
    memorisation.json.
    """
    trained_dir, data_dir = Path(trained_dir), Path(data_dir)
    info = read_json(trained_dir / "info.json")
    generator = keras.models.load_model(trained_dir / "generator.keras")
    sampling = {key: info[key] for key in ("latent_dim", "latent", "pixel_range")}
    images = generate(generator, evaluation["n_samples"], seed=seed, **sampling)
    codes = interpolation_codes(8, 10, latent_dim=info["latent_dim"], latent=info["latent"], seed=INTERPOLATION_SEED)
    strip = decode(generator, codes, info["pixel_range"])
    scale = max(1, 512 // (8 * images.shape[2]))  # enlarge 28×28 digits to a legible size
    with atomic_dir(out_dir) as tmp:
        (tmp / "figures").mkdir()
        (tmp / "data").mkdir()
        save_png(tmp / "figures" / "grid.png", grid(images[:64], ncols=8), scale=scale)
        save_png(tmp / "figures" / "interpolation.png", grid(strip, ncols=10), scale=scale)
        write_npz(tmp / "data" / "samples.npz", images=images)
        if params["dataset"] in MEMORISATION_DATASETS:
            # Compared at the model's own size, so a resized dataset is matched like for like.
            view = {"image_size": images.shape[1]}
            with np.load(data_dir / "train.npz") as f:
                train_images = training_images(f["x"], view, seed)
            with np.load(data_dir / "test.npz") as f:
                test_images = training_images(f["x"], view, seed)
            panel = memorisation_panel(images, train_images)
            save_png(tmp / "figures" / "memorisation.png", grid(panel, ncols=len(panel) // 2), scale=scale)
            write_json(tmp / "data" / "memorisation.json", memorisation(images, train_images, test_images))


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
    """Score the samples in the dataset's evaluator space, each metric with its floor.

    Where sampling made a memorisation check (faces), its medians and ratio join the metrics.
    """
    samples_dir = Path(samples_dir)
    result = score_samples(
        name, samples_dir / "data" / "samples.npz", Path(trained_dir) / "info.json", evaluator_dir,
        Path(data_dir) / "info.json", out_path, evaluation=evaluation, seed=seed,
    )
    check = samples_dir / "data" / "memorisation.json"
    if check.exists():
        result["memorisation"] = read_json(check)
        # Test images against train give 1 by construction: that is the real-data floor.
        result["memorisation_ratio"] = {"value": result["memorisation"]["ratio"], "floor": 1.0}
        write_json(out_path, result)
    return result
