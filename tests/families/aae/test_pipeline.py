"""The AAE stages called as (module, run), and the k-means purity of its codes."""

import json

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.families.aae import pipeline  # noqa: E402
from genzoo.families.aae.pipeline import code_purity  # noqa: E402
from genzoo.io import read_json  # noqa: E402
from genzoo.models import aae  # noqa: E402
from genzoo.headline import model_headline

from scoring._fixtures import EVALUATION, make_run  # noqa: E402

PARAMS = {"module": "aae", "family": "aae", "dataset": "mnist", "supervised": False, "epochs": 1, "batch_size": 20,
          "code_dim": 4, "hidden": 8, "disc_hidden": 8, "dropout": 0.1, "prior_std": 5.0, "learning_rate": 1e-3,
          "reg_lr_scale": 0.1, "projection": "pca"}


def test_code_purity_of_separated_clusters_is_one():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 20)
    codes = np.eye(10)[labels] * 50 + rng.normal(0, 0.1, (200, 10))
    assert code_purity(codes, labels, seed=0) == 1.0


@pytest.mark.parametrize("supervised", [False, True])
def test_train_sample_evaluate(digits, tmp_path, supervised):
    data, reference = digits
    run = make_run(tmp_path, "aae", PARAMS | {"supervised": supervised}, data, reference=reference)
    info = pipeline.train(aae, run)
    assert info["supervised"] is supervised and info["code_dim"] == 4 and info["n_train"] == 60
    assert sorted(p.name for p in run.trained.iterdir()) == sorted(
        [files.DECODER, files.DISCRIMINATOR, files.ENCODER, files.INFO])

    pipeline.sample(aae, run)
    assert sorted(p.name for p in run.figures.iterdir()) == [
        "prior_samples.png", "reconstructions.png", "scatter.png", "style_grid.png"]
    with np.load(run.samples / files.SAMPLES) as f:
        images, labels = f["images"], f["labels"]
    assert images.shape == (EVALUATION["n_samples"], 28, 28, 1) and images.min() >= 0.0 and images.max() <= 1.0
    assert labels.tolist() == [k % 10 for k in range(EVALUATION["n_samples"])]

    metrics = pipeline.evaluate(aae, run)
    assert json.loads(run.details.read_text()) == metrics
    assert json.loads(run.metrics.read_text()) == model_headline(metrics)
    assert metrics["supervised"] is supervised and metrics["n_test"] == 30
    assert metrics["reconstruction_bce"] > 0 and 0.0 < metrics["kmeans_purity"] <= 1.0
    # 784 pixels per image: nats per image = 784 × the mean BCE per pixel.
    assert metrics["reconstruction_nats_per_image"] == pytest.approx(784 * metrics["reconstruction_bce"], rel=1e-3)
    assert ("label_fidelity" in metrics) is supervised  # the evaluator reads back the label fed in
    if supervised:
        assert 0.0 <= metrics["label_fidelity"] <= 1.0
    assert set(metrics["precision"]) == {"value", "floor"}
    assert read_json(run.trained / files.INFO)["supervised"] is supervised
