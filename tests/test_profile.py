"""Profiles: params.yaml is always the laptop base with one profile applied, comments kept."""

import shutil
from pathlib import Path

import pytest
import yaml

from genzoo.config import ParamsError
from genzoo.profile import apply_profile, main, render

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def checkout(tmp_path):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    return tmp_path


def test_the_committed_params_are_the_laptop_profile_as_written():
    """params.yaml changed by hand but not in profiles/laptop.yaml would be lost by the next switch."""
    text, params = render("laptop", ROOT / "profiles")
    assert (ROOT / "params.yaml").read_text() == text
    assert params["base"]["profile"] == "laptop"


def test_paper_then_smoke_is_exactly_smoke(checkout):
    apply_profile("smoke", checkout / "params.yaml")
    smoke = (checkout / "params.yaml").read_text()
    apply_profile("laptop", checkout / "params.yaml")
    apply_profile("paper", checkout / "params.yaml")
    assert (checkout / "params.yaml").read_text() != smoke
    apply_profile("smoke", checkout / "params.yaml")
    assert (checkout / "params.yaml").read_text() == smoke


def test_a_profile_keeps_comments_spells_null_and_records_its_name(checkout):
    merged = apply_profile("smoke", checkout / "params.yaml")
    text = (checkout / "params.yaml").read_text()
    assert text.startswith("# The smoke profile: profiles/laptop.yaml with profiles/smoke.yaml applied")
    assert "laptop profile" not in text.splitlines()[0]
    assert "# seeds Python, numpy, TensorFlow" in text
    assert "    path: null\n" in text and ": \n" not in text
    assert yaml.safe_load(text) == merged
    assert merged["base"]["profile"] == "smoke"
    assert merged["models"]["gan_mlp"]["epochs"] == 2


def test_edits_to_params_yaml_do_not_leak_into_the_next_profile(checkout):
    params = checkout / "params.yaml"
    params.write_text(params.read_text().replace("epochs: 150", "epochs: 3", 1))
    apply_profile("laptop", params)
    assert yaml.safe_load(params.read_text())["models"]["gan_mlp"]["epochs"] == 150


def test_apply_unknown_profile_lists_the_available_ones(checkout):
    with pytest.raises(ParamsError, match="available profiles: laptop, paper, smoke"):
        apply_profile("fast", checkout / "params.yaml")


def test_a_profile_that_is_not_valid_yaml_is_one_line_naming_file_and_line(checkout, capsys):
    (checkout / "profiles" / "broken.yaml").write_text("models:\n  gan_mlp:\n    epochs: [2\n")
    before = (checkout / "params.yaml").read_text()
    assert main(["broken", "--params", str(checkout / "params.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "broken.yaml is not valid YAML at line" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (checkout / "params.yaml").read_text() == before


def test_a_profile_with_an_invalid_value_writes_nothing(checkout):
    (checkout / "profiles" / "bad.yaml").write_text("models:\n  gan_mlp:\n    epochs: 0\n")
    before = (checkout / "params.yaml").read_text()
    with pytest.raises(ParamsError, match="models.gan_mlp.epochs"):
        apply_profile("bad", checkout / "params.yaml")
    assert (checkout / "params.yaml").read_text() == before


def test_a_profile_reaches_every_entry_that_shares_an_anchor(checkout):
    merged = apply_profile("smoke", checkout / "params.yaml")
    written = yaml.safe_load((checkout / "params.yaml").read_text())
    for name in ("vae_2", "vae_10", "vae_20"):
        assert merged["models"][name]["hidden"] == written["models"][name]["hidden"] == 32, name
    assert written["models"]["vae_10"]["latent_dim"] == 10


CLASSIFIERS = ("pyramid_svm", "mlp", "lenet5", "mobilenet_v2", "cnn_best")


def test_the_paper_profiles_classifiers_validate_with_the_write_ups_settings():
    from genzoo.config import validate

    _, params = render("paper", ROOT / "profiles")
    models = validate(params)["models"]
    assert all(models[name]["max_train"] is None for name in CLASSIFIERS)  # all 60,000 images
    for name in ("mlp", "lenet5"):  # the write-up: Keras' Adam defaults, batch 32, 50 epochs
        assert (models[name]["epochs"], models[name]["batch_size"], models[name]["learning_rate"]) == (50, 32, 0.001)
    # ImageNet weights cannot be had offline: the paper profile trains MobileNetV2 from scratch.
    assert models["mobilenet_v2"]["weights"] == "none"


def test_the_laptop_profiles_classifiers_validate():
    from genzoo.config import validate

    _, params = render("laptop", ROOT / "profiles")
    models = validate(params)["models"]
    assert {name: models[name]["family"] for name in CLASSIFIERS} == dict.fromkeys(CLASSIFIERS, "classifier")
