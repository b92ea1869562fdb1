"""The Keras DCGAN of the third write-up: UpSampling2D + conv instead of transposed convs, tanh."""

from __future__ import annotations

import keras
from keras import layers

from genzoo.config import number
from genzoo.families.gan.schema import LATENT, TRAINING
from genzoo.families.gan.game import GAN

FAMILY = "gan"
PARAMS = TRAINING | LATENT | {
    "learning_rate": number(0.0),
    "momentum": number(0.0, maximum=1.0),
}


def build_generator(latent_dim: int, channels: int) -> keras.Model:
    """z → 1024 tanh → 128·7·7, BN, tanh → up → conv 64 5×5 tanh → up → conv 5×5 tanh."""
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(1024, activation="tanh")(z)
    x = layers.Activation("tanh")(layers.BatchNormalization()(layers.Dense(128 * 7 * 7)(x)))
    x = layers.UpSampling2D()(layers.Reshape((7, 7, 128))(x))
    x = layers.UpSampling2D()(layers.Conv2D(64, 5, padding="same", activation="tanh")(x))
    return keras.Model(z, layers.Conv2D(channels, 5, padding="same", activation="tanh")(x), name="generator")


def build_discriminator(image_shape: tuple[int, ...]) -> keras.Model:
    """conv 64 5×5 tanh, pool → conv 128 5×5 tanh, pool → 1024 tanh → one logit.

    The write-up ends in a sigmoid trained with binary cross-entropy; the logit plus the
    loss's own sigmoid is the same model, without the saturation of a sigmoid output.
    """
    image = keras.Input(image_shape, name="image")
    x = layers.MaxPooling2D()(layers.Conv2D(64, 5, padding="same", activation="tanh")(image))
    x = layers.MaxPooling2D()(layers.Conv2D(128, 5, padding="same", activation="tanh")(x))
    x = layers.Dense(1024, activation="tanh")(layers.Flatten()(x))
    return keras.Model(image, layers.Dense(1)(x), name="discriminator")


def _sgd(params: dict) -> keras.optimizers.Optimizer:
    return keras.optimizers.SGD(params["learning_rate"], momentum=params["momentum"], nesterov=True)


def build(image_shape: tuple[int, ...], params: dict, seed: int) -> GAN:
    """A compiled GAN from the ``models.dcgan_upsample`` params section."""
    if tuple(image_shape[:2]) != (28, 28):
        raise ValueError(f"dcgan_upsample needs 28×28 images, got {tuple(image_shape)}")
    model = GAN(
        build_generator(params["latent_dim"], image_shape[-1]),
        build_discriminator(tuple(image_shape)),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        pixel_range="tanh",  # data scaled to [-1, 1], as the write-up does
        seed=seed,
    )
    model.compile(d_optimizer=_sgd(params), g_optimizer=_sgd(params))
    return model
