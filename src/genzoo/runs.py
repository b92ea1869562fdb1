"""The run description a stage hands to its model's family: who, with what, from where, to where."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping


@dataclass(frozen=True)
class Run:
    """One model's stage run: its ``models:`` entry, the shared settings and its paths.

    The stage script builds it from params.yaml and the paths dvc.yaml passes; the family
    pipeline reads nothing else. A path a stage does not use is None.

    Attributes:
        name: the ``models:`` entry (``vae_2``), which names its outputs.
        params: that entry's params section.
        seed: the entry's ``seed``, or ``base.seed`` when it has none (``config.model_seed``).
        evaluation: the ``evaluation`` section (sample counts, metric settings).
        data: the prepared dataset directory (train.npz, test.npz, info.json).
        trained: the train stage's output directory.
        device: what ``runtime.setup`` chose, recorded in the trained model's info.
        speed: the training path's performance settings (``speed.resolve``); empty keeps
            Keras' defaults.
        live: train: the dvclive directory for curves and grids.
        checkpoints: train: the persistent directory a killed run resumes from.
        samples: sample: its array output; evaluate: its input.
        figures: sample: the directory of PNG figures.
        reference: evaluate: the dataset's reference directory (evaluator, features, floor).
        metrics: evaluate: the declared metrics JSON file (headline numbers only).
        details: evaluate: the whole record's JSON file, which the report reads.
        profile: ``base.profile``, the params profile the run was made with.
    """

    name: str
    params: Mapping[str, Any]
    seed: int
    evaluation: Mapping[str, Any]
    data: Path
    trained: Path
    device: Mapping[str, Any] = field(default_factory=dict)
    speed: Mapping[str, Any] | None = None
    live: Path | None = None
    checkpoints: Path | None = None
    samples: Path | None = None
    figures: Path | None = None
    reference: Path | None = None
    metrics: Path | None = None
    details: Path | None = None
    profile: str = "laptop"
