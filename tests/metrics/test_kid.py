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
    kid_same = kernel_inception_distance(real, same)
    kid_shift = kernel_inception_distance(real, shifted)
    assert abs(kid_same["mmd2"]) < 3 * kid_same["standard_error"]
    assert kid_shift["mmd2"] > 10 * (abs(kid_same["mmd2"]) + kid_shift["standard_error"])


def test_the_estimate_uses_every_row_once():
    rng = np.random.default_rng(4)
    real, fake = rng.normal(size=(50, 3)), rng.normal(0.2, size=(40, 3))
    assert kernel_inception_distance(real, fake)["mmd2"] == pytest.approx(polynomial_mmd2_unbiased(real, fake))


def test_the_standard_error_is_the_two_sample_jackknife_worked_out_by_deletion():
    # Leave each real row out, then each fake row, recompute by the hand formula and take
    # the jackknife variance of each: (n - 1)/n · Σ (θ_i − θ̄)², summed over both samples.
    rng = np.random.default_rng(5)
    real, fake = rng.normal(size=(30, 2)), rng.normal(0.4, size=(25, 2))

    def variance(estimates):
        estimates = np.asarray(estimates)
        return (len(estimates) - 1) / len(estimates) * ((estimates - estimates.mean()) ** 2).sum()

    without_real = [polynomial_mmd2_unbiased(np.delete(real, i, axis=0), fake) for i in range(30)]
    without_fake = [polynomial_mmd2_unbiased(real, np.delete(fake, j, axis=0)) for j in range(25)]
    expected = np.sqrt(variance(without_real) + variance(without_fake))
    assert kernel_inception_distance(real, fake)["standard_error"] == pytest.approx(expected, rel=1e-9)


def test_the_standard_error_shrinks_as_one_over_root_n():
    # Distinct distributions, so the estimate is not degenerate and its spread is O(1/√n):
    # four times the rows, half the standard error.
    rng = np.random.default_rng(6)
    small = kernel_inception_distance(rng.normal(size=(250, 8)), rng.normal(0.3, size=(250, 8)))
    large = kernel_inception_distance(rng.normal(size=(1000, 8)), rng.normal(0.3, size=(1000, 8)))
    assert 1.6 < small["standard_error"] / large["standard_error"] < 2.5


def test_the_standard_error_matches_the_spread_over_independent_samples():
    rng = np.random.default_rng(7)
    runs = [kernel_inception_distance(rng.normal(size=(300, 4)), rng.normal(0.3, size=(300, 4))) for _ in range(30)]
    spread = np.std([r["mmd2"] for r in runs], ddof=1)
    assert 0.6 < np.mean([r["standard_error"] for r in runs]) / spread < 1.6


def _mmd2_biased(x, y):
    def k(a, b):
        return (a @ b.T / x.shape[1] + 1.0) ** 3

    # Plug-in (V-statistic) estimate: diagonals included.
    return k(x, x).mean() + k(y, y).mean() - 2.0 * k(x, y).mean()


def test_unbiased_where_plug_in_estimate_is_biased_upwards():
    # Many tiny samples from one distribution: the plug-in estimate keeps the diagonal
    # k(x_i, x_i) terms and is positive on average; the unbiased one averages to ~0.
    rng = np.random.default_rng(1)
    pool_x = rng.normal(size=(4000, 4))
    pool_y = rng.normal(size=(4000, 4))
    pairs = [(pool_x[i : i + 10], pool_y[i : i + 10]) for i in range(0, 4000, 10)]
    unbiased = np.array([kernel_inception_distance(x, y)["mmd2"] for x, y in pairs])
    biased = np.mean([_mmd2_biased(x, y) for x, y in pairs])
    standard_error = unbiased.std() / np.sqrt(len(unbiased))
    assert abs(unbiased.mean()) < 4 * standard_error
    assert biased > 0.1
    assert biased > unbiased.mean() + 10 * standard_error


def test_deterministic():
    rng = np.random.default_rng(2)
    real, fake = rng.normal(size=(30, 3)), rng.normal(size=(20, 3))
    assert kernel_inception_distance(real, fake) == kernel_inception_distance(real, fake)


def test_blocks_give_the_same_sums_as_one_matrix(monkeypatch):
    from genzoo.metrics import kid

    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(70, 3)), rng.normal(size=(50, 3))
    whole = kernel_inception_distance(real, fake)
    monkeypatch.setattr(kid, "_CHUNK", 16)
    blocked = kernel_inception_distance(real, fake)
    assert blocked["mmd2"] == pytest.approx(whole["mmd2"], rel=1e-12)
    assert blocked["standard_error"] == pytest.approx(whole["standard_error"], rel=1e-9)


def test_too_few_rows_for_the_jackknife_name_the_counts():
    with pytest.raises(ValueError, match="at least 3 rows per set, got 2 real and 5 fake"):
        kernel_inception_distance(np.zeros((2, 2)), np.zeros((5, 2)))


def test_bad_features_name_the_argument():
    with pytest.raises(ValueError, match="real_features"):
        kernel_inception_distance(np.zeros(5), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="fake_features"):
        kernel_inception_distance(np.zeros((5, 1)), np.full((5, 1), np.inf))
