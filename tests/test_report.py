"""The report: headline extraction, the rows, the page (a table per family, the stamp), and its stage."""

import importlib.util
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml

from genzoo import files, seeds
from genzoo.headline import model_headline
from genzoo.io import write_json
from genzoo.report import copy_plot_series, curves, headline, over_seeds, summarise, write_report

ROOT = Path(__file__).resolve().parents[1]

# One record per family, shaped as the evaluate stages write them.
GAN = {
    "family": "gan", "profile": "laptop", "data_source": "packaged", "device": "cpu",
    "device_name": "AMD EPYC 7R13 Processor", "train_seconds": 3.5, "n_samples": 1000,
    "fid": {"value": 10.0, "floor": 1.0}, "kid": {"value": 0.2, "floor": 0.0}, "kid_se": {"value": 0.01, "floor": 0.0},
    "precision": {"value": 0.5, "floor": 0.9}, "recall": {"value": 0.4, "floor": 0.9},
    "classes_covered": {"value": 9, "floor": 10}, "classifier_score": {"value": 4.0, "floor": 8.5},
    "classifier_score_std": {"value": 0.2, "floor": 0.3}, "class_histogram": {"value": [0.5, 0.5], "floor": [0.5, 0.5]},
}
VAE = {
    "family": "vae", "profile": "laptop", "data_source": "packaged", "device": "cpu",
    "device_name": "AMD EPYC 7R13 Processor", "train_seconds": 2.0, "n_samples": 1000,
    "fid": {"value": 30.0, "floor": 1.0}, "test_iw_bound_binarized": -100.0, "test_elbo_binarized": -104.0,
    "test_kl_binarized": 15.0,
}
CLASSIFIER = {
    "family": "classifier", "profile": "laptop", "data_source": "system", "device": "cpu",
    "device_name": "AMD EPYC 7R13 Processor", "train_seconds": 9.0, "accuracy": 0.87, "reference": 0.886,
    "vs_reference": -0.016, "per_class_accuracy": {"a": 0.9},
}
SOM = {
    "family": "som", "profile": "laptop", "data_source": "packaged", "device": "cpu",
    "device_name": "AMD EPYC 7R13 Processor", "train_seconds": 1.0, "n_samples": 80,
    "quantization_error": {"train": 0.2, "test": 0.3}, "topographic_error": {"train": 0.0, "test": 0.05},
}
RECORDS = {"gan_mlp": GAN, "vae_2": VAE, "mlp": CLASSIFIER, "lenet5": CLASSIFIER | {"accuracy": 0.89}, "som": SOM}
DATASETS = {"gan_mlp": "mnist", "vae_2": "mnist", "mlp": "fashion_mnist", "lenet5": "fashion_mnist", "som": "faces"}


def params_of(records: dict) -> dict:
    """The ``models`` section of params for ``records``: each entry's family and dataset."""
    return {name: {"family": record.get("family", "gan"), "dataset": DATASETS.get(name, "mnist")}
            for name, record in records.items()}


def details_tree(root: Path, records: dict, figure_shape=(8, 8, 1)) -> dict:
    """A details directory of ``records``, a reference, and every model's figure and curve; write_report's dirs."""
    from genzoo.images import save_png

    details, samples, logs = root / "metrics" / "details", root / "samples", root / "logs"
    for name, record in records.items():
        write_json(details / "models" / f"{name}.json", record)
        (samples / name / files.SAMPLE_FIGURES).mkdir(parents=True)
        save_png(samples / name / files.SAMPLE_FIGURES / "grid.png", np.full(figure_shape, 128, "uint8"))
        log = logs / name / "plots" / "metrics" / "train"
        log.mkdir(parents=True)
        (log / "loss.tsv").write_text("step\tloss\n0\t1.0\n1\t0.8\n")
        (log / "accuracy.tsv").write_text("step\taccuracy\n0\t0.5\n1\t0.7\n")
    write_json(details / "reference" / "mnist.json",
               {"dataset": "mnist", "data_source": "packaged", "profile": "laptop", "counts": {"train": 40, "test": 10}})
    return {"details_dir": details, "seeds_dir": root / "metrics" / "seeds", "samples_dir": samples, "logs_dir": logs}


