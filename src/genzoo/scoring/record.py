"""An evaluate stage's two files: the whole record, and the headline numbers DVC compares."""

from __future__ import annotations

from typing import Any, Mapping

from genzoo.headline import model_headline, reference_headline
from genzoo.io import write_json
from genzoo.runs import Run


def write_scores(run: Run, record: Mapping[str, Any]) -> dict:
    """Write ``record`` with its profile to ``run.details`` and its headline to ``run.metrics``.

    Returns the record as written, so a family can return what its files hold.
    """
    if run.details is None or run.metrics is None:
        raise ValueError(f"{run.name}: an evaluate run needs both its metrics and its details path")
    record = {**record, "profile": run.profile}
    write_json(run.details, record)
    write_json(run.metrics, model_headline(record))
    return record


def write_reference_scores(details_path, metrics_path, record: Mapping[str, Any], profile: str) -> dict:
    """The reference stage's counterpart of ``write_scores``: its record and its floor's headline."""
    record = {**record, "profile": profile}
    write_json(details_path, record)
    write_json(metrics_path, reference_headline(record))
    return record
