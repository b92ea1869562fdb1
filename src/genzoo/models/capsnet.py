"""The capsule network of Sabour, Frosst & Hinton 2017 on MNIST, with dynamic routing."""

from __future__ import annotations

from genzoo.schema import integer, number

FAMILY = "capsnet"
CURVES = ("train/loss", "train/margin_loss", "train/reconstruction_loss", "train/accuracy")
PARAMS = {
    "epochs": integer(1),
    "batch_size": integer(1),
    "routing_iterations": integer(1),
    "learning_rate": number(0.0),
    "reconstruction_weight": number(0.0),
    "max_train": integer(1, nullable=True),
}


def build(image_shape: tuple[int, ...], n_classes: int, params: dict, seed: int):
    """A compiled ``CapsNet`` from the ``models.capsnet`` params section (Adam, as in the paper)."""
    # Imported here, not at the top: validating params imports this module.
    import keras

    from genzoo.families.capsnet.network import build_capsnet

    keras.utils.set_random_seed(seed)
    model = build_capsnet(
        tuple(image_shape),
        classes=n_classes,
        routing_iterations=params["routing_iterations"],
        reconstruction_weight=params["reconstruction_weight"],
    )
    model.compile(optimizer=keras.optimizers.Adam(params["learning_rate"]))
    return model
