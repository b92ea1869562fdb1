"""The GAN stages called as (module, run): the training view of the data, then train → sample → evaluate."""

import dataclasses
import json

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.families.gan import pipeline  # noqa: E402
from genzoo.families.gan.pipeline import resized, training_images  # noqa: E402
from genzoo.io import read_json  # noqa: E402
from genzoo.models import gan_mlp  # noqa: E402
from genzoo.scoring.samples import NOT_APPLICABLE  # noqa: E402
from genzoo.subset import seeded_subset  # noqa: E402
from genzoo.headline import model_headline

from scoring._fixtures import EVALUATION, make_run, write_data, write_reference  # noqa: E402

GENERATION = ("fid", "kid", "kid_se", "precision", "recall", "density", "coverage")
PARAMS = {"module": "gan_mlp", "family": "gan", "dataset": "mnist", "epochs": 1, "batch_size": 16, "latent_dim": 4,
          "latent": "uniform", "hidden": 8, "d_learning_rate": 1e-3, "g_learning_rate": 1e-3, "beta_1": 0.5,
          "real_label": 1.0, "grid_every": 1}


def test_training_images_cap_and_resize():
    x = np.random.default_rng(0).random((10, 28, 28, 1)).astype("float32")
    assert training_images(x, {"max_train": None}, 0) is x
    capped = training_images(x, {"max_train": 4}, 0)
    assert capped.shape == (4, 28, 28, 1)
    assert all(any(np.array_equal(c, row) for row in x) for c in capped)
    resized_images = training_images(x, {"max_train": 4, "image_size": 64}, 0)
    assert resized_images.shape == (4, 64, 64, 1) and resized_images.min() >= 0.0 and resized_images.max() <= 1.0
    flat = training_images(np.full((2, 28, 28, 1), 0.5, "float32"), {"image_size": 64}, 0)
    np.testing.assert_allclose(flat, 0.5, atol=1e-5)


def test_the_cap_is_the_seeded_subset():
    x = np.arange(10, dtype="float32").reshape(10, 1, 1, 1)
    np.testing.assert_array_equal(training_images(x, {"max_train": 4}, 3), seeded_subset(x, 4, 3))
    assert not np.array_equal(training_images(x, {"max_train": 4}, 3), training_images(x, {"max_train": 4}, 4))


def test_resized_keeps_a_matching_size_and_clips_the_bicubic_overshoot():
    x = np.zeros((3, 8, 8, 1), "float32")
    x[:, ::2] = 1.0  # stripes: bicubic overshoots on them
    assert resized(x, None) is x and resized(x, 8) is x
    big = resized(x, 20)
    assert big.shape == (3, 20, 20, 1) and big.dtype == np.float32
    assert big.min() == 0.0 and big.max() == 1.0


@pytest.fixture(scope="module")
def faces(tmp_path_factory):
    """An unlabelled 16×16 'faces' dataset and its (rotation) reference directory."""
    tmp = tmp_path_factory.mktemp("faces")
    data = write_data(tmp / "data", labelled=False, size=16)
    write_reference(data, tmp / "reference", tmp / "reference.json")
    return data, tmp / "reference"


def test_train_sample_evaluate(digits, tmp_path):
    data, reference = digits
    run = make_run(tmp_path, "gan_mlp", PARAMS, data, reference=reference)
    info = pipeline.train(gan_mlp, run)
    assert sorted(p.name for p in run.trained.iterdir()) == sorted([files.DISCRIMINATOR, files.GENERATOR, files.INFO])
    assert read_json(run.trained / files.INFO) == info
    assert info["model"] == "gan_mlp" and info["family"] == "gan" and info["n_train"] == 60
    assert {k: info[k] for k in ("latent_dim", "latent", "pixel_range")} == {
        "latent_dim": 4, "latent": "uniform", "pixel_range": "sigmoid"}
    assert info["image_shape"] == [28, 28, 1] and info["device"] == "cpu" and info["epochs"] == 1
    assert np.isfinite(info["final"]["d_loss"]) and np.isfinite(info["final"]["g_loss"])
    assert list((run.live / "plots" / "images").rglob("epoch_0001.png"))  # the per-epoch grid

    pipeline.sample(gan_mlp, run)
    assert sorted(p.name for p in run.figures.iterdir()) == ["grid.png", "interpolation.png"]
    assert sorted(p.name for p in run.samples.iterdir()) == [files.SAMPLES]
    with np.load(run.samples / files.SAMPLES) as f:
        images = f["images"]
    assert images.shape == (EVALUATION["n_samples"], 28, 28, 1) and images.min() >= 0.0 and images.max() <= 1.0

    metrics = pipeline.evaluate(gan_mlp, run)
    assert json.loads(run.details.read_text()) == metrics
    assert json.loads(run.metrics.read_text()) == model_headline(metrics)
    assert metrics["model"] == "gan_mlp" and metrics["n_samples"] == EVALUATION["n_samples"]
    for name in GENERATION + ("classifier_score", "classes_covered"):
        assert set(metrics[name]) == {"value", "floor"}, name
    assert "memorisation" not in metrics


def test_samples_are_drawn_again_the_same_for_a_seed(digits, tmp_path):
    data, reference = digits
    first = make_run(tmp_path / "a", "gan_mlp", PARAMS, data, reference=reference)
    pipeline.train(gan_mlp, first)
    pipeline.sample(gan_mlp, first)
    second = dataclasses.replace(first, samples=tmp_path / "b" / "samples", figures=tmp_path / "b" / "figures")
    pipeline.sample(gan_mlp, second)
    with np.load(first.samples / files.SAMPLES) as a, np.load(second.samples / files.SAMPLES) as b:
        np.testing.assert_array_equal(a["images"], b["images"])


def test_faces_add_the_memorisation_check(faces, tmp_path):
    data, reference = faces
    run = make_run(tmp_path, "gan_faces", PARAMS | {"dataset": "faces"}, data, reference=reference)
    pipeline.train(gan_mlp, run)
    pipeline.sample(gan_mlp, run)
    assert (run.figures / "memorisation.png").is_file()
    check = read_json(run.samples / files.MEMORISATION)
    assert set(check) == {"generated_to_train_median", "test_to_train_median", "ratio"}
    metrics = pipeline.evaluate(gan_mlp, run)
    assert metrics["memorisation"] == check
    assert metrics["memorisation_ratio"] == {"value": check["ratio"], "floor": 1.0}
    assert metrics["classifier_score"] == NOT_APPLICABLE
    assert read_json(run.details) == metrics  # rewritten with the check
    assert read_json(run.metrics) == model_headline(metrics)
