"""mlp: logits out, one finite fit step, the loss falls, bad params, its hidden width."""

import pytest

pytest.importorskip("keras")

from genzoo.schema import ParamsError  # noqa: E402

from ._classifier_cases import PARAMS, ClassifierContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402


class TestMlp(ClassifierContract):
    NAME = "mlp"


def test_hidden_sets_the_one_hidden_layer():
    model = build("mlp")
    dense = [layer for layer in model.layers if layer.__class__.__name__ == "Dense"]
    assert [layer.units for layer in dense] == [PARAMS["mlp"]["hidden"], 10]
    assert model.count_params() == 784 * 32 + 32 + 32 * 10 + 10


def test_zero_hidden_units_are_refused():
    with pytest.raises(ParamsError, match=r"^models\.mlp\.hidden is 0; it must be int \(>= 1\)$"):
        check_entry("mlp", PARAMS["mlp"] | {"hidden": 0}, dataset="fashion_mnist")
