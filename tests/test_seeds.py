"""One model over several seeds: the summary by hand, the experiments it finds, and the real sweep."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from genzoo import seeds
from genzoo.report import over_seeds

BIN = Path(sys.executable).parent


def test_summarise_by_hand():
    per_seed = {0: {"fid": 10.0, "recall": 0.5}, 2: {"fid": 14.0, "recall": 0.7}, 1: {"fid": 12.0}}
    summary = seeds.summarise("gan_mlp", per_seed, own_seed=0)
    assert summary["seeds"] == [0, 1, 2] and summary["own_seed"] == 0
    # Only the metrics every seed has: recall is missing from seed 1.
    assert summary["metrics"] == {"fid": {"mean": 12.0, "std": 2.0, "values": [10.0, 12.0, 14.0]}}
    assert seeds.summarise("gan_mlp", {0: {"fid": 3.0}}, own_seed=0)["metrics"]["fid"]["std"] is None


def test_headline_values_are_the_declared_numbers():
    metrics = {"fid": 30.0, "accuracy": 0.9, "classes": 10, "flag": True}
    assert seeds.headline_values(metrics) == {"fid": 30.0, "accuracy": 0.9, "classes": 10}


def test_the_report_shows_a_summary_only_while_it_matches_the_model():
    summary = seeds.summarise("gan_mlp", {0: {"fid": 10.0}, 1: {"fid": 14.0}}, own_seed=0)
    assert over_seeds(summary, {"fid": {"value": 10.0, "floor": 1.0}}) == {
        "fid": {"mean": 12.0, "std": pytest.approx(2.828, abs=1e-3), "n": 2}}
    # The model was retrained since: its seed-0 number is no longer the summary's.
    assert over_seeds(summary, {"fid": {"value": 11.0, "floor": 1.0}}) is None
    assert over_seeds(None, {"fid": {"value": 10.0}}) is None


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def test_experiments_of_this_commit_are_read_from_dvcs_refs(tmp_path, monkeypatch):
    # DVC stores an experiment as refs/exps/<baseline[:2]>/<baseline[2:]>/<name>.
    repo = tmp_path
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "base")
    head = _git(repo, "rev-parse", "HEAD")
    prefix = f"refs/exps/{head[:2]}/{head[2:]}"
    for name in ("gan_mlp-seed-1", "gan_mlp-seed-7", "dcgan-seed-1", "gan_mlp-seed-x"):
        _git(repo, "update-ref", f"{prefix}/{name}", head)
    _git(repo, "update-ref", "refs/exps/00/0000000000000000000000000000000000000000/gan_mlp-seed-2", head)
    monkeypatch.chdir(repo)
    assert seeds.experiments_of_this_commit("gan_mlp") == {1: head, 7: head}


def test_an_unknown_model_is_refused_by_name(tmp_path, monkeypatch, capsys):
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "params.yaml").write_text((root / "params.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    assert seeds.main(["gan_mpl", "--seeds", "1"]) == 2
    assert "models.gan_mpl is not in params.yaml" in capsys.readouterr().err
    assert seeds.main(["gan_mlp", "--seeds", "1"]) == 2
    assert "metrics/models/gan_mlp.json is missing; run `dvc repro evaluate@gan_mlp` first" in capsys.readouterr().err


@pytest.mark.e2e
def test_a_seed_sweep_runs_only_that_model_and_the_report_shows_its_spread(smoke_baseline, tmp_path):
    from smoke import copy_repo, run

    repo = copy_repo(smoke_baseline[0], tmp_path / "repo")
    env = dict(os.environ, PYTHONPATH=str(repo / "src"))
    swept = run([BIN / "python", "-m", "genzoo.seeds", "gan_mlp", "--seeds", "1"], repo, env=env)
    ran = {line.split("'")[1] for line in swept.stdout.splitlines() if line.startswith("Running stage")}
    assert ran == {"train@gan_mlp", "evaluate@gan_mlp"}
    summary = json.loads((repo / "metrics/seeds/gan_mlp.json").read_text())
    assert summary["seeds"] == [0, 1] and summary["own_seed"] == 0
    fid = summary["metrics"]["fid"]
    workspace = json.loads((repo / "metrics/models/gan_mlp.json").read_text())
    assert fid["values"][0] == workspace["fid"]  # the workspace itself was left alone
    assert fid["values"][1] != fid["values"][0] and fid["std"] > 0
    # Run again: seed 1 exists for this commit and is not run twice.
    again = run([BIN / "python", "-m", "genzoo.seeds", "gan_mlp", "--seeds", "1"], repo, env=env)
    assert "Running stage" not in again.stdout
    # The report depends on the summaries, so the next repro redraws it, and only it.
    redraw = run([BIN / "dvc", "repro"], repo, env=env)
    assert {line.split("'")[1] for line in redraw.stdout.splitlines() if line.startswith("Running stage")} == {"report"}
    assert "2 seeds:" in (repo / "report/index.html").read_text()
