"""Device selection and seeding, applied once at the start of every TensorFlow stage."""

from __future__ import annotations

import logging
import platform

from genzoo.speed import apply_threads

log = logging.getLogger("genzoo")


class DeviceError(RuntimeError):
    """The requested device is not available."""


def seed_everything(seed: int) -> None:
    """Seed Python's, numpy's and TensorFlow's global generators."""
    import keras

    keras.utils.set_random_seed(seed)


def setup(*, seed: int, device: str = "auto", threads: int | str = "auto") -> dict:
    """Pin the device, size the thread pools, seed every generator, make kernels deterministic.

    Args:
        seed: seeds Python, numpy and TensorFlow (via ``keras.utils.set_random_seed``).
        device: ``auto`` (GPU if present), ``cpu`` or ``gpu`` (an error if none is present).
        threads: ``base.threads``: "auto" keeps TensorFlow's pools, a number sets both.

    Returns:
        ``{"device": "cpu" | "gpu", "device_name": str}`` for the metrics files.
    """
    import keras
    import tensorflow as tf

    if device not in ("auto", "cpu", "gpu"):
        raise DeviceError(f"base.device is {device!r}; allowed values: 'auto', 'cpu', 'gpu'")
    apply_threads(None if threads == "auto" else threads)
    gpus = tf.config.list_physical_devices("GPU")
    if device == "gpu" and not gpus:
        raise DeviceError(
            "base.device is 'gpu' but TensorFlow sees no GPU on this machine; "
            "install a CUDA build of TensorFlow and its drivers, or set base.device: auto or cpu"
        )
    if device == "cpu" and gpus:
        tf.config.set_visible_devices([], "GPU")
        gpus = []
    seed_everything(seed)
    # Same params, same metrics: deterministic kernels cost a little speed on CPU and more
    # on GPU, but a zoo whose numbers move between identical runs cannot be compared.
    tf.config.experimental.enable_op_determinism()
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        name = details.get("device_name", gpus[0].name)
        used = "gpu"
    else:
        name = platform.processor() or platform.machine()
        used = "cpu"
    log.info("device: %s (%s), seed %d", used, name, seed)
    return {"device": used, "device_name": name}
