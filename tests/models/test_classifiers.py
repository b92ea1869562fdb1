"""The Keras classifiers, over the registry: logits shape, one finite fit step, loss falls, bad params."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.config import ParamsError, check_section  # noqa: E402
from genzoo.models import REGISTRY  # noqa: E402

SHAPE = (28, 28, 1)
# Tiny settings: the smallest MobileNetV2 at its smallest input, from scratch.
PARAMS = {
    "mlp": {"epochs": 1, "batch_size": 16, "learning_rate": 1e-3, "hidden": 32, "max_train": None},
    "lenet5": {"epochs": 1, "batch_size": 16, "learning_rate": 1e-3, "max_train": None},
    "mobilenet_v2": {"epochs": 1, "batch_size": 16, "learning_rate": 1e-3, "weights": "none",
                     "resolution": 32, "alpha": 0.35, "max_train": None},
    "cnn_best": {"epochs": 1, "batch_size": 16, "learning_rate": 1e-3, "width": 4, "dropout": 0.1,
                 "shift": 0.1, "max_train": None},
}
KERAS_MODELS = sorted(PARAMS)


def test_every_classifier_has_tiny_test_params():
    classifiers = {name for name, module in REGISTRY.items() if getattr(module, "FAMILY", None) == "classifier"}
    assert classifiers == set(KERAS_MODELS) | {"pyramid_svm"}


@pytest.fixture
def batch():
    """32 fixed images of 4 classes, each class a bright bar at its own height."""
    rng = np.random.default_rng(0)
    labels = np.arange(32) % 4
    images = (rng.random((32, *SHAPE)) * 0.1).astype("float32")
    for image, label in zip(images, labels):
        image[4 + 5 * label : 8 + 5 * label, 4:24] = 1.0
    return images, labels


def _inputs(name, images):
    module = REGISTRY[name]
    return module.preprocess(PARAMS[name])(images)[0] if hasattr(module, "preprocess") else images


def _build(name, n_classes=10):
    keras.utils.set_random_seed(0)
    return REGISTRY[name].build(SHAPE, n_classes, PARAMS[name], seed=0)


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_outputs_one_logit_per_class(name, batch):
    logits = _build(name)(_inputs(name, batch[0][:5]), training=False)
    assert tuple(logits.shape) == (5, 10)
    # Logits, not probabilities: the softmax belongs to the loss.
    assert not np.allclose(np.sum(logits, axis=1), 1.0)


@pytest.fixture(scope="module")
def histories():
    """Each model fitted once on the fixed batch (MobileNetV2 takes long to trace), shared by the tests."""
    cache = {}

    def history(name, batch):
        if name not in cache:
            model = _build(name, n_classes=4)
            fitted = model.fit(_inputs(name, batch[0]), batch[1], batch_size=32, epochs=15, verbose=0, shuffle=False)
            cache[name] = fitted.history["loss"]
        return cache[name]

    return history


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_one_fit_step_is_finite(name, batch, histories):
    assert np.isfinite(histories(name, batch)[0])


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_loss_falls_on_a_fixed_batch(name, batch, histories):
    losses = histories(name, batch)
    assert np.isfinite(losses).all()
    assert losses[-1] < 0.7 * losses[0], losses


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_laptop_profile_params_are_valid(name):
    import yaml

    params = yaml.safe_load(open("params.yaml"))["models"][name]
    params = {k: v for k, v in params.items() if k not in ("dataset", "family")}
    check_section(f"models.{name}", params, REGISTRY[name].PARAMS)


@pytest.mark.parametrize("name", KERAS_MODELS)
def test_bad_learning_rate_is_a_params_error(name):
    with pytest.raises(ParamsError, match=f"models.{name}.learning_rate"):
        check_section(f"models.{name}", PARAMS[name] | {"learning_rate": -1.0}, REGISTRY[name].PARAMS)
