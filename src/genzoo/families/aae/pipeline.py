"""train / sample / evaluate for the AAE models (unsupervised and supervised entries)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import keras
import numpy as np

from genzoo import files
from genzoo.version import __version__
from genzoo.families.aae.figures import prior_samples, style_grid
from genzoo.families.aae.model import N_CLASSES, decode_codes, encode_codes
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.latent import cluster_purity, project_2d, reconstruction_pairs, save_scatter, scatter_rows
from genzoo.runs import Run
from genzoo.scoring.evaluator import embed
from genzoo.scoring.samples import score_samples
from genzoo.checkpoint import for_run
from genzoo.training import fit
from genzoo.scoring.record import write_scores

N_PAIRS = 50  # test digits shown next to their reconstructions


def _load(split: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(split) as f:
        return f["x"], f["y"]


def train(module: ModuleType, run: Run) -> dict:
    """Fit the AAE; write its three networks and the info file to ``run.trained``."""
    params = run.params
    x_train, y_train = _load(run.data / files.TRAIN)
    model = module.build(x_train.shape[1:], N_CLASSES, params, run.seed)
    rng_seed = run.seed + 1  # the per-epoch grid's prior codes, fixed across epochs

    def draw_grid() -> np.ndarray:
        images, _ = prior_samples(model.decoder, 60, model.code_dim, model.prior_std, model.supervised, rng_seed)
        return images

    timing = fit(
        model, x_train, y_train.astype("int32"),
        epochs=params["epochs"], batch_size=params["batch_size"], seed=run.seed,
        live_dir=run.live, draw_grid=draw_grid, grid_every=max(1, params["epochs"] // 5), speed=run.speed,
        name=run.name, checkpoint=for_run(module, run, len(x_train), [files.TRAIN]),
    )
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,  # a model file from another version says so on load
        "supervised": model.supervised,
        "code_dim": model.code_dim,
        "prior_std": model.prior_std,
        "image_shape": list(x_train.shape[1:]),
        "n_train": int(len(x_train)),
        **timing,
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        for network, file_name in ((model.encoder, files.ENCODER), (model.decoder, files.DECODER),
                                   (model.discriminator, files.DISCRIMINATOR)):
            network.save(tmp / file_name)
        write_json(tmp / files.INFO, info)
    return info


def _load_networks(trained_dir: Path) -> tuple[keras.Model, keras.Model]:
    return keras.models.load_model(trained_dir / files.ENCODER), keras.models.load_model(trained_dir / files.DECODER)


def sample(module: ModuleType, run: Run) -> None:
    """Reconstructions, the style grid, prior samples and the 2-D map of the test codes.

    Writes PNGs to ``run.figures``; to ``run.samples`` the prior samples (``images`` in
    [0, 1] and the ``labels`` fed to the decoder) and the scatter rows (2-D codes, true labels).
    """
    info = read_json(run.trained / files.INFO)
    encoder, decoder = _load_networks(run.trained)
    supervised = info["supervised"]
    x_test, y_test = _load(run.data / files.TEST)
    codes = encode_codes(encoder, x_test)
    images, labels = prior_samples(
        decoder, run.evaluation["n_samples"], info["code_dim"], info["prior_std"], supervised, run.seed
    )
    projection = run.params["projection"]
    points = project_2d(codes, projection, run.seed)
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figures:
        recon = decode_codes(decoder, codes[:N_PAIRS], y_test[:N_PAIRS], supervised)
        save_png(figures / "reconstructions.png", reconstruction_pairs(x_test[:N_PAIRS], recon), scale=2)
        save_png(figures / "style_grid.png", style_grid(decoder, codes, y_test, supervised), scale=2)
        save_png(figures / "prior_samples.png", grid(images[:100], ncols=N_CLASSES), scale=2)
        write_npz(data / files.SAMPLES, images=images, labels=labels)
        write_json(data / files.SCATTER, scatter_rows(points, y_test))
        save_scatter(figures / "scatter.png", points, y_test, f"{run.name}: {projection.upper()} of the test codes")


def label_fidelity(evaluator: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """The evaluator's accuracy on images decoded with a given label."""
    _, probs = embed(evaluator, images)
    return float(np.mean(probs.argmax(axis=1) == labels))


def code_purity(codes: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """Cluster purity of k-means (k = 10) on the codes against the true labels."""
    from sklearn.cluster import KMeans

    assignments = KMeans(n_clusters=N_CLASSES, n_init=10, random_state=seed).fit_predict(codes)
    return cluster_purity(assignments, labels)


def evaluate(module: ModuleType, run: Run) -> dict:
    """Generation metrics on prior samples, test reconstruction BCE, k-means purity, label fidelity."""
    result = score_samples(run)
    info = read_json(run.trained / files.INFO)
    encoder, decoder = _load_networks(run.trained)
    x_test, y_test = _load(run.data / files.TEST)
    codes = encode_codes(encoder, x_test)
    recon = decode_codes(decoder, codes, y_test, info["supervised"])
    eps = 1e-7  # the decoder's sigmoid can round to exactly 0 or 1 in float32
    recon = np.clip(recon, eps, 1 - eps)
    bce = -(x_test * np.log(recon) + (1 - x_test) * np.log(1 - recon))
    result |= {
        "supervised": info["supervised"],
        "n_test": int(len(x_test)),
        "reconstruction_bce": round(float(bce.mean()), 5),
        "reconstruction_nats_per_image": round(float(bce.reshape(len(bce), -1).sum(axis=1).mean()), 3),
        # For the supervised variant a low purity is the goal: its codes should hold style, not class.
        "kmeans_purity": round(code_purity(codes, y_test, run.seed), 4),
    }
    if info["supervised"]:
        with np.load(run.samples / files.SAMPLES) as f:
            images, labels = f["images"], f["labels"]
        evaluator = keras.models.load_model(run.reference / files.EVALUATOR)
        result["label_fidelity"] = round(label_fidelity(evaluator, images, labels), 4)
    result = write_scores(run, result)
    return result
