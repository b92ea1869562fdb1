"""A one-vs-rest linear SVM (squared hinge, L2) solved in the primal by L-BFGS on dense BLAS.

The same model and objective as scikit-learn's ``LinearSVC(loss="squared_hinge", dual=False)``:
for each class k, with targets t = ±1,

    ½ (‖w_k‖² + b_k²) + C Σ_i max(0, 1 − t_ik (w_k·x_i + b_k))²

(liblinear regularises the intercept too: it is the weight of a constant feature 1). liblinear
solves it one class at a time in sparse, single-threaded code: 25 s for the pyramid features
of 4,000 images, growing with their number. Here the ten classes are one matrix problem, and
each objective and gradient is two matrix products, so it runs on every core. Being convex,
both find the same optimum (tested).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model._base import LinearClassifierMixin


def squared_hinge_objective(weights: np.ndarray, x: np.ndarray, targets: np.ndarray, C: float):
    """The summed one-vs-rest objective and its gradient.

    Args:
        weights: (D + 1, K), the last row the intercepts.
        x: (N, D + 1) features with a trailing column of ones.
        targets: (N, K) of ±1.
    """
    # The products run in x's precision (float32 halves their time); the sums in float64.
    margins = np.maximum(0.0, 1.0 - targets * (x @ weights.astype(x.dtype)))
    value = 0.5 * np.sum(weights * weights) + C * np.sum(margins * margins, dtype=np.float64)
    gradient = weights - 2.0 * C * (x.T @ (targets * margins)).astype(np.float64)
    return float(value), gradient


class PrimalLinearSVC(LinearClassifierMixin, BaseEstimator):
    """``coef_`` (K, D), ``intercept_`` (K,) and ``classes_`` as in ``LinearSVC``, so it predicts
    and scores like one. It has converged when the largest gradient entry is ``tol`` times its
    value at w = 0 or less; ``max_iter`` bounds the L-BFGS iterations, and stopping short warns
    with ``ConvergenceWarning``, as liblinear does."""

    def __init__(self, C: float = 1.0, max_iter: int = 1000, tol: float = 1e-4):
        self.C = C
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, x: np.ndarray, y: np.ndarray) -> "PrimalLinearSVC":
        x = np.asarray(x, dtype=np.float32)
        self.classes_, labels = np.unique(np.asarray(y), return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"an SVM needs at least 2 classes in the training labels, got {len(self.classes_)}")
        augmented = np.hstack([x, np.ones((len(x), 1), np.float32)])
        targets = np.where(np.eye(len(self.classes_))[labels] > 0, 1.0, -1.0).astype(np.float32)
        if len(self.classes_) == 2:
            targets = targets[:, 1:]  # one decision function, positive for the second class, as liblinear
        shape = (augmented.shape[1], targets.shape[1])

        def objective(flat):
            value, gradient = squared_hinge_objective(flat.reshape(shape), augmented, targets, self.C)
            return value, gradient.ravel()

        start = np.zeros(np.prod(shape))
        # liblinear's stopping rule: the gradient shrunk by ``tol`` from its value at w = 0.
        # An absolute one would ask float32 products for more digits than they hold.
        gtol = self.tol * np.abs(objective(start)[1]).max()
        result = minimize(objective, start, jac=True, method="L-BFGS-B",
                          options={"maxiter": self.max_iter, "gtol": gtol, "ftol": 0.0})
        if np.abs(result.jac).max() > gtol:
            warnings.warn(f"L-BFGS stopped after {result.nit} iterations without converging "
                          f"({result.message}); raise max_iter", ConvergenceWarning, stacklevel=2)
        weights = result.x.reshape(shape)
        self.coef_, self.intercept_ = weights[:-1].T.copy(), weights[-1].copy()
        self.n_iter_ = int(result.nit)
        self.n_features_in_ = x.shape[1]
        return self
