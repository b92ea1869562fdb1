"""The self-organising map: winner, neighbourhood, training, errors against MiniSom, figures' inputs."""

import math

import numpy as np
import pytest
import tensorflow as tf
from minisom import MiniSom

from genzoo.families.som import kohonen as som

FAST = {"rows": 4, "cols": 4, "adjust_iterations": 4, "converge_iterations": 2, "tau": 2.0, "log_every": 2}


@pytest.fixture(scope="module")
def clusters():
    """60 samples around 3 centres in 16-d."""
    rng = np.random.default_rng(7)
    centres = rng.normal(0.0, 1.0, size=(3, 16))
    return (np.repeat(centres, 20, axis=0) + rng.normal(0.0, 0.1, size=(60, 16))).astype(np.float32)


@pytest.fixture(scope="module")
def trained(clusters):
    return som.train_som(clusters, seed=0, **FAST)


def test_the_winner_is_the_nearest_unit_not_the_farthest():
    weights = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]])
    assert som.best_matching_unit(weights, np.array([0.9, 0.1])) == 1
    assert som.best_matching_unit(weights, np.array([0.9, 0.1])) != 2  # the argmax of distance
    np.testing.assert_array_equal(som.best_matching_unit(weights, np.array([[0.1, 0.0], [4.0, 6.0]])), [0, 2])


def test_neighbourhood_on_a_3x3_grid_matches_hand_computation():
    d2 = som.grid_squared_distances(3, 3)
    assert d2[0, 4] == 2 and d2[0, 8] == 8 and d2[1, 7] == 4
    h = som.neighbourhood(d2, 4, sigma=1.0)  # centre wins
    expected = np.exp(-np.array([2, 1, 2, 1, 0, 1, 2, 1, 2]) / 2.0)
    np.testing.assert_allclose(h, expected, rtol=1e-6)
    assert h[0] == pytest.approx(math.exp(-1.0))
    np.testing.assert_allclose(som.neighbourhood(d2, 0, sigma=1.0)[8], math.exp(-4.0), rtol=1e-6)


def test_schedule_decays_then_holds():
    rates = {"adjust_iterations": 500, "eta0": 1.0, "sigma0": 3.0, "tau": 100.0, "converge_eta": 0.2, "converge_sigma": 1.0}
    assert som.schedule(0, **rates) == (1.0, 3.0)
    eta, sigma = som.schedule(100, **rates)
    assert eta == pytest.approx(math.exp(-1.0)) and sigma == pytest.approx(3.0 * math.exp(-1.0))
    assert som.schedule(500, **rates) == (0.2, 1.0)


def test_one_pass_applies_the_per_sample_rule(clusters):
    """The fused update equals w ← w + η·h(bmu)·(x − w), renormalised, one sample at a time."""
    x = som.unit_norm(clusters[:10])
    w = som.initial_weights(9, 16, seed=3)
    d2 = som.grid_squared_distances(3, 3)
    eta, sigma = 0.5, 1.0
    expected = w.astype(np.float64)
    for xi in x.astype(np.float64):
        bmu = np.argmin(np.linalg.norm(expected - xi, axis=1))
        h = np.exp(-d2[bmu] / (2 * sigma**2))
        expected = expected + eta * h[:, None] * (xi - expected)
        expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    got = som._epoch(tf.constant(w), tf.constant(x), tf.constant(d2), tf.constant(eta), tf.constant(sigma))
    np.testing.assert_allclose(got.numpy(), expected, atol=1e-5)


def test_quantization_error_falls_with_training(trained):
    weights, history = trained
    assert [entry["step"] for entry in history] == [0, 2, 4, 6]
    assert history[-1]["quantization_error"] < 0.5 * history[0]["quantization_error"]
    assert weights.shape == (16, 16)
    np.testing.assert_allclose(np.linalg.norm(weights, axis=1), 1.0, atol=1e-5)