class _Tables(HTMLParser):
    """Every table of a page by id, each a list of rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", f"table {len(self.tables)}"), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def _report(tmp_path, records=RECORDS, **kwargs) -> str:
    dirs = details_tree(tmp_path, records)
    write_report(params_of(records), **dirs, out_dir=tmp_path / "report", **kwargs)
    return (tmp_path / "report" / "index.html").read_text()


def test_headline_keeps_value_and_floor_and_takes_the_test_split():
    record = {
        "fid": {"value": 62.0, "floor": 0.8},
        "accuracy": 0.91,
        "quantization_error": {"train": 0.23, "test": 0.30},
        "class_histogram": [1, 2, 3],  # not a headline metric
        "n_samples": 1000,
    }
    assert headline(record) == {
        "fid": {"value": 62.0, "floor": 0.8},
        "accuracy": {"value": 0.91, "floor": None},
        "qe": {"value": 0.30, "floor": None},
    }


def test_headline_carries_errors_and_drops_floors_that_leave_no_room():
    record = {
        "kid": {"value": 0.2, "floor": -0.01}, "kid_se": {"value": 0.03, "floor": 0.01},
        "classifier_score": {"value": 7.5, "floor": 8.9}, "classifier_score_std": {"value": 0.2, "floor": 0.1},
        "precision": {"value": 0.95, "floor": 1.0}, "recall": {"value": 0.5, "floor": 0.75},
    }
    assert headline(record) == {
        "kid": {"value": 0.2, "floor": -0.01, "error": 0.03},
        "precision": {"value": 0.95, "floor": None, "no_room": True},
        "recall": {"value": 0.5, "floor": 0.75},
        "class_score": {"value": 7.5, "floor": 8.9, "error": 0.2},
    }


def test_a_small_samples_spread_over_draws_is_its_error_bar():
    record = {"fid": {"value": 6.5, "floor": 1.6}, "kid": {"value": 0.4, "floor": 0.0},
              "kid_se": {"value": 0.05, "floor": 0.02}, "draw_sd": {"n_draws": 50, "fid": 0.9, "kid": 0.08}}
    assert headline(record) == {"fid": {"value": 6.5, "floor": 1.6, "error": 0.9},
                                "kid": {"value": 0.4, "floor": 0.0, "error": 0.08}}


@pytest.mark.parametrize("record", [GAN, VAE, CLASSIFIER, SOM], ids=["gan", "vae", "classifier", "som"])
def test_the_pages_numbers_are_the_declared_headline(record):
    """The page and ``dvc metrics`` show one number per short key, and the same number."""
    shown = {key: entry["value"] for key, entry in headline(record).items()}
    assert shown == model_headline(record)


def test_a_metric_that_does_not_apply_is_left_out():
    record = {"fid": {"value": 4.0, "floor": 1.6}, "classifier_score": "not applicable: unlabelled dataset"}
    assert list(headline(record)) == ["fid"]


def test_a_seed_summary_matches_by_short_key():
    """``genzoo.seeds`` keys its summary by the headline's short keys, as the page does."""
    summary = seeds.summarise("gan_mlp", {0: {"class_score": 4.0, "fid": 10.0}, 1: {"class_score": 5.0, "fid": 12.0}},
                              own_seed=0)
    assert over_seeds(summary, headline(GAN)) == {
        "class_score": {"mean": 4.5, "std": pytest.approx(0.7071, abs=1e-4), "n": 2},
        "fid": {"mean": 11.0, "std": pytest.approx(1.4142, abs=1e-4), "n": 2}}
    # The model was retrained since: its seed-0 number is no longer the summary's.
    assert over_seeds(summary, headline(GAN | {"fid": {"value": 11.0, "floor": 1.0}})) is None


def test_summarise_marks_small_samples_indicative(tmp_path):
    write_json(tmp_path / "small.json", {"n_samples": 20, "fid": {"value": 3.0, "floor": 1.0}})
    write_json(tmp_path / "large.json", {"n_samples": 1000, "fid": {"value": 3.0, "floor": 1.0}})
    rows = summarise({"small": {"family": "gan", "dataset": "faces"}, "large": {"family": "gan", "dataset": "mnist"}},
                     tmp_path)
    assert [row["indicative"] for row in rows] == [True, False]


def test_summarise_names_the_missing_stage(tmp_path):
    with pytest.raises(FileNotFoundError, match="evaluate stage of dcgan"):
        summarise({"dcgan": {"family": "gan", "dataset": "mnist"}}, tmp_path)


def test_a_record_without_family_or_profile_takes_params_family_and_an_unknown_profile(tmp_path):
    write_json(tmp_path / "som.json", {"quantization_error": {"train": 0.2, "test": 0.3}})
    (row,) = summarise({"som": {"family": "som", "dataset": "faces"}}, tmp_path)
    assert row["family"] == "som" and row["profile"] == "unknown"


