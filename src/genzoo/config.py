"""params.yaml: loading, profile merging and validation before any work starts.

Validation reads each model module's ``PARAMS``. Model modules import Keras only inside
their builders, so loading and validating params imports no TensorFlow, Keras or
scikit-learn (tests/test_layers.py keeps it so).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from genzoo import models, speed
from genzoo.data.sources import DATASETS, SOURCES
from genzoo.runtime import DETERMINISM  # TensorFlow loads only in runtime.setup
from genzoo.schema import ParamsError, check_section, choice, integer, list_of, number, text

DEVICES = ("auto", "cpu", "gpu")
NAME = re.compile(r"[a-z0-9_]+")
# dvc.yaml iterates over datasets, pairs and models: DVC cannot read a params.yaml without
# one, so each is required (pairs: {} for none).
SECTIONS = ("base", "datasets", "pairs", "evaluator", "evaluation", "models")
MISSING_SECTION_TODO = {"pairs": "dvc.yaml reads it: write pairs: {} for none"}

BASE_SCHEMA = {
    "seed": integer(0, maximum=2**32 - 1),  # numpy's and scikit-learn's seed range
    "device": choice(*DEVICES),
    "determinism": choice(*DETERMINISM),
    "profile": text(),
    **speed.SCHEMA,
}
DATASET_SCHEMA = {
    "source": choice(*SOURCES),
    "path": text(nullable=True),
    "channels": choice(1, 3),
    "image_size": integer(8, nullable=True),
    "test_fraction": number(0.01, maximum=0.99),
    "max_train": integer(1, nullable=True),
    "max_test": integer(1, nullable=True),
}
# A translation model's two domains, each an entry of datasets (genzoo.data.pair joins them).
PAIR_SCHEMA = {
    "a": text(),
    "b": text(),
}
EVALUATOR_SCHEMA = {
    "epochs": integer(1),
    "batch_size": integer(1),
    "learning_rate": number(0.0),
    "max_train": integer(1, nullable=True),
}
EVALUATION_SCHEMA = {
    "n_samples": integer(10),
    "n_reference": integer(10),
    "pr_k": integer(1),
    "dc_k": integer(1),
    "classifier_score_splits": integer(1),
    "round_trip_sizes": list_of(integer(8)),
}


def model_schema(module_name: str, datasets: Mapping[str, Any], pairs: Mapping[str, Any] | None = None) -> dict:
    """The schema of one ``models:`` entry that runs ``module_name``.

    ``module`` and ``family`` are read by dvc.yaml to list the module's file and the
    family's package as the entry's dependencies, so a wrong value would track the wrong
    files: ``family`` must be the module's own. A translation module (``PAIRED``) trains
    on an entry of ``pairs``, every other module on an entry of ``datasets``.
    """
    module = models.get(module_name)
    names = (pairs or {}) if getattr(module, "PAIRED", False) else datasets
    return {
        "module": choice(*models.REGISTRY),
        "family": choice(module.FAMILY),
        "dataset": choice(*names),
        "seed": integer(0, maximum=2**32 - 1, nullable=True),
    } | module.PARAMS


def model_seed(params: Mapping[str, Any], name: str) -> int:
    """The seed of ``models.<name>``: its own ``seed``, or ``base.seed`` when that is null.

    A model's own seed re-seeds its training, sampling and scoring only; the data splits and
    the evaluator keep ``base.seed``, so runs over a model's seeds differ in the model alone
    and re-run no other model's stages.
    """
    own = params["models"][name].get("seed")
    return params["base"]["seed"] if own is None else own


def validate(params: Mapping[str, Any]) -> dict:
    """Check the whole params tree; raise ParamsError naming the first bad key."""
    if not isinstance(params, Mapping):
        raise ParamsError("params.yaml must be a mapping of sections")
    unknown = sorted(set(params) - set(SECTIONS))
    if unknown:
        raise ParamsError(f"{unknown[0]} is not a known section; allowed sections: {', '.join(SECTIONS)}")
    for section in SECTIONS:
        if section not in params:
            todo = MISSING_SECTION_TODO.get(section, "copy it from profiles/laptop.yaml")
            raise ParamsError(f"section {section} is missing from params.yaml; {todo}")
    check_section("base", params["base"], BASE_SCHEMA)
    # The profile's name is recorded in every metrics file and names a file in profiles/.
    if not NAME.fullmatch(params["base"]["profile"]):
        raise ParamsError(f"base.profile is {params['base']['profile']!r}; use lower-case letters, digits and _")
    check_section("evaluator", params["evaluator"], EVALUATOR_SCHEMA)
    check_section("evaluation", params["evaluation"], EVALUATION_SCHEMA)
    datasets = params["datasets"]
    if not isinstance(datasets, Mapping) or not datasets:
        raise ParamsError("datasets must map dataset names to their settings")
    for name, section in datasets.items():
        _check_dataset_name(name, section)
        check_section(f"datasets.{name}", section, DATASET_SCHEMA)
    pairs = params["pairs"]
    _check_pairs(pairs, datasets)
    entries = params["models"]
    if not isinstance(entries, Mapping) or not entries:
        raise ParamsError("models must map model names to their settings")
    modules = ", ".join(sorted(models.REGISTRY))
    for name, section in entries.items():
        # The name becomes part of stage names, paths and command lines in dvc.yaml.
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise ParamsError(f"models.{name} is not a valid model name; use lower-case letters, digits and _")
        if not isinstance(section, Mapping):
            raise ParamsError(f"models.{name} must be a mapping of settings; got {section!r}")
        if "module" not in section:
            raise ParamsError(f"models.{name}.module is missing; it names the model module to run, one of: {modules}")
        if section["module"] not in models.REGISTRY:
            raise ParamsError(f"models.{name}.module is {section['module']!r}; allowed modules: {modules}")
        module_name = section["module"]
        _check_has_pairs(name, section, module_name, pairs)
        check_section(f"models.{name}", section, model_schema(module_name, datasets, pairs))
        if section["dataset"] in datasets:
            _check_floor_size(name, section, datasets, params["evaluation"])
    return dict(params)


def _check_dataset_name(name: Any, section: Any) -> None:
    """A known dataset, or any lower-case name for a folder of the user's own images."""
    if name in DATASETS:
        return
    folder = isinstance(section, Mapping) and section.get("source") == "folder"
    if folder and isinstance(name, str) and NAME.fullmatch(name):
        return
    raise ParamsError(
        f"datasets.{name} is not a known dataset; allowed datasets: {', '.join(DATASETS)}, "
        "or any name of lower-case letters, digits and _ with source: folder"
    )


