"""DCGAN on 64×64 faces (the fourth write-up's Olivetti model), any channel count.

``architecture: celeba28`` swaps in the second write-up's 28×28 CelebA networks.
"""

from __future__ import annotations

from genzoo.families.gan.schema import ADAM, LATENT, TRAINING
from genzoo.schema import choice, integer, number

FAMILY = "gan"
CURVES = ("train/d_loss", "train/g_loss", "train/d_real", "train/d_fake")
# Each architecture and the image side its networks take: dcgan64 is the fourth write-up's
# Olivetti model, celeba28 the second write-up's CelebA model.
ARCHITECTURES = {"dcgan64": 64, "celeba28": 28}
PARAMS = TRAINING | LATENT | ADAM | {
    "architecture": choice(*ARCHITECTURES),
    "width": integer(1),  # dcgan64's smallest layer's filters; the write-up's 128 → G 1024..128, D 128..1024
    "real_label": number(0.5, maximum=1.0),
}


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``GAN`` from the ``models.dcgan_faces`` params section (``n_classes`` is unused)."""
    # Imported here, not at the top: validating params imports this module.
    from genzoo.families.gan import celeba28
    from genzoo.families.gan.game import GAN
    from genzoo.families.gan.nets import check_size, compile_adam, discriminator64, generator64

    architecture = params["architecture"]
    size = ARCHITECTURES[architecture]
    dataset = params.get("dataset", "<dataset>")  # the tests build from a section without one
    check_size(image_shape, size, f"set datasets.{dataset}.image_size to {size} for architecture {architecture}")
    channels = image_shape[-1]  # 3 for an RGB folder such as CelebA
    if architecture == "celeba28":
        generator = celeba28.generator28(params["latent_dim"], channels)
        discriminator = celeba28.discriminator28(channels)
    else:
        generator = generator64(params["latent_dim"], params["width"], channels)
        discriminator = discriminator64(params["width"], channels)
    model = GAN(
        generator,
        discriminator,
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        pixel_range="tanh",
        real_label=params["real_label"],
        seed=seed,
    )
    return compile_adam(model, params["d_learning_rate"], params["g_learning_rate"], params["beta_1"])
