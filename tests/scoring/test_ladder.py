"""The validation ladder: its disturbances, mode dropping, degenerate inputs and checks."""

import numpy as np
import pytest

from genzoo.scoring import ladder

from ._fixtures import bars


def _images(n=12, seed=0):
    return bars(n, seed=seed)


@pytest.mark.parametrize("name", list(ladder.DISTURBANCES))
def test_each_disturbance_keeps_shape_and_range_and_grows_with_its_level(name):
    x, _ = _images()
    changes = []
    for level in ladder.DISTURBANCES[name]:
        out = ladder.DISTURB[name](x, level, np.random.default_rng(0))
        assert out.shape == x.shape and out.min() >= 0.0 and out.max() <= 1.0
        np.testing.assert_array_equal(out, ladder.DISTURB[name](x, level, np.random.default_rng(0)))
        changes.append(np.abs(out - x).mean())
    assert changes[0] > 0.0
    assert all(b > a for a, b in zip(changes, changes[1:])), changes


def test_every_disturbance_has_at_least_four_levels():
    assert all(len(levels) >= 4 for levels in ladder.DISTURBANCES.values())
    assert set(ladder.DISTURBANCES) == set(ladder.DISTURB)


def test_keep_classes_draws_only_the_kept_classes_and_as_many_images():
    x, y = _images(30)
    kept = ladder.keep_classes(x, y, 2, np.random.default_rng(0))
    assert kept.shape == x.shape
    originals = {image.tobytes() for image, label in zip(x, y) if label < 2}
    assert {image.tobytes() for image in kept} <= originals


def test_keep_classes_without_those_classes_says_so():
    x, y = _images(10)
    with pytest.raises(ValueError, match="no test images in the first 1 classes"):
        ladder.keep_classes(x, y + 5, 1, np.random.default_rng(0))


def test_degenerate_inputs_by_hand():
    x, _ = _images(6)
    rng = np.random.default_rng(0)
    assert (ladder.degenerate("blank", x, rng) == 0.0).all()
    assert (ladder.degenerate("constant_grey", x, rng) == 0.5).all()
    mean = ladder.degenerate("mean_image", x, rng)
    np.testing.assert_allclose(mean, np.broadcast_to(x.mean(axis=0), x.shape))
    noise = ladder.degenerate("uniform_noise", x, rng)
    assert noise.shape == x.shape and 0.0 <= noise.min() and noise.max() < 1.0 and noise.std() > 0.2
    with pytest.raises(ValueError, match="unknown degenerate input 'zebra'"):
        ladder.degenerate("zebra", x, rng)


def test_rungs_cover_every_family_and_drop_modes_only_with_labels():
    x, y = _images(20)
    labelled = list(ladder.rungs(x, y, seed=0))
    families = [family for family, _, _ in labelled]
    assert len(labelled) == 5 * 4 + len(ladder.MODES_KEPT) + len(ladder.DEGENERATE)
    assert families.count("modes_kept") == 5
    unlabelled = [family for family, _, _ in ladder.rungs(x, None, seed=0)]
    assert "modes_kept" not in unlabelled and len(unlabelled) == 5 * 4 + len(ladder.DEGENERATE)
    assert all(images.shape == x.shape and images.dtype == np.float32 for _, _, images in labelled)


def _metrics(fid, kid, precision, recall, density, coverage):
    return {"fid": fid, "kid": kid, "precision": precision, "recall": recall, "density": density, "coverage": coverage}


FLOOR = _metrics(1.0, 0.0, 0.9, 0.9, 1.0, 0.95)


def _passing_ladder():
    steps = {name: {str(i): _metrics(2.0 * i, 0.1 * i, 0.8, 0.8, 0.9, 0.9) for i in range(1, 5)}
             for name in ladder.DISTURBANCES}
    steps["modes_kept"] = {str(k): _metrics(10.0 - k, 1.0 - k / 10, 0.9, k / 10, 1.0, k / 10) for k in ladder.MODES_KEPT}
    for kind in ladder.DEGENERATE:
        steps[kind] = {"0": _metrics(100.0, 5.0, 0.1, 0.0, 0.1, 0.0)}
    return steps


def test_checks_pass_a_ladder_that_behaves():
    result = ladder.checks(_passing_ladder(), FLOOR)
    assert all(result.values())
    # 5 disturbances × 2, mode dropping × 4, 4 degenerate inputs × 6 metrics.
    assert len(result) == 10 + 4 + 24


def test_checks_name_each_broken_requirement():
    steps = _passing_ladder()
    steps["swirl"]["2"]["fid"] = 0.5                 # FD falls from level 1 to level 2
    steps["modes_kept"]["2"]["recall"] = 0.9         # recall rises as modes are dropped
    steps["constant_grey"]["0"]["precision"] = 1.0   # a grey square beats the floor
    steps["blank"]["0"]["kid"] = -0.1                # ... or lower KID than the floor
    failed = sorted(name for name, held in ladder.checks(steps, FLOOR).items() if not held)
    assert failed == [
        "blank: kid worse than floor",
        "constant_grey: precision worse than floor",
        "modes_kept: recall falls",
        "swirl: fid rises",
    ]


def test_the_first_rung_must_already_be_worse_than_the_floor():
    steps = _passing_ladder()
    steps["gaussian_blur"]["1"]["kid"] = -0.5
    assert not ladder.checks(steps, FLOOR)["gaussian_blur: kid rises"]


def test_the_ladder_holds_for_a_toy_evaluator():
    # 4×4-pooled pixels on the sphere as the feature space (49 dimensions keep FD's matrix
    # square root cheap), bars as the data: every requirement holds, so the ladder asks
    # nothing a sound feature space cannot give.
    from genzoo.scoring.evaluator import on_sphere
    from genzoo.scoring.samples import generation_metrics

    train, _ = bars(600, seed=1)
    test, labels = bars(300, seed=2)

    def features(images):
        pooled = images.reshape(len(images), 7, 4, 7, 4).mean(axis=(2, 4))
        return on_sphere(pooled.reshape(len(images), -1).astype(np.float64))

    reference = features(train)
    probs = np.full((len(test), 10), 0.1)

    def score(images):
        return generation_metrics(features(images), probs, reference, class_based=False,
                                  pr_k=3, dc_k=5, classifier_score_splits=1)

    steps = ladder.score_rungs(test, labels, 0, score)
    result = ladder.checks(steps, score(test))
    assert [name for name, held in result.items() if not held] == []
