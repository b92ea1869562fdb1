"""Params keys every adversarial model shares, so each model module lists only its own."""

from __future__ import annotations

from genzoo.config import choice, integer, number
from genzoo.families.gan.game import LATENTS

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
    "beta_1": number(0.0, maximum=1.0),
}

# The Wasserstein models: 64×64 networks, one Adam for both players.
WASSERSTEIN = {
    "image_size": integer(8, nullable=True),  # resize the training images to N×N (null = as prepared)
    "width": integer(1),
    "n_critic": integer(1),
    "learning_rate": number(0.0),
    "beta_1": number(0.0, maximum=1.0),
    "beta_2": number(0.0, maximum=1.0),
}


def check_size(image_shape, size: int, hint: str) -> None:
    """A 64×64 network cannot take other sizes: say which param resizes the data."""
    if tuple(image_shape[:2]) != (size, size):
        raise ValueError(f"this model needs {size}×{size} images, got {tuple(image_shape)}; {hint}")


def compile_adam(model, d_learning_rate: float, g_learning_rate: float, beta_1: float, beta_2: float = 0.999):
    """Compile ``model`` with one Adam per player and return it."""
    import keras

    model.compile(
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=beta_1, beta_2=beta_2),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=beta_1, beta_2=beta_2),
    )
    return model
