"""The convolutional GAN on MNIST of the first write-up (after Radford et al. 2015)."""

from __future__ import annotations

import keras
from keras import layers

from genzoo.config import number
from genzoo.families.gan.schema import ADAM, LATENT, TRAINING, compile_adam
from genzoo.families.gan.game import GAN

FAMILY = "gan"
PARAMS = TRAINING | LATENT | ADAM | {
    "dropout": number(0.0, maximum=0.99),
    "real_label": number(0.5, maximum=1.0),
}
SLOPE = 0.2


def _init():
    return keras.initializers.RandomNormal(stddev=0.02)


def build_generator(latent_dim: int, channels: int, dropout: float) -> keras.Model:
    """z → dense 7·7·256 → 4×4/2 transposed conv 64 (BN, LeakyReLU, dropout) → 28×28, sigmoid."""
    z = keras.Input((latent_dim,), name="z")
    x = layers.LeakyReLU(SLOPE)(layers.Dense(7 * 7 * 256, kernel_initializer=_init())(z))
    x = layers.Reshape((7, 7, 256))(x)
    x = layers.Conv2DTranspose(64, 4, strides=2, padding="same", kernel_initializer=_init())(x)
    x = layers.Dropout(dropout)(layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x)))
    x = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", kernel_initializer=_init())(x)
    return keras.Model(z, layers.Activation("sigmoid")(x), name="generator")


def build_discriminator(image_shape: tuple[int, ...], dropout: float) -> keras.Model:
    """28×28 → conv 64 → conv 128 (4×4/2, BN, LeakyReLU, dropout) → dense 256 → one logit."""
    image = keras.Input(image_shape, name="image")
    x = image
    for filters in (64, 128):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=_init())(x)
        x = layers.Dropout(dropout)(layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x)))
    x = layers.LeakyReLU(SLOPE)(layers.Dense(256, kernel_initializer=_init())(layers.Flatten()(x)))
    return keras.Model(image, layers.Dense(1, kernel_initializer=_init())(x), name="discriminator")


def build(image_shape: tuple[int, ...], params: dict, seed: int) -> GAN:
    """A compiled GAN from the ``models.dcgan`` params section."""
    if tuple(image_shape[:2]) != (28, 28):
        raise ValueError(f"dcgan needs 28×28 images, got {tuple(image_shape)}")
    model = GAN(
        build_generator(params["latent_dim"], image_shape[-1], params["dropout"]),
        build_discriminator(tuple(image_shape), params["dropout"]),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        pixel_range="sigmoid",  # the write-up's sigmoid output, on data in [0, 1]
        real_label=params["real_label"],
        seed=seed,
    )
    return compile_adam(model, params["d_learning_rate"], params["g_learning_rate"], params["beta_1"])
