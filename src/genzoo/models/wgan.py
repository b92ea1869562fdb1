"""WGAN with weight clipping (Arjovsky et al. 2017) on Fashion-MNIST; 64×64 as in the fourth write-up."""

from __future__ import annotations

from genzoo.families.gan.schema import LATENT, TRAINING, WASSERSTEIN
from genzoo.schema import number

FAMILY = "gan"
CURVES = ("train/c_loss", "train/g_loss", "train/gp", "train/w_distance")
PARAMS = TRAINING | LATENT | WASSERSTEIN | {"clip_value": number(0.0)}


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``WGAN`` from the ``models.wgan`` params section (``n_classes`` is unused)."""
    # Imported here, not at the top: validating params imports this module.
    from genzoo.families.gan.nets import compile_adam, discriminator64, generator64, pyramid_size
    from genzoo.families.gan.wasserstein import WGAN

    size = pyramid_size(image_shape, "set models.wgan.image_size to 32 or 64")
    channels = image_shape[-1]
    model = WGAN(
        generator64(params["latent_dim"], params["width"], channels, size=size),
        discriminator64(params["width"], channels, name="critic", size=size),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        n_critic=params["n_critic"],
        clip_value=params["clip_value"],
        seed=seed,
    )
    lr = params["learning_rate"]
    return compile_adam(model, lr, lr, params["beta_1"], params["beta_2"])
