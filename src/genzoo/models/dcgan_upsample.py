"""The Keras DCGAN of the third write-up: UpSampling2D + conv instead of transposed convs, tanh."""

from __future__ import annotations

from genzoo.families.gan.schema import LATENT, TRAINING
from genzoo.schema import number

FAMILY = "gan"
# UpSampling2D's gradient (ResizeNearestNeighborGrad) has no deterministic GPU kernel:
# base.determinism auto runs it without op determinism on a GPU (runtime.deterministic).
DETERMINISTIC_ON_GPU = False
CURVES = ("train/d_loss", "train/g_loss", "train/d_real", "train/d_fake")
PARAMS = TRAINING | LATENT | {
    "learning_rate": number(0.0),
    "momentum": number(0.0, maximum=1.0),
}
# Keras is imported inside the builders, not at the top: validating params imports this module.


def build_generator(latent_dim: int, channels: int):
    """z → 1024 tanh → 128·7·7, BN, tanh → up → conv 64 5×5 tanh → up → conv 5×5 tanh."""
    import keras
    from keras import layers

    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(1024, activation="tanh")(z)
    x = layers.Activation("tanh")(layers.BatchNormalization()(layers.Dense(128 * 7 * 7)(x)))
    x = layers.UpSampling2D()(layers.Reshape((7, 7, 128))(x))
    x = layers.UpSampling2D()(layers.Conv2D(64, 5, padding="same", activation="tanh")(x))
    return keras.Model(z, layers.Conv2D(channels, 5, padding="same", activation="tanh")(x), name="generator")


def build_discriminator(image_shape: tuple[int, ...]):
    """conv 64 5×5 tanh, pool → conv 128 5×5 tanh, pool → 1024 tanh → one logit.

    The write-up ends in a sigmoid trained with binary cross-entropy; the logit plus the
    loss's own sigmoid is the same model, without the saturation of a sigmoid output.
    """
    import keras
    from keras import layers

    image = keras.Input(image_shape, name="image")
    x = layers.MaxPooling2D()(layers.Conv2D(64, 5, padding="same", activation="tanh")(image))
    x = layers.MaxPooling2D()(layers.Conv2D(128, 5, padding="same", activation="tanh")(x))
    x = layers.Dense(1024, activation="tanh")(layers.Flatten()(x))
    return keras.Model(image, layers.Dense(1)(x), name="discriminator")


def _sgd(params: dict):
    import keras

    return keras.optimizers.SGD(params["learning_rate"], momentum=params["momentum"], nesterov=True)


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``GAN`` from the ``models.dcgan_upsample`` params section (``n_classes`` is unused)."""
    from genzoo.families.gan.game import GAN
    from genzoo.families.gan.nets import check_size

    check_size(image_shape, 28, "dcgan_upsample is built for the 28×28 digits")
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
