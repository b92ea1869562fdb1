"""The fully connected GAN of Goodfellow et al. 2014, as in the write-ups' MNIST recipe."""

from __future__ import annotations

import math

from genzoo.families.gan.schema import LATENTS
from genzoo.schema import adam_beta, choice, integer, number

FAMILY = "gan"
CURVES = ("train/d_loss", "train/g_loss", "train/d_real", "train/d_fake")
PARAMS = {
    "epochs": integer(1),
    "batch_size": integer(1),
    "latent_dim": integer(1),
    "latent": choice(*LATENTS),
    "hidden": integer(1),
    "d_learning_rate": number(0.0),
    "g_learning_rate": number(0.0),
    "beta_1": adam_beta(),
    "real_label": number(0.5, maximum=1.0),
    "grid_every": integer(1),
}
# Keras is imported inside the builders, not at the top: validating params imports this module.


def build_generator(latent_dim: int, image_shape: tuple[int, ...], hidden: int):
    """z → hidden ReLU → pixels sigmoid, reshaped to the image."""
    import keras
    from keras import layers

    # Xavier (Glorot) normal, as the write-ups name it; their helper actually drew with
    # std sqrt(2/fan_in), which is He init, and we follow the paper they cite instead.
    init = keras.initializers.GlorotNormal()
    z = keras.Input((latent_dim,), name="z")
    h = layers.Dense(hidden, activation="relu", kernel_initializer=init)(z)
    x = layers.Dense(math.prod(image_shape), activation="sigmoid", kernel_initializer=init)(h)
    return keras.Model(z, layers.Reshape(image_shape)(x), name="generator")


def build_discriminator(image_shape: tuple[int, ...], hidden: int):
    """pixels → hidden ReLU → one logit (the sigmoid lives in the loss)."""
    import keras
    from keras import layers

    init = keras.initializers.GlorotNormal()
    x = keras.Input(image_shape, name="image")
    h = layers.Dense(hidden, activation="relu", kernel_initializer=init)(layers.Flatten()(x))
    return keras.Model(x, layers.Dense(1, kernel_initializer=init)(h), name="discriminator")


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``GAN`` from the ``models.gan_mlp`` params section (``n_classes`` is unused)."""
    import keras

    from genzoo.families.gan.game import GAN

    model = GAN(
        build_generator(params["latent_dim"], tuple(image_shape), params["hidden"]),
        build_discriminator(tuple(image_shape), params["hidden"]),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        pixel_range="sigmoid",
        real_label=params["real_label"],
        seed=seed,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(params["d_learning_rate"], beta_1=params["beta_1"]),
        g_optimizer=keras.optimizers.Adam(params["g_learning_rate"], beta_1=params["beta_1"]),
    )
    return model
