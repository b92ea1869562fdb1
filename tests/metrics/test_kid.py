"""Kernel Inception Distance against the kernel formula worked by hand."""

import numpy as np
import pytest

from genzoo.metrics import kernel_inception_distance, polynomial_mmd2_unbiased


def test_two_point_example_by_hand():
    # d = 1, k(a, b) = (a b + 1)^3.  x = {0, 1}, y = {1, 2}.
    # Kxx off-diagonal: k(0, 1) = 1.  Kyy off-diagonal: k(1, 2) = 27.
    # Kxy: k(0,1) = 1, k(0,2) = 1, k(1,1) = 8, k(1,2) = 27 -> mean 37/4.
    # MMD^2 = 1 + 27 - 2 * 37/4 = 9.5.
    x = np.array([[0.0], [1.0]])
    y = np.array([[1.0], [2.0]])
    assert polynomial_mmd2_unbiased(x, y) == pytest.approx(9.5)


def test_three_point_two_dimensional_example_by_hand():
    # d = 2, k(a, b) = (a.b / 2 + 1)^3.
    # x = {(0,0), (2,0), (0,2)}: off-diagonal dots are 0 except none -> all k = 1, mean 1.
    # y = {(2,2), (0,0)}: off-diagonal dot 0 -> k = 1, mean 1.
    # Kxy rows: (0,0)->[1, 1]; (2,0)->[(2+1)^3 = 27, 1]; (0,2)->[27, 1]; mean 58/6.
    # MMD^2 = 1 + 1 - 2 * 58/6 = 2 - 58/3.
    x = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    y = np.array([[2.0, 2.0], [0.0, 0.0]])
    assert polynomial_mmd2_unbiased(x, y) == pytest.approx(2.0 - 58.0 / 3.0)


def test_same_distribution_is_near_zero_and_shifted_is_positive():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(2000, 16))
    same = rng.normal(size=(2000, 16))
    shifted = rng.normal(loc=0.5, size=(2000, 16))
    kid_same = kernel_inception_distance(real, same, n_subsets=5, subset_size=1000)
    kid_shift = kernel_inception_distance(real, shifted, n_subsets=5, subset_size=1000)
    assert abs(kid_same["mean"]) < 0.01
    assert kid_shift["mean"] > 10 * (abs(kid_same["mean"]) + kid_same["std"])


def _mmd2_biased(x, y):
    def k(a, b):
        return (a @ b.T / x.shape[1] + 1.0) ** 3

    # Plug-in (V-statistic) estimate: diagonals included.
    return k(x, x).mean() + k(y, y).mean() - 2.0 * k(x, y).mean()


def test_unbiased_where_plug_in_estimate_is_biased_upwards():
    # Many tiny subsets from one distribution: the plug-in estimate keeps the diagonal
    # k(x_i, x_i) terms and is positive on average; the unbiased one averages to ~0.
    rng = np.random.default_rng(1)
    pool_x = rng.normal(size=(4000, 4))
    pool_y = rng.normal(size=(4000, 4))
    kid = kernel_inception_distance(pool_x, pool_y, n_subsets=400, subset_size=10, seed=3)
    biased = np.mean(
        [_mmd2_biased(pool_x[i : i + 10], pool_y[i : i + 10]) for i in range(0, 4000, 10)]
    )
    standard_error = kid["std"] / np.sqrt(400)
    assert abs(kid["mean"]) < 4 * standard_error
    assert biased > 0.1
    assert biased > kid["mean"] + 10 * standard_error


def test_seeded_and_subset_size_clipped():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(30, 3))
    fake = rng.normal(size=(20, 3))
    a = kernel_inception_distance(real, fake, n_subsets=3, subset_size=1000, seed=7)
    b = kernel_inception_distance(real, fake, n_subsets=3, subset_size=1000, seed=7)
    assert a == b
    # subset_size is clipped to min(30, 20) = 20, so it draws exactly what 20 would.
    assert a == kernel_inception_distance(real, fake, n_subsets=3, subset_size=20, seed=7)
    assert a != kernel_inception_distance(real, fake, n_subsets=3, subset_size=20, seed=8)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n_subsets": 0}, "n_subsets"), ({"subset_size": 1}, "subset_size")],
)
def test_bad_arguments_name_the_argument(kwargs, name):
    x = np.zeros((5, 2))
    with pytest.raises(ValueError, match=name):
        kernel_inception_distance(x, x, **kwargs)


def test_bad_features_name_the_argument():
    with pytest.raises(ValueError, match="real_features"):
        kernel_inception_distance(np.zeros(5), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="fake_features"):
        kernel_inception_distance(np.zeros((5, 1)), np.full((5, 1), np.inf))