def test_curves_read_every_dvclive_series(tmp_path):
    root = tmp_path / "plots" / "metrics" / "train"
    root.mkdir(parents=True)
    (root / "d_loss.tsv").write_text("step\td_loss\n0\t1.5\n1\t0.5\n")
    (root / "single.tsv").write_text("step\tsingle\n0\t2.0\n")
    found = curves(tmp_path)
    np.testing.assert_array_equal(found["train/d_loss"][1], [1.5, 0.5])
    np.testing.assert_array_equal(found["train/single"][0], [0.0])


def test_write_report_copies_every_figure_and_draws_every_models_curves(tmp_path):
    page = _report(tmp_path)
    for name in RECORDS:
        for src in (f"figures/{name}/grid.png", f"figures/{name}/curves.png"):
            assert f'src="{src}"' in page
            assert (tmp_path / "report" / src).is_file()
        assert f'<section id="{name}">' in page
    assert "http" not in page  # nothing to fetch: no scripts, fonts or styles from outside
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == ["figures", "index.html"]


def test_each_family_has_a_table_with_only_its_columns(tmp_path):
    found = tables(_report(tmp_path))
    heads = {name: [cell.split("\xa0")[0] for cell in rows[0]] for name, rows in found.items()
             if name.startswith("table-")}
    common = ["model", "dataset (source)"], ["train", "device"]
    assert heads == {
        "table-gan": [*common[0], "fid", "kid", "precision", "recall", "classes", "class_score", *common[1]],
        "table-vae": [*common[0], "fid", "iw_bound", "elbo", "kl", *common[1]],
        "table-classifier": [*common[0], "accuracy", "write-up", "vs write-up", *common[1]],
        "table-som": [*common[0], "qe", "te", *common[1]],
    }
    assert list(heads) == ["table-gan", "table-vae", "table-classifier", "table-som"]  # the family order
    assert [row[0] for row in found["table-classifier"][1:]] == ["mlp", "lenet5"]
    gan = dict(zip(heads["table-gan"], found["table-gan"][1]))
    assert gan["kid"] == "0.2 ±\xa00.01floor 0" and gan["device"] == "cpu" and gan["train"] == "3.5"
    assert dict(zip(heads["table-som"], found["table-som"][1]))["dataset (source)"] == (
        "faces (packaged)indicative: 80 images scored")


def test_the_stamp_shows_profile_commit_date_and_device(tmp_path):
    repo = tmp_path / "checkout"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=t@e", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "base"], check=True)
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    stamp = {row[0]: row[1] for row in tables(_report(tmp_path, repo=repo))["stamp"]}
    assert stamp["profile"] == "laptop"
    assert stamp["commit"] == commit
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 \(UTC\)", stamp["generated"])
    assert stamp["device"] == "cpu · AMD EPYC 7R13 Processor"


def test_outside_a_git_checkout_the_stamp_says_so(tmp_path):
    stamp = {row[0]: row[1] for row in tables(_report(tmp_path, repo=tmp_path / "absent"))["stamp"]}
    assert stamp["commit"] == "not a git checkout"


def test_mixed_profiles_are_flagged_with_each_models_profile(tmp_path):
    unstamped = {key: value for key, value in SOM.items() if key != "profile"}
    records = {"gan_mlp": GAN, "vae_2": VAE | {"profile": "smoke"}, "som": unstamped}
    stamp = {row[0]: row[1] for row in tables(_report(tmp_path, records))["stamp"]}
    assert stamp["profile"].startswith("mixed profiles")
    assert "laptop: gan_mlp, mnist reference; smoke: vae_2; unknown: som" in stamp["profile"]


def ladder_reference(dataset: str = "mnist") -> dict:
    """A reference record with a whole validation ladder: one check fails, every degenerate input scores 99."""
    from genzoo.scoring import ladder

    scores = {"fid": 1.0, "kid": 0.0, "kid_se": 0.01, "precision": 0.9, "recall": 0.9, "density": 1.0, "coverage": 0.9}
    steps = {name: {f"{level:g}": scores | {"fid": 2.0 + i} for i, level in enumerate(levels)}
             for name, levels in ladder.DISTURBANCES.items()}
    steps["modes_kept"] = {str(k): scores | {"recall": k / 10} for k in ladder.MODES_KEPT}
    steps |= {kind: {"0": scores | {"fid": 99.0, "precision": 0.0}} for kind in ladder.DEGENERATE}
    return {
        "dataset": dataset, "data_source": "packaged", "profile": "laptop", "counts": {"train": 40, "test": 10},
        "floor": {"28x28": scores, "64x64": scores}, "ladder_size": "28x28", "ladder": steps,
        "ladder_checks_passed": 37, "ladder_checks_total": 38, "ladder_failures": ["swirl: kid rises"],
    }


