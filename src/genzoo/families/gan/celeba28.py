"""The second write-up's 28×28 DCGAN for CelebA faces: its generator and discriminator.

Radford et al. 2015's layout at the size the write-up trains CelebA on (28×28 RGB):
G: z → dense 2·2·512 → 5×5 transposed convs 256 (2×2 → 7×7), 128 (14×14) and
``channels`` (28×28), each of stride 2, tanh out.
D: 28×28 image → 5×5 convs 64 (14×14), 128 (7×7), 256 (4×4), each of stride 2 → dense → one logit.
Both use LeakyReLU(0.2) and BatchNorm after every hidden layer but D's first, as the
write-up does. Filters are fixed: at 28×28 the write-up's network trains on a CPU.
"""

from __future__ import annotations

import keras
from keras import layers

from genzoo.families.gan.nets import SLOPE

SIZE = 28

# Every layer keeps Keras' default Glorot-uniform kernels and zero biases: the write-up
# leaves tf.layers' defaults, the same ones, where dcgan64 takes the paper's N(0, 0.02).


def generator28(latent_dim: int, channels: int = 3) -> keras.Model:
    """z → dense 2·2·512 → 7×7×256 → 14×14×128 → 28×28×channels, tanh."""
    z = keras.Input((latent_dim,), name="z")
    x = layers.Reshape((2, 2, 512))(layers.Dense(2 * 2 * 512)(z))
    x = layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x))
    # A valid 5×5 transposed conv of stride 2 takes 2×2 to (2 - 1)·2 + 5 = 7, which two
    # "same" doublings bring to 28: how the write-up reaches 28 from a 2×2 seed.
    x = layers.Conv2DTranspose(256, 5, strides=2, padding="valid")(x)
    x = layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(128, 5, strides=2, padding="same")(x)
    x = layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(channels, 5, strides=2, padding="same")(x)
    return keras.Model(z, layers.Activation("tanh")(x), name="generator")


def discriminator28(channels: int = 3) -> keras.Model:
    """28×28 image → convs 64/128/256 (5×5, stride 2) → 4×4×256 → one score (a logit)."""
    image = keras.Input((SIZE, SIZE, channels), name="image")
    x = layers.LeakyReLU(SLOPE)(layers.Conv2D(64, 5, strides=2, padding="same")(image))  # no BN first, as in the paper
    x = layers.Conv2D(128, 5, strides=2, padding="same")(x)
    x = layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x))
    # The write-up gives this conv stride 1 yet flattens 4·4·256 values per image; at stride 1
    # the 7×7×256 map is cut across images of the batch. Stride 2 gives the 4×4 it flattens.
    x = layers.Conv2D(256, 5, strides=2, padding="same")(x)
    x = layers.LeakyReLU(SLOPE)(layers.BatchNormalization()(x))
    return keras.Model(image, layers.Dense(1)(layers.Flatten()(x)), name="discriminator")
