"""cnn_best: logits out, one finite fit step, the loss falls, bad params, augmentation and cosine decay."""

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.models import cnn_best  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._classifier_cases import PARAMS, ClassifierContract, build, fixed_batch  # noqa: E402
from ._entries import check_entry  # noqa: E402


class TestCnnBest(ClassifierContract):
    NAME = "cnn_best"


def test_augmentation_runs_in_training_only():
    model = build("cnn_best")
    images = fixed_batch()[0][:4]
    np.testing.assert_allclose(model(images, training=False), model(images, training=False), atol=1e-6)
    assert {"RandomFlip", "RandomTranslation"} <= {layer.__class__.__name__ for layer in model.layers}


def test_width_sets_both_blocks():
    model = build("cnn_best")
    width = PARAMS["cnn_best"]["width"]
    assert model.get_layer("block1_conv1").filters == width
    assert model.get_layer("block2_conv2").filters == 2 * width


def test_the_callbacks_hook_decays_the_rate_by_a_cosine():
    params = PARAMS["cnn_best"] | {"epochs": 4, "learning_rate": 0.002}
    [schedule] = cnn_best.HOOKS.callbacks(params)
    rates = [schedule.schedule(epoch, 0.0) for epoch in range(4)]
    expected = [0.002 * 0.5 * (1 + math.cos(math.pi * e / 4)) for e in range(4)]
    assert rates == pytest.approx(expected)
    assert rates[0] == pytest.approx(0.002) and rates[2] == pytest.approx(0.001)


BAD = [
    ("dropout", 0.95, r"dropout is 0\.95; it must be int or float \(>= 0\.0, <= 0\.9\)"),
    ("shift", -0.1, r"shift is -0\.1; it must be int or float \(>= 0\.0, <= 0\.5\)"),
    ("width", 0, r"width is 0; it must be int \(>= 1\)"),
]


@pytest.mark.parametrize("key, value, message", BAD, ids=[f"{key}={value!r}" for key, value, _ in BAD])
def test_bad_values_are_params_errors(key, value, message):
    with pytest.raises(ParamsError, match=rf"^models\.cnn_best\.{message}$"):
        check_entry("cnn_best", PARAMS["cnn_best"] | {key: value}, dataset="fashion_mnist")
