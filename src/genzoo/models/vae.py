"""The MLP VAE of Kingma & Welling 2014, as in the write-ups: 500-500 softplus, Bernoulli decoder."""

from __future__ import annotations

import math

import keras
from keras import layers

from genzoo.config import choice, integer, listing, number
from genzoo.families.vae.model import VAE
from genzoo.latent import PROJECTIONS

FAMILY = "vae"
CHAINS = "latent_dims"  # one train_vae@<d> / sample_vae@<d> / evaluate_vae@<d> chain per entry
PARAMS = {
    "latent_dims": listing(integer(1)),
    "epochs": integer(1),
    "batch_size": integer(1),
    "hidden": integer(1),
    "learning_rate": number(0.0),
    "iw_samples": integer(1),
    "projection": choice(*PROJECTIONS),
    "grid_every": integer(1),
}


def chain(section: dict, latent_dim: int) -> dict:
    """One chain's settings: the shared section with its own ``latent_dim``."""
    return {key: value for key, value in section.items() if key != CHAINS} | {"latent_dim": int(latent_dim)}


def build_encoder(image_shape: tuple[int, ...], hidden: int, latent_dim: int) -> keras.Model:
    """x → hidden → hidden (softplus) → z_mean, z_log_var."""
    x = keras.Input(image_shape, name="image")
    h = layers.Flatten()(x)
    for _ in range(2):
        h = layers.Dense(hidden, activation="softplus")(h)
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
    return keras.Model(x, [z_mean, z_log_var], name="encoder")


def build_decoder(latent_dim: int, image_shape: tuple[int, ...], hidden: int) -> keras.Model:
    """z → hidden → hidden (softplus) → one Bernoulli logit per pixel (the sigmoid lives in the loss)."""
    z = keras.Input((latent_dim,), name="z")
    h = z
    for _ in range(2):
        h = layers.Dense(hidden, activation="softplus")(h)
    logits = layers.Dense(math.prod(image_shape), name="logits")(h)
    return keras.Model(z, layers.Reshape(image_shape)(logits), name="decoder")


def build(image_shape: tuple[int, ...], params: dict, seed: int) -> VAE:
    """A compiled VAE from one chain's settings (see ``chain``)."""
    image_shape = tuple(image_shape)
    latent_dim = params["latent_dim"]
    model = VAE(
        build_encoder(image_shape, params["hidden"], latent_dim),
        build_decoder(latent_dim, image_shape, params["hidden"]),
        latent_dim=latent_dim,
        seed=seed,
    )
    model.compile(optimizer=keras.optimizers.Adam(params["learning_rate"]))
    return model
