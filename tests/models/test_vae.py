"""vae: shapes, the KL and ELBO against numpy, the IW bound's weights, fitting, the manifold, bad params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.config import ParamsError, chain_params, check_section, validate  # noqa: E402
from genzoo.families.vae.bounds import importance_weighted_bound, heldout_elbo  # noqa: E402
from genzoo.families.vae.figures import manifold, manifold_codes  # noqa: E402
from genzoo.families.vae.model import (  # noqa: E402
    elbo,
    kl_divergence,
    log_importance_weights,
    log_mean_exp,
    reconstruction_loss,
)
from genzoo.models import vae  # noqa: E402

SHAPE = (28, 28, 1)
PARAMS = {"family": "vae", "dataset": "mnist", "epochs": 1, "batch_size": 8, "hidden": 32,
          "learning_rate": 1e-3, "iw_samples": 4, "projection": "pca", "grid_every": 1, "latent_dim": 2}


@pytest.fixture
def batch():
    """A fixed batch of digit-like images: a bright bar at random rows on black."""
    rng = np.random.default_rng(0)
    images = np.zeros((16, *SHAPE), "float32")
    for image, row in zip(images, rng.integers(6, 20, 16)):
        image[row : row + 3, 6:22] = 1.0
    return images


def _np_bce_sum(x, p):
    x, p = x.reshape(len(x), -1), p.reshape(len(p), -1)
    return -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1)


def test_shapes_and_range(batch):
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, PARAMS | {"latent_dim": 3}, seed=0)
    z_mean, z_log_var = model.encoder(batch)
    assert z_mean.shape == (16, 3) and z_log_var.shape == (16, 3)
    assert model.decoder(z_mean).shape == (16, *SHAPE)
    out = np.asarray(model(batch))
    assert out.shape == (16, *SHAPE) and out.min() >= 0.0 and out.max() <= 1.0


def test_kl_is_exactly_zero_for_the_prior():
    zeros = np.zeros((5, 4), "float32")
    assert np.all(np.asarray(kl_divergence(zeros, zeros)) == 0.0)


def test_kl_matches_hand_computation():
    # KL(N(1, e) ‖ N(0, 1)) in one dimension = ½(σ² + μ² − 1 − ln σ²) = ½(e + 1 − 1 − 1).
    value = float(kl_divergence(np.array([[1.0]], "float32"), np.array([[1.0]], "float32"))[0])
    assert value == pytest.approx(0.5 * (np.e - 1.0), rel=1e-6)


def test_elbo_matches_numpy():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (3, 4, 4, 1)).astype("float32")
    x[0] = (x[0] > 0.5)  # binary and grey targets both
    logits = rng.normal(0, 2, (3, 4, 4, 1)).astype("float32")
    z_mean = rng.normal(0, 1, (3, 2)).astype("float32")
    z_log_var = rng.normal(0, 0.5, (3, 2)).astype("float32")
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    kl = 0.5 * (np.exp(z_log_var) + z_mean**2 - 1 - z_log_var).sum(axis=1)
    expected = -_np_bce_sum(x, p) - kl
    np.testing.assert_allclose(np.asarray(elbo(x, logits, z_mean, z_log_var)), expected, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(reconstruction_loss(x, logits)), _np_bce_sum(x, p), rtol=1e-5)


def test_importance_weights_reduce_to_the_likelihood_when_q_is_the_prior():
    # q = N(0, I) = p(z), so log p(z) − log q(z|x) = 0 and each weight is log p(x|z).
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 1, (2, 3, 3, 1)).astype("float32")
    logits = rng.normal(0, 1, (5, 2, 3, 3, 1)).astype("float32")
    z = rng.normal(0, 1, (5, 2, 4)).astype("float32")
    zeros = np.zeros((2, 4), "float32")
    weights = np.asarray(log_importance_weights(x, logits, z, zeros, zeros))
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = np.stack([-_np_bce_sum(x, p[i]) for i in range(5)])
    np.testing.assert_allclose(weights, expected, rtol=1e-5)


def test_log_mean_exp_matches_hand_computation():
    values = np.array([[0.0, 1000.0], [np.log(3.0), 1000.0]], "float32")
    out = np.asarray(log_mean_exp(values, axis=0))
    np.testing.assert_allclose(out, [np.log(2.0), 1000.0], rtol=1e-6)


def test_bounds_on_a_batch_are_ordered(batch):
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, PARAMS, seed=0)
    model.fit(batch, batch_size=8, epochs=3, verbose=0)
    parts = heldout_elbo(model.encoder, model.decoder, batch, seed=0)
    assert parts["elbo"] == pytest.approx(-parts["reconstruction"] - parts["kl"], rel=1e-6)
    assert parts["kl"] >= 0.0
    iw = importance_weighted_bound(model.encoder, model.decoder, batch, k=64, seed=0)
    assert np.isfinite(iw) and iw >= parts["elbo"] - 1.0  # tighter than the ELBO, up to noise


def test_one_fit_step_is_finite_with_a_short_last_batch(batch):
    # 13 images in batches of 8: the second batch has 5, and ε must follow that size.
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, PARAMS, seed=0)
    history = model.fit(batch[:13], batch_size=8, epochs=1, verbose=0)
    for name in ("loss", "reconstruction_loss", "kl_loss"):
        assert np.isfinite(history.history[name][-1]), name


def test_loss_falls_on_a_fixed_batch(batch):
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, PARAMS | {"learning_rate": 3e-3}, seed=0)
    history = model.fit(batch, batch_size=16, epochs=25, verbose=0, shuffle=False)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_manifold_is_20_by_20_digits():
    keras.utils.set_random_seed(0)
    decoder = vae.build_decoder(2, SHAPE, 8)
    picture = manifold(decoder)
    assert picture.shape == (20 * 28, 20 * 28, 1)
    codes = manifold_codes()
    assert codes.min() == -3.0 and codes.max() == 3.0
    assert tuple(codes[0]) == (-3.0, 3.0) and tuple(codes[-1]) == (3.0, -3.0)  # top-left to bottom-right


def test_manifold_needs_a_2d_latent():
    with pytest.raises(ValueError, match="2-D latent"):
        manifold(vae.build_decoder(3, SHAPE, 8))


SECTION = {k: v for k, v in PARAMS.items() if k not in ("family", "dataset", "latent_dim")}


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("latent_dims", [], "latent_dims"),
        ("latent_dims", [2, 2], "latent_dims"),
        ("latent_dims", [2, 0], r"latent_dims\[1\]"),
        ("projection", "umap", "projection.*'pca', 'tsne'"),
        ("iw_samples", 0, "iw_samples"),
    ],
)
def test_bad_params_name_the_key(key, value, message):
    section = SECTION | {"latent_dims": [2, 10], key: value}
    with pytest.raises(ParamsError, match=f"autoencoders.vae.{message}"):
        check_section("autoencoders.vae", section, vae.PARAMS)


def test_chain_settings_come_from_the_list():
    import yaml

    params = validate(yaml.safe_load(open("params.yaml")))
    name, section = chain_params(params, "vae", "2")
    assert name == "vae_2" and section["latent_dim"] == 2 and "latent_dims" not in section
    with pytest.raises(ParamsError, match="latent_dims has no entry '7'"):
        chain_params(params, "vae", "7")


def test_a_fanned_out_model_under_models_is_pointed_to_autoencoders():
    import yaml

    params = yaml.safe_load(open("params.yaml"))
    params["models"]["vae"] = params["autoencoders"]["vae"]
    with pytest.raises(ParamsError, match="models.vae is not a known model; allowed models: .*gan_mlp.*autoencoders"):
        validate(params)
