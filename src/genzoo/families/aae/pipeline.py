"""train / sample / evaluate for the AAE chains (unsupervised and supervised)."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from genzoo.evaluation import score_samples
from genzoo.evaluator import embed
from genzoo.families.aae.figures import prior_samples, style_grid
from genzoo.families.aae.model import N_CLASSES, decode_codes, encode_codes
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.latent import cluster_purity, project_2d, reconstruction_pairs, save_scatter, scatter_rows
from genzoo.models import aae as aae_model
from genzoo.training import fit

N_PAIRS = 50  # test digits shown next to their reconstructions


def _load(split: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(split) as f:
        return f["x"], f["y"]


def train(name, *, data_dir, out_dir, live_dir, checkpoint_dir, params, seed, device) -> dict:
    """Fit one AAE chain; write its three networks and info.json to ``out_dir``."""
    x_train, y_train = _load(Path(data_dir) / "train.npz")
    model = aae_model.build(x_train.shape[1:], params, seed)
    rng_seed = seed + 1  # the per-epoch grid's prior codes, fixed across epochs

    def draw_grid() -> np.ndarray:
        images, _ = prior_samples(model.decoder, 60, model.code_dim, model.prior_std, model.supervised, rng_seed)
        return images

    timing = fit(
        model, x_train, y_train.astype("int32"),
        epochs=params["epochs"], batch_size=params["batch_size"], seed=seed,
        live_dir=live_dir, draw_grid=draw_grid, grid_every=max(1, params["epochs"] // 5),
    )
    info = {
        "model": name,
        "family": aae_model.FAMILY,
        "supervised": model.supervised,
        "code_dim": model.code_dim,
        "prior_std": model.prior_std,
        "image_shape": list(x_train.shape[1:]),
        "n_train": int(len(x_train)),
        **timing,
        **device,
    }
    with atomic_dir(out_dir) as tmp:
        for network in (model.encoder, model.decoder, model.discriminator):
            network.save(tmp / f"{network.name}.keras")
        write_json(tmp / "info.json", info)
    return info


def sample(name, *, trained_dir, data_dir, out_dir, params, evaluation, seed) -> None:
    """Reconstructions, the style grid, prior samples and the t-SNE of the test codes.

    Writes ``figures/*.png``, ``data/samples.npz`` (``images`` in [0, 1] and the ``labels``
    fed to the decoder) and ``data/scatter.json`` (2-D codes with their true labels).
    """
    trained_dir = Path(trained_dir)
    info = read_json(trained_dir / "info.json")
    encoder = keras.models.load_model(trained_dir / "encoder.keras")
    decoder = keras.models.load_model(trained_dir / "decoder.keras")
    supervised = info["supervised"]
    x_test, y_test = _load(Path(data_dir) / "test.npz")
    codes = encode_codes(encoder, x_test)
    images, labels = prior_samples(
        decoder, evaluation["n_samples"], info["code_dim"], info["prior_std"], supervised, seed
    )
    points = project_2d(codes, params["projection"], seed)
    with atomic_dir(out_dir) as tmp:
        (tmp / "figures").mkdir()
        (tmp / "data").mkdir()
        recon = decode_codes(decoder, codes[:N_PAIRS], y_test[:N_PAIRS], supervised)
        save_png(tmp / "figures" / "reconstructions.png", reconstruction_pairs(x_test[:N_PAIRS], recon), scale=2)
        save_png(tmp / "figures" / "style_grid.png", style_grid(decoder, codes, y_test, supervised), scale=2)
        save_png(tmp / "figures" / "prior_samples.png", grid(images[:100], ncols=N_CLASSES), scale=2)
        write_npz(tmp / "data" / "samples.npz", images=images, labels=labels)
        write_json(tmp / "data" / "scatter.json", scatter_rows(points, y_test))
        save_scatter(tmp / "figures" / "scatter.png", points, y_test,
                     f"{name}: {params['projection'].upper()} of the test codes")


def label_fidelity(evaluator: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """The evaluator's accuracy on images decoded with a given label."""
    _, probs = embed(evaluator, images)
    return float(np.mean(probs.argmax(axis=1) == labels))


def code_purity(codes: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """Cluster purity of k-means (k = 10) on the codes against the true labels."""
    from sklearn.cluster import KMeans

    assignments = KMeans(n_clusters=N_CLASSES, n_init=10, random_state=seed).fit_predict(codes)
    return cluster_purity(assignments, labels)


def evaluate(name, *, trained_dir, samples_dir, data_dir, evaluator_dir, out_path, params, evaluation, seed) -> dict:
    """Generation metrics on prior samples, test reconstruction BCE, k-means purity, label fidelity."""
    trained_dir, data_dir, evaluator_dir = Path(trained_dir), Path(data_dir), Path(evaluator_dir)
    samples_path = Path(samples_dir) / "data" / "samples.npz"
    result = score_samples(
        name, samples_path, trained_dir / "info.json", evaluator_dir, data_dir / "info.json", out_path,
        evaluation=evaluation, seed=seed,
    )
    info = read_json(trained_dir / "info.json")
    encoder = keras.models.load_model(trained_dir / "encoder.keras")
    decoder = keras.models.load_model(trained_dir / "decoder.keras")
    x_test, y_test = _load(data_dir / "test.npz")
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
        "kmeans_purity": round(code_purity(codes, y_test, seed), 4),
    }
    if info["supervised"]:
        with np.load(samples_path) as f:
            images, labels = f["images"], f["labels"]
        evaluator = keras.models.load_model(evaluator_dir / "evaluator.keras")
        result["label_fidelity"] = round(label_fidelity(evaluator, images, labels), 4)
    write_json(out_path, result)
    return result
