"""params.yaml validation and profile merging: each error names the key and what is allowed."""

import copy
from pathlib import Path

import pytest
import yaml

from genzoo.config import ParamsError, load_params, merge, validate

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
        (lambda p: p["base"].update(sed=1), r"base\.sed is not a known key; allowed keys: seed, device, determinism, profile, steps_per_execution, jit_compile, threads"),
        (lambda p: p["base"].update(device="tpu"), r"base\.device is 'tpu'; allowed values: 'auto', 'cpu', 'gpu'"),
        (lambda p: p["base"].update(profile="x; rm"), r"base\.profile is .x; rm.; use lower-case letters, digits and _"),
        (lambda p: p["base"].update(seed="zero"), r"base\.seed is 'zero' \(str\); it must be int"),
        (lambda p: p["base"].update(seed=-1), r"base\.seed is -1; it must be int \(>= 0, <= 4294967295\)"),
        (lambda p: p["base"].update(seed=2**40), r"base\.seed is 1099511627776; it must be int \(>= 0, <= 4294967295\)"),
        (lambda p: p["datasets"]["mnist"].update(test_fraction=float("nan")),
         r"datasets\.mnist\.test_fraction is nan; it must be a finite number"),
        (lambda p: p["models"]["gan_mlp"].update(d_learning_rate=float("inf")),
         r"models\.gan_mlp\.d_learning_rate is inf; it must be a finite number"),
        # Adam divides by 1 - beta**t: a beta of 1 is a division by zero, not a setting.
        (lambda p: p["models"]["dcgan"].update(beta_1=1.0), r"^models\.dcgan\.beta_1 is 1\.0; it must be int or float \(>= 0\.0, < 1\.0\)$"),
        (lambda p: p["models"]["wgan"].update(beta_2=1), r"^models\.wgan\.beta_2 is 1; it must be int or float \(>= 0\.0, < 1\.0\)$"),
        (lambda p: p["models"]["wgan_gp"].update(beta_1=-0.1), r"^models\.wgan_gp\.beta_1 is -0\.1; it must be int or float \(>= 0\.0, < 1\.0\)$"),
        (lambda p: p["models"]["dcgan_faces"].update(beta_1=float("nan")), r"^models\.dcgan_faces\.beta_1 is nan; it must be a finite number"),
        (lambda p: p["models"]["wgan"].update(beta_1=float("inf")), r"^models\.wgan\.beta_1 is inf; it must be a finite number"),
        (lambda p: p["models"]["gan_mlp"].update(epochs=True), r"models\.gan_mlp\.epochs is True"),
        (lambda p: p["models"]["gan_mlp"].update(epochs=2.5), r"models\.gan_mlp\.epochs is 2\.5 \(float\)"),
        (lambda p: p["models"]["gan_mlp"].pop("hidden"), r"models\.gan_mlp\.hidden is missing"),
        (lambda p: p["models"].update(x=dict(p["models"]["gan_mlp"], module="gan_lmp")),
         r"models\.x\.module is 'gan_lmp'; allowed modules: .*\bgan_mlp\b"),
        (lambda p: p["models"]["gan_mlp"].pop("module"), r"models\.gan_mlp\.module is missing; it names the model module"),
        (lambda p: p["models"]["gan_mlp"].update(family="vae"), r"models\.gan_mlp\.family is 'vae'; allowed values: 'gan'"),
        (lambda p: p["models"].update({"GAN-2": p["models"]["gan_mlp"]}), r"models\.GAN-2 is not a valid model name"),
        (lambda p: p["models"]["vae_2"].update(latent_dim=0), r"models\.vae_2\.latent_dim is 0; it must be int \(>= 1\)"),
        (lambda p: p["models"]["aae_supervised"].update(supervised="yes"), r"models\.aae_supervised\.supervised is 'yes' \(str\); it must be bool"),
        (lambda p: p["models"]["gan_mlp"].update(dataset="cifar"), r"models\.gan_mlp\.dataset is 'cifar'; allowed values: 'mnist'"),
        (lambda p: p["datasets"].update(cifar=p["datasets"]["mnist"]), r"datasets\.cifar is not a known dataset; allowed datasets: mnist, fashion_mnist, faces"),
        (lambda p: p["datasets"]["mnist"].update(source="web"), r"datasets\.mnist\.source is 'web'; allowed values: 'auto', 'official', 'system', 'packaged', 'folder'"),
        (lambda p: p["datasets"]["mnist"].update(channels=True), r"datasets\.mnist\.channels is True; allowed values: 1, 3"),
        (lambda p: p["datasets"]["faces"].update(test_fraction=1.5), r"datasets\.faces\.test_fraction is 1\.5; it must be"),
        (lambda p: p.update(extra={}), r"extra is not a known section"),
        (lambda p: p.pop("evaluation"), r"section evaluation is missing"),
        (lambda p: p["evaluation"].update(round_trip_sizes=64), r"evaluation\.round_trip_sizes is 64; it must be a list of int \(>= 8\)"),
        (lambda p: p["evaluation"].update(round_trip_sizes=[64, 4]), r"evaluation\.round_trip_sizes\[1\] is 4; it must be int \(>= 8\)"),
        (lambda p: p["evaluation"].update(round_trip_sizes=[]),
         r"models\.wgan\.image_size is 32, but evaluation\.round_trip_sizes \[\] lacks it: add 32"),
        (lambda p: p["evaluation"].update(kid_subsets=10), r"evaluation\.kid_subsets is not a known key"),
        (lambda p: p["models"]["gan_mlp"].update(seed=-1), r"models\.gan_mlp\.seed is -1; it must be int \(>= 0, <= 4294967295\) or null"),
        (lambda p: p["models"]["gan_mlp"].pop("seed"), r"models\.gan_mlp\.seed is missing"),
        (lambda p: p["pairs"]["uci_to_mnist"].update(a="usps"),
         r"^pairs\.uci_to_mnist\.a is 'usps', not a dataset; datasets: mnist, fashion_mnist, faces, uci_digits$"),
        (lambda p: p["pairs"]["uci_to_mnist"].update(b="uci_digits"),
         r"^pairs\.uci_to_mnist: a and b are both uci_digits; a pair translates between two datasets$"),
        (lambda p: p["datasets"]["uci_digits"].update(channels=3),
         r"^pairs\.uci_to_mnist: uci_digits has 3 channels and mnist 1; set datasets\.uci_digits\.channels and "
         r"datasets\.mnist\.channels alike$"),
        (lambda p: p["pairs"]["uci_to_mnist"].pop("b"), r"^pairs\.uci_to_mnist\.b is missing"),
        (lambda p: p["pairs"].update(mnist={"a": "uci_digits", "b": "mnist"}), r"^pairs\.mnist has the name of a dataset"),
        (lambda p: p["pairs"].update({"A->B": {"a": "uci_digits", "b": "mnist"}}), r"^pairs\.A->B is not a valid pair name"),
        (lambda p: p.update(pairs=["uci_digits", "mnist"]), r"^pairs must map pair names"),
        (lambda p: p["models"]["cyclegan"].update(dataset="mnist"),
         r"^models\.cyclegan\.dataset is 'mnist'; allowed values: 'uci_to_mnist'$"),
        (lambda p: p["models"]["dcgan"].update(dataset="uci_to_mnist"),
         r"^models\.dcgan\.dataset is 'uci_to_mnist'; allowed values: 'mnist', 'fashion_mnist', 'faces', 'uci_digits'$"),
        (lambda p: p["datasets"].update(horses=dict(p["datasets"]["mnist"], source="packaged")),
         r"^datasets\.horses is not a known dataset; allowed datasets: mnist, fashion_mnist, faces, uci_digits, "
         r"or any name of lower-case letters, digits and _ with source: folder$"),
        # dvc.yaml's stages iterate over each section: DVC cannot read a params.yaml without one.
        (lambda p: p.pop("pairs"), r"^section pairs is missing from params\.yaml; dvc\.yaml reads it: write pairs: \{\} for none$"),
        (lambda p: p.update(pairs=None), r"^pairs must map pair names to \{a: dataset, b: dataset\} \(pairs: \{\} for none\)$"),
        (lambda p: p.pop("models"), r"^section models is missing from params\.yaml; copy it from profiles/laptop\.yaml$"),
        (lambda p: p.update(pairs={}),
         r"^models\.cyclegan\.dataset is 'uci_to_mnist', but pairs is empty; the cyclegan module trains on a pair: "
         r"add one under pairs \(a: dataset, b: dataset\)$"),
    ],
)
def test_bad_params_name_the_key_and_the_allowed_values(params, edit, message):
    edit(params)
    with pytest.raises(ParamsError, match=message):
        validate(params)


