"""A model's ``models:`` entry as params.yaml holds it, and the check validation runs on it."""

from genzoo.config import model_schema
from genzoo.data.sources import DATASETS
from genzoo.models import REGISTRY
from genzoo.schema import check_section


def entry(module_name: str, params: dict, dataset: str = "mnist") -> dict:
    """``params`` with the keys every entry has: ``module``, its ``family``, a ``dataset`` and ``seed``."""
    return {"module": module_name, "family": REGISTRY[module_name].FAMILY, "dataset": dataset, "seed": None, **params}


def check_entry(module_name: str, params: dict, *, name: str | None = None, dataset: str = "mnist") -> None:
    """Validate ``models.<name>`` (default: the module's name) as ``genzoo.config.validate`` does."""
    schema = model_schema(module_name, dict.fromkeys(DATASETS))
    check_section(f"models.{name or module_name}", entry(module_name, params, dataset), schema)
