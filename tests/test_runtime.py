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


def test_only_tensorflows_start_up_lines_are_dropped():
    from genzoo.runtime import _STARTUP_NOISE

    dropped = [
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
        "I0000 00:00:1795361029.780685   15266 port.cc:153] oneDNN custom operations are on. You may see"
        " slightly different numerical results.",
        "I0000 00:00:1795361030.246255   15266 cpu_feature_guard.cc:227] This TensorFlow binary is optimized",
        "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow"
        " with the appropriate compiler flags.",
    ]
    kept = [
        "W0000 00:00:1795361030.246255   15266 gpu_device.cc:2344] Cannot dlopen some GPU libraries.",
        "E0000 00:00:1795361030.246255   15266 cuda_dnn.cc:8310] Unable to register cuDNN factory",
        "Traceback (most recent call last):",
        "ImportError: libcudart.so.12: cannot open shared object file",
    ]
    assert all(_STARTUP_NOISE.fullmatch(line) for line in dropped)
    assert not any(_STARTUP_NOISE.fullmatch(line) for line in kept)


@pytest.mark.parametrize("setting, device, gpu_kernels, expected", [
    ("auto", "cpu", True, (True, None)),
    ("auto", "cpu", False, (True, None)),   # every op has a deterministic CPU kernel
    ("auto", "gpu", True, (True, None)),
    ("on", "cpu", False, (True, None)),
    ("on", "gpu", True, (True, None)),
    ("off", "cpu", True, (False, None)),
    ("off", "gpu", False, (False, None)),
])
def test_determinism_is_on_wherever_tensorflow_can_keep_it(setting, device, gpu_kernels, expected):
    from genzoo.runtime import deterministic

    assert deterministic(setting, device, gpu_kernels) == expected


def test_auto_determinism_on_a_gpu_without_deterministic_kernels_runs_without_it_and_warns():
    from genzoo.runtime import deterministic

    on, warning = deterministic("auto", "gpu", False, "models.dcgan_upsample")
    assert on is False
    assert warning.startswith("models.dcgan_upsample runs without op determinism on the GPU")


def test_determinism_on_where_it_is_impossible_is_one_clear_error():
    from genzoo.runtime import DeviceError, deterministic

    with pytest.raises(DeviceError, match=r"^base.determinism is 'on' but models.dcgan_upsample has an op"):
        deterministic("on", "gpu", False, "models.dcgan_upsample")
    with pytest.raises(DeviceError, match="allowed values: auto, on, off"):
        deterministic("sometimes", "cpu", True)


def test_only_dcgan_upsample_declares_an_op_without_a_deterministic_gpu_kernel():
    from genzoo import models

    flagged = [name for name, module in models.REGISTRY.items() if not getattr(module, "DETERMINISTIC_ON_GPU", True)]
    assert flagged == ["dcgan_upsample"]
