"""The classifier family's train → sample → evaluate, called as (module, run), on a tiny labelled dataset."""

import json

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.families.classifier import pipeline  # noqa: E402
from genzoo.io import write_json, write_npz  # noqa: E402
from genzoo.models import REGISTRY  # noqa: E402
from genzoo.runs import Run  # noqa: E402
from genzoo.headline import model_headline

NAMES = ["bar", "square", "dot"]
PARAMS = {
    # Enough steps (30) at a brisk rate that three easy shapes are learnt whatever the seed.
    "mlp": {"module": "mlp", "family": "classifier", "dataset": "toy", "epochs": 10, "batch_size": 16,
            "learning_rate": 1e-2, "hidden": 16, "max_train": 40},
    "pyramid_svm": {"module": "pyramid_svm", "family": "classifier", "dataset": "toy", "C": 1.0, "max_iter": 1000,
                    "chunk": 16, "max_train": None},
}


def _split(rng, n):
    y = np.arange(n) % 3
    x = (rng.random((n, 28, 28, 1)) * 0.1).astype("float32")
    x[y == 0, 12:16, 4:24] = 1.0
    x[y == 1, 8:20, 8:20] = 1.0
    x[y == 2, 13:15, 13:15] = 1.0
    return x, y


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("toy")
    rng = np.random.default_rng(0)
    for split, n in (("train", 48), ("test", 21)):
        x, y = _split(rng, n)
        write_npz(path / f"{split}.npz", x=x, y=y)
    write_json(path / "info.json", {"class_names": NAMES, "n_classes": 3, "counts": {"train": 48, "test": 21},
                                    "source": "generated"})
    return path


def _run(name, data_dir, tmp_path, params=None):
    return Run(name=name, params=params or PARAMS[name], seed=0, evaluation={}, data=data_dir,
               trained=tmp_path / "models", device={"device": "cpu"}, live=tmp_path / "logs",
               checkpoints=tmp_path / "ckpt", samples=tmp_path / "samples/data", figures=tmp_path / "samples/figures",
               metrics=tmp_path / "m.json", details=tmp_path / "d.json")


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_train_sample_evaluate(name, data_dir, tmp_path):
    module, run = REGISTRY[name], _run(name, data_dir, tmp_path)
    info = pipeline.train(module, run)
    assert info["n_train"] == (40 if name == "mlp" else 48)
    assert info["n_parameters"] > 0 and info["train_seconds"] >= 0
    assert info["model"] == name and info["family"] == "classifier" and info["class_names"] == NAMES
    assert (tmp_path / "logs" / "metrics.json").is_file()

    pipeline.sample(module, run)
    rows = json.loads((tmp_path / "samples/data/confusion.json").read_text())
    assert len(rows) == 21 and {row["actual"] for row in rows} == set(NAMES)
    for figure in ("misclassified.png", "confusion.png"):
        assert (tmp_path / "samples/figures" / figure).is_file()
    with np.load(tmp_path / "samples/data" / files.PREDICTIONS) as f:
        assert f["scores"].shape == (21, 3) and f["y_pred"].tolist() == f["scores"].argmax(axis=1).tolist()

    metrics = pipeline.evaluate(module, run)
    assert json.loads((tmp_path / "d.json").read_text()) == metrics
    assert json.loads((tmp_path / "m.json").read_text()) == model_headline(metrics)
    correct = sum(row["actual"] == row["predicted"] for row in rows)
    assert metrics["accuracy"] == pytest.approx(correct / 21)
    assert metrics["n_test"] == 21 and metrics["n_errors"] == 21 - correct
    assert set(metrics["per_class_accuracy"]) == set(NAMES)
    assert metrics["reference"] in (0.84, 0.886)
    assert metrics["reference"] == module.REFERENCE_ACCURACY
    assert metrics["vs_reference"] == pytest.approx(round(metrics["accuracy"] - metrics["reference"], 4))
    assert metrics["accuracy"] > 0.9  # three easy shapes


def test_the_preprocess_and_describe_hooks_reach_training_and_the_metrics(data_dir, tmp_path):
    """MobileNetV2 trains on 32×32×3 copies made batch by batch, and its metrics say so."""
    params = {"module": "mobilenet_v2", "family": "classifier", "dataset": "toy", "epochs": 1, "batch_size": 16,
              "learning_rate": 1e-3, "weights": "none", "resolution": 32, "alpha": 0.35, "max_train": 16}
    module, run = REGISTRY["mobilenet_v2"], _run("mobilenet_v2", data_dir, tmp_path, params)
    info = pipeline.train(module, run)
    assert info["resolution"] == [32, 32, 3] and info["base"] == "trained from scratch"
    pipeline.sample(module, run)
    metrics = pipeline.evaluate(module, run)
    assert metrics["resolution"] == [32, 32, 3] and metrics["weights"] == "none"
    assert metrics["reference"] == module.REFERENCE_ACCURACY and metrics["n_test"] == 21


def test_evaluate_refuses_predictions_for_another_test_set(data_dir, tmp_path):
    write_npz(tmp_path / "samples/data/predictions.npz", y_true=np.zeros(5, int), y_pred=np.zeros(5, int))
    write_json(tmp_path / "models/info.json", {"class_names": NAMES})
    with pytest.raises(ValueError, match="holds 5 predictions but the test set has 21"):
        pipeline.evaluate(REGISTRY["mlp"], _run("mlp", data_dir, tmp_path))
