"""pyramid_svm: feature length and determinism, vectorised = one image at a time, a fit that learns."""

import numpy as np
import pytest

from genzoo.config import ParamsError, check_section
from genzoo.models import pyramid_svm
from genzoo.models.pyramid_svm import pyramid_features

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


def test_bad_c_is_a_params_error():
    with pytest.raises(ParamsError, match="models.pyramid_svm.C"):
        check_section("models.pyramid_svm", PARAMS | {"C": "one"}, pyramid_svm.PARAMS)