def test_errors_equal_minisom(trained, clusters):
    weights, _ = trained
    x = som.unit_norm(clusters)
    reference = MiniSom(4, 4, 16, random_seed=0)
    reference._weights = weights.reshape(4, 4, 16).astype(np.float64)
    assert som.quantization_error(weights, x) == pytest.approx(reference.quantization_error(x), abs=1e-6)
    assert som.topographic_error(weights, x, 4, 4) == pytest.approx(reference.topographic_error(x), abs=1e-6)
    # Random weights give a topographic error well away from 0, so adjacency is really compared.
    rng = np.random.default_rng(1)
    for rows, cols in ((4, 4), (3, 5)):
        weights = rng.normal(size=(rows * cols, 16))
        reference = MiniSom(rows, cols, 16, random_seed=0)
        reference._weights = weights.reshape(rows, cols, 16)
        te = som.topographic_error(weights, x, rows, cols)
        assert 0 < te == pytest.approx(reference.topographic_error(x), abs=1e-6)
        assert som.quantization_error(weights, x) == pytest.approx(reference.quantization_error(x), abs=1e-6)


def test_the_same_seed_gives_the_same_map(clusters, trained):
    again, _ = som.train_som(clusters, seed=0, **FAST)
    other, _ = som.train_som(clusters, seed=1, **FAST)
    np.testing.assert_array_equal(again, trained[0])
    assert not np.allclose(other, trained[0])


@pytest.mark.parametrize(
    "change, name",
    [
        ({"rows": 0}, "rows"),
        ({"cols": -1}, "cols"),
        ({"adjust_iterations": -1}, "adjust_iterations"),
        ({"converge_iterations": -5}, "converge_iterations"),
        ({"sigma0": 0.0}, "sigma0"),
        ({"converge_sigma": -1.0}, "converge_sigma"),
        ({"tau": 0.0}, "tau"),
        ({"eta0": 1.5}, "eta0"),
        ({"log_every": 0}, "log_every"),
    ],
)
def test_bad_params_name_the_argument(clusters, change, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        som.train_som(clusters, seed=0, **(FAST | change))


def test_data_must_be_2d(clusters):
    with pytest.raises(ValueError, match=r"^data "):
        som.train_som(clusters.reshape(60, 4, 4), seed=0, **FAST)
    with pytest.raises(ValueError, match=r"^sigma "):
        som.neighbourhood(som.grid_squared_distances(2, 2), 0, sigma=0.0)


def test_hit_map_counts_every_sample(trained, clusters):
    hits = som.hit_map(trained[0], som.unit_norm(clusters), 4, 4)
    assert hits.shape == (4, 4) and hits.sum() == 60


def test_u_matrix_on_a_2x2_map():
    # On a 2×2 grid every unit has the other three as neighbours (8-neighbourhood).
    weights = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    r5, r10, r13, r18 = (math.sqrt(v) for v in (5, 10, 13, 18))
    expected = np.array([[(1 + 2 + r18) / 3, (1 + r5 + r13) / 3], [(2 + r5 + r10) / 3, (r18 + r13 + r10) / 3]])
    np.testing.assert_allclose(som.u_matrix(weights, 2, 2), expected, rtol=1e-6)
    # On a 1×3 line the ends have one neighbour and the middle two.
    line = np.array([[0.0], [1.0], [3.0]])
    np.testing.assert_allclose(som.u_matrix(line, 1, 3), [[1.0, 1.5, 2.0]], rtol=1e-6)


def test_the_map_object_trains_with_its_own_settings(clusters, trained):
    kohonen_map = som.KohonenMap(rows=4, cols=4, adjust_iterations=4, converge_iterations=2, eta0=1.0, sigma0=3.0,
                                 tau=2.0, converge_eta=0.2, converge_sigma=1.0, seed=0)
    logged = []
    weights, history = kohonen_map.fit(clusters, log_every=2, on_log=logged.append)
    np.testing.assert_array_equal(weights, trained[0])
    assert history == trained[1] == logged