def test_the_report_draws_each_datasets_ladder_with_its_verdict(tmp_path):
    dirs = details_tree(tmp_path, {"gan_mlp": GAN})
    write_json(dirs["details_dir"] / "reference" / "mnist.json", ladder_reference())
    write_report(params_of({"gan_mlp": GAN}), **dirs, out_dir=tmp_path / "report")
    page = (tmp_path / "report" / "index.html").read_text()
    assert 'src="figures/ladder/mnist.png"' in page
    assert (tmp_path / "report" / "figures" / "ladder" / "mnist.png").is_file()
    assert "37 of 38 checks hold: fails swirl: kid rises" in page
    assert "<td>constant grey</td><td>99</td>" in page


def test_a_failed_report_leaves_no_page(tmp_path):
    dirs = details_tree(tmp_path, {"gan_mlp": GAN})
    with pytest.raises(FileNotFoundError, match="evaluate stage of som"):
        write_report(params_of({"gan_mlp": GAN, "som": SOM}), **dirs, out_dir=tmp_path / "report")
    assert not (tmp_path / "report").exists()


def test_the_report_gathers_each_kind_of_data_series_plot_by_model(tmp_path):
    samples = tmp_path / "samples"
    write_json(samples / "mlp" / files.SAMPLE_DATA / files.CONFUSION, [{"actual": "a", "predicted": "b"}])
    write_json(samples / "vae_2" / files.SAMPLE_DATA / files.SCATTER, [{"x": 0.0, "y": 1.0, "label": "3"}])
    (samples / "gan_mlp" / files.SAMPLE_DATA).mkdir(parents=True)  # a model with no plot data
    copy_plot_series(samples, tmp_path / "plots", ["mlp", "vae_2", "gan_mlp"])
    found = sorted(str(p.relative_to(tmp_path / "plots")) for p in (tmp_path / "plots").rglob("*.json"))
    assert found == ["confusion/mlp.json", "scatter/vae_2.json"]


def test_the_stage_takes_the_directories_dvc_yaml_passes(tmp_path, monkeypatch, capsys):
    records = {"gan_mlp": GAN, "som": SOM}
    dirs = details_tree(tmp_path, records)
    spec = importlib.util.spec_from_file_location("report_stage", ROOT / "stages" / "report.py")
    stage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stage)
    monkeypatch.setattr(stage, "load_params", lambda: {"models": params_of(records)})
    monkeypatch.setattr(sys, "argv", [
        "report.py", "--details", str(dirs["details_dir"]), "--seeds", str(dirs["seeds_dir"]),
        "--samples", str(dirs["samples_dir"]), "--logs", str(dirs["logs_dir"]), "--out", str(tmp_path / "report")])
    stage.main()
    assert "report: 2 models" in capsys.readouterr().out
    assert (tmp_path / "report" / "index.html").is_file()


def _dvc():
    return yaml.safe_load((ROOT / "dvc.yaml").read_text())


def test_the_report_reads_the_directories_every_record_is_written_to():
    """A new model or dataset needs no edit of the report stage: it depends on directories."""
    dvc = _dvc()
    stages, report = dvc["stages"], dvc["stages"]["report"]
    assert "metrics/details/models/${key}.json" in stages["evaluate"]["do"]["cmd"]
    assert "metrics/details/reference/${key}.json" in stages["reference"]["do"]["cmd"]
    for flag, directory in (("--details", "metrics/details"), ("--seeds", "metrics/seeds"),
                            ("--samples", "samples"), ("--logs", "logs")):
        assert directory in report["deps"] and f"{flag} {directory}" in report["cmd"]
    # The declared headline metrics are not the page's input, and the report declares none.
    assert "metrics/models" not in report["deps"] and "metrics" not in report


def test_the_declared_plot_directories_are_the_ones_the_report_fills():
    # Other top-level plots chart the train stages' logs; those under report/ are the report's.
    declared = {name for entry in _dvc()["plots"] for name in entry if name.startswith("report/")}
    assert declared == {f"report/plots/{kind}" for kind in files.PLOT_KINDS.values()}
