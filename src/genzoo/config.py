"""params.yaml: loading, profile merging and validation before any work starts."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml


class ParamsError(ValueError):
    """A params.yaml value is missing, unknown or of the wrong type."""


@dataclass(frozen=True)
class Spec:
    """What one params key may hold."""

    types: tuple[type, ...]
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False
    help: str = ""
    items: "Spec | None" = None  # for lists: what each entry may hold

    def describe(self) -> str:
        if self.items is not None:
            return f"a non-empty list of distinct values, each {self.items.describe()}"
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        names = " or ".join(t.__name__ for t in self.types)
        bounds = []
        if self.minimum is not None:
            bounds.append(f">= {self.minimum}")
        if self.maximum is not None:
            bounds.append(f"<= {self.maximum}")
        text = names + (f" ({', '.join(bounds)})" if bounds else "")
        return text + (" or null" if self.nullable else "")


def integer(minimum: int | None = None, *, nullable: bool = False, maximum: int | None = None) -> Spec:
    return Spec((int,), minimum=minimum, maximum=maximum, nullable=nullable)


def number(minimum: float | None = None, *, maximum: float | None = None, nullable: bool = False) -> Spec:
    return Spec((int, float), minimum=minimum, maximum=maximum, nullable=nullable)


def choice(*values: Any) -> Spec:
    return Spec((object,), choices=values)


def text(*, nullable: bool = False) -> Spec:
    return Spec((str,), nullable=nullable)


def flag() -> Spec:
    return Spec((bool,))


def listing(items: Spec) -> Spec:
    """A non-empty list of distinct values, each matching ``items`` (one chain per entry)."""
    return Spec((list,), items=items)


SOURCES = ("auto", "official", "system", "packaged", "folder")
DEVICES = ("auto", "cpu", "gpu")

BASE_SCHEMA = {
    "seed": integer(0),
    "device": choice(*DEVICES),
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
EVALUATOR_SCHEMA = {
    "epochs": integer(1),
    "batch_size": integer(1),
    "learning_rate": number(0.0),
    "max_train": integer(1, nullable=True),
}
EVALUATION_SCHEMA = {
    "n_samples": integer(10),
    "n_reference": integer(10),
    "kid_subsets": integer(1),
    "kid_subset_size": integer(2),
    "pr_k": integer(1),
    "dc_k": integer(1),
}


def _check_value(where: str, value: Any, spec: Spec) -> None:
    if value is None:
        if spec.nullable:
            return
        raise ParamsError(f"{where} must be {spec.describe()}, not null")
    if spec.items is not None:
        # Distinct: each entry names a dvc stage (train_vae@2), and a repeat would be a clash.
        if not isinstance(value, list) or not value or len(set(map(repr, value))) != len(value):
            raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
        for i, item in enumerate(value):
            _check_value(f"{where}[{i}]", item, spec.items)
        return
    if spec.choices is not None:
        # `True == 1` in Python, so a bool must not pass for a numeric choice.
        bool_ok = any(isinstance(c, bool) for c in spec.choices)
        if value not in spec.choices or (isinstance(value, bool) and not bool_ok):
            raise ParamsError(f"{where} is {value!r}; allowed values: {', '.join(repr(c) for c in spec.choices)}")
        return
    # bool is a subclass of int in Python; `epochs: true` is a mistake, not 1.
    if isinstance(value, bool) and bool not in spec.types:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
    if not isinstance(value, spec.types):
        raise ParamsError(f"{where} is {value!r} ({type(value).__name__}); it must be {spec.describe()}")
    if spec.minimum is not None and value < spec.minimum:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
    if spec.maximum is not None and value > spec.maximum:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")


def check_section(where: str, section: Any, schema: Mapping[str, Spec]) -> None:
    """Check one mapping against its schema: no unknown keys, no missing keys, right types."""
    if not isinstance(section, Mapping):
        raise ParamsError(f"{where} must be a mapping with keys {', '.join(schema)}; got {section!r}")
    unknown = sorted(set(section) - set(schema))
    if unknown:
        raise ParamsError(f"{where}.{unknown[0]} is not a known key; allowed keys: {', '.join(schema)}")
    missing = [key for key in schema if key not in section]
    if missing:
        raise ParamsError(f"{where}.{missing[0]} is missing; {where} needs keys: {', '.join(schema)}")
    for key, spec in schema.items():
        _check_value(f"{where}.{key}", section[key], spec)


def validate(params: Mapping[str, Any]) -> dict:
    """Check the whole params tree; raise ParamsError naming the first bad key."""
    # Imported here: the registries import TensorFlow-free modules only, but keep config light.
    from genzoo.data import DATASETS
    from genzoo.models import REGISTRY

    top = {"base", "datasets", "evaluator", "evaluation", "models"}
    if not isinstance(params, Mapping):
        raise ParamsError("params.yaml must be a mapping of sections")
    unknown = sorted(set(params) - top - set(OPTIONAL_SECTIONS))
    if unknown:
        raise ParamsError(f"{unknown[0]} is not a known section; allowed sections: {', '.join(sorted(top))}")
    for section in sorted(top):
        if section not in params:
            raise ParamsError(f"section {section} is missing from params.yaml")
    check_section("base", params["base"], BASE_SCHEMA)
    check_section("evaluator", params["evaluator"], EVALUATOR_SCHEMA)
    check_section("evaluation", params["evaluation"], EVALUATION_SCHEMA)
    datasets = params["datasets"]
    if not isinstance(datasets, Mapping) or not datasets:
        raise ParamsError("datasets must map dataset names to their settings")
    for name, section in datasets.items():
        if name not in DATASETS:
            raise ParamsError(f"datasets.{name} is not a known dataset; allowed datasets: {', '.join(DATASETS)}")
        check_section(f"datasets.{name}", section, DATASET_SCHEMA)
    models = params["models"]
    if not isinstance(models, Mapping) or not models:
        raise ParamsError("models must map model names to their settings")
    # Models with a list of chains (CHAINS) belong under `autoencoders:`, not here.
    single = sorted(name for name, module in REGISTRY.items() if not hasattr(module, "CHAINS"))
    for name, section in models.items():
        if name not in single:
            hint = f" ({name} has one chain per list entry: it goes under autoencoders)" if name in REGISTRY else ""
            raise ParamsError(f"models.{name} is not a known model; allowed models: {', '.join(single)}{hint}")
        # `family` is fixed per model: dvc.yaml reads it to list the family's code as a
        # dependency, so a wrong value would track the wrong files.
        schema = {"family": choice(REGISTRY[name].FAMILY), "dataset": choice(*datasets)} | REGISTRY[name].PARAMS
        check_section(f"models.{name}", section, schema)
    if "autoencoders" in params:
        _check_fanned_out("autoencoders", params["autoencoders"], datasets)
    return dict(params)


# Sections of models that fan out into several chains, one per entry of a list key (the
# VAE's latent sizes, the AAE's variants). They sit outside `models:` because dvc.yaml's
# generic groups give every `models:` entry exactly one chain.
OPTIONAL_SECTIONS = ("autoencoders",)


def _check_fanned_out(where: str, section: Any, datasets: Mapping[str, Any]) -> None:
    from genzoo.models import REGISTRY

    if not isinstance(section, Mapping) or not section:
        raise ParamsError(f"{where} must map model names to their settings")
    for name, settings in section.items():
        module = REGISTRY.get(name)
        if module is None or not hasattr(module, "CHAINS"):
            valid = sorted(n for n, m in REGISTRY.items() if hasattr(m, "CHAINS"))
            raise ParamsError(f"{where}.{name} is not a known model here; allowed models: {', '.join(valid)}")
        schema = {"family": choice(module.FAMILY), "dataset": choice(*datasets)} | module.PARAMS
        check_section(f"{where}.{name}", settings, schema)


def chain_params(params: Mapping[str, Any], model: str, variant: str) -> tuple[str, dict]:
    """The name and settings of one chain of a fanned-out model (``vae``, ``2`` → ``vae_2``).

    ``variant`` comes from the command line as text; it must be one entry of the model's
    list key (``latent_dims``, ``variants``), so a chain cannot drift from params.yaml.
    """
    from genzoo.models import get

    section = params["autoencoders"][model]
    module = get(model)
    entries = section[module.CHAINS]
    matches = [entry for entry in entries if str(entry) == str(variant)]
    if not matches:
        raise ParamsError(
            f"autoencoders.{model}.{module.CHAINS} has no entry {variant!r}; entries: {', '.join(map(str, entries))}"
        )
    return f"{model}_{matches[0]}", module.chain(section, matches[0])


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
