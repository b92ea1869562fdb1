"""What every stage script shares: logging, clear errors instead of tracebacks, a model's run."""

from __future__ import annotations

import errno
import importlib
import logging
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

from genzoo import models, speed
from genzoo.config import ParamsError, load_params, model_seed
from genzoo.io import FULL_DISK, StorageError
from genzoo.runs import Run

# TensorFlow's native log buries the stage's own lines in `dvc repro` output: start-up
# notices, and "E0000" lines from graph optimisers and tf.data that change no result (a
# fused-op rewrite skipped, an attribute its kernel does not know). A failure that matters
# raises in Python and is printed as ever. TF_CPP_MIN_LOG_LEVEL=0 shows the native log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def run(main: Callable[[], None]) -> None:
    """Run a stage's ``main``; known user errors print one line and exit 2.

    A stage that finished after importing TensorFlow ends with ``exit_without_teardown``.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    from genzoo.data import DataSourceError
    from genzoo.runtime import DeviceError

    try:
        main()
    except (ParamsError, DataSourceError, DeviceError, StorageError) as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except FloatingPointError as err:
        if not _diverged(err):
            raise
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except OSError as err:
        # A full disk under a writer outside genzoo.io (a Keras save): the file and what to do.
        if err.errno != errno.ENOSPC:
            raise
        print(f"error: {err.filename or 'an output'}: {FULL_DISK}", file=sys.stderr)
        sys.exit(2)
    if "tensorflow" in sys.modules:
        exit_without_teardown()


def _diverged(err: Exception) -> bool:
    """Whether ``err`` is a training run's NaN stop; that module (and TensorFlow) loads only if a stage trained."""
    training = sys.modules.get("genzoo.training")
    return training is not None and isinstance(err, training.TrainingDiverged)


def exit_without_teardown() -> None:
    """End a finished TensorFlow stage at once, its output flushed.

    The stage's files are written and closed by now. What a normal exit adds is the
    interpreter's clean-up of TensorFlow's objects and thread pools: 1.3-1.6 s per process
    measured on 2 busy cores, paid by every TensorFlow stage of every `dvc repro`.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def model_run(name: str, **paths: Path | str | None) -> tuple[ModuleType, ModuleType, Run]:
    """Resolve ``models.<name>`` once: its model module, its family's pipeline and its ``Run``.

    Validates params.yaml, sets up the device and seeds (the entry's ``seed``, else
    ``base.seed``: ``config.model_seed``), and describes the run
    with the paths dvc.yaml passed (``Run``'s path fields, by keyword).
    """
    params = load_params()
    if name not in params["models"]:
        raise ParamsError(f"models.{name} is not in params.yaml; models: {', '.join(params['models'])}")
    section = params["models"][name]
    module = models.get(section["module"])

    from genzoo.runtime import setup

    seed = model_seed(params, name)
    base = params["base"]
    device = setup(seed=seed, device=base["device"], threads=base["threads"], determinism=base["determinism"],
                   gpu_kernels=getattr(module, "DETERMINISTIC_ON_GPU", True), who=f"models.{name}")
    pipeline = importlib.import_module(f"genzoo.families.{module.FAMILY}.pipeline")
    run_paths = {key: None if value is None else Path(value) for key, value in paths.items()}
    description = Run(name=name, params=section, seed=seed, evaluation=params["evaluation"],
                      device=device, speed=speed.resolve(base), profile=base["profile"], **run_paths)
    return module, pipeline, description
