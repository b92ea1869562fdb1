"""Tiny params and fixed data for the VAE and the AAE, shared by their model and family tests."""

import numpy as np

SHAPE = (28, 28, 1)
VAE_PARAMS = {"epochs": 1, "batch_size": 8, "hidden": 32, "learning_rate": 1e-3, "iw_samples": 4,
              "binarize": "none", "projection": "pca", "grid_every": 1, "latent_dim": 2}
AAE_PARAMS = {"supervised": False, "epochs": 1, "batch_size": 8, "code_dim": 10, "hidden": 32, "disc_hidden": 32,
              "dropout": 0.2, "prior_std": 5.0, "learning_rate": 1e-3, "reg_lr_scale": 0.1, "projection": "pca"}


def bar_batch(n=16):
    """A fixed batch of digit-like images: a bright bar at random rows on black."""
    rng = np.random.default_rng(0)
    images = np.zeros((n, *SHAPE), "float32")
    for image, row in zip(images, rng.integers(6, 20, n)):
        image[row : row + 3, 6:22] = 1.0
    return images


def labelled_bars():
    """20 fixed digit-like images (a bar at a row given by the label) and their labels 0..9."""
    labels = np.arange(20) % 10
    images = np.zeros((20, *SHAPE), "float32")
    for image, label in zip(images, labels):
        image[4 + 2 * label : 7 + 2 * label, 6:22] = 1.0
    return images, labels.astype("int32")
