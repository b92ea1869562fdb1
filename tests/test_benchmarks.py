"""benchmarks/speed.py: one tiny model timed both ways, its printed ratio and its JSON record; bad input."""

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SPEED = REPO / "benchmarks" / "speed.py"


def _speed(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SPEED), *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def _tiny_params(tmp_path: Path) -> Path:
    """params.yaml with a gan_mlp small enough to trace and train in a second or two."""
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    params["models"]["gan_mlp"].update(hidden=8, latent_dim=4, batch_size=16)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    return path


def _finite_positive(values) -> bool:
    return all(math.isfinite(v) and v > 0 for v in values)


def test_speed_times_both_sides_prints_the_ratio_and_writes_the_record(tmp_path):
    pytest.importorskip("keras")
    out = tmp_path / "results"
    done = _speed("--models", "gan_mlp", "--repeats", "2", "--warmup", "1", "--images", "48",
                  "--params", str(_tiny_params(tmp_path)), "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]

    records = list(out.glob("*.json"))
    assert len(records) == 1 and (out / f"{records[0].stem}.md").is_file()
    record = json.loads(records[0].read_text())
    assert record["repeats"] == 2 and record["warmup"] == 1
    machine = record["machine"]
    assert machine["cpu_model"] and machine["logical_cores"] >= 1
    assert machine["tensorflow"] and machine["keras"] and machine["device"]["kind"] in ("cpu", "gpu")
    assert records[0].stem.startswith(record["date"]) and records[0].stem.endswith(machine["slug"])

    model = record["models"]["gan_mlp"]
    assert model["images"] == 48 and model["data_source"] in ("prepared", "synthetic") and model["repeats"] == 2
    for side in ("project", "plain"):
        runs = model[side]["per_run"]
        assert len(runs) == 2 and _finite_positive(runs)
        assert model[side]["median"] == pytest.approx(statistics.median(runs))
        assert (model[side]["min"], model[side]["max"]) == (min(runs), max(runs))
        # Both sides trained: their losses are there, and finite.
        assert model[side]["loss"] and all(math.isfinite(v) for v in model[side]["loss"].values())
        assert {"steps_per_execution", "jit_compile"} <= set(model[side]["settings"])
    pairs = [a / b for a, b in zip(model["project"]["per_run"], model["plain"]["per_run"])]
    assert model["pair_ratios"] == pytest.approx(pairs)
    assert model["ratio"] == pytest.approx(statistics.median(pairs))

    # The printed table has the model's row, ending in the same ratio.
    row = next(line for line in done.stdout.splitlines() if line.startswith("gan_mlp"))
    assert row.split()[-1] == f"{model['ratio']:.2f}"
    # Progress went to stderr as it ran.
    assert "[gan_mlp] project run 2/2" in done.stderr and "[gan_mlp] plain run 2/2" in done.stderr


@pytest.mark.parametrize("args, message", [
    (["--repeats", "1"], "--repeats is 1; it must be at least 2"),
    (["--models", "gan_mlp,no_such_model"], "unknown model no_such_model; available: "),
])
def test_bad_input_is_one_clear_line(args, message):
    done = _speed(*args, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_unknown_model_message_lists_the_available_ones():
    done = _speed("--models", "nope", timeout=60)
    available = done.stderr.split("available: ", 1)[1].strip().split(", ")
    assert "gan_mlp" in available and "som" in available and "pyramid_svm" not in available
