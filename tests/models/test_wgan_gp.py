"""wgan_gp: shapes and ranges, one fit step, the critic's loss falls, bad params, only square power-of-two sizes."""

import pytest

pytest.importorskip("keras")

from ._gan_cases import CASES, GanContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402


class TestWganGp(GanContract):
    NAME = "wgan_gp"
    SIZE_HINT = r"power of two from 8, got \(28, 28, 1\); set models\.wgan_gp\.image_size to 32 or 64$"


def test_the_critic_is_penalised_not_clipped_and_has_no_batchnorm():
    model, _, params = build("wgan_gp")
    assert model.clip_value is None and model.gp_weight == params["gp_weight"]
    # Gulrajani et al.: BatchNorm couples the samples the per-sample penalty treats apart.
    assert not any(layer.__class__.__name__ == "BatchNormalization" for layer in model.critic.layers)


def test_n_critic_zero_is_refused():
    with pytest.raises(ParamsError, match=r"^models\.wgan_gp\.n_critic is 0; it must be int \(>= 1\)$"):
        check_entry("wgan_gp", CASES["wgan_gp"][1] | {"n_critic": 0}, dataset="fashion_mnist")
