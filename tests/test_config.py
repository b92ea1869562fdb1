"""params.yaml validation and profile merging: each error names the key and what is allowed."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from genzoo.config import ParamsError, load_params, merge, validate
from genzoo.profile import apply_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def params():
    return yaml.safe_load((ROOT / "params.yaml").read_text())


def test_the_committed_params_and_profiles_are_valid(params):
    validate(params)
    for profile in sorted((ROOT / "profiles").glob("*.yaml")):
        validate(merge(params, yaml.safe_load(profile.read_text())))


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda p: p["base"].update(sed=1), r"base\.sed is not a known key; allowed keys: seed, device"),
        (lambda p: p["base"].update(device="tpu"), r"base\.device is 'tpu'; allowed values: 'auto', 'cpu', 'gpu'"),
        (lambda p: p["base"].update(seed="zero"), r"base\.seed is 'zero' \(str\); it must be int"),
        (lambda p: p["base"].update(seed=-1), r"base\.seed is -1; it must be int \(>= 0\)"),
        (lambda p: p["models"]["gan_mlp"].update(epochs=True), r"models\.gan_mlp\.epochs is True"),
        (lambda p: p["models"]["gan_mlp"].update(epochs=2.5), r"models\.gan_mlp\.epochs is 2\.5 \(float\)"),
        (lambda p: p["models"]["gan_mlp"].pop("hidden"), r"models\.gan_mlp\.hidden is missing"),
        (lambda p: p["models"].update(gan_lmp=p["models"]["gan_mlp"]), r"models\.gan_lmp is not a known model; allowed models: .*gan_mlp"),
        (lambda p: p["models"]["gan_mlp"].update(dataset="cifar"), r"models\.gan_mlp\.dataset is 'cifar'; allowed values: 'mnist'"),
        (lambda p: p["datasets"].update(cifar=p["datasets"]["mnist"]), r"datasets\.cifar is not a known dataset; allowed datasets: mnist, fashion_mnist, faces"),
        (lambda p: p["datasets"]["mnist"].update(source="web"), r"datasets\.mnist\.source is 'web'; allowed values: 'auto', 'official', 'system', 'packaged', 'folder'"),
        (lambda p: p["datasets"]["mnist"].update(channels=True), r"datasets\.mnist\.channels is True; allowed values: 1, 3"),
        (lambda p: p["datasets"]["faces"].update(test_fraction=1.5), r"datasets\.faces\.test_fraction is 1\.5; it must be"),
        (lambda p: p.update(extra={}), r"extra is not a known section"),
        (lambda p: p.pop("evaluation"), r"section evaluation is missing"),
    ],
)
def test_bad_params_name_the_key_and_the_allowed_values(params, edit, message):
    edit(params)
    with pytest.raises(ParamsError, match=message):
        validate(params)


def test_yaml_syntax_error_is_reported(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("base: [unclosed\n")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(path)


def test_missing_params_file(tmp_path):
    with pytest.raises(ParamsError, match="not found"):
        load_params(tmp_path / "params.yaml")


def test_merge_overrides_only_what_the_profile_names(params):
    merged = merge(params, {"models": {"gan_mlp": {"epochs": 3}}})
    assert merged["models"]["gan_mlp"]["epochs"] == 3
    assert merged["models"]["gan_mlp"]["hidden"] == params["models"]["gan_mlp"]["hidden"]
    before = copy.deepcopy(params)
    merge(params, {"base": {"seed": 5}})
    assert params == before


def test_merge_rejects_a_key_params_does_not_have(params):
    with pytest.raises(ParamsError, match="profile key models.gan_mlp.epoch does not exist"):
        merge(params, {"models": {"gan_mlp": {"epoch": 3}}})


def test_apply_profile_rewrites_params_and_keeps_comments(tmp_path):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    merged = apply_profile("smoke", tmp_path / "params.yaml")
    text = (tmp_path / "params.yaml").read_text()
    assert "# seeds Python, numpy, TensorFlow" in text
    assert yaml.safe_load(text) == merged
    assert merged["models"]["gan_mlp"]["epochs"] == 2


def test_apply_unknown_profile_lists_the_available_ones(tmp_path):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    with pytest.raises(ParamsError, match="available profiles: paper, smoke"):
        apply_profile("fast", tmp_path / "params.yaml")
