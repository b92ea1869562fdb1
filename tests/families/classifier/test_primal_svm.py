"""PrimalLinearSVC: liblinear's optimum, its objective by hand, the convergence warning, bad labels."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

from genzoo.families.classifier.primal_svm import PrimalLinearSVC, squared_hinge_objective


def _blobs(n=300, d=20, k=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    centres = rng.normal(size=(k, d))
    return (centres[y] + rng.normal(scale=1.5, size=(n, d))).astype(np.float32), y


@pytest.mark.parametrize("k", [2, 3])
def test_it_finds_liblinears_optimum(k):
    # The same convex objective as LinearSVC(squared hinge, primal): the same weights.
    x, y = _blobs(k=k)
    ours = PrimalLinearSVC(C=0.1, max_iter=5000, tol=1e-7).fit(x, y)
    liblinear = LinearSVC(C=0.1, dual=False, tol=1e-10, max_iter=100000).fit(x, y)
    np.testing.assert_allclose(ours.coef_, liblinear.coef_, atol=2e-4)
    np.testing.assert_allclose(ours.intercept_, liblinear.intercept_, atol=2e-4)
    assert (ours.predict(x) == liblinear.predict(x)).all()
    assert ours.decision_function(x).shape == ((300,) if k == 2 else (300, k))


def test_the_objective_and_gradient_by_hand():
    # One class, two images, w = (1, 0), b = 0.5, C = 2.
    x = np.array([[1.0, 2.0, 1.0], [0.0, 1.0, 1.0]], np.float32)  # trailing ones: the intercept's feature
    targets = np.array([[1.0], [-1.0]], np.float32)
    weights = np.array([[1.0], [0.0], [0.5]])
    # scores 1.5 and 0.5; margins max(0, 1 − 1.5) = 0 and max(0, 1 + 0.5) = 1.5
    value, gradient = squared_hinge_objective(weights, x, targets, C=2.0)
    assert value == pytest.approx(0.5 * (1 + 0.25) + 2 * 1.5**2)
    # w − 2C Σ t m x = w − 4 · (−1 · 1.5 · x₂) = w + 6 x₂
    np.testing.assert_allclose(gradient[:, 0], [1.0, 6.0, 0.5 + 6.0])


def test_the_gradient_matches_finite_differences():
    x, y = _blobs(n=40, d=5)
    augmented = np.hstack([x, np.ones((40, 1), np.float32)]).astype(np.float64)
    targets = np.where(np.eye(3)[y] > 0, 1.0, -1.0)
    weights = np.random.default_rng(1).normal(size=(6, 3)) * 0.1
    _, gradient = squared_hinge_objective(weights, augmented, targets, C=0.5)
    step = 1e-6
    for index in [(0, 0), (3, 1), (5, 2)]:
        shifted = weights.copy()
        shifted[index] += step
        numeric = (squared_hinge_objective(shifted, augmented, targets, 0.5)[0]
                   - squared_hinge_objective(weights, augmented, targets, 0.5)[0]) / step
        assert numeric == pytest.approx(gradient[index], rel=1e-3)


def test_stopping_at_max_iter_warns_like_liblinear():
    x, y = _blobs()
    with pytest.warns(ConvergenceWarning, match="raise max_iter"):
        PrimalLinearSVC(C=10.0, max_iter=2).fit(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert PrimalLinearSVC(C=0.1, max_iter=1000).fit(x, y).n_iter_ < 1000


def test_one_class_is_refused():
    x, _ = _blobs()
    with pytest.raises(ValueError, match="at least 2 classes"):
        PrimalLinearSVC().fit(x, np.zeros(len(x)))
