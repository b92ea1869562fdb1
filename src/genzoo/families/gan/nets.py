"""Network factories shared by the pyramid adversarial models (DCGAN on faces, WGAN, WGAN-GP).

Radford et al. 2015's layout, as the faces write-up builds it: the generator grows a
1×1 code to 4×4 with a valid transposed conv, then doubles the size until it reaches
``size`` (four times for the write-up's 64×64, three for 32×32); the discriminator (or
critic) mirrors it. ``width`` is the smallest layer's filters, and each halving of the
size doubles them: at 64×64 the write-up's 128 gives G 1024/512/256/128 and D
128/256/512/1024. The laptop profile shrinks the width or the size, since those widths
at 64×64 take hours per epoch on a CPU.
"""

from __future__ import annotations

import keras
from keras import layers

SIZE = 64  # the write-ups' size: four stride-2 layers from the 4×4 seed
SEED_SIZE = 4  # the 1×1 code's valid 4×4 transposed conv, and the critic's last 4×4 valid conv
SLOPE = 0.2  # LeakyReLU slope of TF's leaky_relu, which the write-ups use


def dcgan_init() -> keras.initializers.Initializer:
    """N(0, 0.02), the DCGAN paper's initialisation for every layer."""
    return keras.initializers.RandomNormal(stddev=0.02)


def check_size(image_shape, size: int, hint: str) -> None:
    """A fixed-size network cannot take other sizes: say which param resizes the data."""
    if tuple(image_shape[:2]) != (size, size):
        raise ValueError(f"this model needs {size}×{size} images, got {tuple(image_shape)}; {hint}")


def pyramid_size(image_shape, hint: str) -> int:
    """The side of square images whose size the pyramid networks can reach (8, 16, 32, 64, ...)."""
    height, width = tuple(image_shape[:2])
    if height != width or height < 2 * SEED_SIZE or height & (height - 1):
        raise ValueError(f"this model needs square images whose side is a power of two from 8, got {tuple(image_shape)}; {hint}")
    return height


def compile_adam(model, d_learning_rate: float, g_learning_rate: float, beta_1: float, beta_2: float = 0.999):
    """Compile ``model`` with one Adam per player and return it."""
    model.compile(
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=beta_1, beta_2=beta_2),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=beta_1, beta_2=beta_2),
    )
    return model


def doublings(size: int) -> int:
    """How many stride-2 layers lie between the 4×4 seed and ``size`` (a power of two ≥ 8)."""
    if size < 2 * SEED_SIZE or size & (size - 1):
        raise ValueError(f"image size {size} is not a power of two from 8; use 32 or 64")
    return size.bit_length() - SEED_SIZE.bit_length()


def generator64(latent_dim: int, width: int, channels: int = 1, size: int = SIZE) -> keras.Model:
    """z → 1×1 → 4×4×8w → 8×8×4w → 16×16×2w → 32×32×w → 64×64×channels, tanh (at size 64).

    At size 32: z → 4×4×4w → 8×8×2w → 16×16×w → 32×32×channels.
    """
    n = doublings(size)
    z = keras.Input((latent_dim,), name="z")
    x = layers.Reshape((1, 1, latent_dim))(z)
    x = layers.Conv2DTranspose(2 ** (n - 1) * width, 4, padding="valid", kernel_initializer=dcgan_init())(x)
    for i in range(n):
        if i > 0:
            filters = 2 ** (n - 1 - i) * width
            x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", kernel_initializer=dcgan_init())(x)
        x = layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", kernel_initializer=dcgan_init())(x)
    return keras.Model(z, layers.Activation("tanh")(x), name="generator")


def discriminator64(
    width: int, channels: int = 1, *, batch_norm: bool = True, name: str = "discriminator", size: int = SIZE
) -> keras.Model:
    """64×64 image → convs w/2w/4w/8w (stride 2) → 4×4 valid conv → one score (32×32: w/2w/4w).

    ``batch_norm`` False gives the WGAN-GP critic: Gulrajani et al. 2017 drop BatchNorm
    because the gradient penalty is per sample and BN couples the samples of a batch.
    """
    image = keras.Input((size, size, channels), name="image")
    x = image
    for i, filters in enumerate(2**i * width for i in range(doublings(size))):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=dcgan_init())(x)
        if batch_norm and i > 0:  # none on the first layer, as in the paper and the write-up
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(SLOPE)(x)
    x = layers.Conv2D(1, 4, padding="valid", kernel_initializer=dcgan_init())(x)
    return keras.Model(image, layers.Flatten()(x), name=name)
