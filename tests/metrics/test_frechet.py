"""Fréchet distance against hand-computed Gaussian statistics."""

from unittest import mock

import numpy as np
import pytest

from genzoo.metrics import frechet, frechet_distance, gaussian_stats


def test_identical_sets_give_zero():
    x = np.random.default_rng(0).normal(size=(200, 8))
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-6)


def test_one_dimensional_by_hand():
    # [0, 2]: mean 1, var (1 + 1) / 1 = 2.  [3, 7]: mean 5, var (4 + 4) / 1 = 8.
    # (1 - 5)^2 + (sqrt 2 - sqrt 8)^2 = 16 + 2 = 18.
    real = np.array([[0.0], [2.0]])
    fake = np.array([[3.0], [7.0]])
    assert frechet_distance(real, fake) == pytest.approx(18.0, rel=1e-9)


def test_diagonal_covariances_by_hand():
    # Corners of a square: mean 0, variances 4/3 (ddof=1), no correlation.
    # Scaling by 2 gives variances 16/3; shifting by (3, 4) moves the mean by 5.
    # 25 + 2 * (sqrt(4/3) - sqrt(16/3))^2 = 25 + 2 * 4/3 = 25 + 8/3.
    real = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    fake = 2.0 * real + np.array([3.0, 4.0])
    mu, sigma = gaussian_stats(real)
    np.testing.assert_allclose(mu, [0.0, 0.0])
    np.testing.assert_allclose(sigma, np.diag([4 / 3, 4 / 3]))
    assert frechet_distance(real, fake) == pytest.approx(25.0 + 8.0 / 3.0, rel=1e-9)


def test_shift_invariance_and_symmetry():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(300, 5))
    fake = rng.normal(loc=0.5, scale=1.5, size=(250, 5))
    base = frechet_distance(real, fake)
    shift = rng.normal(size=5) * 10
    assert frechet_distance(real + shift, fake + shift) == pytest.approx(base, rel=1e-6)
    assert frechet_distance(fake, real) == pytest.approx(base, rel=1e-6)


def test_non_finite_sqrtm_falls_back_to_eps_offset():
    real = np.array([[0.0], [2.0]])
    fake = np.array([[3.0], [7.0]])
    real_sqrtm = frechet.linalg.sqrtm
    calls = []

    def flaky_sqrtm(a):
        calls.append(a)
        return np.full_like(a, np.nan) if len(calls) == 1 else real_sqrtm(a)

    with mock.patch.object(frechet.linalg, "sqrtm", flaky_sqrtm):
        value = frechet_distance(real, fake, eps=1e-6)
    # The retry sees (S1 + eps I)(S2 + eps I); the answer moves by O(eps) only.
    assert len(calls) == 2
    np.testing.assert_allclose(calls[1], [[(2 + 1e-6) * (8 + 1e-6)]])
    assert value == pytest.approx(18.0, abs=1e-5)


@pytest.mark.parametrize(
    ("real", "fake", "name"),
    [
        (np.zeros(5), np.zeros((5, 1)), "real_features"),
        (np.zeros((5, 1)), np.array([[0.0], [np.nan]]), "fake_features"),
        (np.zeros((1, 3)), np.zeros((5, 3)), "real_features"),
        (np.zeros((5, 3)), np.zeros((5, 2)), "fake_features"),
    ],
)
def test_bad_inputs_name_the_argument(real, fake, name):
    with pytest.raises(ValueError, match=name):
        frechet_distance(real, fake)
