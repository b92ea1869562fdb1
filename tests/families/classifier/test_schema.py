"""The classifiers' shared params keys and their hooks, as the model modules declare them."""

import dataclasses

import pytest

from genzoo.families.classifier.schema import TRAINING_PARAMS, Hooks
from genzoo.schema import ParamsError, check_section

SECTION = {"epochs": 2, "batch_size": 16, "learning_rate": 1e-3, "max_train": None}


def test_the_training_keys_every_keras_classifier_has():
    assert list(TRAINING_PARAMS) == ["epochs", "batch_size", "learning_rate", "max_train"]
    check_section("models.x", SECTION, TRAINING_PARAMS)
    check_section("models.x", SECTION | {"max_train": 100}, TRAINING_PARAMS)
    with pytest.raises(ParamsError, match=r"^models\.x\.batch_size is 0; it must be int \(>= 1\)$"):
        check_section("models.x", SECTION | {"batch_size": 0}, TRAINING_PARAMS)


def test_hooks_default_to_none_and_are_frozen():
    hooks = Hooks()
    assert (hooks.preprocess, hooks.callbacks, hooks.describe) == (None, None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hooks.preprocess = len


def test_the_schema_imports_no_tensorflow():
    import subprocess
    import sys

    code = "import sys, genzoo.families.classifier.schema; print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
