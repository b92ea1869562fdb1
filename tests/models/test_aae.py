"""aae: shapes and ranges, one fit step, the reconstruction falls, bad params, supervised or not."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.models import aae  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._autoencoder_cases import AAE_PARAMS as PARAMS  # noqa: E402
from ._autoencoder_cases import SHAPE, labelled_bars  # noqa: E402
from ._entries import check_entry  # noqa: E402


@pytest.fixture
def data():
    return labelled_bars()


@pytest.mark.parametrize("supervised", [False, True])
def test_shapes_and_range(data, supervised):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS | {"supervised": supervised}, seed=0)
    assert model.encoder(x).shape == (20, 10)
    assert model.decoder.input_shape == (None, 20 if supervised else 10)
    assert model.discriminator(model.encoder(x)).shape == (20, 1)
    out = np.asarray(model((x, y)))
    assert out.shape == (20, *SHAPE) and out.min() >= 0.0 and out.max() <= 1.0
    assert model.supervised is supervised


@pytest.mark.parametrize("supervised", [False, True])
def test_one_fit_step_is_finite_and_reconstruction_falls(data, supervised):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS | {"supervised": supervised}, seed=0)
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # 20 = 8 + 8 + 4: a short last batch
    for name in ("reconstruction_loss", "d_loss", "reg_loss"):
        assert np.isfinite(history.history[name][-1]), name
    history = model.fit(x, y, batch_size=20, epochs=40, verbose=0, shuffle=False)
    losses = history.history["reconstruction_loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_the_regularisation_step_has_its_own_slower_rate():
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS, seed=0)
    assert float(model.reg_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(model.ae_optimizer.learning_rate) == pytest.approx(1e-3)


@pytest.mark.parametrize("supervised", [False, True])
def test_an_aae_entry_validates_either_way(supervised):
    check_entry("aae", PARAMS | {"supervised": supervised}, name=f"aae_{'supervised' if supervised else 'unsupervised'}")


BAD = [
    # One entry per variant: `supervised` is a flag, neither a name nor a list of variants.
    ("supervised", "semi", r"supervised is 'semi' \(str\); it must be bool"),
    ("supervised", ["unsupervised", "supervised"], r"supervised is \['unsupervised', 'supervised'\] \(list\); it must be bool"),
    ("supervised", 1, r"supervised is 1 \(int\); it must be bool"),
    ("supervised", None, "supervised must be bool, not null"),
    ("dropout", 1.0, r"dropout is 1\.0; it must be int or float \(>= 0\.0, <= 0\.95\)"),
]


@pytest.mark.parametrize("key, value, message", BAD, ids=[f"{key}={value!r}" for key, value, _ in BAD])
def test_bad_params_name_the_key(key, value, message):
    with pytest.raises(ParamsError, match=rf"^models\.aae\.{message}$"):
        check_entry("aae", PARAMS | {key: value})


def test_the_old_variants_list_is_refused_as_an_unknown_key():
    with pytest.raises(ParamsError, match=r"^models\.aae\.variants is not a known key; allowed keys: module, family, dataset, seed, supervised, "):
        check_entry("aae", PARAMS | {"variants": ["unsupervised", "supervised"]})
