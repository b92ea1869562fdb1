"""The params keys every adversarial model shares, so each model module lists only its own."""

import subprocess
import sys

import pytest

from genzoo.families.gan.schema import ADAM, LATENT, LATENTS, TRAINING, WASSERSTEIN
from genzoo.models import REGISTRY
from genzoo.schema import ParamsError, check_section


def test_the_latent_choices():
    assert LATENTS == ("uniform", "normal")
    assert LATENT["latent"].choices == LATENTS


@pytest.mark.parametrize("name", ["dcgan", "dcgan_upsample", "dcgan_faces", "wgan", "wgan_gp"])
def test_every_convolutional_gan_shares_the_training_and_latent_keys(name):
    params = REGISTRY[name].PARAMS
    for shared in (TRAINING, LATENT):
        assert {key: params[key] for key in shared} == shared


@pytest.mark.parametrize("name", ["wgan", "wgan_gp"])
def test_the_wasserstein_models_share_their_keys(name):
    params = REGISTRY[name].PARAMS
    assert {key: params[key] for key in WASSERSTEIN} == WASSERSTEIN


def test_the_adam_keys_and_their_bounds():
    section = {"d_learning_rate": 1e-4, "g_learning_rate": 5e-4, "beta_1": 0.5}
    check_section("models.x", section, ADAM)
    for beta in (1.0, 1.5):  # Adam divides by 1 - beta**t: 1.0 is as wrong as 1.5
        with pytest.raises(ParamsError, match=rf"^models\.x\.beta_1 is {beta}; it must be int or float \(>= 0\.0, < 1\.0\)$"):
            check_section("models.x", section | {"beta_1": beta}, ADAM)


def test_image_size_is_optional_and_at_least_eight():
    section = {"image_size": None, "width": 8, "n_critic": 5, "learning_rate": 5e-5, "beta_1": 0.5, "beta_2": 0.9}
    check_section("models.x", section, WASSERSTEIN)
    with pytest.raises(ParamsError, match=r"^models\.x\.image_size is 4; it must be int \(>= 8\) or null$"):
        check_section("models.x", section | {"image_size": 4}, WASSERSTEIN)


def test_the_schema_imports_no_tensorflow():
    code = "import sys, genzoo.families.gan.schema; print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
