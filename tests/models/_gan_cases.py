"""Tiny params for every adversarial model, shared by their test files."""

import numpy as np

_TRAINING = {"epochs": 1, "batch_size": 8, "max_train": None, "grid_every": 1, "latent": "uniform"}
_WASSERSTEIN = {"image_size": None, "width": 2, "latent_dim": 8, "n_critic": 2, "beta_1": 0.5, "beta_2": 0.9}

CASES = {
    "dcgan": ((28, 28, 1), _TRAINING | {
        "latent_dim": 100, "d_learning_rate": 2e-4, "g_learning_rate": 2e-4, "beta_1": 0.5,
        "dropout": 0.4, "real_label": 1.0,
    }),
    "dcgan_upsample": ((28, 28, 1), _TRAINING | {"latent_dim": 100, "learning_rate": 5e-4, "momentum": 0.9}),
    "dcgan_faces": ((64, 64, 1), _TRAINING | {
        "latent_dim": 16, "width": 2, "d_learning_rate": 1e-4, "g_learning_rate": 5e-4, "beta_1": 0.5,
        "real_label": 0.9,
    }),
    "wgan": ((64, 64, 1), _TRAINING | _WASSERSTEIN | {"clip_value": 0.01, "learning_rate": 5e-5}),
    "wgan_gp": ((64, 64, 1), _TRAINING | _WASSERSTEIN | {"gp_weight": 10.0, "learning_rate": 1e-4, "beta_1": 0.0}),
}


def fixed_batch(shape, n=16, seed=0):
    """Dark images with a bright bar at a random row: a learnable, fixed 'dataset'."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, *shape), "float32")
    h, w = shape[:2]
    for image, row in zip(images, rng.integers(h // 4, 3 * h // 4, n)):
        image[row : row + max(2, h // 10), w // 5 : 4 * w // 5] = 1.0
    return images
