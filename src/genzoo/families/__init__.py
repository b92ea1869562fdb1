"""Model families: the code a group of models shares, chosen by a model's ``family``.

Each family is a package ``genzoo.families.<family>`` whose ``pipeline`` module exposes
``train``, ``sample`` and ``evaluate``; the generic stage scripts call those. dvc.yaml lists
the family's directory as a dependency of its models' stages, so editing one family re-runs
that family's models and no others.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def pipeline(family: str) -> ModuleType:
    """The ``pipeline`` module of ``family``."""
    return importlib.import_module(f"genzoo.families.{family}.pipeline")
