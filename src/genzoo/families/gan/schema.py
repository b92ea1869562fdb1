"""Params keys every adversarial model shares, so each model module lists only its own.

TensorFlow-free, so validating params does not import it.
"""

from __future__ import annotations

from genzoo.schema import adam_beta, choice, integer, number

LATENTS = ("uniform", "normal")

TRAINING = {
    "epochs": integer(1),
    "batch_size": integer(1),
    "max_train": integer(1, nullable=True),  # cap the training images (null = all)
    "grid_every": integer(1),
}
LATENT = {
    "latent_dim": integer(1),
    "latent": choice(*LATENTS),
}
ADAM = {
    "d_learning_rate": number(0.0),
    "g_learning_rate": number(0.0),
    "beta_1": adam_beta(),
}

# The Wasserstein models: pyramid networks at image_size (32 or 64), one Adam for both players.
WASSERSTEIN = {
    "image_size": integer(8, nullable=True),  # resize the training images to N×N (null = as prepared)
    "width": integer(1),
    "n_critic": integer(1),
    "learning_rate": number(0.0),
    "beta_1": adam_beta(),
    "beta_2": adam_beta(),
}
