"""genzoo.load: each error gives one line that says what to do (the trained-model tests are end to end)."""

import shutil
from pathlib import Path

import numpy as np
import pytest

import genzoo
from genzoo import files
from genzoo.io import write_json
from genzoo.zoo import ZooError
from smoke import BIN, DVC, commit, copy_repo, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_unknown_name_lists_the_models(workspace):
    with pytest.raises(ZooError, match=r"unknown model 'dcgam'; models: gan_mlp, .*\bdcgan\b.*\bvae_10\b"):
        genzoo.load("dcgam")


def test_a_model_not_in_the_workspace_says_how_to_fetch_it(workspace):
    with pytest.raises(ZooError, match=r"models/dcgan is not in this workspace; fetch it from the DVC remote with "
                                       r"`dvc pull train@dcgan`, or train it with `dvc repro train@dcgan`"):
        genzoo.load("dcgan")


@pytest.mark.parametrize("version, says", [("0.1.9", "genzoo 0.1.9"), (None, "genzoo before 0.2.0")])
def test_a_model_from_another_genzoo_version_says_so(workspace, version, says):
    info = {"latent_dim": 100, "latent": "uniform", "pixel_range": "sigmoid"}
    write_json(workspace / "models" / "gan_mlp" / files.INFO, info | ({} if version is None else {"genzoo_version": version}))
    with pytest.raises(ZooError, match=rf"models/gan_mlp was trained by {says}, and this is genzoo {genzoo.__version__}; "
                                       r"re-train it with `dvc repro train@gan_mlp`"):
        genzoo.load("gan_mlp")


def test_outside_a_checkout_it_asks_for_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ZooError, match="no params.yaml here: run from a genzoo checkout, or pass repo="):
        genzoo.load("dcgan")


def test_a_repository_that_is_not_there_is_one_error(tmp_path):
    with pytest.raises(ZooError, match=r"cannot read params\.yaml of .*missing"):
        genzoo.load("dcgan", repo=tmp_path / "missing")


def test_import_genzoo_stays_light():
    import subprocess
    import sys

    code = "import genzoo, sys; print(','.join(m for m in ('tensorflow', 'keras', 'sklearn', 'dvc') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == ""


# End to end: the models of the shared smoke-profile repository (tests/conftest.py), read only.

@pytest.fixture(scope="module")
def smoke_repo(smoke_baseline):
    return smoke_baseline[0]


@pytest.fixture
def in_smoke_repo(smoke_repo, monkeypatch):
    monkeypatch.chdir(smoke_repo)
    return smoke_repo


@pytest.mark.e2e
def test_a_generator_samples_in_the_unit_range_the_same_images_for_a_seed(in_smoke_repo):
    model = genzoo.load("dcgan")
    images = model.sample(12, seed=3)
    assert images.shape == (12, 28, 28, 1) and images.dtype == np.float32
    assert 0.0 <= images.min() and images.max() <= 1.0
    np.testing.assert_array_equal(images, model.sample(12, seed=3))
    assert not np.array_equal(images, model.sample(12, seed=4))


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["vae_2", "aae_supervised"])
def test_an_autoencoder_encodes_decodes_and_samples(in_smoke_repo, name):
    model = genzoo.load(name)
    with np.load(in_smoke_repo / "data/prepared/mnist" / files.TEST) as f:
        x, y = f["x"][:20], f["y"][:20]
    codes = model.encode(x)
    assert codes.shape == (20, model.code_dim)
    labels = y if model.supervised else None
    images = model.decode(codes, labels)
    assert images.shape == x.shape and 0.0 <= images.min() and images.max() <= 1.0
    np.testing.assert_array_equal(model.sample(10, seed=1), model.sample(10, seed=1))
    with pytest.raises(ValueError, match=r"decodes \(N, \d+\) codes"):
        model.decode(codes[:, :1], labels)


@pytest.mark.e2e
@pytest.mark.parametrize("name, dataset, predicted", [
    ("mlp", "fashion_mnist", "y_pred"), ("pyramid_svm", "fashion_mnist", "y_pred"), ("capsnet", "mnist", "predicted"),
])
def test_a_classifier_predicts_what_its_sample_stage_predicted(in_smoke_repo, name, dataset, predicted):
    model = genzoo.load(name)
    with np.load(in_smoke_repo / "data/prepared" / dataset / files.TEST) as f:
        x = f["x"]
    with np.load(in_smoke_repo / "samples" / name / files.SAMPLE_DATA / files.PREDICTIONS) as f:
        expected = f[predicted]
    np.testing.assert_array_equal(model.predict(x), expected)
    assert len(model.class_names) == 10