def test_a_folder_pair_of_named_datasets_validates(params):
    """The CycleGAN authors' layout: two folder datasets, at trainA and trainB, and a pair of them."""
    folder = dict(params["datasets"]["faces"], source="folder", channels=3, image_size=64)
    params["datasets"].update(horses=dict(folder, path="horse2zebra/trainA"), zebras=dict(folder, path="horse2zebra/trainB"))
    params["pairs"]["horse2zebra"] = {"a": "horses", "b": "zebras"}
    params["models"]["cyclegan_h2z"] = dict(params["models"]["cyclegan"], dataset="horse2zebra")
    validate(params)


def test_pairs_may_be_empty(params):
    params["pairs"] = {}
    params["models"].pop("cyclegan")
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


def test_one_entry_per_chain_shares_settings_through_yaml_merge_keys(params):
    # vae_10 and vae_20 take every setting of vae_2 (the anchor) but their own latent size.
    vae = {name: section for name, section in params["models"].items() if section["module"] == "vae"}
    assert {name: section["latent_dim"] for name, section in vae.items()} == {"vae_2": 2, "vae_10": 10, "vae_20": 20}
    assert all({k: v for k, v in s.items() if k != "latent_dim"} ==
               {k: v for k, v in vae["vae_2"].items() if k != "latent_dim"} for s in vae.values())
    assert params["models"]["aae_supervised"]["supervised"] is True


def test_a_new_entry_of_an_existing_module_validates(params):
    params["models"]["vae_5"] = dict(params["models"]["vae_2"], latent_dim=5)
    assert validate(params)["models"]["vae_5"]["latent_dim"] == 5


def test_a_models_own_seed_overrides_base_seed_for_it_alone(params):
    from genzoo.config import model_seed

    params["base"]["seed"] = 3
    params["models"]["gan_mlp"]["seed"] = 11
    validate(params)
    assert model_seed(params, "gan_mlp") == 11 and model_seed(params, "dcgan") == 3


def test_every_adam_beta_of_every_module_refuses_one():
    """Adam divides by 1 - beta**t: each module's beta_* keys allow [0, 1) only."""
    from genzoo import models
    from genzoo.schema import check_value

    betas = [(name, key, spec) for name in sorted(models.REGISTRY)
             for key, spec in models.get(name).PARAMS.items() if key.startswith("beta_")]
    assert betas
    for name, key, spec in betas:
        with pytest.raises(ParamsError, match=r"; it must be"):
            check_value(f"{name}.{key}", 1.0, spec)
        check_value(f"{name}.{key}", 0.0, spec)
