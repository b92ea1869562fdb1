"""Comparing runs for real on the smoke profile: `dvc metrics/params/plots diff` across two commits,
and a queued parameter sweep listed by `dvc exp show` as the README says to read it."""

import os
import re
import time

import pytest
import yaml

from smoke import DVC, commit, copy_repo, dvc_json, run

pytestmark = pytest.mark.e2e

GAN_MLP_METRICS = {"metrics/models/gan_mlp.json"}
SWEEP = {"lr-0.001": 0.001, "lr-0.0002": 0.0002}
# The README's flags for reading a sweep in a terminal: the params that differ, and of the
# columns named by a path (metrics files, dependency hashes) only the FD kept.
EXP_SHOW_FLAGS = ["--only-changed", "--drop", "(metrics|data|models|samples|logs|src|stages)/|(samples|logs)$|State|Executor",
                  "--keep", "metrics/models/gan_mlp.json:fid$"]
SWEEP_TIMEOUT = 900  # seconds; each experiment is the gan_mlp chain on the smoke profile


@pytest.fixture(scope="module")
def repo(smoke_baseline, tmp_path_factory):
    return copy_repo(smoke_baseline[0], tmp_path_factory.mktemp("compare") / "repo")


def test_a_forced_rerun_with_no_change_moves_no_declared_metric(repo):
    # The baseline is committed (conftest's smoke_baseline).
    ran = run([DVC, "repro", "--force", "evaluate@gan_mlp"], repo).stdout
    assert "Running stage 'train@gan_mlp'" in ran and "Running stage 'reference@mnist'" in ran
    assert dvc_json(["metrics", "diff"], repo) == {}
    run([DVC, "repro"], repo)  # the report, whose inputs' timings moved
    assert dvc_json(["metrics", "diff"], repo) == {}
    # Only the undeclared records moved (their timings); commit them for the next test's diff.
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "--allow-empty", "-qm", "rerun"], repo)


def test_diff_against_the_previous_commit_shows_one_models_change(repo, tmp_path):
    params = yaml.safe_load((repo / "params.yaml").read_text())
    old_hidden = params["models"]["gan_mlp"]["hidden"]
    params["models"]["gan_mlp"]["hidden"] = old_hidden * 2
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    run([DVC, "repro"], repo)
    commit(repo, "gan_mlp: wider hidden layers")

    assert dvc_json(["params", "diff", "HEAD~1"], repo) == {
        "params.yaml": {"models.gan_mlp.hidden": {"old": old_hidden, "new": old_hidden * 2, "diff": old_hidden}}}

    metrics = dvc_json(["metrics", "diff", "HEAD~1"], repo)
    changed = {(path, key) for path, keys in metrics.items() for key in keys}
    # Every number that moved is gan_mlp's.
    assert {path for path, _ in changed} == GAN_MLP_METRICS, sorted(changed)
    fid = metrics["metrics/models/gan_mlp.json"]["fid"]
    assert fid["old"] != fid["new"] and fid["diff"] == pytest.approx(fid["new"] - fid["old"])

    out = tmp_path / "plots"
    run([DVC, "plots", "diff", "HEAD~1", "-o", out], repo)
    page = (out / "index.html").read_text()
    # One chart for all of gan_mlp's curves, both commits in it; no chart per curve file.
    charts = re.findall(r'<div id ?= ?"([^"]+)"', page)
    assert "gan_mlp_training" in charts, charts
    assert not [chart for chart in charts if "tsv" in chart or "plots_metrics" in chart], charts
    assert '"filename::field": "g_loss.tsv::g_loss"' in page
    assert '"rev": "HEAD~1"' in page and '"rev": "workspace"' in page


def _wait_for_queue(repo, names):
    """Poll `dvc queue status` until the named experiments have finished; fail on a failed one."""
    deadline = time.monotonic() + SWEEP_TIMEOUT
    while True:
        status = run([DVC, "queue", "status"], repo).stdout
        rows = {line.split()[1]: line.split()[-1] for line in status.splitlines()
                if len(line.split()) > 2 and line.split()[1] in names}
        failed = [name for name, state in rows.items() if state == "Failed"]
        if failed:
            logs = "\n".join(run([DVC, "queue", "logs", name], repo, check=False).stdout for name in failed)
            raise AssertionError(f"queued experiments failed: {failed}\n{logs}")
        if len(rows) == len(names) and all(state == "Success" for state in rows.values()):
            return
        assert time.monotonic() < deadline, f"queue not done after {SWEEP_TIMEOUT}s:\n{status}"
        time.sleep(3)


def _experiments(shown):
    """name -> data of every experiment in `dvc exp show --json`."""
    found = {}
    for commit_row in shown:
        for experiment in commit_row.get("experiments") or []:
            for rev in experiment["revs"]:
                found[rev.get("name")] = rev["data"]
    return found


def test_a_queued_sweep_is_listed_with_its_metrics(repo):
    for name, rate in SWEEP.items():
        # Targeting evaluate@gan_mlp runs that model's chain (and nothing else) per experiment.
        run([DVC, "exp", "run", "--queue", "evaluate@gan_mlp", "-n", name,
             "-S", f"models.gan_mlp.g_learning_rate={rate}"], repo)
    run([DVC, "queue", "start"], repo)
    try:
        _wait_for_queue(repo, set(SWEEP))
    except BaseException:
        # Leave no worker running behind a failed or timed-out test (drop what is still queued
        # first, or the worker starts it as soon as the running one is killed).
        run([DVC, "queue", "remove", "--queued"], repo, check=False)
        run([DVC, "queue", "stop", "--kill"], repo, check=False)
        raise

    experiments = _experiments(dvc_json(["exp", "show"], repo))
    assert set(SWEEP) <= set(experiments), sorted(experiments)
    fids, others = [], []
    for name, rate in SWEEP.items():
        data = experiments[name]
        assert data["params"]["params.yaml"]["data"]["models"]["gan_mlp"]["g_learning_rate"] == rate
        metrics = {path: found["data"] for path, found in data["metrics"].items()}
        fids.append(metrics.pop("metrics/models/gan_mlp.json")["fid"])
        others.append(metrics)
    assert all(isinstance(fid, float) for fid in fids) and fids[0] != fids[1]
    assert others[0] == others[1]  # the sweep moved gan_mlp's metrics only

    # The README's command, in a 120-column terminal: the swept param and the FD, both in full.
    shown = run([DVC, "exp", "show", "--no-pager", *EXP_SHOW_FLAGS], repo,
                env=dict(os.environ, COLUMNS="120")).stdout
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 120, shown
    header = next(line for line in lines if "Experiment" in line)
    assert "models.gan_mlp.g_learning_rate" in header and "metrics/models/gan_mlp.json:fid" in header, shown
    for name, rate in SWEEP.items():
        row = next(line for line in lines if name in line)
        assert str(rate) in row, shown
        assert f"{fids[list(SWEEP).index(name)]:.5g}"[:5] in row, shown
