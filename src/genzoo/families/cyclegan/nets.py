"""The CycleGAN networks (Zhu et al. 2017, appendix 7.2), with their widths and depths as params.

Generator (Johnson et al. 2016's ResNet): c7s1-w, d2w, d4w, R4w × n_blocks, u2w, uw,
c7s1-C with tanh; the paper's w is 64, with 9 blocks at 256×256 and 6 at 128×128.
Discriminator: the 70×70 PatchGAN, C64-C128-C256-C512 then a 1-channel conv, every
conv 4×4 with LeakyReLU 0.2; the paper's three stride-2 layers are ``d_layers`` here.
Both normalise with instance norm, and no norm follows the discriminator's first conv.

Convolutions pad by reflection, as the paper does, so the borders of a translated image
are not drawn towards zero. The image side must be divisible by 4 (the two
downsamplings of the generator): 28×28 digits give 7×7 in the residual blocks.
"""

from __future__ import annotations

import keras
from keras import layers, ops

SLOPE = 0.2


def init() -> keras.initializers.Initializer:
    """N(0, 0.02), the paper's initialisation (as in pix2pix)."""
    return keras.initializers.RandomNormal(stddev=0.02)


def instance_norm() -> layers.Layer:
    """Instance normalisation: GroupNormalization with one group per channel (Keras' own form)."""
    return layers.GroupNormalization(groups=-1, epsilon=1e-5)


@keras.saving.register_keras_serializable(package="genzoo")
class ReflectionPad(layers.Layer):
    """Pad height and width by reflection (``ops.pad`` mode "reflect"), ``pad`` pixels each side."""

    def __init__(self, pad: int, **kwargs):
        super().__init__(**kwargs)
        self.pad = pad

    def call(self, x):
        p = self.pad
        return ops.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

    def compute_output_shape(self, shape):
        grow = lambda n: None if n is None else n + 2 * self.pad  # noqa: E731
        return (shape[0], grow(shape[1]), grow(shape[2]), shape[3])

    def get_config(self):
        return {**super().get_config(), "pad": self.pad}


def _conv_norm_relu(x, filters: int, kernel: int, strides: int = 1):
    """c<k>s1-k (reflection padded) or d<k> (stride 2): conv, instance norm, ReLU."""
    if strides == 1:
        x = ReflectionPad(kernel // 2)(x)
        x = layers.Conv2D(filters, kernel, padding="valid", kernel_initializer=init())(x)
    else:
        x = layers.Conv2D(filters, kernel, strides=strides, padding="same", kernel_initializer=init())(x)
    return layers.ReLU()(instance_norm()(x))


def _residual_block(x, filters: int):
    """R<k>: two reflection-padded 3×3 convs with instance norm, added to the input."""
    h = _conv_norm_relu(x, filters, 3)
    h = ReflectionPad(1)(h)
    h = instance_norm()(layers.Conv2D(filters, 3, padding="valid", kernel_initializer=init())(h))
    return layers.Add()([x, h])


def check_shape(image_shape) -> None:
    """Square-free but divisible by 4: the generator halves the image twice and restores it."""
    height, width = image_shape[:2]
    if height % 4 or width % 4:
        raise ValueError(f"cyclegan needs image sides divisible by 4, got {height}×{width}; resize the pair's datasets")


def generator(image_shape: tuple[int, ...], width: int, n_blocks: int, name: str) -> keras.Model:
    """c7s1-w, d2w, d4w, R4w × n_blocks, u2w, uw, c7s1-C, tanh: images in [-1, 1] to [-1, 1]."""
    check_shape(image_shape)
    image = keras.Input(image_shape, name="image")
    x = _conv_norm_relu(image, width, 7)
    x = _conv_norm_relu(x, 2 * width, 3, strides=2)
    x = _conv_norm_relu(x, 4 * width, 3, strides=2)
    for _ in range(n_blocks):
        x = _residual_block(x, 4 * width)
    for filters in (2 * width, width):
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", kernel_initializer=init())(x)
        x = layers.ReLU()(instance_norm()(x))
    x = ReflectionPad(3)(x)
    x = layers.Conv2D(image_shape[-1], 7, padding="valid", kernel_initializer=init())(x)
    return keras.Model(image, layers.Activation("tanh")(x), name=name)


def patch_discriminator(image_shape: tuple[int, ...], width: int, d_layers: int, name: str) -> keras.Model:
    """PatchGAN: C(w) stride 2, then ``d_layers - 1`` more stride-2 convs doubling the filters
    (capped at 8w), one stride-1 conv, and a 1-channel conv: one real/fake score per patch.

    ``d_layers`` 3 with w 64 is the paper's 70×70 PatchGAN (C64-C128-C256-C512).
    """
    image = keras.Input(image_shape, name="image")
    x = layers.Conv2D(width, 4, strides=2, padding="same", kernel_initializer=init())(image)
    x = layers.LeakyReLU(SLOPE)(x)  # no norm on the first layer
    filters = width
    for _ in range(d_layers - 1):
        filters = min(2 * filters, 8 * width)
        x = layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=init())(x)
        x = layers.LeakyReLU(SLOPE)(instance_norm()(x))
    x = layers.Conv2D(min(2 * filters, 8 * width), 4, padding="same", kernel_initializer=init())(x)
    x = layers.LeakyReLU(SLOPE)(instance_norm()(x))
    return keras.Model(image, layers.Conv2D(1, 4, padding="same", kernel_initializer=init())(x), name=name)
