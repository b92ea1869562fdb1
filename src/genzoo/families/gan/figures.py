"""Sampling figures of the adversarial models: latent interpolation and the memorisation check."""

from __future__ import annotations

import numpy as np
from keras import ops

from genzoo.families.gan.game import sample_latent, to_unit_range


def decode(generator, z: np.ndarray, pixel_range: str, batch_size: int = 500) -> np.ndarray:
    """Images in [0, 1] for the given codes."""
    out = []
    for start in range(0, len(z), batch_size):
        images = generator(z[start : start + batch_size], training=False)
        out.append(ops.convert_to_numpy(to_unit_range(images, pixel_range)))
    return np.clip(np.concatenate(out), 0.0, 1.0).astype(np.float32)


def interpolation_codes(rows: int, steps: int, *, latent_dim: int, latent: str, seed: int) -> np.ndarray:
    """``rows`` straight lines in latent space, ``steps`` evenly spaced codes each, row-major.

    Linear interpolation keeps every code inside U(-1, 1)'s cube; for N(0, 1) codes the
    midpoints are a little shorter than typical draws, which is the usual trade-off.
    """
    import keras

    ends = ops.convert_to_numpy(sample_latent(2 * rows, latent_dim, latent, keras.random.SeedGenerator(seed)))
    start, end = ends[:rows, None, :], ends[rows:, None, :]
    t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[None, :, None]
    return (start + t * (end - start)).reshape(rows * steps, latent_dim).astype(np.float32)


def nearest(queries: np.ndarray, references: np.ndarray, batch_size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """For each query image, the index of and pixel L2 distance to its nearest reference image."""
    refs = references.reshape(len(references), -1).astype(np.float64)
    ref_sq = np.sum(refs**2, axis=1)
    index, distance = [], []
    for start in range(0, len(queries), batch_size):
        q = queries[start : start + batch_size].reshape(-1, refs.shape[1]).astype(np.float64)
        d2 = np.sum(q**2, axis=1)[:, None] + ref_sq[None, :] - 2.0 * q @ refs.T
        best = np.argmin(d2, axis=1)
        index.append(best)
        distance.append(np.sqrt(np.maximum(d2[np.arange(len(q)), best], 0.0)))
    return np.concatenate(index), np.concatenate(distance)


def memorisation(generated: np.ndarray, train: np.ndarray, test: np.ndarray) -> dict:
    """Median nearest-training-image distance of generated images against that of test images.

    A ratio well below 1 means the samples sit closer to the training set than unseen real
    faces do: the generator is copying training faces rather than generalising.
    """
    _, generated_distance = nearest(generated, train)
    _, test_distance = nearest(test, train)
    g, t = float(np.median(generated_distance)), float(np.median(test_distance))
    return {
        "generated_to_train_median": round(g, 5),
        "test_to_train_median": round(t, 5),
        "ratio": round(g / t, 5) if t > 0 else None,
    }


def memorisation_panel(generated: np.ndarray, train: np.ndarray, n: int = 8) -> np.ndarray:
    """``n`` generated images above their nearest training images: (2n, H, W, C), two rows of n."""
    index, _ = nearest(generated[:n], train)
    return np.concatenate([generated[:n], train[index]])
