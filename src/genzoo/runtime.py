"""Device selection and seeding, applied once at the start of every TensorFlow stage."""

from __future__ import annotations

import logging
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

from genzoo.speed import apply_threads

log = logging.getLogger("genzoo")


class DeviceError(RuntimeError):
    """The requested device is not available."""


DETERMINISM = ("auto", "on", "off")


def deterministic(setting: str, device: str, gpu_kernels: bool, who: str = "this model") -> tuple[bool, str | None]:
    """Whether to turn TensorFlow's op determinism on, and a warning to log when it is not.

    Args:
        setting: ``base.determinism``: ``on``, ``off``, or ``auto``: on where TensorFlow has
            deterministic kernels for every op, so on CPU always.
        device: the device used, ``cpu`` or ``gpu``.
        gpu_kernels: whether every op of the model has a deterministic GPU kernel (a model
            module's ``DETERMINISTIC_ON_GPU``); under op determinism TensorFlow raises
            UnimplementedError for one that has not, such as UpSampling2D's gradient.

    Raises:
        DeviceError: ``on`` for a model that cannot run deterministically on this device.
    """
    if setting not in DETERMINISM:
        raise DeviceError(f"base.determinism is {setting!r}; allowed values: {', '.join(DETERMINISM)}")
    possible = device == "cpu" or gpu_kernels
    if setting == "off":
        return False, None
    if setting == "on" and not possible:
        raise DeviceError(
            f"base.determinism is 'on' but {who} has an op without a deterministic GPU kernel "
            "(TensorFlow would stop at its first step); set base.determinism: auto or off, or base.device: cpu"
        )
    if not possible:
        return False, (f"{who} runs without op determinism on the GPU (an op of it has no deterministic "
                       "GPU kernel): its metrics may move between identical runs")
    return True, None


# What TensorFlow's native libraries print while they load, before its logging is set up,
# so TF_CPP_MIN_LOG_LEVEL cannot silence it: absl's notice that logging is not initialised
# yet, and info lines (oneDNN, CPU features) with their continuation. Warnings and errors
# printed then (W..., E..., F... lines, Python tracebacks) are kept.
_STARTUP_NOISE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|I\d{4} [\d:.]+ +\d+ \S+:\d+\] .*"
    r"|To enable the following instructions: .*in other operations, rebuild TensorFlow.*"
)


def import_tensorflow() -> None:
    """Import TensorFlow with its native start-up lines dropped from the stage's output.

    They come from C++ straight to file descriptor 2, not through Python, so descriptor 2
    points at a temporary file while the libraries load; everything else written there
    is then passed on, in order.
    """
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as caught:
        os.dup2(caught.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            kept = [line for line in caught.read().decode(errors="replace").splitlines()
                    if not _STARTUP_NOISE.fullmatch(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr, flush=True)


def processor_name() -> str:
    """The CPU's model name (``model name`` of /proc/cpuinfo on Linux), else what platform knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                return value.strip()
    return platform.processor() or platform.machine()


def seed_everything(seed: int) -> None:
    """Seed Python's, numpy's and TensorFlow's global generators."""
    import keras

    keras.utils.set_random_seed(seed)


def setup(*, seed: int, device: str = "auto", threads: int | str = "auto", determinism: str = "auto",
          gpu_kernels: bool = True, who: str = "this model") -> dict:
    """Pin the device, size the thread pools, seed every generator, make kernels deterministic.

    Args:
        seed: seeds Python, numpy and TensorFlow (via ``keras.utils.set_random_seed``).
        device: ``auto`` (GPU if present), ``cpu`` or ``gpu`` (an error if none is present).
        threads: ``base.threads``: "auto" keeps TensorFlow's pools, a number sets both.
        determinism, gpu_kernels, who: ``base.determinism`` and what ``deterministic`` needs.

    Returns:
        ``{"device": "cpu" | "gpu", "device_name": str}`` for the metrics files.
    """
    import_tensorflow()
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
    for gpu in gpus:
        # Take GPU memory as needed, not all of it at start, so queued experiments can share a GPU.
        tf.config.experimental.set_memory_growth(gpu, True)
    seed_everything(seed)
    # Same params, same metrics: deterministic kernels cost a little speed on CPU and more
    # on GPU, but a zoo whose numbers move between identical runs cannot be compared.
    on, warning = deterministic(determinism, "gpu" if gpus else "cpu", gpu_kernels, who)
    if on:
        tf.config.experimental.enable_op_determinism()
    if warning:
        log.warning(warning)
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        name = details.get("device_name", gpus[0].name)
        used = "gpu"
    else:
        name = processor_name()
        used = "cpu"
    log.info("device: %s (%s), seed %d, op determinism %s", used, name, seed, "on" if on else "off")
    return {"device": used, "device_name": name, "deterministic": on}
