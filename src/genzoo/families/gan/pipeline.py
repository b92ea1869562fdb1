"""The GAN family's stages: train a model, draw its figures and samples, score the samples."""

from __future__ import annotations

import logging
from types import ModuleType

import keras
import numpy as np

from genzoo import files
from genzoo.version import __version__
from genzoo.families.gan.figures import decode, interpolation_codes, memorisation, memorisation_panel
from genzoo.families.gan.game import generate
from genzoo.images import grid, resized, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.runs import Run
from genzoo.scoring.samples import score_samples
from genzoo.subset import seeded_subset
from genzoo.checkpoint import for_run
from genzoo.training import fit
from genzoo.scoring.record import write_scores

GRID_SEED = 1234  # fixed codes, so the per-epoch grids show one set of faces/digits evolving
INTERPOLATION_SEED = 4321
MEMORISATION_DATASETS = ("faces",)  # few training images, so copying them is a real risk
log = logging.getLogger(__name__)


def training_images(x: np.ndarray, params: dict, seed: int) -> np.ndarray:
    """The model's own view of the training set: capped at ``max_train``, resized to ``image_size``.

    Both keys are optional per model: the WGANs train on Fashion-MNIST at 32×32 or 64×64 while the
    dataset (and its evaluator) stay 28×28; the evaluator resizes samples back when scoring.
    """
    return resized(seeded_subset(x, params.get("max_train"), seed), params.get("image_size"))


def train(module: ModuleType, run: Run) -> dict:
    """Build ``module``'s GAN from ``run.params``, train it on the prepared data, save it.

    Writes the generator, the discriminator (the critic, for a WGAN) and the info file to
    ``run.trained``. GAN runs on the laptop profile take minutes, so they start over rather
    resumes a killed run from ``run.checkpoints`` after its last finished epoch.
    """
    params = run.params
    with np.load(run.data / files.TRAIN) as f:
        x_train = training_images(f["x"], params, run.seed)
    model = module.build(x_train.shape[1:], None, params, run.seed)
    sampling = {"latent_dim": model.latent_dim, "latent": model.latent, "pixel_range": model.pixel_range}

    def draw_grid() -> np.ndarray:
        return generate(model.generator, 64, seed=GRID_SEED, **sampling)

    # A Wasserstein model takes n_critic critic batches per generator step from each batch.
    images_per_step = params["batch_size"] * model.n_critic
    log.info("training %s on %d images of %s, %d epochs", run.name, len(x_train), x_train.shape[1:], params["epochs"])
    timing = fit(
        model, x_train,
        epochs=params["epochs"], batch_size=images_per_step, seed=run.seed,
        live_dir=run.live, draw_grid=draw_grid, grid_every=params["grid_every"], speed=run.speed,
        name=run.name, checkpoint=for_run(module, run, len(x_train), [files.TRAIN]),
    )
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,  # a model file from another version says so on load
        "image_shape": list(x_train.shape[1:]),
        "n_train": int(len(x_train)),
        **sampling,
        **timing,
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        model.generator.save(tmp / files.GENERATOR)
        model.discriminator.save(tmp / files.DISCRIMINATOR)
        write_json(tmp / files.INFO, info)
    return info


def sample(module: ModuleType, run: Run) -> None:
    """Write the sample figures and the samples that evaluate scores.

    ``run.figures``: grid.png (8×8), interpolation.png (8 lines through latent space) and,
    for faces, memorisation.png (generated faces above their nearest training faces).
    ``run.samples``: the samples (``n_samples`` images in [0, 1]) and, for faces, the
    memorisation check's numbers.
    """
    info = read_json(run.trained / files.INFO)
    generator = keras.models.load_model(run.trained / files.GENERATOR)
    sampling = {key: info[key] for key in ("latent_dim", "latent", "pixel_range")}
    images = generate(generator, run.evaluation["n_samples"], seed=run.seed, **sampling)
    codes = interpolation_codes(8, 10, latent_dim=info["latent_dim"], latent=info["latent"], seed=INTERPOLATION_SEED)
    strip = decode(generator, codes, info["pixel_range"])
    scale = max(1, 512 // (8 * images.shape[2]))  # enlarge 28×28 digits to a legible size
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figures:
        save_png(figures / "grid.png", grid(images[:64], ncols=8), scale=scale)
        save_png(figures / "interpolation.png", grid(strip, ncols=10), scale=scale)
        write_npz(data / files.SAMPLES, images=images)
        if run.params["dataset"] in MEMORISATION_DATASETS:
            # Compared at the model's own size, so a resized dataset is matched like for like.
            with np.load(run.data / files.TRAIN) as f:
                train_images = resized(f["x"], images.shape[1])
            with np.load(run.data / files.TEST) as f:
                test_images = resized(f["x"], images.shape[1])
            panel = memorisation_panel(images, train_images)
            save_png(figures / "memorisation.png", grid(panel, ncols=len(panel) // 2), scale=scale)
            write_json(data / files.MEMORISATION, memorisation(images, train_images, test_images))


def evaluate(module: ModuleType, run: Run) -> dict:
    """Score the samples in the dataset's evaluator space, each metric with its floor.

    Where sampling made a memorisation check (faces), its medians and ratio join the metrics.
    """
    result = score_samples(run)
    check = run.samples / files.MEMORISATION
    if check.exists():
        result["memorisation"] = read_json(check)
        # Test images against train give 1 by construction: that is the real-data floor.
        result["memorisation_ratio"] = {"value": result["memorisation"]["ratio"], "floor": 1.0}
        result = write_scores(run, result)
    return result
