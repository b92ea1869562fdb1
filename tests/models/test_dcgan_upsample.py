"""dcgan_upsample: shapes and ranges, one fit step, D's loss falls, bad params, only 28×28 images."""

import pytest

pytest.importorskip("keras")

from ._gan_cases import CASES, GanContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402


class TestDcganUpsample(GanContract):
    NAME = "dcgan_upsample"
    SIZE_HINT = r"needs 28×28 images, got \(64, 64, 1\); dcgan_upsample is built for the 28×28 digits"


def test_both_players_use_nesterov_sgd():
    model, _, params = build("dcgan_upsample")
    for optimizer in (model.d_optimizer, model.g_optimizer):
        assert optimizer.__class__.__name__ == "SGD" and optimizer.nesterov
        assert float(optimizer.momentum) == pytest.approx(params["momentum"])
    assert model.pixel_range == "tanh"


def test_momentum_above_one_is_refused():
    with pytest.raises(ParamsError, match=r"^models\.dcgan_upsample\.momentum is 1\.5; it must be int or float \(>= 0\.0, <= 1\.0\)$"):
        check_entry("dcgan_upsample", CASES["dcgan_upsample"][1] | {"momentum": 1.5})
