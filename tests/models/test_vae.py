"""vae: shapes and ranges, one fit step, the loss falls, bad params, one entry per latent size."""

from pathlib import Path

import numpy as np
import pytest
import yaml

keras = pytest.importorskip("keras")

from genzoo.models import vae  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._autoencoder_cases import SHAPE, bar_batch  # noqa: E402
from ._autoencoder_cases import VAE_PARAMS as PARAMS  # noqa: E402
from ._entries import check_entry  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def batch():
    return bar_batch()


def test_shapes_and_range(batch):
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, None, PARAMS | {"latent_dim": 3}, seed=0)
    z_mean, z_log_var = model.encoder(batch)
    assert z_mean.shape == (16, 3) and z_log_var.shape == (16, 3)
    assert model.decoder(z_mean).shape == (16, *SHAPE)
    out = np.asarray(model(batch))
    assert out.shape == (16, *SHAPE) and out.min() >= 0.0 and out.max() <= 1.0
    assert model.latent_dim == 3


def test_one_fit_step_is_finite_with_a_short_last_batch(batch):
    # 13 images in batches of 8: the second batch has 5, and ε must follow that size.
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, None, PARAMS, seed=0)
    history = model.fit(batch[:13], batch_size=8, epochs=1, verbose=0)
    for name in ("loss", "reconstruction_loss", "kl_loss"):
        assert np.isfinite(history.history[name][-1]), name


def test_dynamic_binarization_trains_on_fresh_binary_pixels(batch, monkeypatch):
    """One fit step on grey digits: finite losses, and the batch the loss sees is {0, 1}."""
    from genzoo.families.vae import model as vae_model

    seen = []

    def spy(probabilities, seed):
        pixels = bernoulli_sample(probabilities, seed)
        seen.append(np.asarray(pixels))
        return pixels

    bernoulli_sample = vae_model.bernoulli_sample
    monkeypatch.setattr(vae_model, "bernoulli_sample", spy)
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, None, PARAMS | {"binarize": "dynamic"}, seed=0)
    model.run_eagerly = True  # so the spy sees the batch's values, not a traced tensor
    grey = 0.5 * np.repeat(batch[:1], 8, axis=0)  # two batches of one grey digit
    history = model.fit(grey, batch_size=4, epochs=1, verbose=0)
    for name in ("loss", "reconstruction_loss", "kl_loss"):
        assert np.isfinite(history.history[name][-1]), name
    assert len(seen) == 2 and all(set(np.unique(pixels)) <= {0.0, 1.0} for pixels in seen)
    assert not np.array_equal(seen[0], seen[1])  # a new draw per batch


def test_no_binarization_trains_on_the_grey_levels(batch):
    assert not vae.build(SHAPE, None, PARAMS, seed=0).dynamic_binarization


def test_loss_falls_on_a_fixed_batch(batch):
    keras.utils.set_random_seed(0)
    model = vae.build(SHAPE, None, PARAMS | {"learning_rate": 3e-3}, seed=0)
    history = model.fit(batch, batch_size=16, epochs=25, verbose=0, shuffle=False)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_a_vae_entry_validates_with_its_latent_dim():
    check_entry("vae", PARAMS, name="vae_2")
    check_entry("vae", PARAMS | {"latent_dim": 20}, name="vae_20")


BAD = [
    # One entry per latent size: the list of sizes the old fan-out took is no longer a key.
    ("latent_dim", [2, 10], r"latent_dim is \[2, 10\] \(list\); it must be int \(>= 1\)"),
    ("latent_dim", 0, r"latent_dim is 0; it must be int \(>= 1\)"),
    ("latent_dim", None, r"latent_dim must be int \(>= 1\), not null"),
    ("projection", "umap", "projection is 'umap'; allowed values: 'pca', 'tsne'"),
    ("iw_samples", 0, r"iw_samples is 0; it must be int \(>= 1\)"),
    ("binarize", "static", "binarize is 'static'; allowed values: 'dynamic', 'none'"),
    ("binarize", True, "binarize is True; allowed values: 'dynamic', 'none'"),
]


@pytest.mark.parametrize("key, value, message", BAD, ids=[f"{key}={value!r}" for key, value, _ in BAD])
def test_bad_params_name_the_key(key, value, message):
    with pytest.raises(ParamsError, match=rf"^models\.vae_2\.{message}$"):
        check_entry("vae", PARAMS | {key: value}, name="vae_2")


def test_the_fanned_out_list_of_latent_sizes_is_refused_as_an_unknown_key():
    section = {k: v for k, v in PARAMS.items() if k != "latent_dim"} | {"latent_dims": [2, 10]}
    with pytest.raises(ParamsError, match=r"^models\.vae\.latent_dims is not a known key; allowed keys: module, family, dataset, seed, latent_dim, "):
        check_entry("vae", section)


def test_each_laptop_profile_entry_builds_its_own_latent_size():
    entries = yaml.safe_load((ROOT / "params.yaml").read_text())["models"]
    sizes = {name: entry["latent_dim"] for name, entry in entries.items() if entry["module"] == "vae"}
    assert sizes and all(isinstance(size, int) for size in sizes.values())
    assert len(set(sizes.values())) == len(sizes)  # one entry per size
    for name, size in sizes.items():
        check_entry("vae", {k: v for k, v in entries[name].items() if k not in ("module", "family", "dataset")},
                    name=name)
        keras.utils.set_random_seed(0)
        model = vae.build(SHAPE, None, entries[name] | {"hidden": 4}, seed=0)
        assert model.latent_dim == size and model.encoder.output[0].shape[-1] == size
