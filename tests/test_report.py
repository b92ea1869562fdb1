"""The report: headline extraction, the summary rows, the page, and dvc.yaml's report deps."""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from genzoo.io import write_json
from genzoo.report import curves, headline, summarise, write_report


def test_headline_keeps_value_and_floor_and_takes_the_test_split():
    metrics = {
        "fid": {"value": 62.0, "floor": 0.8},
        "accuracy": 0.91,
        "quantization_error": {"train": 0.23, "test": 0.30},
        "class_histogram": [1, 2, 3],  # not a headline metric
        "n_samples": 1000,
    }
    assert headline(metrics) == {
        "fid": {"value": 62.0, "floor": 0.8},
        "accuracy": {"value": 0.91, "floor": None},
        "quantization_error": {"value": 0.30, "floor": None},
    }


def test_summarise_names_the_missing_stage(tmp_path):
    with pytest.raises(FileNotFoundError, match="evaluate@dcgan"):
        summarise({"dcgan": {"dataset": "mnist"}}, tmp_path)


def test_curves_read_every_dvclive_series(tmp_path):
    root = tmp_path / "plots" / "metrics" / "train"
    root.mkdir(parents=True)
    (root / "d_loss.tsv").write_text("step\td_loss\n0\t1.5\n1\t0.5\n")
    (root / "single.tsv").write_text("step\tsingle\n0\t2.0\n")
    found = curves(tmp_path)
    np.testing.assert_array_equal(found["train/d_loss"][1], [1.5, 0.5])
    np.testing.assert_array_equal(found["train/single"][0], [0.0])


def _fixture_tree(tmp_path: Path) -> dict:
    metrics, samples, logs = tmp_path / "metrics", tmp_path / "samples", tmp_path / "logs"
    write_json(metrics / "gan_mlp.json", {"data_source": "packaged", "device": "cpu", "train_seconds": 3.5,
                                           "fid": {"value": 10.0, "floor": 1.0}})
    write_json(metrics / "evaluator_mnist.json", {"dataset": "mnist", "data_source": "packaged",
                                                   "counts": {"train": 40, "test": 10}})
    (samples / "gan_mlp" / "figures").mkdir(parents=True)
    from genzoo.images import save_png

    save_png(samples / "gan_mlp" / "figures" / "grid.png", np.zeros((8, 8, 1), "uint8"))
    log = logs / "gan_mlp" / "plots" / "metrics" / "train"
    log.mkdir(parents=True)
    (log / "g_loss.tsv").write_text("step\tg_loss\n0\t1.0\n1\t0.8\n")
    return {"metrics_dir": metrics, "samples_dir": samples, "logs_dir": logs}


def test_write_report_copies_every_figure_and_keys_the_summary_by_model(tmp_path):
    dirs = _fixture_tree(tmp_path)
    write_report({"gan_mlp": {"dataset": "mnist"}}, **dirs, summary_path=tmp_path / "summary.json",
                 out_dir=tmp_path / "report")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["gan_mlp"]["metrics"]["fid"] == {"value": 10.0, "floor": 1.0}
    assert summary["gan_mlp"]["dataset"] == "mnist" and summary["gan_mlp"]["train_seconds"] == 3.5
    page = (tmp_path / "report" / "index.html").read_text()
    for src in ("figures/gan_mlp/grid.png", "figures/gan_mlp/curves.png"):
        assert f'src="{src}"' in page
        assert (tmp_path / "report" / src).is_file()
    assert "http" not in page  # nothing to fetch: no scripts, fonts or styles from outside


def test_a_failed_report_leaves_no_page(tmp_path):
    dirs = _fixture_tree(tmp_path)
    with pytest.raises(FileNotFoundError):
        write_report({"gan_mlp": {"dataset": "mnist"}, "som": {"dataset": "faces"}}, **dirs,
                     summary_path=tmp_path / "summary.json", out_dir=tmp_path / "report")
    assert not (tmp_path / "report").exists() and not (tmp_path / "summary.json").exists()


def test_report_stage_depends_on_every_models_metrics():
    """dvc.yaml cannot glob, so a new model's metrics file must be listed by hand; this says which."""
    stage = yaml.safe_load(open("dvc.yaml"))["stages"]["report"]
    params = yaml.safe_load(open("params.yaml"))
    missing = [f"metrics/{name}.json" for name in params["models"] if f"metrics/{name}.json" not in stage["deps"]]
    missing += [f"metrics/evaluator_{name}.json" for name in params["datasets"]
                if f"metrics/evaluator_{name}.json" not in stage["deps"]]
    assert not missing, f"add {missing} to the report stage's deps in dvc.yaml"
