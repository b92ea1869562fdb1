"""DCGAN on 64×64 faces (the fourth write-up's Olivetti model), any channel count."""

from __future__ import annotations

from genzoo.families.gan.schema import ADAM, LATENT, TRAINING
from genzoo.schema import integer, number

FAMILY = "gan"
CURVES = ("train/d_loss", "train/g_loss", "train/d_real", "train/d_fake")
PARAMS = TRAINING | LATENT | ADAM | {
    "width": integer(1),  # smallest layer's filters; the write-up's 128 → G 1024..128, D 128..1024
    "real_label": number(0.5, maximum=1.0),
}


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``GAN`` from the ``models.dcgan_faces`` params section (``n_classes`` is unused)."""
    # Imported here, not at the top: validating params imports this module.
    from genzoo.families.gan.game import GAN
    from genzoo.families.gan.nets import SIZE, check_size, compile_adam, discriminator64, generator64

    check_size(image_shape, SIZE, "set the dataset's image_size to 64")
    channels = image_shape[-1]  # 3 for an RGB folder such as CelebA
    model = GAN(
        generator64(params["latent_dim"], params["width"], channels),
        discriminator64(params["width"], channels),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        pixel_range="tanh",
        real_label=params["real_label"],
        seed=seed,
    )
    return compile_adam(model, params["d_learning_rate"], params["g_learning_rate"], params["beta_1"])
