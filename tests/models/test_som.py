"""som: the map built from params: weight shapes and norms, one iteration, the error falls, bad params."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from genzoo.families.som.kohonen import KohonenMap  # noqa: E402
from genzoo.models import som  # noqa: E402
from genzoo.schema import ParamsError  # noqa: E402

from ._entries import check_entry  # noqa: E402

PARAMS = {"rows": 3, "cols": 2, "adjust_iterations": 6, "converge_iterations": 2, "eta0": 1.0, "sigma0": 1.5,
          "tau": 3.0, "converge_eta": 0.2, "converge_sigma": 1.0, "max_samples": None, "log_every": 2}
SHAPE = (8, 8, 1)


@pytest.fixture(scope="module")
def faces():
    """30 8×8 'faces' around 3 prototypes, flattened as the pipeline feeds them."""
    rng = np.random.default_rng(0)
    prototypes = rng.random((3, 64))
    return (np.repeat(prototypes, 10, axis=0) + rng.normal(0, 0.05, (30, 64))).astype("float32")


def test_build_gives_an_untrained_map_with_the_schedule():
    kohonen_map = som.build(SHAPE, None, PARAMS, seed=4)
    assert isinstance(kohonen_map, KohonenMap)
    assert (kohonen_map.rows, kohonen_map.cols, kohonen_map.seed) == (3, 2, 4)
    assert (kohonen_map.eta0, kohonen_map.tau, kohonen_map.converge_sigma) == (1.0, 3.0, 1.0)


def test_weights_have_one_unit_norm_row_per_unit(faces):
    weights, history = som.build(SHAPE, None, PARAMS, seed=0).fit(faces, log_every=PARAMS["log_every"])
    assert weights.shape == (6, 64) and weights.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(weights, axis=1), 1.0, atol=1e-5)
    assert [entry["step"] for entry in history] == [0, 2, 4, 6, 8]


def test_one_iteration_gives_finite_errors(faces):
    kohonen_map = som.build(SHAPE, None, PARAMS | {"adjust_iterations": 1, "converge_iterations": 0}, seed=0)
    logged = []
    weights, history = kohonen_map.fit(faces, log_every=1, on_log=logged.append)
    assert logged == history and [entry["step"] for entry in history] == [0, 1]
    for entry in history:
        assert np.isfinite(entry["quantization_error"]) and 0.0 <= entry["topographic_error"] <= 1.0


def test_quantization_error_falls_over_a_few_iterations(faces):
    _, history = som.build(SHAPE, None, PARAMS, seed=0).fit(faces, log_every=2)
    assert history[-1]["quantization_error"] < 0.5 * history[0]["quantization_error"]


def test_the_same_seed_gives_the_same_map(faces):
    first, _ = som.build(SHAPE, None, PARAMS, seed=1).fit(faces)
    again, _ = som.build(SHAPE, None, PARAMS, seed=1).fit(faces)
    np.testing.assert_array_equal(first, again)


def test_the_tiny_params_are_a_valid_entry():
    check_entry("som", PARAMS, dataset="faces")


BAD = [
    ("rows", 0, r"rows is 0; it must be int \(>= 1\)"),
    ("eta0", 1.5, r"eta0 is 1\.5; it must be int or float \(>= 0\.0, <= 1\.0\)"),
    ("sigma0", 0.0, r"sigma0 is 0\.0; it must be int or float \(>= 1e-06\)"),
    ("adjust_iterations", -1, r"adjust_iterations is -1; it must be int \(>= 0\)"),
    ("max_samples", 0, r"max_samples is 0; it must be int \(>= 1\) or null"),
    ("log_every", True, "log_every is True; it must be int"),
]


@pytest.mark.parametrize("key, value, message", BAD, ids=[f"{key}={value!r}" for key, value, _ in BAD])
def test_bad_params_name_the_key(key, value, message):
    with pytest.raises(ParamsError, match=rf"^models\.som\.{message}"):
        check_entry("som", PARAMS | {key: value}, dataset="faces")
