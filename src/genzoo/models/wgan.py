"""WGAN with weight clipping (Arjovsky et al. 2017) on Fashion-MNIST at 64×64, as in the fourth write-up."""

from __future__ import annotations

from genzoo.families.gan.schema import LATENT, TRAINING, WASSERSTEIN
from genzoo.schema import number

FAMILY = "gan"
CURVES = ("train/c_loss", "train/g_loss", "train/gp", "train/w_distance")
PARAMS = TRAINING | LATENT | WASSERSTEIN | {"clip_value": number(0.0)}


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``WGAN`` from the ``models.wgan`` params section (``n_classes`` is unused)."""
    # Imported here, not at the top: validating params imports this module.
    from genzoo.families.gan.nets import SIZE, check_size, compile_adam, discriminator64, generator64
    from genzoo.families.gan.wasserstein import WGAN

    check_size(image_shape, SIZE, "set models.wgan.image_size to 64")
    channels = image_shape[-1]
    model = WGAN(
        generator64(params["latent_dim"], params["width"], channels),
        discriminator64(params["width"], channels, name="critic"),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        n_critic=params["n_critic"],
        clip_value=params["clip_value"],
        seed=seed,
    )
    lr = params["learning_rate"]
    return compile_adam(model, lr, lr, params["beta_1"], params["beta_2"])
