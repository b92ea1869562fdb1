"""lenet5: LeNet-5 (LeCun et al. 1998) with tanh units and max pooling, as in the write-up."""

from __future__ import annotations

from genzoo.families.classifier.schema import TRAINING_PARAMS, Hooks

FAMILY = "classifier"
CURVES = ("train/loss", "train/accuracy")
REFERENCE_ACCURACY = 0.891  # the write-up's test accuracy after 50 epochs
HOOKS = Hooks()
PARAMS = TRAINING_PARAMS


def build(image_shape: tuple[int, ...], n_classes: int, params: dict, seed: int):
    """A compiled LeNet-5 that outputs logits.

    The write-up ends in a softmax layer yet trains with ``from_logits=True``, so its loss
    applied a second softmax. Here the last layer is linear and the loss owns the softmax.
    """
    # Keras is imported here, not at the top: validating params imports this module.
    import keras
    from keras import layers

    from genzoo.families.classifier.nets import compile_classifier

    inputs = keras.Input(image_shape, name="image")
    x = layers.Conv2D(6, 5, padding="valid", activation="tanh")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(16, 5, padding="valid", activation="tanh")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(120, activation="tanh")(x)
    x = layers.Dense(84, activation="tanh")(x)
    model = keras.Model(inputs, layers.Dense(n_classes, name="logits")(x), name="lenet5")
    compile_classifier(model, params["learning_rate"])
    return model
