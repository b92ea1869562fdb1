"""pyramid_svm: feature length and determinism, vectorised = one image at a time, a fit that learns, bad params."""

import warnings

import numpy as np
import pytest

from genzoo.models import pyramid_svm
from genzoo.models.pyramid_svm import pyramid_features
from genzoo.schema import ParamsError

from ._entries import check_entry

PARAMS = {"C": 1.0, "max_iter": 1000, "chunk": 7, "max_train": None}


def _images(n, seed=0):
    return np.random.default_rng(seed).random((n, 28, 28, 1)).astype("float32")


def test_feature_length_is_the_sum_of_the_level_sizes():
    # 28 → 14 → 7 → 4 → 2 → 1 (each level halves, rounding up, until one pixel is left).
    assert pyramid_features(_images(3)).shape == (3, 28**2 + 14**2 + 7**2 + 4**2 + 2**2 + 1**2)


def test_features_are_deterministic_and_chunking_does_not_change_them():
    images = _images(20)
    np.testing.assert_array_equal(pyramid_features(images, chunk=7), pyramid_features(images, chunk=20))
    np.testing.assert_array_equal(pyramid_features(images), pyramid_features(images))


def test_features_computed_in_parallel_equal_one_process():
    images = _images(30)
    np.testing.assert_array_equal(pyramid_features(images, chunk=7, n_jobs=2, progress=False),
                                  pyramid_features(images, chunk=7, n_jobs=1, progress=False))


def test_standardised_features_have_zero_mean_and_unit_variance_on_the_training_set():
    images, labels = _three_classes()
    model = pyramid_svm.build((28, 28, 1), 3, PARAMS, seed=0).fit(images, labels)
    standardised = model[:2].transform(images)
    varying = model[1].var_ > 0  # constant features stay 0
    np.testing.assert_allclose(standardised.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(standardised[:, varying].std(axis=0), 1, rtol=1e-4)


def test_vectorised_features_equal_one_image_at_a_time():
    from skimage.transform import pyramid_gaussian

    images = _images(4)
    one_by_one = [np.concatenate([level.ravel() for level in pyramid_gaussian(image[..., 0])]) for image in images]
    np.testing.assert_allclose(pyramid_features(images), np.stack(one_by_one), atol=1e-6)
    # The first level is the image itself.
    np.testing.assert_array_equal(pyramid_features(images)[:, :784], images.reshape(4, -1))


def test_pipeline_separates_two_easy_classes():
    images = _images(40) * 0.2
    labels = np.arange(40) % 2
    images[labels == 1, 10:18, 10:18] = 1.0  # class 1: a bright square
    model = pyramid_svm.build((28, 28, 1), 2, PARAMS, seed=0).fit(images, labels)
    assert (model.predict(images) == labels).all()


def test_rejects_colour_images():
    with pytest.raises(ValueError, match="grayscale"):
        pyramid_features(np.zeros((2, 28, 28, 3), "float32"))


def _three_classes(n=60):
    images = _images(n) * 0.2
    labels = np.arange(n) % 3
    images[labels == 1, 10:18, 10:18] = 1.0  # a bright square
    images[labels == 2, 2:8, :] = 1.0  # a bright band at the top
    return images, labels


def _fit(max_iter):
    images, labels = _three_classes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one liblinear pass does not converge, and says so
        return pyramid_svm.build((28, 28, 1), 3, PARAMS | {"max_iter": max_iter}, seed=0).fit(images, labels)


def _primal_objective(model, images, labels):
    """Σ over the one-vs-rest SVMs of ½‖w‖² + ½b² + C·Σ hinge² (liblinear regularises the intercept too)."""
    svm = model[-1]
    scores = svm.decision_function(model[:-1].transform(images))
    targets = np.where(np.eye(3)[labels] > 0, 1.0, -1.0)
    hinge = (np.maximum(0.0, 1.0 - targets * scores) ** 2).sum(axis=0)
    return float((0.5 * (svm.coef_**2).sum(axis=1) + 0.5 * svm.intercept_**2 + PARAMS["C"] * hinge).sum())


def test_decision_values_have_one_column_per_class_and_predictions_are_classes():
    images, labels = _three_classes()
    model = _fit(1000)
    scores = model.decision_function(images)
    assert scores.shape == (60, 3) and np.isfinite(scores).all()
    assert set(model.predict(images).tolist()) <= {0, 1, 2}


def test_one_pass_gives_finite_scores():
    images, labels = _three_classes()
    model = _fit(1)
    assert np.isfinite(model.decision_function(images)).all()
    assert np.isfinite(_primal_objective(model, images, labels))


def test_the_svm_objective_falls_with_more_passes():
    images, labels = _three_classes()
    one, many = _primal_objective(_fit(1), images, labels), _primal_objective(_fit(1000), images, labels)
    assert many < 0.5 * one


BAD = [
    ("C", "one", r"C is 'one' \(str\); it must be int or float \(>= 0\.0\)"),
    ("C", -1.0, r"C is -1\.0; it must be int or float \(>= 0\.0\)"),
    ("max_iter", 0, r"max_iter is 0; it must be int \(>= 1\)"),
    ("chunk", 2.5, r"chunk is 2\.5 \(float\); it must be int \(>= 1\)"),
]


@pytest.mark.parametrize("key, value, message", BAD, ids=[f"{key}={value!r}" for key, value, _ in BAD])
def test_bad_values_are_params_errors(key, value, message):
    with pytest.raises(ParamsError, match=f"models.pyramid_svm.{key}"):
        check_entry("pyramid_svm", PARAMS | {key: value}, dataset="fashion_mnist")
    with pytest.raises(ParamsError, match=rf"^models\.pyramid_svm\.{message}$"):
        check_entry("pyramid_svm", PARAMS | {key: value}, dataset="fashion_mnist")
