"""The convolutional GAN on MNIST of the first write-up (after Radford et al. 2015)."""

from __future__ import annotations

from genzoo.families.gan.schema import ADAM, LATENT, TRAINING
from genzoo.schema import number

FAMILY = "gan"
CURVES = ("train/d_loss", "train/g_loss", "train/d_real", "train/d_fake")
PARAMS = TRAINING | LATENT | ADAM | {
    "dropout": number(0.0, maximum=0.99),
    "real_label": number(0.5, maximum=1.0),
}
SLOPE = 0.2
# Keras is imported inside the builders, not at the top: validating params imports this module.


def build_generator(latent_dim: int, channels: int, dropout: float):
    """z → dense 7·7·256 → 4×4/2 transposed conv 64 (BN, LeakyReLU, dropout) → 28×28, sigmoid."""
    import keras
    from keras import layers

    from genzoo.families.gan.nets import dcgan_init

    z = keras.Input((latent_dim,), name="z")
    x = layers.LeakyReLU(SLOPE)(layers.Dense(7 * 7 * 256, kernel_initializer=dcgan_init())(z))
    x = layers.Reshape((7, 7, 256))(x)
    x = layers.Conv2DTranspose(64, 4, strides=2, padding="same", kernel_initializer=dcgan_init())(x)
    x = layers.Dropout(dropout)(layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x)))
    x = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", kernel_initializer=dcgan_init())(x)
    return keras.Model(z, layers.Activation("sigmoid")(x), name="generator")


def build_discriminator(image_shape: tuple[int, ...], dropout: float):
    """28×28 → conv 64 → conv 128 (4×4/2, BN, LeakyReLU, dropout) → dense 256 → one logit."""
    import keras
    from keras import layers

    from genzoo.families.gan.nets import dcgan_init

    image = keras.Input(image_shape, name="image")
    x = image
    for filters in (64, 128):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=dcgan_init())(x)
        x = layers.Dropout(dropout)(layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x)))
    x = layers.LeakyReLU(SLOPE)(layers.Dense(256, kernel_initializer=dcgan_init())(layers.Flatten()(x)))
    return keras.Model(image, layers.Dense(1, kernel_initializer=dcgan_init())(x), name="discriminator")


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``GAN`` from the ``models.dcgan`` params section (``n_classes`` is unused)."""
    from genzoo.families.gan.game import GAN
    from genzoo.families.gan.nets import check_size, compile_adam

    check_size(image_shape, 28, "dcgan is built for the 28×28 digits")
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
