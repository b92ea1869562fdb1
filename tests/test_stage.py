"""What every stage shares: one run description per model, and one line for a known error."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from genzoo import stage
from genzoo.config import ParamsError
from genzoo.runs import Run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def in_repo_copy(tmp_path, monkeypatch):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_model_run_resolves_the_entry_its_module_family_and_paths(in_repo_copy):
    module, pipeline, run = stage.model_run("vae_10", data="data/prepared/mnist", trained="models/vae_10")
    assert module.__name__ == "genzoo.models.vae" and module.FAMILY == "vae"
    assert pipeline.__name__ == "genzoo.families.vae.pipeline"
    assert isinstance(run, Run) and run.name == "vae_10" and run.params["latent_dim"] == 10
    assert run.data == Path("data/prepared/mnist") and run.samples is None
    assert run.device["device"] in ("cpu", "gpu")
    with pytest.raises(AttributeError):
        run.name = "other"  # frozen: a family cannot change what it was asked to run


def test_model_run_refuses_an_entry_params_does_not_have(in_repo_copy):
    with pytest.raises(ParamsError, match="models.vae_3 is not in params.yaml"):
        stage.model_run("vae_3", data="d", trained="t")


def test_a_known_error_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "params.yaml").write_text("base: [unclosed\n")
    script = "from genzoo import stage\nstage.run(lambda: stage.model_run('gan_mlp', data='d', trained='t'))"
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env=dict(os.environ))
    assert result.returncode == 2
    assert result.stderr.startswith("error: params.yaml is not valid YAML")
    assert "Traceback" not in result.stderr


def test_a_finished_tensorflow_stage_exits_0_with_its_output_flushed(tmp_path):
    # Through a pipe stdout is block-buffered: without the flush before the fast exit the
    # line and the logged message would be lost.
    script = ("import logging\nfrom genzoo import stage\n"
              "def main():\n    import tensorflow\n    print('trained')\n"
              "    logging.getLogger('genzoo').info('logged')\n"
              "    open('done.txt', 'w').write('complete')\n"
              "stage.run(main)\nprint('not reached')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["trained"]  # the fast exit ends the process there
    assert "genzoo: logged" in result.stderr
    assert (tmp_path / "done.txt").read_text() == "complete"


def _stage(script: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, env=dict(os.environ))


def test_a_full_disk_is_one_line_naming_the_file(tmp_path):
    # An OSError ENOSPC from a writer outside genzoo.io (a Keras save) is one line too.
    script = ("import errno, os\nfrom genzoo import stage\n"
              "def main():\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), 'models/x/generator.keras')\n"
              "stage.run(main)\n")
    result = _stage(script, tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: models/x/generator.keras: the disk is full (no space left on device); "
                             "free space and run the stage again\n")


def test_a_truncated_raw_file_stops_the_prepare_stage_in_one_line(tmp_path):
    import numpy as np

    from genzoo.io import write_json, write_npz

    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    raw = tmp_path / "data" / "raw" / "mnist"
    write_npz(raw / "arrays.npz", x_train=np.zeros((200, 28, 28, 1), np.uint8), y_train=np.arange(200) % 10)
    write_json(raw / "info.json", {"dataset": "mnist", "source": "packaged", "has_labels": True})
    (raw / "arrays.npz").write_bytes((raw / "arrays.npz").read_bytes()[:20000])
    result = subprocess.run([sys.executable, str(ROOT / "stages" / "prepare.py"), "--dataset", "mnist",
                             "--raw", "data/raw/mnist", "--out", "data/prepared/mnist"],
                            cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: data/raw/mnist/arrays.npz is truncated or corrupt (")
    assert result.stderr.endswith("; restore it (dvc checkout data/raw/mnist) or write it again "
                                  "(dvc repro -f download@mnist)\n")
    assert len(result.stderr.splitlines()) == 1


def test_a_diverged_training_run_is_one_line_and_exit_2(tmp_path):
    script = ("from genzoo import stage\n"
              "def main():\n    from genzoo.training import TrainingDiverged\n"
              "    raise TrainingDiverged('gan_mlp: d_loss became nan in epoch 3; nothing was saved. Lower the rate')\n"
              "stage.run(main)\n")
    result = _stage(script, tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "error: gan_mlp: d_loss became nan in epoch 3; nothing was saved. Lower the rate"
    assert "Traceback" not in result.stderr


def test_another_floating_point_error_is_not_hidden(tmp_path):
    result = _stage("from genzoo import stage\ndef main():\n    raise FloatingPointError('a bug')\nstage.run(main)\n", tmp_path)
    assert result.returncode == 1 and "Traceback" in result.stderr
