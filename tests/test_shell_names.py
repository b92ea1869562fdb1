"""params.yaml names in dvc.yaml's commands: a hostile name is refused before any shell expands it.

dvc.yaml writes dataset, pair and model names into command lines that DVC runs through a
shell. Each test puts a name that would run `touch PWNED` into a scratch copy of the
pipeline, runs the real `dvc repro` on the stage that carries it, and checks that the
command never ran and that genzoo's one-line error names the key.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from smoke import DVC, ROOT, run

pytestmark = pytest.mark.e2e

HOSTILE = "x$(touch PWNED)"
SEMICOLON = "x; touch PWNED; echo"
CHECK = "python -m genzoo.names || exit 2;"  # dvc.yaml's first command wherever a name follows


@pytest.fixture
def repo(tmp_path):
    """A DVC repository holding the pipeline and its sources, nothing built."""
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    for folder in ("stages", "src"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    run([DVC, "init", "-q", "--no-scm"], tmp_path)
    return tmp_path


def _edit(repo: Path, change) -> None:
    params = yaml.safe_load((repo / "params.yaml").read_text())
    change(params)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


def _repro_refused(repo: Path, *args: str) -> str:
    result = run([DVC, "repro", *args], repo, check=False, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert not (repo / "PWNED").exists(), f"the shell ran the injected command:\n{output}"
    return output


@pytest.mark.parametrize("name", [HOSTILE, SEMICOLON])
def test_a_hostile_dataset_name_is_refused_before_its_command_runs(repo, name):
    _edit(repo, lambda p: p["datasets"].update({name: p["datasets"]["mnist"]}))
    output = _repro_refused(repo, f"download@{name}")
    assert f"error: datasets.{name} is not a valid dataset name; use lower-case letters, digits and _\n" in output


def test_a_hostile_model_name_is_refused_before_its_command_runs(repo):
    _edit(repo, lambda p: p["models"].update({HOSTILE: p["models"].pop("som")}))
    (repo / "data" / "prepared" / "faces").mkdir(parents=True)  # its data as if prepared: DVC checks deps first
    output = _repro_refused(repo, "--single-item", f"train@{HOSTILE}")
    assert f"error: models.{HOSTILE} is not a valid model name; use lower-case letters, digits and _\n" in output


def test_a_hostile_dataset_of_a_model_is_refused_before_its_command_runs(repo):
    _edit(repo, lambda p: p["models"]["som"].update(dataset=HOSTILE))
    (repo / "data" / "prepared" / HOSTILE).mkdir(parents=True)
    output = _repro_refused(repo, "--single-item", "train@som")
    assert f"error: models.som.dataset is {HOSTILE!r}; use lower-case letters, digits and _" in output


def test_a_hostile_domain_of_a_pair_is_refused_before_its_command_runs(repo):
    _edit(repo, lambda p: p["pairs"]["uci_to_mnist"].update(a=SEMICOLON))
    for folder in (f"data/prepared/{SEMICOLON}", "data/prepared/mnist", f"models/reference/{SEMICOLON}",
                   "models/reference/mnist"):
        (repo / folder).mkdir(parents=True)
    output = _repro_refused(repo, "--single-item", "pair@uci_to_mnist")
    assert f"error: pairs.uci_to_mnist.a is {SEMICOLON!r}; use lower-case letters, digits and _" in output


def test_the_check_is_the_first_command_of_every_stage_that_names_an_entry():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    for name, stage in stages.items():
        cmd = stage["do"]["cmd"] if "foreach" in stage else stage["cmd"]
        if "${" in cmd:
            assert cmd.startswith(f"{CHECK} "), name

