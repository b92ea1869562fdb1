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
    "conv_filters": integer(1),   # conv1's 9×9 filters; the paper's 256
    "primary_maps": integer(1),   # PrimaryCaps' maps of 8-D capsules; the paper's 32
    "shift": integer(0),          # training images shifted by up to this many pixels, zero-filled (paper: 2; 0 = none)
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
        conv_filters=params["conv_filters"],
        primary_maps=params["primary_maps"],
        shift=params["shift"],
        seed=seed,
    )
    model.compile(optimizer=keras.optimizers.Adam(params["learning_rate"]))
    return model
