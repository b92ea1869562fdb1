"""The model registry (genzoo.models): every module has the one interface, every entry validates."""

import importlib
import inspect
from pathlib import Path

import pytest
import yaml

from genzoo.config import model_schema
from genzoo.data.sources import DATASETS
from genzoo.models import REGISTRY, get
from genzoo.schema import ParamsError, Spec, check_section

from ._classifier_cases import PARAMS as CLASSIFIER_PARAMS
from ._gan_cases import CASES as GAN_CASES

ROOT = Path(__file__).resolve().parents[2]
PARAMS = yaml.safe_load((ROOT / "params.yaml").read_text())
ENTRIES = PARAMS["models"]


def test_unknown_model_lists_valid_names():
    with pytest.raises(ValueError, match="gan_mlp"):
        get("gan_mpl")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_module_has_the_one_interface(name):
    module = REGISTRY[name]
    assert module.__name__ == f"genzoo.models.{name}"
    assert isinstance(module.PARAMS, dict) and all(isinstance(spec, Spec) for spec in module.PARAMS.values())
    # module, family and dataset are every entry's own keys, never a module's.
    assert not {"module", "family", "dataset"} & set(module.PARAMS)
    assert list(inspect.signature(module.build).parameters) == ["image_shape", "n_classes", "params", "seed"]
    pipeline = importlib.import_module(f"genzoo.families.{module.FAMILY}.pipeline")
    for stage in ("train", "sample", "evaluate"):
        assert list(inspect.signature(getattr(pipeline, stage)).parameters) == ["module", "run"]


@pytest.mark.parametrize("name", sorted(n for n, m in REGISTRY.items() if m.FAMILY == "classifier"))
def test_every_classifier_has_hooks_and_a_reference(name):
    from genzoo.families.classifier.schema import Hooks

    module = REGISTRY[name]
    assert isinstance(module.HOOKS, Hooks)
    assert module.REFERENCE_ACCURACY is None or 0.0 < module.REFERENCE_ACCURACY < 1.0


def test_every_gan_module_is_registered_and_has_a_case():
    family = {n for n, m in REGISTRY.items() if m.FAMILY == "gan"}
    assert family - set(GAN_CASES) == {"gan_mlp"}  # tested in its own file
    assert set(GAN_CASES) <= family


def test_every_classifier_has_tiny_test_params():
    classifiers = {name for name, module in REGISTRY.items() if getattr(module, "FAMILY", None) == "classifier"}
    assert classifiers == set(CLASSIFIER_PARAMS) | {"pyramid_svm"}


def test_every_module_runs_in_the_laptop_profile():
    assert {entry["module"] for entry in ENTRIES.values()} == set(REGISTRY)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_laptop_profile_entries_pass_their_module_schema(name):
    entry = ENTRIES[name]
    check_section(f"models.{name}", entry, model_schema(entry["module"], dict.fromkeys(DATASETS), PARAMS["pairs"]))


def test_an_entry_schema_is_the_shared_keys_and_the_module_params():
    schema = model_schema("vae", dict.fromkeys(DATASETS))
    assert list(schema)[:4] == ["module", "family", "dataset", "seed"]
    assert {k: v for k, v in schema.items() if k not in ("module", "family", "dataset", "seed")} == REGISTRY["vae"].PARAMS
    assert schema["seed"].nullable and schema["seed"].maximum == 2**32 - 1
    assert schema["family"].choices == ("vae",)
    assert set(schema["module"].choices) == set(REGISTRY)
    assert schema["dataset"].choices == DATASETS


def test_an_entry_of_another_module_is_checked_against_that_module():
    entry = dict(ENTRIES["vae_2"], module="aae", family="aae")
    with pytest.raises(ParamsError, match=r"^models\.vae_2\.binarize is not a known key; allowed keys: module, family, dataset, seed, supervised"):
        check_section("models.vae_2", entry, model_schema("aae", dict.fromkeys(DATASETS)))