@pytest.mark.e2e
def test_a_translator_translates_what_its_sample_stage_translated(in_smoke_repo):
    model = genzoo.load("cyclegan")
    with np.load(in_smoke_repo / "data/prepared/uci_to_mnist/a" / files.TEST) as f:
        a = f["x"]
    with np.load(in_smoke_repo / "samples/cyclegan" / files.SAMPLE_DATA / "translations.npz") as f:
        expected_b, expected_cycle = f["a_to_b"], f["a_cycle"]
    to_b = model.to_b(a)
    np.testing.assert_allclose(to_b, expected_b, atol=1e-6)
    np.testing.assert_allclose(model.to_a(to_b), expected_cycle, atol=1e-6)
    with pytest.raises(ValueError, match="takes images of shape"):
        model.to_b(a[:, :20])


@pytest.mark.e2e
def test_a_map_gives_each_face_its_winning_unit(in_smoke_repo):
    model = genzoo.load("som")
    with np.load(in_smoke_repo / "data/prepared/faces" / files.TEST) as f:
        x = f["x"]
    winners = model.winners(x)
    assert winners.shape == (len(x),) and 0 <= winners.min() and winners.max() < model.rows * model.cols
    with pytest.raises(ValueError, match="takes images of shape"):
        model.winners(x[:, :32])


@pytest.mark.e2e
def test_from_a_second_clone_through_a_local_remote_at_a_revision(smoke_repo, tmp_path):
    """The owner pushes one model; another clone, with an empty cache, loads it at a git revision."""
    source = copy_repo(smoke_repo, tmp_path / "source")
    run([DVC, "remote", "add", "-d", "-f", "store", str(tmp_path / "store")], source)
    commit(source, "a DVC remote")
    run([DVC, "push", "train@gan_mlp"], source)
    rev = run(["git", "rev-parse", "HEAD"], source).stdout.strip()
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", str(source), str(clone)], tmp_path)

    here = genzoo.load("gan_mlp", repo=source, rev=rev).sample(8, seed=5)
    there = genzoo.load("gan_mlp", repo=clone, rev=rev).sample(8, seed=5)
    np.testing.assert_array_equal(here, there)
    with pytest.raises(ZooError, match=r"models/dcgan of .* cannot be fetched .*`dvc push train@dcgan` in that "
                                       rf"repository\), then `dvc get .* models/dcgan --rev {rev}`"):
        genzoo.load("dcgan", repo=clone, rev=rev)

    # A registered version (a GTO tag, as `gto register` makes) is what `dvc artifacts get` fetches.
    run(["git", "tag", "-a", "gan_mlp@v1.0.0", "-m", "Registering artifact gan_mlp version v1.0.0"], clone)
    empty = tmp_path / "empty"
    empty.mkdir()
    run([DVC, "artifacts", "get", str(clone), "gan_mlp", "--rev", "v1.0.0", "-o", str(empty / "gan_mlp")], empty)
    assert sorted(p.name for p in (empty / "gan_mlp").iterdir()) == sorted(
        [files.DISCRIMINATOR, files.GENERATOR, files.INFO])


@pytest.mark.e2e
def test_the_command_line_draws_a_grid_png(smoke_repo, tmp_path):
    out = tmp_path / "grid.png"
    result = run([BIN / "python", "-m", "genzoo.sample", "dcgan", "--n", "16", "--out", out, "--scale", "1"], smoke_repo)
    assert "16 samples (seed 0)" in result.stdout
    from PIL import Image

    assert Image.open(out).size == (4 * (28 + 2) + 2, 4 * (28 + 2) + 2)  # 4 × 4 tiles, 2-pixel gaps
    refused = run([BIN / "python", "-m", "genzoo.sample", "mlp", "--out", out], smoke_repo, check=False)
    # The last line (TensorFlow may print its start-up lines before it).
    assert refused.returncode == 2 and refused.stderr.strip().splitlines()[-1].startswith("error: mlp does not generate images")
    assert "Traceback" not in refused.stderr
