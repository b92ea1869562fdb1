"""The VAE stages called as (module, run): train → sample (figures, samples, scatter) → evaluate (bounds)."""

import json

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.families.vae import pipeline  # noqa: E402
from genzoo.io import read_json  # noqa: E402
from genzoo.models import vae  # noqa: E402
from genzoo.headline import model_headline

from scoring._fixtures import EVALUATION, make_run  # noqa: E402

PARAMS = {"module": "vae", "family": "vae", "dataset": "mnist", "latent_dim": 2, "epochs": 1, "batch_size": 20,
          "hidden": 8, "learning_rate": 1e-3, "iw_samples": 3, "binarize": "none", "projection": "pca", "grid_every": 1}


def test_train_sample_evaluate_a_2d_latent(digits, tmp_path):
    data, reference = digits
    run = make_run(tmp_path, "vae_2", PARAMS, data, reference=reference)
    info = pipeline.train(vae, run)
    assert read_json(run.trained / files.INFO) == info
    assert info["model"] == "vae_2" and info["family"] == "vae" and info["latent_dim"] == 2 and info["n_train"] == 60
    assert {"loss", "reconstruction_loss", "kl_loss"} <= set(info["final"])
    assert (run.trained / files.ENCODER).is_file() and (run.trained / files.DECODER).is_file()

    pipeline.sample(vae, run)
    assert sorted(p.name for p in run.figures.iterdir()) == [
        "manifold.png", "prior_samples.png", "reconstructions.png", "scatter.png"]
    with np.load(run.samples / files.SAMPLES) as f:
        images = f["images"]
    assert images.shape == (EVALUATION["n_samples"], 28, 28, 1) and images.min() >= 0.0 and images.max() <= 1.0
    rows = read_json(run.samples / files.SCATTER)
    assert len(rows) == 30 and set(rows[0]) == {"x", "y", "label"}
    assert {row["label"] for row in rows} == {str(k) for k in range(10)}

    metrics = pipeline.evaluate(vae, run)
    assert json.loads(run.details.read_text()) == metrics
    assert json.loads(run.metrics.read_text()) == model_headline(metrics)
    assert metrics["latent_dim"] == 2 and metrics["n_test"] == 30 and metrics["iw_samples"] == 3
    for pixels in ("binarized", "grey"):
        elbo = metrics[f"test_elbo_{pixels}"]
        assert elbo == pytest.approx(-metrics[f"test_reconstruction_{pixels}"] - metrics[f"test_kl_{pixels}"], abs=2e-3)
        assert metrics[f"test_iw_bound_{pixels}"] >= elbo - 1.0
    assert "test_elbo" not in metrics and "test_iw_bound" not in metrics  # the ambiguous names are gone
    assert set(metrics["fid"]) == {"value", "floor"}


def test_a_larger_latent_has_no_manifold_and_a_projected_scatter(digits, tmp_path):
    data, reference = digits
    run = make_run(tmp_path, "vae_3", PARAMS | {"latent_dim": 3}, data, reference=reference)
    assert pipeline.train(vae, run)["latent_dim"] == 3
    pipeline.sample(vae, run)
    assert not (run.figures / "manifold.png").exists()
    assert len(read_json(run.samples / files.SCATTER)) == 30
