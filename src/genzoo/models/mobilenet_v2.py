"""mobilenet_v2: MobileNetV2 (Sandler et al. 2018) without its top, then GAP → Dense 10 logits.

``weights: imagenet`` is the write-up's transfer learning: the ImageNet base frozen at
224×224×3, only the new head trained. ``weights: none`` has no features to transfer (a
frozen random base learns nothing), so the whole network trains from scratch, at a
``resolution`` small enough for the budget.

The learning rate follows a cosine decay to 0 over the run. With a constant rate a short run
from scratch ends wherever the last noisy steps left it: the same params gave 0.81 on one
CPU and 0.77 on another. Decayed, the last epochs settle the weights and BatchNorm statistics.
"""

from __future__ import annotations

import os
from pathlib import Path

from genzoo.families.classifier.schema import TRAINING_PARAMS, Hooks
from genzoo.schema import ParamsError, choice, integer

FAMILY = "classifier"
CURVES = ("train/loss", "train/accuracy", "train/learning_rate")
REFERENCE_ACCURACY = 0.893  # the write-up: ImageNet weights, frozen base, 224×224×3
ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)  # the widths Keras publishes ImageNet weights for
PARAMS = TRAINING_PARAMS | {
    "weights": choice("imagenet", "none"),
    "resolution": integer(32, maximum=224),  # images are upscaled to resolution² × 3
    "alpha": choice(*ALPHAS),                # width multiplier of every layer
}
# Keras ships ImageNet weights for these input sizes only; others fall back to the 224 file.
_WEIGHT_SIZES = (96, 128, 160, 192, 224)
BN_MOMENTUM_FROM_SCRATCH = 0.99


class WeightsUnavailableError(ParamsError):
    """``weights: imagenet`` was asked for but no cached weight file is on this machine."""


def weights_file(alpha: float, resolution: int) -> Path:
    """Where Keras looks for the headless ImageNet weights ($KERAS_HOME or ~/.keras, then models/)."""
    rows = resolution if resolution in _WEIGHT_SIZES else 224
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    return home / "models" / f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}_no_top.h5"


def _imagenet_weights(alpha: float, resolution: int) -> Path:
    path = weights_file(alpha, resolution)
    if not path.is_file():
        # Keras would try to download the file and fail with a bare URL error offline.
        raise WeightsUnavailableError(
            f"models.mobilenet_v2.weights is 'imagenet' but {path} is not on this machine and "
            f"cannot be downloaded here; copy {path.name} (from "
            "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/) into "
            f"{path.parent}, or set models.mobilenet_v2.weights: none to train from scratch"
        )
    return path


def describe(params: dict) -> dict:
    """What the metrics must say about this run: which weights, which base, which resolution."""
    pretrained = params["weights"] == "imagenet"
    return {
        "weights": params["weights"],
        "base": "frozen, ImageNet" if pretrained else "trained from scratch",
        "resolution": [params["resolution"], params["resolution"], 3],
        "alpha": params["alpha"],
    }


def preprocess(params: dict):
    """Batched (N, 28, 28, 1) images in [0, 1] → (N, r, r, 3) in [-1, 1], MobileNetV2's input range.

    It runs inside the tf.data pipeline, one batch at a time, so the 224×224×3 copies of
    60,000 images (36 GB in float32) never exist together.
    """
    import tensorflow as tf

    size = (params["resolution"], params["resolution"])

    def prepare(images, *rest):
        images = tf.image.resize(images, size, method="bilinear")
        images = tf.image.grayscale_to_rgb(images) if images.shape[-1] == 1 else images
        return (images * 2.0 - 1.0, *rest)

    return prepare


def build(image_shape: tuple[int, ...], n_classes: int, params: dict, seed: int):
    """A compiled MobileNetV2 classifier on ``preprocess``-ed images; it outputs logits."""
    # Keras is imported here, not at the top: validating params imports this module.
    import keras
    from keras import layers

    from genzoo.families.classifier.nets import compile_classifier

    pretrained = params["weights"] == "imagenet"
    shape = (params["resolution"], params["resolution"], 3)
    weights = str(_imagenet_weights(params["alpha"], params["resolution"])) if pretrained else None
    base = keras.applications.MobileNetV2(
        input_shape=shape, alpha=params["alpha"], include_top=False, weights=weights
    )
    base.trainable = not pretrained
    if not pretrained:
        # Keras gives MobileNetV2's BatchNorm momentum 0.999, made for long ImageNet runs. A
        # short run from scratch ends with moving statistics still near their initial values,
        # and inference, which uses them, then predicts one class for everything (0.10
        # accuracy). At 0.99 the starting values are forgotten within a few hundred steps.
        for layer in base.layers:
            if isinstance(layer, layers.BatchNormalization):
                layer.momentum = BN_MOMENTUM_FROM_SCRATCH
    inputs = keras.Input(shape, name="image")
    # training=False keeps a frozen base's BatchNorm on its ImageNet statistics.
    x = base(inputs, training=None if not pretrained else False)
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(n_classes, name="logits")(x), name="mobilenet_v2")
    compile_classifier(model, params["learning_rate"])
    return model


def callbacks(params: dict) -> list:
    """Cosine decay of the learning rate over the run."""
    from genzoo.families.classifier.nets import cosine_schedule

    return [cosine_schedule(params["learning_rate"], params["epochs"])]


HOOKS = Hooks(preprocess=preprocess, describe=describe, callbacks=callbacks)
