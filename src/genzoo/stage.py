"""What every stage script shares: logging, clear errors instead of tracebacks."""

from __future__ import annotations

import logging
import os
import sys
from typing import Callable

from genzoo.config import ParamsError

# TensorFlow's C++ start-up chatter (oneDNN notices, CPU feature lists) buries the
# stage's own progress lines in `dvc repro` output; warnings and errors still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def run(main: Callable[[], None]) -> None:
    """Run a stage's ``main``; known user errors print one line and exit 2."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    from genzoo.data import DataSourceError
    from genzoo.runtime import DeviceError

    try:
        main()
    except (ParamsError, DataSourceError, DeviceError) as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
