"""WGAN-GP (Gulrajani et al. 2017): the gradient penalty instead of clipping, critic without BatchNorm."""

from __future__ import annotations

from genzoo.families.gan.schema import LATENT, TRAINING, WASSERSTEIN
from genzoo.schema import number

FAMILY = "gan"
CURVES = ("train/c_loss", "train/g_loss", "train/gp", "train/w_distance")
PARAMS = TRAINING | LATENT | WASSERSTEIN | {"gp_weight": number(0.0)}  # λ of the paper


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """A compiled ``WGAN`` with the gradient penalty from the ``models.wgan_gp`` params section."""
    # Imported here, not at the top: validating params imports this module.
    from genzoo.families.gan.nets import compile_adam, discriminator64, generator64, pyramid_size
    from genzoo.families.gan.wasserstein import WGAN

    size = pyramid_size(image_shape, "set models.wgan_gp.image_size to 32 or 64")
    channels = image_shape[-1]
    model = WGAN(
        generator64(params["latent_dim"], params["width"], channels, size=size),
        discriminator64(params["width"], channels, batch_norm=False, name="critic", size=size),
        latent_dim=params["latent_dim"],
        latent=params["latent"],
        n_critic=params["n_critic"],
        clip_value=None,
        gp_weight=params["gp_weight"],
        seed=seed,
    )
    lr = params["learning_rate"]
    return compile_adam(model, lr, lr, params["beta_1"], params["beta_2"])
