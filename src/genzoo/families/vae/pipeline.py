"""train / sample / evaluate for the VAE models (one ``models:`` entry per latent size)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import keras
import numpy as np

from genzoo import files
from genzoo.version import __version__
from genzoo.families.vae.bounds import binarized_digits, heldout_elbo, importance_weighted_bound
from genzoo.families.vae.figures import manifold, prior_samples
from genzoo.families.vae.model import decode, encode
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, write_json, write_npz
from genzoo.latent import project_2d, reconstruction_pairs, save_scatter, scatter_rows
from genzoo.runs import Run
from genzoo.scoring.samples import score_samples
from genzoo.checkpoint import for_run
from genzoo.training import fit
from genzoo.scoring.record import write_scores

GRID_SEED = 1234  # fixed prior codes, so the per-epoch grids show one set of digits evolving
N_PAIRS = 50  # test digits shown next to their reconstructions


def _load(split: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(split) as f:
        return f["x"], f["y"]


def train(module: ModuleType, run: Run) -> dict:
    """Fit the VAE; write its encoder, decoder and info file to ``run.trained``."""
    params = run.params
    x_train, _ = _load(run.data / files.TRAIN)
    model = module.build(x_train.shape[1:], None, params, run.seed)

    def draw_grid() -> np.ndarray:
        return prior_samples(model.decoder, 64, model.latent_dim, GRID_SEED)

    timing = fit(
        model, x_train,
        epochs=params["epochs"], batch_size=params["batch_size"], seed=run.seed,
        live_dir=run.live, draw_grid=draw_grid, grid_every=params["grid_every"], speed=run.speed,
        name=run.name, checkpoint=for_run(module, run, len(x_train), [files.TRAIN]),
    )
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,  # a model file from another version says so on load
        "latent_dim": model.latent_dim,
        "image_shape": list(x_train.shape[1:]),
        "n_train": int(len(x_train)),
        **timing,
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        model.encoder.save(tmp / files.ENCODER)
        model.decoder.save(tmp / files.DECODER)
        write_json(tmp / files.INFO, info)
    return info


def _load_networks(trained_dir: Path) -> tuple[keras.Model, keras.Model]:
    return keras.models.load_model(trained_dir / files.ENCODER), keras.models.load_model(trained_dir / files.DECODER)


def sample(module: ModuleType, run: Run) -> None:
    """Reconstructions, prior samples, the manifold (latent 2) and the z_mean scatter.

    Writes PNGs to ``run.figures``; to ``run.samples`` the prior samples (``images`` in
    [0, 1]) and the scatter rows (test z_mean, projected to 2-D when larger, with labels).
    """
    encoder, decoder = _load_networks(run.trained)
    x_test, y_test = _load(run.data / files.TEST)
    z_mean, _ = encode(encoder, x_test)
    images = prior_samples(decoder, run.evaluation["n_samples"], z_mean.shape[1], run.seed)
    projection = run.params["projection"]
    points = project_2d(z_mean, projection, run.seed)
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figures:
        pairs = reconstruction_pairs(x_test[:N_PAIRS], decode(decoder, z_mean[:N_PAIRS]))
        save_png(figures / "reconstructions.png", pairs, scale=2)
        save_png(figures / "prior_samples.png", grid(images[:100], ncols=10), scale=2)
        if z_mean.shape[1] == 2:
            save_png(figures / "manifold.png", manifold(decoder))
        write_npz(data / files.SAMPLES, images=images)
        write_json(data / files.SCATTER, scatter_rows(points, y_test))
        how = "" if z_mean.shape[1] == 2 else f", {projection.upper()} of {z_mean.shape[1]} dimensions"
        save_scatter(figures / "scatter.png", points, y_test, f"{run.name}: test z_mean{how}")


def _test_bounds(encoder: keras.Model, decoder: keras.Model, x: np.ndarray, *, k: int, seed: int, pixels: str) -> dict:
    """The ELBO, its parts and the k-sample IW bound on ``x``, keyed ``test_<bound>_<pixels>``."""
    bound = heldout_elbo(encoder, decoder, x, seed=seed)
    bound["iw_bound"] = importance_weighted_bound(encoder, decoder, x, k=k, seed=seed)
    return {f"test_{name}_{pixels}": round(value, 3) for name, value in bound.items()}


def evaluate(module: ModuleType, run: Run) -> dict:
    """Generation metrics on prior samples plus the test ELBO and importance-weighted bound (nats).

    The bounds are given twice: on a fixed binarisation of the test digits (``_binarized``,
    the literature's convention) and on their grey levels (``_grey``, not a likelihood in
    the literature's sense, kept to compare with earlier runs).
    """
    result = score_samples(run)
    encoder, decoder = _load_networks(run.trained)
    x_test, _ = _load(run.data / files.TEST)
    k = run.params["iw_samples"]
    result |= {
        "latent_dim": int(encoder.output[0].shape[-1]),
        "n_test": int(len(x_test)),
        **_test_bounds(encoder, decoder, binarized_digits(x_test, seed=run.seed), k=k, seed=run.seed,
                       pixels="binarized"),
        **_test_bounds(encoder, decoder, x_test, k=k, seed=run.seed, pixels="grey"),
        "iw_samples": k,
    }
    result = write_scores(run, result)
    return result
