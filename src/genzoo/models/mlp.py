"""mlp: the write-up's multilayer perceptron, Flatten → Dense 128 ReLU → Dense 10 logits."""

from __future__ import annotations

from genzoo.families.classifier.schema import TRAINING_PARAMS, Hooks
from genzoo.schema import integer

FAMILY = "classifier"
CURVES = ("train/loss", "train/accuracy")
REFERENCE_ACCURACY = 0.886  # the write-up's test accuracy after 50 epochs
HOOKS = Hooks()
PARAMS = TRAINING_PARAMS | {
    "hidden": integer(1),
}


def build(image_shape: tuple[int, ...], n_classes: int, params: dict, seed: int):
    """A compiled MLP from the ``models.mlp`` params section; it outputs logits."""
    # Keras is imported here, not at the top: validating params imports this module.
    import keras
    from keras import layers

    from genzoo.families.classifier.nets import compile_classifier

    inputs = keras.Input(image_shape, name="image")
    x = layers.Flatten()(inputs)
    x = layers.Dense(params["hidden"], activation="relu")(x)
    model = keras.Model(inputs, layers.Dense(n_classes, name="logits")(x), name="mlp")
    compile_classifier(model, params["learning_rate"])
    return model
