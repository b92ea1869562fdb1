"""Tiny params for every Keras classifier, and the tests each of them passes.

A model's test file subclasses ``ClassifierContract`` with its ``NAME`` (a key of ``PARAMS``),
so the checks are written once and every module still has its own file.
"""

import numpy as np
import pytest

from genzoo.models import REGISTRY
from genzoo.schema import ParamsError

from ._entries import check_entry

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


def fixed_batch():
    """32 fixed images of 4 classes, each class a bright bar at its own height."""
    rng = np.random.default_rng(0)
    labels = np.arange(32) % 4
    images = (rng.random((32, *SHAPE)) * 0.1).astype("float32")
    for image, label in zip(images, labels):
        image[4 + 5 * label : 8 + 5 * label, 4:24] = 1.0
    return images, labels


def inputs(name, images):
    """What the network takes: the images through the module's ``preprocess`` hook, if it has one."""
    preprocess = REGISTRY[name].HOOKS.preprocess
    return images if preprocess is None else preprocess(PARAMS[name])(images)[0]


def build(name, n_classes=10):
    import keras

    keras.utils.set_random_seed(0)
    return REGISTRY[name].build(SHAPE, n_classes, PARAMS[name], seed=0)


class ClassifierContract:
    """Logits out, one finite fit step, the loss falls on a fixed batch, a bad learning rate is refused.

    Subclasses set ``NAME`` (a key of ``PARAMS``).
    """

    NAME: str

    @pytest.fixture(scope="class")
    @classmethod
    def losses(cls):
        """The model fitted once on the fixed batch (MobileNetV2 takes long to trace), shared by the tests."""
        images, labels = fixed_batch()
        model = build(cls.NAME, n_classes=4)
        fitted = model.fit(inputs(cls.NAME, images), labels, batch_size=32, epochs=15, verbose=0, shuffle=False)
        return fitted.history["loss"]

    def test_outputs_one_logit_per_class(self):
        logits = build(self.NAME)(inputs(self.NAME, fixed_batch()[0][:5]), training=False)
        assert tuple(logits.shape) == (5, 10)
        # Logits, not probabilities: the softmax belongs to the loss.
        assert not np.allclose(np.sum(logits, axis=1), 1.0)

    def test_one_fit_step_is_finite(self, losses):
        assert np.isfinite(losses[0])

    def test_loss_falls_on_a_fixed_batch(self, losses):
        assert np.isfinite(losses).all()
        assert losses[-1] < 0.7 * losses[0], losses

    def test_the_tiny_params_are_a_valid_entry(self):
        check_entry(self.NAME, PARAMS[self.NAME], dataset="fashion_mnist")

    def test_bad_learning_rate_is_a_params_error(self):
        name = self.NAME
        with pytest.raises(ParamsError, match=rf"^models\.{name}\.learning_rate is -1\.0; it must be int or float \(>= 0\.0\)$"):
            check_entry(name, PARAMS[name] | {"learning_rate": -1.0}, dataset="fashion_mnist")
        with pytest.raises(ParamsError, match=rf"^models\.{name}\.epochs is True; it must be int \(>= 1\)$"):
            check_entry(name, PARAMS[name] | {"epochs": True}, dataset="fashion_mnist")
