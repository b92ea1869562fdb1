"""Profiles: applying one rewrites params.yaml in place, keeping its comments."""

import shutil
from pathlib import Path

import pytest
import yaml

from genzoo.config import ParamsError
from genzoo.profile import apply_profile

ROOT = Path(__file__).resolve().parents[1]


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


def test_a_profile_reaches_every_entry_that_shares_an_anchor(tmp_path):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    merged = apply_profile("smoke", tmp_path / "params.yaml")
    written = yaml.safe_load((tmp_path / "params.yaml").read_text())
    for name in ("vae_2", "vae_10", "vae_20"):
        assert merged["models"][name]["hidden"] == written["models"][name]["hidden"] == 32, name
    assert written["models"]["vae_10"]["latent_dim"] == 10
