"""Seeded subsets: sorted, without repeats, deterministic, all rows when there are few, the old draw."""

import numpy as np
import pytest

from genzoo.subset import seeded_indices, seeded_subset


@pytest.mark.parametrize("n, k, seed", [(10, 3, 0), (100, 40, 7), (5000, 1000, 1), (2, 1, 3)])
def test_indices_are_the_draw_the_metrics_always_used(n, k, seed):
    # Changing this draw would change every reference set and floor: the metrics must stay identical.
    expected = np.sort(np.random.default_rng(seed).choice(n, k, replace=False))
    np.testing.assert_array_equal(seeded_indices(n, k, seed), expected)


def test_indices_are_sorted_distinct_in_range_and_int64():
    indices = seeded_indices(1000, 300, 5)
    assert indices.dtype == np.int64 and len(indices) == 300
    assert (np.diff(indices) > 0).all()  # sorted, hence no repeats
    assert indices.min() >= 0 and indices.max() < 1000


def test_indices_are_deterministic_per_seed():
    np.testing.assert_array_equal(seeded_indices(100, 10, 1), seeded_indices(100, 10, 1))
    assert not np.array_equal(seeded_indices(100, 10, 1), seeded_indices(100, 10, 2))


@pytest.mark.parametrize("k", [None, 10, 11, 1000])
def test_all_indices_when_k_is_none_or_at_least_n(k):
    indices = seeded_indices(10, k, 0)
    np.testing.assert_array_equal(indices, np.arange(10))
    assert indices.dtype == np.int64


def test_subset_is_the_rows_at_the_indices_in_their_order():
    x = np.arange(50 * 2).reshape(50, 2)
    subset = seeded_subset(x, 7, 4)
    np.testing.assert_array_equal(subset, x[seeded_indices(50, 7, 4)])
    assert (np.diff(subset[:, 0]) > 0).all()  # the data's own order is kept


@pytest.mark.parametrize("k", [None, 50, 60])
def test_subset_of_enough_rows_is_the_array_itself(k):
    x = np.zeros((50, 3))
    assert seeded_subset(x, k, 0) is x
