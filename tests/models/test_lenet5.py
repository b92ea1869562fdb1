"""lenet5: logits out, one finite fit step, the loss falls, bad params, LeNet-5's size."""

import pytest

pytest.importorskip("keras")

from genzoo.schema import ParamsError  # noqa: E402

from ._classifier_cases import PARAMS, ClassifierContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402


class TestLenet5(ClassifierContract):
    NAME = "lenet5"


def test_the_classic_layer_sizes():
    # conv 6@5×5 (156) → pool → conv 16@5×5 (2,416) → pool → 120 (30,840) → 84 (10,164) → 10 (850).
    assert build("lenet5").count_params() == 156 + 2_416 + 30_840 + 10_164 + 850


def test_max_train_zero_is_refused():
    with pytest.raises(ParamsError, match=r"^models\.lenet5\.max_train is 0; it must be int \(>= 1\) or null$"):
        check_entry("lenet5", PARAMS["lenet5"] | {"max_train": 0}, dataset="fashion_mnist")
    check_entry("lenet5", PARAMS["lenet5"] | {"max_train": None}, dataset="fashion_mnist")
