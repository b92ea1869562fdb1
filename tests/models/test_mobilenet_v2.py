"""mobilenet_v2: the classifier contract, the offline ImageNet error, cached weights, the batched resize, what it records."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.models import mobilenet_v2  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._classifier_cases import ClassifierContract  # noqa: E402
from ._entries import check_entry  # noqa: E402

PARAMS = {"epochs": 1, "batch_size": 8, "learning_rate": 1e-3, "weights": "imagenet",
          "resolution": 96, "alpha": 0.35, "max_train": None}


class TestMobilenetV2(ClassifierContract):
    NAME = "mobilenet_v2"


def test_imagenet_without_cached_weights_names_the_key_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(mobilenet_v2.WeightsUnavailableError) as error:
        mobilenet_v2.build((28, 28, 1), 10, PARAMS, seed=0)
    message = str(error.value)
    assert "models.mobilenet_v2.weights" in message and "weights: none" in message
    assert str(tmp_path / "models" / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5") in message
    assert isinstance(error.value, ParamsError)  # so the stage prints one line, not a traceback


def test_imagenet_uses_cached_weights_and_freezes_the_base(tmp_path, monkeypatch):
    from keras.src.legacy.saving import legacy_h5_format
    import h5py

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    keras.utils.set_random_seed(1)
    donor = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights=None)
    path = mobilenet_v2.weights_file(0.35, 96)
    path.parent.mkdir(parents=True)
    with h5py.File(path, "w") as f:  # the legacy layout Keras publishes its application weights in
        legacy_h5_format.save_weights_to_hdf5_group(f, donor)
    model = mobilenet_v2.build((28, 28, 1), 10, PARAMS, seed=0)
    base = model.get_layer(donor.name)
    np.testing.assert_array_equal(base.get_weights()[0], donor.get_weights()[0])
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == base.output.shape[-1] * 10 + 10  # only the new Dense head learns


def test_from_scratch_batchnorm_forgets_its_initial_statistics_quickly():
    keras.utils.set_random_seed(0)
    model = mobilenet_v2.build((28, 28, 1), 10, PARAMS | {"weights": "none", "resolution": 32}, seed=0)
    momenta = {layer.momentum for layer in model.layers[1].layers if isinstance(layer, keras.layers.BatchNormalization)}
    assert momenta == {mobilenet_v2.BN_MOMENTUM_FROM_SCRATCH}
    assert all(w.trainable for w in model.layers[1].weights if "moving" not in w.path)


def test_preprocess_resizes_a_batch_to_rgb_in_minus_one_one():
    images = np.zeros((3, 28, 28, 1), "float32")
    images[:, :, 14:] = 1.0
    labels = np.arange(3)
    out, out_labels = mobilenet_v2.HOOKS.preprocess(PARAMS | {"resolution": 64})(images, labels)
    assert tuple(out.shape) == (3, 64, 64, 3)
    assert float(np.min(out)) == -1.0 and float(np.max(out)) == 1.0
    np.testing.assert_array_equal(out[..., 0], out[..., 2])  # gray copied to every channel
    np.testing.assert_array_equal(out_labels, labels)


def test_describe_records_weights_and_resolution():
    assert mobilenet_v2.HOOKS.describe(PARAMS | {"weights": "none", "resolution": 48}) == {
        "weights": "none", "base": "trained from scratch", "resolution": [48, 48, 3], "alpha": 0.35,
    }


@pytest.mark.parametrize("key, value", [("weights", "imagenet21k"), ("resolution", 16), ("alpha", 0.6)])
def test_bad_values_are_params_errors(key, value):
    with pytest.raises(ParamsError, match=f"models.mobilenet_v2.{key}"):
        check_entry("mobilenet_v2", PARAMS | {key: value}, dataset="fashion_mnist")


def test_the_learning_rate_decays_as_a_cosine_to_zero():
    # A constant rate left a short run wherever its last noisy steps put it.
    (schedule,) = mobilenet_v2.HOOKS.callbacks({"learning_rate": 0.002, "epochs": 4})
    rates = [schedule.schedule(epoch, None) for epoch in range(5)]
    assert rates[0] == pytest.approx(0.002) and rates[2] == pytest.approx(0.001) and rates[4] == pytest.approx(0.0)
    assert rates == sorted(rates, reverse=True)
