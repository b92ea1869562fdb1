"""benchmarks/paper_classifiers.py: the record built from a paper-profile checkout's metrics; a laptop checkout refused."""

import json
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "benchmarks" / "paper_classifiers.py"
MODELS = ("pyramid_svm", "mlp", "lenet5", "mobilenet_v2", "cnn_best")


def _checkout(tmp_path: Path, profile: str) -> Path:
    from genzoo.profile import render

    text, _ = render(profile, REPO / "profiles")
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "params.yaml").write_text(text)
    (tmp_path / "src").symlink_to(REPO / "src")
    details = tmp_path / "metrics" / "details" / "models"
    details.mkdir(parents=True)
    for i, model in enumerate(MODELS):
        (details / f"{model}.json").write_text(json.dumps(
            {"accuracy": 0.9 + i / 1000, "reference": None if model == "cnn_best" else 0.88, "n_train": 60000,
             "train_seconds": 10.0 * (i + 1), **({"converged": True} if model == "pyramid_svm" else {})}))
    return tmp_path


def _run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_the_record_holds_each_models_accuracy_settings_and_times(tmp_path):
    checkout = _checkout(tmp_path / "c", "paper")
    times = tmp_path / "times.json"
    times.write_text(json.dumps({m: {"train": 20.0, "evaluate": 4.0} for m in MODELS}))
    done = _run("--checkout", str(checkout), "--out", str(tmp_path / "out" / "r"), "--record-only", str(times))
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out" / "r.json").read_text())
    assert [row["model"] for row in result["models"]] == list(MODELS)
    mlp = result["models"][1]
    assert (mlp["accuracy"], mlp["settings"]["epochs"], mlp["settings"]["batch_size"]) == (0.901, 50, 32)
    assert result["total_stage_minutes"] == round(5 * 24 / 60, 1) and result["profile"] == "paper"
    assert result["machine"]["cores"] >= 1 and result["machine"]["processor"]
    table = (tmp_path / "out" / "r.md").read_text()
    assert "| `cnn_best` | 0.9040 | — | 60,000 |" in table and "| `mlp` | 0.9010 | 0.880 |" in table


def test_a_checkout_not_on_the_paper_profile_is_refused(tmp_path):
    checkout = _checkout(tmp_path, "laptop")
    done = _run("--checkout", str(checkout), "--out", str(tmp_path / "r"), "--record-only", "x.json")
    assert done.returncode == 1
    assert "is not on the paper profile; run `python -m genzoo.profile paper`" in done.stderr
    assert yaml.safe_load((checkout / "params.yaml").read_text())["base"]["profile"] == "laptop"
