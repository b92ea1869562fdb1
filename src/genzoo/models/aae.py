"""The adversarial autoencoder of Makhzani et al. 2016, as in the write-ups' MNIST recipe."""

from __future__ import annotations

import math

from genzoo.latent import PROJECTIONS
from genzoo.schema import choice, flag, integer, number

FAMILY = "aae"
CURVES = ("train/reconstruction_loss", "train/d_loss", "train/reg_loss")
PARAMS = {
    "supervised": flag(),  # feed the label's one-hot to the decoder, so the code holds style only
    "epochs": integer(1),
    "batch_size": integer(1),
    "code_dim": integer(1),
    "hidden": integer(1),
    "disc_hidden": integer(1),
    "dropout": number(0.0, maximum=0.95),
    "prior_std": number(0.0),
    "learning_rate": number(0.0),
    "reg_lr_scale": number(0.0),
    "projection": choice(*PROJECTIONS),
}
# Keras is imported inside the builders, not at the top: validating params imports this module.


def build_encoder(image_shape: tuple[int, ...], hidden: int, code_dim: int, dropout: float):
    """x → hidden → hidden (dropout, ReLU) → code (linear)."""
    import keras
    from keras import layers

    x = keras.Input(image_shape, name="image")
    h = layers.Flatten()(x)
    for _ in range(2):
        h = layers.ReLU()(layers.Dropout(dropout)(layers.Dense(hidden)(h)))
    return keras.Model(x, layers.Dense(code_dim, name="code")(h), name="encoder")


def build_decoder(inputs: int, image_shape: tuple[int, ...], hidden: int, dropout: float):
    """code (+ one-hot label) → hidden → hidden (dropout, ReLU) → pixel logits (sigmoid in the loss)."""
    import keras
    from keras import layers

    z = keras.Input((inputs,), name="code")
    h = z
    for _ in range(2):
        h = layers.ReLU()(layers.Dropout(dropout)(layers.Dense(hidden)(h)))
    logits = layers.Dense(math.prod(image_shape), name="logits")(h)
    return keras.Model(z, layers.Reshape(image_shape)(logits), name="decoder")


def build_discriminator(code_dim: int, hidden: int):
    """code → hidden → hidden (ReLU) → one logit: prior sample or encoder code."""
    import keras
    from keras import layers

    z = keras.Input((code_dim,), name="code")
    h = z
    for _ in range(2):
        h = layers.Dense(hidden, activation="relu")(h)
    return keras.Model(z, layers.Dense(1, name="logit")(h), name="discriminator")


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``AAE`` from a ``module: aae`` params section (``n_classes`` is unused)."""
    import keras

    from genzoo.families.aae.model import AAE, N_CLASSES

    image_shape = tuple(image_shape)
    code_dim, hidden, dropout = params["code_dim"], params["hidden"], params["dropout"]
    decoder_inputs = code_dim + (N_CLASSES if params["supervised"] else 0)
    model = AAE(
        build_encoder(image_shape, hidden, code_dim, dropout),
        build_decoder(decoder_inputs, image_shape, hidden, dropout),
        build_discriminator(code_dim, params["disc_hidden"]),
        code_dim=code_dim,
        prior_std=params["prior_std"],
        supervised=params["supervised"],
        seed=seed,
    )
    lr = params["learning_rate"]
    model.compile(
        ae_optimizer=keras.optimizers.Adam(lr),
        d_optimizer=keras.optimizers.Adam(lr),
        reg_optimizer=keras.optimizers.Adam(lr * params["reg_lr_scale"]),
    )
    return model
