"""CycleGAN (Zhu et al. 2017): unpaired translation between two domains, after the second write-up.

The write-up describes the model but gives no code. The paper's networks are used at
every profile, scaled by params: ``width`` 64 and ``n_blocks`` 9 (6 at 128×128) and
``d_width`` 64 with ``d_layers`` 3 are the paper's; the laptop profile narrows them for
28×28 digits. Batch size 1 and 200 epochs are the paper's training.
"""

from __future__ import annotations

from genzoo.schema import integer, number

FAMILY = "cyclegan"
PAIRED = True  # trains on an entry of params.yaml's pairs, not of datasets
CURVES = ("train/g_adv", "train/f_adv", "train/cycle_a", "train/cycle_b", "train/identity",
          "train/d_a_loss", "train/d_b_loss")
PARAMS = {
    "epochs": integer(1),        # passes over the larger domain's training images
    "batch_size": integer(1),
    "max_train": integer(1, nullable=True),  # cap each domain's training images (null = all)
    "width": integer(1),         # the generator's first conv filters (the paper's 64)
    "n_blocks": integer(0),      # residual blocks at a quarter of the image size
    "d_width": integer(1),       # the PatchGAN's first conv filters (the paper's 64)
    "d_layers": integer(1),      # its stride-2 convs: 3 is the 70×70 PatchGAN
    "learning_rate": number(0.0),
    "beta_1": number(0.0, maximum=0.999),
    "cycle_weight": number(0.0),     # λ of the cycle-consistency L1
    "identity_weight": number(0.0),  # times λ: the paper's 0.5 (0 turns the identity loss off)
    "buffer_size": integer(0),       # the history buffer of generated images (0: none)
    "grid_every": integer(1),        # log a translation grid every N epochs
}


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``CycleGAN`` for images of ``image_shape`` in both domains (``n_classes`` unused)."""
    # Imported here, not at the top: validating params imports this module.
    import keras

    from genzoo.families.cyclegan.model import CycleGAN
    from genzoo.families.cyclegan.nets import generator, patch_discriminator

    shape = tuple(image_shape)
    model = CycleGAN(
        generator(shape, params["width"], params["n_blocks"], name="g_a_to_b"),
        generator(shape, params["width"], params["n_blocks"], name="f_b_to_a"),
        patch_discriminator(shape, params["d_width"], params["d_layers"], name="d_a"),
        patch_discriminator(shape, params["d_width"], params["d_layers"], name="d_b"),
        image_shape=shape,
        cycle_weight=params["cycle_weight"],
        identity_weight=params["identity_weight"],
        buffer_size=params["buffer_size"],
        seed=seed,
    )
    adam = lambda: keras.optimizers.Adam(params["learning_rate"], beta_1=params["beta_1"])  # noqa: E731
    model.compile(g_optimizer=adam(), d_optimizer=adam())
    return model
