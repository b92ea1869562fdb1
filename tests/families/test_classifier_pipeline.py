"""The classifier family's train → sample → evaluate on a tiny labelled dataset, outside dvc."""

import json

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo.families.classifier import pipeline  # noqa: E402
from genzoo.io import write_json, write_npz  # noqa: E402

NAMES = ["bar", "square", "dot"]
PARAMS = {
    # Enough steps (30) at a brisk rate that three easy shapes are learnt whatever the seed.
    "mlp": {"family": "classifier", "dataset": "toy", "epochs": 10, "batch_size": 16,
            "learning_rate": 1e-2, "hidden": 16, "max_train": 40},
    "pyramid_svm": {"family": "classifier", "dataset": "toy", "C": 1.0, "max_iter": 1000, "chunk": 16,
                    "max_train": None},
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


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_train_sample_evaluate(name, data_dir, tmp_path):
    params = PARAMS[name]
    info = pipeline.train(name, data_dir=data_dir, out_dir=tmp_path / "models", live_dir=tmp_path / "logs",
                          checkpoint_dir=tmp_path / "ckpt", params=params, seed=0, device={"device": "cpu"})
    assert info["n_train"] == (40 if name == "mlp" else 48)
    assert info["n_parameters"] > 0 and info["train_seconds"] >= 0
    assert (tmp_path / "logs" / "metrics.json").is_file()

    pipeline.sample(name, trained_dir=tmp_path / "models", data_dir=data_dir, out_dir=tmp_path / "samples",
                    params=params, evaluation={}, seed=0)
    rows = json.loads((tmp_path / "samples/data/confusion.json").read_text())
    assert len(rows) == 21 and {row["actual"] for row in rows} == set(NAMES)
    for figure in ("misclassified.png", "confusion.png"):
        assert (tmp_path / "samples/figures" / figure).is_file()

    metrics = pipeline.evaluate(name, trained_dir=tmp_path / "models", samples_dir=tmp_path / "samples",
                                data_dir=data_dir, evaluator_dir=None, out_path=tmp_path / "m.json",
                                params=params, evaluation={}, seed=0)
    assert json.loads((tmp_path / "m.json").read_text()) == metrics
    correct = sum(row["actual"] == row["predicted"] for row in rows)
    assert metrics["accuracy"] == pytest.approx(correct / 21)
    assert metrics["n_test"] == 21 and metrics["n_errors"] == 21 - correct
    assert set(metrics["per_class_accuracy"]) == set(NAMES)
    assert metrics["reference"] in (0.84, 0.886)
    assert metrics["accuracy"] > 0.9  # three easy shapes


def test_evaluate_refuses_predictions_for_another_test_set(data_dir, tmp_path):
    write_npz(tmp_path / "samples/data/predictions.npz", y_true=np.zeros(5, int), y_pred=np.zeros(5, int))
    write_json(tmp_path / "models/info.json", {"class_names": NAMES})
    with pytest.raises(ValueError, match="holds 5 predictions but the test set has 21"):
        pipeline.evaluate("mlp", trained_dir=tmp_path / "models", samples_dir=tmp_path / "samples",
                          data_dir=data_dir, evaluator_dir=None, out_path=tmp_path / "m.json",
                          params=PARAMS["mlp"], evaluation={}, seed=0)
