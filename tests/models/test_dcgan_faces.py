"""dcgan_faces: shapes and ranges, one fit step, D's loss falls, bad params, each architecture's size."""

import numpy as np
import pytest

pytest.importorskip("keras")

from ._gan_cases import CASES, GanContract, build  # noqa: E402
from ._entries import check_entry  # noqa: E402
from genzoo.models import REGISTRY  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402


class TestDcganFaces(GanContract):
    NAME = "dcgan_faces"
    SIZE_HINT = r"64×64.*datasets\..*\.image_size to 64 for architecture dcgan64"


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


def test_a_bad_architecture_lists_the_two():
    check_entry("dcgan_faces", CASES["dcgan_faces"][1] | {"architecture": "celeba28"}, dataset="faces")
    with pytest.raises(ParamsError, match=r"^models\.dcgan_faces\.architecture is 'dcgan32'; allowed values: 'dcgan64', 'celeba28'$"):
        check_entry("dcgan_faces", CASES["dcgan_faces"][1] | {"architecture": "dcgan32"}, dataset="faces")


# --- architecture: celeba28, the second write-up's 28×28 CelebA network ------------------


def test_celeba28_builds_the_28_by_28_networks_for_rgb():
    model = _celeba28((28, 28, 3))
    assert model.generator.output_shape == (None, 28, 28, 3)
    assert model.discriminator.input_shape == (None, 28, 28, 3) and model.discriminator.output_shape == (None, 1)
    assert model.pixel_range == "tanh" and model.real_label == 0.9


def test_celeba28_refuses_64_by_64_naming_the_param():
    params = CASES["dcgan_faces"][1] | {"architecture": "celeba28", "dataset": "celeba"}
    hint = r"^this model needs 28×28 images, got \(64, 64, 3\); set datasets\.celeba\.image_size to 28 for architecture celeba28$"
    with pytest.raises(ValueError, match=hint):
        REGISTRY["dcgan_faces"].build((64, 64, 3), None, params, 0)


def test_celeba28_one_fit_step_on_random_rgb_gives_finite_losses():
    model = _celeba28((28, 28, 3))
    model.run_eagerly = True  # one step: tracing the graph would cost more than the step
    images = np.random.default_rng(0).random((8, 28, 28, 3), dtype=np.float32)
    _assert_finite(model.fit(images, batch_size=8, epochs=1, verbose=0))


def test_celeba28_trains_on_an_rgb_folder_through_the_data_stages(tmp_path):
    """12 RGB PNGs of 40×40 read by the folder source, prepared at 28×28, then one fit step."""
    from PIL import Image

    from genzoo.data import download, prepare_dir

    faces = tmp_path / "celeba"
    faces.mkdir()
    rng = np.random.default_rng(0)
    for i in range(12):
        Image.fromarray(rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)).save(faces / f"{i:06d}.png")
    download("celeba", tmp_path / "raw", source="folder", path=str(faces), channels=3)
    info = prepare_dir(tmp_path / "raw", tmp_path / "data", seed=0, test_fraction=0.25, max_train=None,
                       max_test=None, image_size=28)
    assert info["source"] == "folder" and info["image_shape"] == [28, 28, 3] and info["counts"]["train"] == 9
    with np.load(tmp_path / "data" / "train.npz") as f:
        x_train = f["x"]
    model = _celeba28(x_train.shape[1:])
    model.run_eagerly = True
    _assert_finite(model.fit(x_train, batch_size=9, epochs=1, verbose=0))


def _celeba28(shape):
    import keras

    keras.utils.set_random_seed(0)
    params = CASES["dcgan_faces"][1] | {"architecture": "celeba28"}
    return REGISTRY["dcgan_faces"].build(shape, None, params, 0)


def _assert_finite(history):
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    for key, values in history.history.items():
        assert np.isfinite(values[-1]), key
