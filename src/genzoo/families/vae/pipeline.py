"""train / sample / evaluate for the VAE chains (one per latent size)."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from genzoo.evaluation import score_samples
from genzoo.families.vae.bounds import importance_weighted_bound, heldout_elbo
from genzoo.families.vae.figures import manifold, prior_samples
from genzoo.families.vae.model import decode, encode
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.latent import project_2d, reconstruction_pairs, save_scatter, scatter_rows
from genzoo.models import vae as vae_model
from genzoo.training import fit

GRID_SEED = 1234  # fixed prior codes, so the per-epoch grids show one set of digits evolving
N_PAIRS = 50  # test digits shown next to their reconstructions


def _load(split: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(split) as f:
        return f["x"], f["y"]


def train(name, *, data_dir, out_dir, live_dir, checkpoint_dir, params, seed, device) -> dict:
    """Fit one VAE chain; write encoder.keras, decoder.keras and info.json to ``out_dir``."""
    x_train, _ = _load(Path(data_dir) / "train.npz")
    model = vae_model.build(x_train.shape[1:], params, seed)

    def draw_grid() -> np.ndarray:
        return prior_samples(model.decoder, 64, model.latent_dim, GRID_SEED)

    timing = fit(
        model, x_train,
        epochs=params["epochs"], batch_size=params["batch_size"], seed=seed,
        live_dir=live_dir, draw_grid=draw_grid, grid_every=params["grid_every"],
    )
    info = {
        "model": name,
        "family": vae_model.FAMILY,
        "latent_dim": model.latent_dim,
        "image_shape": list(x_train.shape[1:]),
        "n_train": int(len(x_train)),
        **timing,
        **device,
    }
    with atomic_dir(out_dir) as tmp:
        model.encoder.save(tmp / "encoder.keras")
        model.decoder.save(tmp / "decoder.keras")
        write_json(tmp / "info.json", info)
    return info


def _load_networks(trained_dir: Path) -> tuple[keras.Model, keras.Model]:
    return (keras.models.load_model(trained_dir / "encoder.keras"),
            keras.models.load_model(trained_dir / "decoder.keras"))


def sample(name, *, trained_dir, data_dir, out_dir, params, evaluation, seed) -> None:
    """Reconstructions, prior samples, the manifold (latent 2) and the z_mean scatter.

    Writes ``figures/*.png`` and ``data/samples.npz`` (``images`` in [0, 1]) and
    ``data/scatter.json`` (test z_mean, projected to 2-D when larger, with labels).
    """
    encoder, decoder = _load_networks(Path(trained_dir))
    x_test, y_test = _load(Path(data_dir) / "test.npz")
    z_mean, _ = encode(encoder, x_test)
    images = prior_samples(decoder, evaluation["n_samples"], z_mean.shape[1], seed)
    points = project_2d(z_mean, params["projection"], seed)
    with atomic_dir(out_dir) as tmp:
        (tmp / "figures").mkdir()
        (tmp / "data").mkdir()
        pairs = reconstruction_pairs(x_test[:N_PAIRS], decode(decoder, z_mean[:N_PAIRS]))
        save_png(tmp / "figures" / "reconstructions.png", pairs, scale=2)
        save_png(tmp / "figures" / "prior_samples.png", grid(images[:100], ncols=10), scale=2)
        if z_mean.shape[1] == 2:
            save_png(tmp / "figures" / "manifold.png", manifold(decoder))
        write_npz(tmp / "data" / "samples.npz", images=images)
        write_json(tmp / "data" / "scatter.json", scatter_rows(points, y_test))
        how = "" if z_mean.shape[1] == 2 else f", {params['projection'].upper()} of {z_mean.shape[1]} dimensions"
        save_scatter(tmp / "figures" / "scatter.png", points, y_test, f"{name}: test z_mean{how}")


def evaluate(name, *, trained_dir, samples_dir, data_dir, evaluator_dir, out_path, params, evaluation, seed) -> dict:
    """Generation metrics on prior samples plus the test ELBO and importance-weighted bound (nats)."""
    trained_dir, data_dir = Path(trained_dir), Path(data_dir)
    result = score_samples(
        name, Path(samples_dir) / "data" / "samples.npz", trained_dir / "info.json", evaluator_dir,
        data_dir / "info.json", out_path, evaluation=evaluation, seed=seed,
    )
    encoder, decoder = _load_networks(trained_dir)
    x_test, _ = _load(data_dir / "test.npz")
    bound = heldout_elbo(encoder, decoder, x_test, seed=seed)
    result |= {
        "latent_dim": int(encoder.output[0].shape[-1]),
        "n_test": int(len(x_test)),
        "test_elbo": round(bound["elbo"], 3),
        "test_reconstruction": round(bound["reconstruction"], 3),
        "test_kl": round(bound["kl"], 3),
        "test_iw_bound": round(
            importance_weighted_bound(encoder, decoder, x_test, k=params["iw_samples"], seed=seed), 3
        ),
        "iw_samples": params["iw_samples"],
    }
    write_json(out_path, result)
    return result
