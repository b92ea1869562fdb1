"""The reference stage: the evaluator, the reference features and the real-vs-real floor it writes."""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.io import read_json, write_json, write_npz  # noqa: E402
from genzoo.scoring import ladder  # noqa: E402
from genzoo.scoring.reference import build_reference, floors_by_size  # noqa: E402
from genzoo.subset import seeded_subset  # noqa: E402
from genzoo.headline import reference_headline

from ._fixtures import DEVICE, EVALUATION, EVALUATOR, write_data  # noqa: E402

GENERATION = {"fid", "kid", "kid_se", "precision", "recall", "density", "coverage"}
CLASS_BASED = {"classifier_score", "classifier_score_std", "class_entropy", "classes_covered", "class_histogram"}


def _random_labelled(path, n_train=60, n_test=30):
    """``n_train`` random 28×28 images labelled 0..2 in turn, and ``n_test`` more."""
    rng = np.random.default_rng(0)
    for split, n in ((files.TRAIN, n_train), (files.TEST, n_test)):
        write_npz(path / split, x=rng.random((n, 28, 28, 1)).astype("float32"), y=np.arange(n) % 3)
    write_json(path / files.INFO, {"dataset": "mnist", "source": "generated", "has_labels": True, "n_classes": 3,
                                   "class_names": ["0", "1", "2"], "counts": {"train": n_train, "test": n_test}})
    return path


def _build(tmp_path, data, **evaluator):
    return build_reference(data, tmp_path / "reference", tmp_path / "metrics.json",
                           details_path=tmp_path / "details.json", profile="test", evaluator=EVALUATOR | evaluator, evaluation=EVALUATION, seed=0, device=DEVICE)


def test_a_labelled_reference_writes_evaluator_features_floor_and_metrics(tmp_path):
    data = _random_labelled(tmp_path / "data")
    metrics = _build(tmp_path, data)
    reference = tmp_path / "reference"
    assert sorted(p.name for p in reference.iterdir()) == sorted([files.EVALUATOR, files.REFERENCE, files.FLOOR])
    assert json.loads((tmp_path / "details.json").read_text()) == metrics and metrics["profile"] == "test"
    assert json.loads((tmp_path / "metrics.json").read_text()) == reference_headline(metrics)
    assert metrics["dataset"] == "mnist" and metrics["data_source"] == "generated"
    assert metrics["counts"] == {"train": 60, "test": 30} and metrics["device"] == "cpu"
    assert metrics["evaluator"]["task"] == "classes" and metrics["evaluator"]["n_classes"] == 3
    assert metrics["evaluator"]["n_train"] == 60 and 0.0 <= metrics["evaluator"]["test_accuracy"] <= 1.0

    evaluator = keras.models.load_model(reference / files.EVALUATOR)
    assert evaluator.output_shape == (None, 3)
    floors = read_json(reference / files.FLOOR)
    assert floors == metrics["floor"]
    # One floor at the data's size and one per round-trip size.
    assert set(floors) == {"28x28", "32x32"}
    for floor in floors.values():
        assert set(floor) == GENERATION | CLASS_BASED | {"n"}
        # The floor scores as many test images as a model's samples: n_samples, the test set being larger.
        assert floor["n"] == min(EVALUATION["n_samples"], 30) == 20
        assert all(np.isfinite(floor[name]) for name in GENERATION)
    # The ladder: every disturbance at its levels, the modes a 3-class set can keep, the degenerate inputs.
    assert set(metrics["ladder"]) == set(ladder.DISTURBANCES) | {"modes_kept"} | set(ladder.DEGENERATE)
    assert set(metrics["ladder"]["modes_kept"]) == {"2", "1"}
    assert set(metrics["ladder"]["swirl"]) == {"1", "2", "4", "8"}
    assert metrics["ladder_checks_total"] == len(ladder.checks(metrics["ladder"], floors["28x28"]))
    assert 0 <= metrics["ladder_checks_passed"] <= metrics["ladder_checks_total"]
    assert len(metrics["ladder_failures"]) == metrics["ladder_checks_total"] - metrics["ladder_checks_passed"]

    from genzoo.scoring.evaluator import embed

    with np.load(data / files.TRAIN) as f:
        x_train = f["x"]
    with np.load(reference / files.REFERENCE) as f:
        features = f["features"]
    assert metrics["n_reference"] == len(features) == EVALUATION["n_reference"]
    # The reference is the seeded subset of the training images, embedded by the saved evaluator.
    expected, _ = embed(evaluator, seeded_subset(x_train, EVALUATION["n_reference"], 0))
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-5)


def test_the_floor_uses_the_whole_test_set_when_it_is_smaller_than_n_samples(tmp_path):
    data = _random_labelled(tmp_path / "data", n_test=15)
    metrics = _build(tmp_path, data)
    assert all(floor["n"] == min(EVALUATION["n_samples"], 15) == 15 for floor in metrics["floor"].values())


def test_max_train_caps_the_evaluator_training_set_only(tmp_path):
    data = _random_labelled(tmp_path / "data")
    metrics = _build(tmp_path, data, max_train=30)
    assert metrics["evaluator"]["n_train"] == 30
    assert metrics["n_reference"] == EVALUATION["n_reference"]  # still drawn from all 60


def test_an_unlabelled_reference_learns_rotations_and_has_no_class_metrics(tmp_path):
    data = write_data(tmp_path / "data", labelled=False, size=16)
    metrics = _build(tmp_path, data)
    assert metrics["evaluator"]["task"] == "rotation" and metrics["evaluator"]["n_classes"] == 4
    assert metrics["evaluator"]["n_train"] == 4 * 60  # every image at four rotations
    assert metrics["dataset"] == "faces"
    assert all(set(floor) == GENERATION | {"n"} for floor in metrics["floor"].values())
    assert "modes_kept" not in metrics["ladder"]  # no classes to drop
    assert keras.models.load_model(tmp_path / "reference" / files.EVALUATOR).output_shape == (None, 4)



def test_the_floor_through_a_resize_round_trip_is_worse_than_the_plain_floor():
    # Digits whose strokes a 28 -> 14 -> 28 round trip blurs; pixel features on the sphere
    # stand in for the evaluator, so the test reads the round trip, not a network's luck.
    from genzoo.metrics import frechet_distance
    from genzoo.scoring.evaluator import on_sphere

    from ._fixtures import bars

    train, _ = bars(400, seed=1)
    test, _ = bars(200, seed=2)

    def pixels(images):
        return on_sphere(images.reshape(len(images), -1).astype(np.float64))

    def score(images):
        if images.shape[1] != 28:
            from genzoo.images import resized

            images = resized(images, 28)
        return {"fid": frechet_distance(pixels(train), pixels(images))}

    floors = floors_by_size(test, [14, 28], score)
    assert set(floors) == {"28x28", "14x14"}
    assert floors["14x14"]["fid"] > floors["28x28"]["fid"] and floors["28x28"]["n"] == 200
