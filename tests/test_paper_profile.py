"""The paper profile starts: every model, at the write-ups' sizes, builds and trains one epoch on a tiny set.

Nothing here can run the paper profile itself (it is GPU work on the full datasets), so a
broken paper setting would otherwise first fail on a user's GPU. Each model's own family
pipeline trains it, with the paper's params merged onto params.yaml as `python -m
genzoo.profile paper` merges them; only the epochs and the batch are cut, to one epoch of
a few images, so the networks, optimizers and schedules are the paper's.
"""

from pathlib import Path

import pytest
import yaml

pytest.importorskip("keras")

from genzoo.config import merge, validate  # noqa: E402
from genzoo.data.pair import join  # noqa: E402
from genzoo.models import REGISTRY  # noqa: E402

from scoring._fixtures import make_run, write_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAPER = validate(merge(yaml.safe_load((ROOT / "params.yaml").read_text()),
                       yaml.safe_load((ROOT / "profiles" / "paper.yaml").read_text())))
TINY = {"epochs": 1, "batch_size": 4}
N_TRAIN = 20  # two images of each digit class


def tiny_dataset(tmp: Path, dataset: str) -> Path:
    """A prepared directory at the dataset's paper size: labelled digits/garments, unlabelled faces."""
    size = PAPER["datasets"][dataset]["image_size"] or 28
    return write_data(tmp / dataset, labelled=dataset != "faces", n_train=N_TRAIN, n_test=10, size=size,
                      dataset=dataset)


def tiny_data(tmp: Path, dataset: str) -> Path:
    """The model's data directory: a dataset's, or for a pair both of its datasets joined."""
    pair = PAPER.get("pairs", {}).get(dataset)
    if pair is None:
        return tiny_dataset(tmp, dataset)
    parts = {domain: tiny_dataset(tmp / domain, pair[domain]) for domain in ("a", "b")}
    for domain in ("a", "b"):
        (tmp / "reference" / domain).mkdir(parents=True)  # training reads no reference
    join(dataset, parts, {d: tmp / "reference" / d for d in ("a", "b")}, tmp / "joined", tmp / "joined_reference")
    return tmp / "joined"


@pytest.mark.parametrize("name", sorted(PAPER["models"]))
def test_every_model_starts_at_the_paper_sizes(name, tmp_path):
    import importlib

    section = PAPER["models"][name]
    params = section | {key: value for key, value in TINY.items() if key in section}
    module = REGISTRY[section["module"]]
    pipeline = importlib.import_module(f"genzoo.families.{module.FAMILY}.pipeline")
    run = make_run(tmp_path / "run", name, params, tiny_data(tmp_path / "data", section["dataset"]))
    pipeline.train(module, run)
    assert any(run.trained.iterdir()), f"{name} wrote no trained model"
