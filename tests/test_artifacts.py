"""dvc.yaml declares every trained model as a DVC artifact, generated from params.yaml."""

from pathlib import Path

import yaml

from genzoo import artifacts
from genzoo.config import load_params

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_section_is_the_generated_one():
    """After adding a model, run `python -m genzoo.artifacts`; this says when it was forgotten."""
    _, committed = artifacts.split((ROOT / "dvc.yaml").read_text())
    assert committed == artifacts.section(load_params(ROOT / "params.yaml")["models"])


def test_every_model_is_an_artifact_whose_path_is_its_train_output():
    dvc = yaml.safe_load((ROOT / "dvc.yaml").read_text())
    params = load_params(ROOT / "params.yaml")
    assert set(dvc["artifacts"]) == set(params["models"])
    assert next(iter(dvc["stages"]["train"]["do"]["outs"])) == "models/${key}"
    for name, declared in dvc["artifacts"].items():
        entry = params["models"][name]
        assert declared["path"] == f"models/{name}" and declared["type"] == "model"
        assert declared["labels"] == [entry["family"], entry["dataset"], "laptop-profile"]
        assert entry["dataset"] in declared["desc"] and entry["family"] in declared["desc"]


def test_write_adds_a_new_model_and_is_idempotent(tmp_path):
    dvc_yaml = tmp_path / "dvc.yaml"
    dvc_yaml.write_text("stages: {}\n")
    entries = {"gan_mlp": {"module": "gan_mlp", "family": "gan", "dataset": "mnist"}}
    assert artifacts.write(dvc_yaml, entries)
    assert not artifacts.write(dvc_yaml, entries)
    entries["vae_5"] = {"module": "vae", "family": "vae", "dataset": "mnist"}
    assert artifacts.write(dvc_yaml, entries)
    written = yaml.safe_load(dvc_yaml.read_text())
    assert written["stages"] == {} and list(written["artifacts"]) == ["gan_mlp", "vae_5"]
    assert written["artifacts"]["vae_5"]["desc"].startswith("The MLP VAE of Kingma & Welling 2014")


def test_dvc_reads_the_declarations():
    from dvc.repo import Repo

    declared = Repo(str(ROOT)).artifacts.read()["dvc.yaml"]
    assert declared["dcgan"].path == "models/dcgan" and declared["dcgan"].type == "model"
