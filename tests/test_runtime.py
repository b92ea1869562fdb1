"""Device selection and seeding, applied once at the start of every TensorFlow stage."""

import numpy as np
import pytest

from genzoo.runtime import DeviceError, setup


def test_gpu_requested_is_a_clear_error_without_one_and_used_with_one():
    tf = pytest.importorskip("tensorflow")
    if tf.config.list_physical_devices("GPU"):
        assert setup(seed=0, device="gpu")["device"] == "gpu"
    else:
        with pytest.raises(DeviceError, match="base.device is 'gpu' but TensorFlow sees no GPU"):
            setup(seed=0, device="gpu")


def test_cpu_is_always_available():
    used = setup(seed=0, device="cpu")
    assert used["device"] == "cpu" and isinstance(used["device_name"], str) and used["device_name"]


def test_an_unknown_device_is_refused():
    with pytest.raises(DeviceError, match="base.device is 'tpu'; allowed values: 'auto', 'cpu', 'gpu'"):
        setup(seed=0, device="tpu")


def test_the_seed_seeds_numpy_and_keras():
    import keras

    setup(seed=3, device="cpu")
    first = np.random.rand(3), np.asarray(keras.random.uniform((3,)))
    setup(seed=3, device="cpu")
    again = np.random.rand(3), np.asarray(keras.random.uniform((3,)))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
