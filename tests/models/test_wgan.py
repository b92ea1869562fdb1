"""wgan: shapes and ranges, one fit step, the critic's loss falls, bad params, only square power-of-two sizes."""

import pytest

pytest.importorskip("keras")

from ._gan_cases import CASES, GanContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402


class TestWgan(GanContract):
    NAME = "wgan"
    SIZE_HINT = r"power of two from 8, got \(28, 28, 1\); set models\.wgan\.image_size to 32 or 64$"


def test_the_critic_is_clipped_and_unpenalised():
    model, _, params = build("wgan")
    assert model.clip_value == params["clip_value"] and model.gp_weight == 0.0
    assert model.n_critic == params["n_critic"]
    # The clipped critic keeps BatchNorm after its first layer, as in the write-up.
    assert any(layer.__class__.__name__ == "BatchNormalization" for layer in model.critic.layers)


def test_a_negative_clip_value_is_refused():
    with pytest.raises(ParamsError, match=r"^models\.wgan\.clip_value is -0\.01; it must be int or float \(>= 0\.0\)$"):
        check_entry("wgan", CASES["wgan"][1] | {"clip_value": -0.01}, dataset="fashion_mnist")
