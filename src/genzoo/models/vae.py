"""The MLP VAE of Kingma & Welling 2014, as in the write-ups: 500-500 softplus, Bernoulli decoder."""

from __future__ import annotations

import math

from genzoo.latent import PROJECTIONS
from genzoo.schema import choice, integer, number

FAMILY = "vae"
CURVES = ("train/loss", "train/reconstruction_loss", "train/kl_loss")
PARAMS = {
    "latent_dim": integer(1),
    "epochs": integer(1),
    "batch_size": integer(1),
    "hidden": integer(1),
    "learning_rate": number(0.0),
    "iw_samples": integer(1),
    "binarize": choice("dynamic", "none"),
    "projection": choice(*PROJECTIONS),
    "grid_every": integer(1),
}
# Keras is imported inside the builders, not at the top: validating params imports this module.


def build_encoder(image_shape: tuple[int, ...], hidden: int, latent_dim: int):
    """x → hidden → hidden (softplus) → z_mean, z_log_var."""
    import keras
    from keras import layers

    x = keras.Input(image_shape, name="image")
    h = layers.Flatten()(x)
    for _ in range(2):
        h = layers.Dense(hidden, activation="softplus")(h)
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
    return keras.Model(x, [z_mean, z_log_var], name="encoder")


def build_decoder(latent_dim: int, image_shape: tuple[int, ...], hidden: int):
    """z → hidden → hidden (softplus) → one Bernoulli logit per pixel (the sigmoid lives in the loss)."""
    import keras
    from keras import layers

    z = keras.Input((latent_dim,), name="z")
    h = z
    for _ in range(2):
        h = layers.Dense(hidden, activation="softplus")(h)
    logits = layers.Dense(math.prod(image_shape), name="logits")(h)
    return keras.Model(z, layers.Reshape(image_shape)(logits), name="decoder")


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``VAE`` from a ``module: vae`` params section (``n_classes`` is unused)."""
    import keras

    from genzoo.families.vae.model import VAE

    image_shape = tuple(image_shape)
    latent_dim = params["latent_dim"]
    model = VAE(
        build_encoder(image_shape, params["hidden"], latent_dim),
        build_decoder(latent_dim, image_shape, params["hidden"]),
        latent_dim=latent_dim,
        seed=seed,
        dynamic_binarization=params["binarize"] == "dynamic",
    )
    model.compile(optimizer=keras.optimizers.Adam(params["learning_rate"]))
    return model
