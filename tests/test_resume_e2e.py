"""A real `dvc repro`, killed with SIGKILL during training, resumes to the uninterrupted result.

capsnet on the smoke profile, given 4 epochs: one copy of the smoke repository trains straight
through; in another, the repro is killed once the first epoch's checkpoint exists and is run
again. The declared metrics must be equal (bar the timings), the curves whole, and the
trained model's info must record the resume.
"""

import csv
import json
import os
import signal
import subprocess
import time

import pytest
import yaml

from smoke import BIN, DVC, copy_repo, run

pytestmark = pytest.mark.e2e

MODEL = "capsnet"
EPOCHS = 4
STAGE = f"evaluate@{MODEL}"
TIMINGS = ("train_seconds", "images_per_second")


def _with_epochs(repo, epochs):
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["models"][MODEL]["epochs"] = epochs
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    return repo


def _metrics(repo):
    metrics = json.loads((repo / "metrics" / "models" / f"{MODEL}.json").read_text())
    return {key: value for key, value in metrics.items() if key not in TIMINGS}


def _loss_curve(repo):
    """(step, loss) rows of the training loss curve; the timestamps differ between runs."""
    with open(repo / "logs" / MODEL / "plots" / "metrics" / "train" / "loss.tsv", newline="") as f:
        return [(int(row["step"]), row["loss"]) for row in csv.DictReader(f, delimiter="\t")]


def _kill_after_first_checkpoint(repo):
    """Start the repro, SIGKILL its whole process group once an epoch is checkpointed."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    process = subprocess.Popen([str(DVC), "repro", STAGE], cwd=repo, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = repo / "checkpoints" / MODEL / "state.npz"
    deadline = time.monotonic() + 600
    while not state.exists():
        assert process.poll() is None, "the repro ended before its first checkpoint"
        assert time.monotonic() < deadline, "no checkpoint within 10 minutes"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_a_killed_repro_resumes_to_the_uninterrupted_metrics(smoke_baseline, tmp_path):
    straight = _with_epochs(copy_repo(smoke_baseline[0], tmp_path / "straight"), EPOCHS)
    run([DVC, "repro", STAGE], straight)

    killed = _with_epochs(copy_repo(smoke_baseline[0], tmp_path / "killed"), EPOCHS)
    _kill_after_first_checkpoint(killed)
    assert not (killed / "models" / MODEL).exists()  # nothing half-written
    assert not (killed / "metrics" / "models" / f"{MODEL}.json").read_text() == (
        straight / "metrics" / "models" / f"{MODEL}.json").read_text()  # the old result, not a new one
    run([DVC, "repro", STAGE], killed)

    info = json.loads((killed / "models" / MODEL / "info.json").read_text())
    assert 1 <= info["resumed_from_epoch"] < EPOCHS
    assert _metrics(killed) == _metrics(straight)
    curve = _loss_curve(straight)
    assert [step for step, _ in curve] == list(range(EPOCHS))
    assert _loss_curve(killed) == curve  # the epochs before the kill are kept
    assert sorted(p.name for p in (killed / "checkpoints" / MODEL).iterdir()) == ["FINISHED"]
    assert run([DVC, "status", STAGE], killed).stdout.strip().endswith("up to date.")
