"""Precision, recall, density and coverage on configurations counted by hand."""

import numpy as np
import pytest

from genzoo.metrics import precision_recall_density_coverage, prdc


def _column(values):
    return np.asarray(values, dtype=float)[:, None]


REAL = _column([0, 1, 2, 3, 4])
FAKE = _column([0.4, 1.1, 4.6, 7.0, 7.3])


def test_line_configuration_by_hand():
    # pr_k = 1: every real radius is 1, so the real balls cover [-1, 5].
    #   precision: 0.4, 1.1, 4.6 inside; 7.0, 7.3 outside -> 3/5.
    #   fake radii (1st other fake): 0.7, 0.7, 2.4, 0.3, 0.3.
    #   recall: real 0 (0.4 <= 0.7), 1 (0.1 <= 0.7), 3 (1.6 <= 2.4), 4 (0.6 <= 2.4) are
    #   covered; real 2 is 0.9 from 1.1 (> 0.7) and 2.6 from 4.6 (> 2.4) -> 4/5.
    # dc_k = 2: real radii 2, 1, 1, 1, 2.
    #   balls holding each fake: 0.4 -> {0, 1}; 1.1 -> {0, 1, 2}; 4.6 -> {4}; 7.0, 7.3 -> {}
    #   density = (2 + 3 + 1) / (2 * 5) = 0.6.
    #   coverage: nearest fake of 0, 1, 2, 4 is within 2, 1, 1 (0.9), 2; real 3 is 1.6 from
    #   4.6 with radius 1 -> 4/5.
    got = precision_recall_density_coverage(REAL, FAKE, pr_k=1, dc_k=2)
    assert got == pytest.approx(
        {"precision": 0.6, "recall": 0.8, "density": 0.6, "coverage": 0.8}
    )


def test_balls_are_closed():
    # Real radii with k = 1 are all 2; the fake at 6 sits exactly on the edge of ball(4).
    real = _column([0, 2, 4])
    fake = _column([6, 20])
    assert precision_recall_density_coverage(real, fake, pr_k=1, dc_k=1)["precision"] == 0.5


def test_identical_sets():
    x = np.random.default_rng(0).normal(size=(100, 6))
    got = precision_recall_density_coverage(x, x)
    assert got["precision"] == 1.0
    assert got["recall"] == 1.0
    assert got["coverage"] == 1.0
    # Each point lies in its own ball and in those of the reals that count it among their
    # dc_k neighbours, so density is positive but need not be 1.
    assert got["density"] > 0.5


def test_far_away_fakes_score_zero():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(50, 3))
    fake = rng.normal(size=(40, 3)) + 100.0
    got = precision_recall_density_coverage(real, fake)
    assert got == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}


def test_duplicates_count_as_neighbours():
    # Two copies of each real point: the 1st neighbour of each is its twin at distance 0,
    # so only exact copies fall in the (zero-radius, closed) balls.
    real = _column([0, 0, 5, 5])
    fake = _column([0, 1, 7])
    got = precision_recall_density_coverage(real, fake, pr_k=1, dc_k=1)
    assert got["precision"] == pytest.approx(1 / 3)
    assert got["density"] == pytest.approx(2 / 3)  # fake 0 lies in both zero balls at 0
    assert got["coverage"] == 0.5


def test_chunking_does_not_change_the_result(monkeypatch):
    rng = np.random.default_rng(2)
    real = rng.normal(size=(230, 8))
    fake = rng.normal(loc=0.3, size=(170, 8))
    whole = precision_recall_density_coverage(real, fake)
    monkeypatch.setattr(prdc, "_CHUNK", 7)
    assert precision_recall_density_coverage(real, fake) == pytest.approx(whole)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"pr_k": 5}, "pr_k"), ({"pr_k": 0}, "pr_k"), ({"dc_k": 5}, "dc_k")],
)
def test_k_too_large_names_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        precision_recall_density_coverage(REAL, FAKE, **{"pr_k": 1, "dc_k": 1, **kwargs})


def test_bad_features_name_the_argument():
    with pytest.raises(ValueError, match="real_features"):
        precision_recall_density_coverage(np.arange(5.0), FAKE)
    with pytest.raises(ValueError, match="fake_features"):
        precision_recall_density_coverage(REAL, _column([0, np.nan, 1]))


def test_matches_brute_force_on_random_data():
    from scipy.spatial.distance import cdist

    rng = np.random.default_rng(3)
    real = rng.normal(size=(60, 4))
    fake = rng.normal(loc=0.4, size=(45, 4))

    def radii(x, k):
        return np.sort(cdist(x, x), axis=1)[:, k]  # column 0 is the point itself

    d = cdist(real, fake)
    r_pr, r_dc, f_pr = radii(real, 3), radii(real, 5), radii(fake, 3)
    expected = {
        "precision": (d <= r_pr[:, None]).any(axis=0).mean(),
        "recall": (d <= f_pr[None, :]).any(axis=1).mean(),
        "density": (d <= r_dc[:, None]).sum(axis=0).mean() / 5,
        "coverage": (d.min(axis=1) <= r_dc).mean(),
    }
    assert precision_recall_density_coverage(real, fake) == pytest.approx(expected)
