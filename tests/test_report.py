"""The report: headline extraction, the summary rows, the page, and dvc.yaml's report deps."""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from genzoo import files
from genzoo.io import write_json
from genzoo.report import copy_plot_series, curves, headline, summarise, write_report


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


def test_headline_carries_errors_and_drops_floors_that_leave_no_room():
    metrics = {
        "kid": {"value": 0.2, "floor": -0.01}, "kid_se": {"value": 0.03, "floor": 0.01},
        "classifier_score": {"value": 7.5, "floor": 8.9}, "classifier_score_std": {"value": 0.2, "floor": 0.1},
        "precision": {"value": 0.95, "floor": 1.0}, "recall": {"value": 0.5, "floor": 0.75},
    }
    assert headline(metrics) == {
        "kid": {"value": 0.2, "floor": -0.01, "error": 0.03},
        "classifier_score": {"value": 7.5, "floor": 8.9, "error": 0.2},
        "precision": {"value": 0.95, "floor": None, "no_room": True},
        "recall": {"value": 0.5, "floor": 0.75},
    }


def test_a_small_samples_spread_over_draws_is_its_error_bar():
    metrics = {"fid": {"value": 6.5, "floor": 1.6}, "kid": {"value": 0.4, "floor": 0.0},
               "kid_se": {"value": 0.05, "floor": 0.02}, "draw_sd": {"n_draws": 50, "fid": 0.9, "kid": 0.08}}
    assert headline(metrics) == {"fid": {"value": 6.5, "floor": 1.6, "error": 0.9},
                                 "kid": {"value": 0.4, "floor": 0.0, "error": 0.08}}


def test_summarise_marks_small_samples_indicative(tmp_path):
    write_json(tmp_path / "small.json", {"n_samples": 20, "fid": {"value": 3.0, "floor": 1.0}})
    write_json(tmp_path / "large.json", {"n_samples": 1000, "fid": {"value": 3.0, "floor": 1.0}})
    rows = summarise({"small": {"dataset": "faces"}, "large": {"dataset": "mnist"}}, tmp_path)
    assert [row["indicative"] for row in rows] == [True, False]


def test_summarise_names_the_missing_stage(tmp_path):
    with pytest.raises(FileNotFoundError, match="evaluate stage of dcgan"):
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
    metrics, references = tmp_path / "metrics" / "models", tmp_path / "metrics" / "reference"
    samples, logs = tmp_path / "samples", tmp_path / "logs"
    write_json(metrics / "gan_mlp.json", {"data_source": "packaged", "device": "cpu", "train_seconds": 3.5,
                                           "fid": {"value": 10.0, "floor": 1.0}})
    write_json(references / "mnist.json", {"dataset": "mnist", "data_source": "packaged",
                                           "counts": {"train": 40, "test": 10}})
    (samples / "gan_mlp" / "figures").mkdir(parents=True)
    from genzoo.images import save_png

    save_png(samples / "gan_mlp" / "figures" / "grid.png", np.zeros((8, 8, 1), "uint8"))
    log = logs / "gan_mlp" / "plots" / "metrics" / "train"
    log.mkdir(parents=True)
    (log / "g_loss.tsv").write_text("step\tg_loss\n0\t1.0\n1\t0.8\n")
    return {"metrics_dir": metrics, "reference_dir": references, "samples_dir": samples, "logs_dir": logs}


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


def test_the_report_draws_each_datasets_ladder_with_its_verdict(tmp_path):
    from genzoo.scoring import ladder

    dirs = _fixture_tree(tmp_path)
    scores = {"fid": 1.0, "kid": 0.0, "kid_se": 0.01, "precision": 0.9, "recall": 0.9, "density": 1.0, "coverage": 0.9}
    steps = {name: {f"{level:g}": scores | {"fid": 2.0 + i} for i, level in enumerate(levels)}
             for name, levels in ladder.DISTURBANCES.items()}
    steps["modes_kept"] = {str(k): scores | {"recall": k / 10} for k in ladder.MODES_KEPT}
    steps |= {kind: {"0": scores | {"fid": 99.0, "precision": 0.0}} for kind in ladder.DEGENERATE}
    write_json(dirs["reference_dir"] / "mnist.json", {
        "dataset": "mnist", "data_source": "packaged", "counts": {"train": 40, "test": 10},
        "floor": {"28x28": scores, "64x64": scores}, "ladder_size": "28x28", "ladder": steps,
        "ladder_checks_passed": 37, "ladder_checks_total": 38, "ladder_failures": ["swirl: kid rises"],
    })
    write_report({"gan_mlp": {"dataset": "mnist"}}, **dirs, summary_path=tmp_path / "summary.json",
                 out_dir=tmp_path / "report")
    page = (tmp_path / "report" / "index.html").read_text()
    assert 'src="figures/ladder/mnist.png"' in page and (tmp_path / "report" / "figures" / "ladder" / "mnist.png").is_file()
    assert "37 of 38 checks hold: fails swirl: kid rises" in page
    assert "<td>constant grey</td><td>99</td>" in page


def test_a_failed_report_leaves_no_page(tmp_path):
    dirs = _fixture_tree(tmp_path)
    with pytest.raises(FileNotFoundError):
        write_report({"gan_mlp": {"dataset": "mnist"}, "som": {"dataset": "faces"}}, **dirs,
                     summary_path=tmp_path / "summary.json", out_dir=tmp_path / "report")
    assert not (tmp_path / "report").exists() and not (tmp_path / "summary.json").exists()


def test_the_report_gathers_each_kind_of_data_series_plot_by_model(tmp_path):
    samples = tmp_path / "samples"
    write_json(samples / "mlp" / files.SAMPLE_DATA / files.CONFUSION, [{"actual": "a", "predicted": "b"}])
    write_json(samples / "vae_2" / files.SAMPLE_DATA / files.SCATTER, [{"x": 0.0, "y": 1.0, "label": "3"}])
    (samples / "gan_mlp" / files.SAMPLE_DATA).mkdir(parents=True)  # a model with no plot data
    copy_plot_series(samples, tmp_path / "plots", ["mlp", "vae_2", "gan_mlp"])
    found = sorted(str(p.relative_to(tmp_path / "plots")) for p in (tmp_path / "plots").rglob("*.json"))
    assert found == ["confusion/mlp.json", "scatter/vae_2.json"]


def _dvc():
    return yaml.safe_load((Path(__file__).resolve().parents[1] / "dvc.yaml").read_text())


def test_the_report_reads_the_directories_every_metrics_file_is_written_to():
    """A new model or dataset needs no edit of the report stage: it depends on directories."""
    dvc = _dvc()
    stages, report = dvc["stages"], dvc["stages"]["report"]
    per_model = next(iter(stages["evaluate"]["do"]["metrics"][0]))
    per_dataset = next(iter(stages["reference"]["do"]["metrics"][0]))
    assert per_model == "metrics/models/${key}.json" and per_dataset == "metrics/reference/${key}.json"
    for directory in ("metrics/models", "metrics/reference"):
        assert directory in report["deps"] and f"--{'metrics' if 'models' in directory else 'references'} {directory}" in report["cmd"]


def test_the_declared_plot_directories_are_the_ones_the_report_fills():
    declared = {next(iter(entry)) for entry in _dvc()["plots"]}
    assert declared == {f"report/plots/{kind}" for kind in files.PLOT_KINDS.values()}
