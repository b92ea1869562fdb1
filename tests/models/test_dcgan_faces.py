"""dcgan_faces: shapes and ranges, one fit step, D's loss falls, bad params, only 64×64 images."""

import pytest

pytest.importorskip("keras")

from ._gan_cases import CASES, GanContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402


class TestDcganFaces(GanContract):
    NAME = "dcgan_faces"
    SIZE_HINT = "64×64.*image_size"


def test_rgb_faces_give_rgb_samples():
    import keras

    from genzoo.models import dcgan_faces

    keras.utils.set_random_seed(0)
    model = dcgan_faces.build((64, 64, 3), None, CASES["dcgan_faces"][1], 0)
    assert model.generator.output_shape == (None, 64, 64, 3)
    assert model.discriminator.input_shape == (None, 64, 64, 3)


def test_real_label_below_one_half_is_refused():
    with pytest.raises(ParamsError, match=r"^models\.dcgan_faces\.real_label is 0\.4; it must be int or float \(>= 0\.5, <= 1\.0\)$"):
        check_entry("dcgan_faces", CASES["dcgan_faces"][1] | {"real_label": 0.4}, dataset="faces")


def test_real_label_reaches_the_game():
    model, _, _ = build("dcgan_faces")
    assert model.real_label == 0.9