def _check_pairs(pairs: Any, datasets: Mapping[str, Any]) -> None:
    """Each pair names two different datasets of one channel count, under a name of its own."""
    if not isinstance(pairs, Mapping):
        raise ParamsError("pairs must map pair names to {a: dataset, b: dataset} (pairs: {} for none)")
    for name, section in pairs.items():
        # The name becomes a stage name and a directory beside the datasets' own.
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise ParamsError(f"pairs.{name} is not a valid pair name; use lower-case letters, digits and _")
        if name in datasets:
            raise ParamsError(f"pairs.{name} has the name of a dataset; name the pair differently (e.g. a_to_b)")
        check_section(f"pairs.{name}", section, PAIR_SCHEMA)
        for domain in ("a", "b"):
            if section[domain] not in datasets:
                raise ParamsError(
                    f"pairs.{name}.{domain} is {section[domain]!r}, not a dataset; datasets: {', '.join(datasets)}"
                )
        a, b = datasets[section["a"]], datasets[section["b"]]
        if section["a"] == section["b"]:
            raise ParamsError(f"pairs.{name}: a and b are both {section['a']}; a pair translates between two datasets")
        if a["channels"] != b["channels"]:
            raise ParamsError(
                f"pairs.{name}: {section['a']} has {a['channels']} channels and {section['b']} {b['channels']}; "
                f"set datasets.{section['a']}.channels and datasets.{section['b']}.channels alike"
            )


def _check_has_pairs(name: str, section: Mapping[str, Any], module_name: str, pairs: Mapping[str, Any]) -> None:
    """A translation module trains on a pair; with none, its dataset's allowed values would be empty."""
    if pairs or not getattr(models.get(module_name), "PAIRED", False):
        return
    raise ParamsError(
        f"models.{name}.dataset is {section.get('dataset')!r}, but pairs is empty; the {module_name} module "
        "trains on a pair: add one under pairs (a: dataset, b: dataset)"
    )


def _check_floor_size(name: str, section: Mapping[str, Any], datasets: Mapping[str, Any], evaluation: Mapping) -> None:
    """A model that trains at another size needs a floor at that size (see genzoo.scoring)."""
    size = section.get("image_size")
    if size is None or size == datasets[section["dataset"]]["image_size"] or size in evaluation["round_trip_sizes"]:
        return
    raise ParamsError(
        f"models.{name}.image_size is {size}, but evaluation.round_trip_sizes {evaluation['round_trip_sizes']} "
        f"lacks it: add {size} so its metrics have a floor at the size the model sees"
    )


def load_params(path: str | Path = "params.yaml") -> dict:
    """Read and validate params.yaml; a YAML syntax error is reported with its location."""
    path = Path(path)
    if not path.exists():
        raise ParamsError(f"{path} not found; run from the repository root")
    try:
        params = yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        raise ParamsError(f"{path} is not valid YAML: {err}") from None
    return validate(params)


def merge(base: Mapping[str, Any], override: Mapping[str, Any], where: str = "") -> dict:
    """Deep-merge a profile into params; a profile key absent from params is an error."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in merged:
            raise ParamsError(f"profile key {name} does not exist in params.yaml")
        if isinstance(value, Mapping) and isinstance(merged[key], Mapping):
            merged[key] = merge(merged[key], value, name)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
