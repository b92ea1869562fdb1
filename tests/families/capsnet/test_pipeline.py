"""The capsnet stages called as (module, run): training, sample figures, evaluate metrics (resume: tests/families/test_resume.py)."""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.families.capsnet import pipeline  # noqa: E402
from genzoo.io import write_json  # noqa: E402
from genzoo.runs import Run  # noqa: E402
from genzoo.headline import model_headline

from ._tiny import TINY_MODULE, tiny_batch  # noqa: E402

PARAMS = {
    "module": "capsnet",
    "family": "capsnet",
    "dataset": "mnist",
    "epochs": 2,
    "batch_size": 8,
    "routing_iterations": 3,
    "learning_rate": 0.001,
    "reconstruction_weight": 0.0005,
    "max_train": None,
    "conv_filters": 8,   # TINY_MODULE builds its tiny network whatever these say
    "primary_maps": 4,
    "shift": 1,
}
DIGITS = [str(k) for k in range(10)]


@pytest.fixture
def batch():
    return tiny_batch()


@pytest.fixture
def data(tmp_path, batch):
    images, labels = batch
    data = tmp_path / "data"
    data.mkdir()
    np.savez(data / files.TRAIN, x=images, y=labels)
    np.savez(data / files.TEST, x=images[:12], y=labels[:12])
    write_json(data / files.INFO, {"class_names": DIGITS, "n_classes": 10, "source": "generated"})
    return data


def _run(tmp_path, data, params=PARAMS):
    return Run(name="capsnet", params=params, seed=0, evaluation={}, data=data, trained=tmp_path / "model",
               device={"device": "cpu"}, live=tmp_path / "live", checkpoints=tmp_path / "ckpt",
               samples=tmp_path / "samples" / "data", figures=tmp_path / "samples" / "figures",
               metrics=tmp_path / "m.json", details=tmp_path / "d.json")


def test_sample_and_evaluate_write_figures_confusion_and_metrics(tmp_path, data):
    run = _run(tmp_path, data, PARAMS | {"epochs": 1})
    info = pipeline.train(TINY_MODULE, run)
    assert info["model"] == "capsnet" and info["family"] == "capsnet" and info["n_train"] == 16
    assert info["device"] == "cpu" and info["parameters"] > 0
    pipeline.sample(TINY_MODULE, run)
    for name in ("figures/reconstructions.png", "figures/pose.png",
                 f"data/{files.PREDICTIONS}", f"data/{files.CONFUSION}"):
        assert (tmp_path / "samples" / name).is_file(), name
    metrics = pipeline.evaluate(TINY_MODULE, run)
    rows = json.loads((tmp_path / "samples/data/confusion.json").read_text())
    assert len(rows) == 12 and set(rows[0]) == {"actual", "predicted"}
    right = sum(r["actual"] == r["predicted"] for r in rows)
    assert metrics["accuracy"] == pytest.approx(right / 12, abs=1e-4)
    assert metrics["test_error"] == pytest.approx(1 - metrics["accuracy"], abs=1e-4)
    assert metrics["parameters"] > 0 and metrics["reconstruction_error"] > 0
    assert set(metrics["per_class_accuracy"]) == {str(k) for k in range(10)}
    assert json.loads((tmp_path / "d.json").read_text()) == metrics
    assert json.loads((tmp_path / "m.json").read_text()) == model_headline(metrics)
    # Per-class accuracy from the same predictions, by hand.
    for name in ("0", "9"):
        picked = [r for r in rows if r["actual"] == name]
        expected = sum(r["predicted"] == name for r in picked) / len(picked)
        assert metrics["per_class_accuracy"][name] == pytest.approx(expected, abs=1e-4)


def test_max_train_takes_the_first_images(tmp_path, data):
    info = pipeline.train(TINY_MODULE, _run(tmp_path, data, PARAMS | {"epochs": 1, "max_train": 10}))
    assert info["n_train"] == 10


def test_an_unlabelled_dataset_is_refused(tmp_path, data):
    np.savez(data / files.TRAIN, x=np.zeros((4, 12, 12, 1), "float32"))
    with pytest.raises(ValueError, match="has no labels `y`; capsnet needs a labelled dataset"):
        pipeline.train(TINY_MODULE, _run(tmp_path, data))
