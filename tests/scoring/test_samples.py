"""Scoring samples: the metrics on hand-built features, pairing with the floor, and score_samples end to end."""

import json
import re

import numpy as np
import pytest

from genzoo import files
from genzoo.io import read_json, write_json, write_npz
from genzoo.scoring.samples import NOT_APPLICABLE, generation_metrics, metric_settings, with_floor
from genzoo.headline import model_headline

from ._fixtures import DEVICE, EVALUATION, bars, blobs, make_run, write_data

SETTINGS = {"pr_k": 3, "dc_k": 3, "classifier_score_splits": 2}
GENERATION = ("fid", "kid", "kid_se", "precision", "recall", "density", "coverage")
CLASS_BASED = ("classifier_score", "classifier_score_std", "class_entropy", "classes_covered", "class_histogram")


def _features(n=40, d=4, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


def _balanced_probs(n, classes=4):
    return np.eye(classes)[np.arange(n) % classes]


# --- generation_metrics ------------------------------------------------------------


def test_identical_sets_give_zero_distance_and_full_manifold_overlap():
    x = _features()
    got = generation_metrics(x, _balanced_probs(40), x, class_based=False, **SETTINGS)
    assert set(got) == set(GENERATION)
    assert got["fid"] == pytest.approx(0.0, abs=1e-6)
    assert got["precision"] == got["recall"] == got["coverage"] == 1.0
    assert all(isinstance(value, float) for value in got.values())


def test_a_shifted_set_gives_the_squared_shift():
    x = _features()
    shift = np.array([3.0, 0.0, -4.0, 0.0])  # ‖s‖² = 25; equal covariances add nothing
    got = generation_metrics(x + shift, _balanced_probs(40), x, class_based=False, **SETTINGS)
    assert got["fid"] == pytest.approx(25.0, rel=1e-6)
    # Every fake point lies 5 away from its own real point, far outside the k-NN radii.
    assert got["precision"] < 0.5 and got["kid"] > 0.0


def test_a_scaled_and_shifted_set_by_hand():
    # fake = 2x + s: μ' = 2μ + s, Σ' = 4Σ, so FD = ‖μ + s‖² + tr(Σ + 4Σ − 2·2Σ) = ‖μ + s‖² + tr Σ.
    x = _features(seed=1)
    shift = np.array([1.0, 2.0, 0.0, -1.0])
    expected = float(np.sum((x.mean(axis=0) + shift) ** 2) + np.trace(np.cov(x, rowvar=False)))
    got = generation_metrics(2 * x + shift, _balanced_probs(40), x, class_based=False, **SETTINGS)
    assert got["fid"] == pytest.approx(expected, rel=1e-6)


def test_the_manifold_metrics_compare_as_many_reference_rows_as_samples():
    # The first 20 reference rows are the samples themselves; the last 20 lie far away.
    near = _features(20)
    reference = np.concatenate([near, near + 100.0])
    got = generation_metrics(near, _balanced_probs(20), reference, class_based=False, **SETTINGS)
    assert got["precision"] == got["recall"] == got["coverage"] == 1.0  # the far half is not compared
    assert got["fid"] > 1000.0  # the distance uses every reference row


def test_class_metrics_only_when_class_based():
    x = _features()
    probs = _balanced_probs(40)  # confident and balanced over 4 classes
    with_classes = generation_metrics(x, probs, x, class_based=True, **SETTINGS)
    assert set(with_classes) == set(GENERATION) | set(CLASS_BASED)
    assert with_classes["classifier_score"] == pytest.approx(4.0)
    assert with_classes["class_entropy"] == pytest.approx(np.log(4))
    assert with_classes["classes_covered"] == 4 and isinstance(with_classes["classes_covered"], int)
    assert with_classes["class_histogram"] == [0.25, 0.25, 0.25, 0.25]
    without = generation_metrics(x, probs, x, class_based=False, **SETTINGS)
    assert not set(CLASS_BASED) & set(without)
    assert {k: without[k] for k in GENERATION} == {k: with_classes[k] for k in GENERATION}


def test_kid_is_the_full_sample_estimate_with_its_standard_error():
    from genzoo.metrics import kernel_inception_distance

    x, y = _features(seed=2), _features(seed=3)
    got = generation_metrics(x, _balanced_probs(40), y, class_based=False, **SETTINGS)
    kid = kernel_inception_distance(y, x)
    assert (got["kid"], got["kid_se"]) == (kid["mmd2"], kid["standard_error"])
    assert got == generation_metrics(x, _balanced_probs(40), y, class_based=False, **SETTINGS)


def test_the_classifier_score_is_a_mean_and_std_over_splits():
    x = _features()
    # First half confident and balanced over 4 classes (score 4), second half uniform (score 1).
    probs = np.concatenate([_balanced_probs(20), np.full((20, 4), 0.25)])
    got = generation_metrics(x, probs, x, class_based=True, **SETTINGS)
    assert got["classifier_score"] == pytest.approx(2.5) and got["classifier_score_std"] == pytest.approx(1.5)


def test_metric_settings_take_the_evaluation_keys():
    evaluation = EVALUATION | {"n_samples": 999}
    assert metric_settings(evaluation) == {"pr_k": 3, "dc_k": 3, "classifier_score_splits": 2}


# --- with_floor --------------------------------------------------------------------


def test_with_floor_pairs_each_metric_and_rounds_floats_to_five_places():
    metrics = {"fid": 1.23456789, "classes_covered": 3, "class_histogram": [0.123456789, 0.5], "kid": 0.1}
    floor = {"fid": 0.987654321, "classes_covered": 10, "class_histogram": [0.1000001, 0.9], "n": 20}
    assert with_floor(metrics, floor) == {
        "fid": {"value": 1.23457, "floor": 0.98765},
        "classes_covered": {"value": 3, "floor": 10},
        "class_histogram": {"value": [0.12346, 0.5], "floor": [0.1, 0.9]},
        "kid": {"value": 0.1, "floor": None},  # a metric the floor lacks has no floor
    }


# --- score_samples -----------------------------------------------------------------


def _reference_dir(path, data_dir, *, n_classes, floor_n):
    """A reference directory built by hand: an untrained evaluator, its train features, a floor."""
    import keras

    from genzoo.scoring.evaluator import build_evaluator, embed

    keras.utils.set_random_seed(0)
    with np.load(data_dir / files.TRAIN) as f:
        x_train = f["x"]
    with np.load(data_dir / files.TEST) as f:
        x_test = f["x"]
    evaluator = build_evaluator(x_train.shape[1:], n_classes)
    path.mkdir(parents=True)
    evaluator.save(path / files.EVALUATOR)
    reference, _ = embed(evaluator, x_train)
    write_npz(path / files.REFERENCE, features=reference)
    features, probs = embed(evaluator, x_test[:floor_n])
    floor = generation_metrics(features, probs, reference, class_based=n_classes == 10,
                               **metric_settings(EVALUATION))
    floor["n"] = floor_n
    size = x_test.shape[1]
    # A second floor, told apart by its values, for samples made at another size.
    write_json(path / files.FLOOR, {f"{size}x{size}": floor, "32x32": floor | {"fid": 123.0}})
    return evaluator, reference, floor


def _trained_dir(path):
    write_json(path / files.INFO, {"device": "cpu", "device_name": "test", "train_seconds": 1.5,
                                   "images_per_second": 40.0})
    return path


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    """(tmp, data, reference, evaluator, reference features, floor) for a 10-class 28×28 dataset."""
    tmp = tmp_path_factory.mktemp("labelled")
    data = write_data(tmp / "data")
    evaluator, reference, floor = _reference_dir(tmp / "reference", data, n_classes=10, floor_n=20)
    return tmp, data, tmp / "reference", evaluator, reference, floor


def _run(tmp, data, reference, samples):
    write_npz(tmp / "samples" / files.SAMPLES, images=samples)
    _trained_dir(tmp / "trained")
    return make_run(tmp, "toy_gan", {"dataset": "mnist"}, data, reference=reference)


def test_score_samples_writes_every_metric_with_its_floor(labelled, tmp_path):
    from genzoo.scoring.evaluator import embed
    from genzoo.scoring.samples import score_samples

    _, data, reference_dir, evaluator, reference, floor = labelled
    samples, _ = bars(25, seed=7)  # more than the floor's 20: the first 20 are scored
    run = _run(tmp_path, data, reference_dir, samples)
    result = score_samples(run)
    assert json.loads(run.details.read_text()) == result
    assert json.loads(run.metrics.read_text()) == model_headline(result)
    assert result["model"] == "toy_gan" and result["dataset"] == "mnist" and result["data_source"] == "generated"
    assert result["data_counts"] == {"train": 60, "test": 30}
    assert result["device"] == DEVICE["device"] and result["train_seconds"] == 1.5
    assert result["n_samples"] == 20 and result["floor_size"] == "28x28"
    for name in GENERATION + CLASS_BASED:
        assert set(result[name]) == {"value", "floor"}, name
        assert result[name]["floor"] == with_floor({name: floor[name]}, floor)[name]["floor"]
    # The values are those of the evaluator's features of the first 20 samples.
    features, probs = embed(evaluator, samples[:20])
    expected = generation_metrics(features, probs, reference, class_based=True, **metric_settings(EVALUATION))
    assert {name: result[name] for name in expected} == with_floor(expected, floor)


def test_score_samples_is_deterministic(labelled, tmp_path):
    from genzoo.scoring.samples import score_samples

    _, data, reference_dir, *_ = labelled
    samples, _ = bars(20, seed=8)
    first = score_samples(_run(tmp_path / "a", data, reference_dir, samples))
    assert score_samples(_run(tmp_path / "b", data, reference_dir, samples)) == first


def test_samples_at_another_size_take_the_floor_at_that_size(labelled, tmp_path):
    from genzoo.images import resized
    from genzoo.scoring.samples import score_samples

    _, data, reference_dir, *_ = labelled
    samples = resized(bars(20, seed=7)[0], 32)
    result = score_samples(_run(tmp_path, data, reference_dir, samples))
    assert result["floor_size"] == "32x32" and result["fid"]["floor"] == 123.0


def test_samples_at_a_size_without_a_floor_name_the_params_key(labelled, tmp_path):
    from genzoo.images import resized
    from genzoo.scoring.samples import score_samples

    _, data, reference_dir, *_ = labelled
    run = _run(tmp_path, data, reference_dir, resized(bars(20, seed=7)[0], 40))
    with pytest.raises(ValueError, match=r"no mnist floor at 40x40 \(floors: 28x28, 32x32\); add 40 to evaluation.round_trip_sizes"):
        score_samples(run)
    assert not run.metrics.exists() and not run.details.exists()


def test_too_few_samples_name_the_file(labelled, tmp_path):
    from genzoo.scoring.samples import score_samples

    _, data, reference_dir, *_ = labelled
    run = _run(tmp_path, data, reference_dir, bars(10, seed=7)[0])
    with pytest.raises(ValueError, match=re.escape(f"{tmp_path / 'samples' / files.SAMPLES} holds 10 samples; the floor used 20")):
        score_samples(run)
    assert not run.metrics.exists() and not run.details.exists()


def test_an_unlabelled_dataset_has_no_class_metrics(tmp_path):
    from genzoo.scoring.samples import score_samples

    data = write_data(tmp_path / "data", labelled=False, size=16)
    _reference_dir(tmp_path / "reference", data, n_classes=4, floor_n=20)
    result = score_samples(_run(tmp_path, data, tmp_path / "reference", blobs(20, seed=5)))
    assert result["classifier_score"] == NOT_APPLICABLE
    assert not {"class_entropy", "classes_covered", "class_histogram"} & set(result)
    assert all(set(result[name]) == {"value", "floor"} for name in GENERATION)
    assert read_json(tmp_path / "details.json") == result


# --- spread over draws ---------------------------------------------------------------


def test_the_spread_over_draws_is_the_std_of_each_disjoint_draw_by_hand():
    from genzoo.scoring.samples import spread_over_draws

    reference = _features(40, seed=4)
    features = _features(65, seed=5)  # three disjoint draws of 20; the last 5 are left out
    probs = _balanced_probs(65)
    got = spread_over_draws(features, probs, 20, reference, class_based=True, settings=SETTINGS)
    draws = [generation_metrics(features[i:i + 20], probs[i:i + 20], reference, class_based=True, **SETTINGS)
             for i in (0, 20, 40)]
    assert got["n_draws"] == 3
    for name in ("fid", "kid", "precision", "recall", "density", "coverage", "classifier_score"):
        assert got[name] == pytest.approx(np.std([d[name] for d in draws], ddof=1)), name
    assert spread_over_draws(features[:39], probs[:39], 20, reference, class_based=True, settings=SETTINGS) == {}


def test_a_small_floor_scores_further_draws_for_their_spread(labelled, tmp_path):
    from genzoo.scoring.samples import score_samples

    _, data, reference_dir, *_ = labelled
    samples, _ = bars(60, seed=7)  # the floor scored 20 test images: three draws of 20
    result = score_samples(_run(tmp_path, data, reference_dir, samples))
    assert result["n_samples"] == 20 and result["draw_sd"]["n_draws"] == 3
    assert set(result["draw_sd"]) == {"n_draws", "fid", "kid", "precision", "recall", "density", "coverage",
                                      "classifier_score"}
    assert result["draw_sd"]["fid"] > 0.0
    # The value is still that of the first draw alone.
    assert result["fid"] == score_samples(_run(tmp_path / "first", data, reference_dir, samples[:20]))["fid"]
