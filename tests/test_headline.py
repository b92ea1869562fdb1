"""The declared metrics: flat numbers under short keys, taken from the whole record."""

import json

import pytest

from genzoo.headline import MODEL, model_headline, reference_headline
from genzoo.runs import Run
from genzoo.scoring.record import write_reference_scores, write_scores

GAN_RECORD = {
    "model": "gan_mlp", "dataset": "mnist", "device": "cpu", "device_name": "AMD EPYC",
    "fid": {"value": 22.45, "floor": 0.33}, "kid": {"value": 0.554, "floor": -0.004},
    "kid_se": {"value": 0.03, "floor": 0.001},
    "precision": {"value": 0.518, "floor": 0.886}, "recall": {"value": 0.4, "floor": 0.883},
    "density": {"value": 0.27, "floor": 1.02}, "coverage": {"value": 0.26, "floor": 0.978},
    "classes_covered": {"value": 10, "floor": 10}, "class_entropy": {"value": 2.03, "floor": 2.30},
    "class_histogram": {"value": [0.1] * 10, "floor": [0.1] * 10},
    "classifier_score": {"value": 3.56, "floor": 8.53},
    "train_seconds": 48.19, "images_per_second": 12451.4, "n_samples": 1000,
}


def test_a_gan_record_keeps_its_values_and_drops_floors_lists_strings_and_timings():
    assert model_headline(GAN_RECORD) == {
        "fid": 22.45, "kid": 0.554, "precision": 0.518, "recall": 0.4, "density": 0.27,
        "coverage": 0.26, "classes": 10, "entropy": 2.03, "class_score": 3.56,
    }


def test_plain_numbers_and_per_split_values_are_picked_and_flags_are_not_numbers():
    record = {"accuracy": 0.9, "quantization_error": {"train": 0.2, "test": 0.3},
              "topographic_error": {"train": 0.0, "test": 0.05}, "label_fidelity": True,
              "classifier_score": "not applicable", "test_iw_bound_binarized": -98.5}
    assert model_headline(record) == {"accuracy": 0.9, "iw_bound": -98.5, "qe": 0.3, "te": 0.05}


def test_every_short_key_is_short():
    # `dvc exp show` names a column by file and key; a long key pushes the values off a terminal.
    assert max(len(key) for key in MODEL) <= 14


def test_a_reference_headline_is_the_evaluator_the_ladder_and_each_sizes_floor():
    record = {"evaluator": {"test_accuracy": 0.961, "train_seconds": 9.5}, "ladder_checks_passed": 14,
              "ladder_checks_total": 14, "counts": {"train": 4000},
              "floor": {"28x28": {"fid": 0.328791663, "classes_covered": 10, "class_histogram": [0.1] * 10},
                        "64x64": {"fid": 0.5, "kid": -0.001}}}
    assert reference_headline(record) == {
        "evaluator_accuracy": 0.961, "ladder_passed": 14,
        "floor": {"28x28": {"fid": 0.32879, "classes": 10}, "64x64": {"fid": 0.5, "kid": -0.001}},
    }


def test_write_scores_writes_the_record_with_its_profile_and_the_headline(tmp_path):
    run = Run(name="gan_mlp", params={}, seed=0, evaluation={}, data=tmp_path, trained=tmp_path,
              metrics=tmp_path / "m.json", details=tmp_path / "d.json", profile="smoke")
    written = write_scores(run, GAN_RECORD)
    assert written == {**GAN_RECORD, "profile": "smoke"}
    assert json.loads((tmp_path / "d.json").read_text()) == written
    assert json.loads((tmp_path / "m.json").read_text()) == model_headline(GAN_RECORD)


def test_write_scores_needs_both_paths(tmp_path):
    run = Run(name="gan_mlp", params={}, seed=0, evaluation={}, data=tmp_path, trained=tmp_path,
              metrics=tmp_path / "m.json")
    with pytest.raises(ValueError, match="gan_mlp: an evaluate run needs both"):
        write_scores(run, GAN_RECORD)
    assert not (tmp_path / "m.json").exists()


def test_write_reference_scores(tmp_path):
    record = {"evaluator": {"test_accuracy": 0.9}, "floor": {"28x28": {"fid": 0.3}}}
    write_reference_scores(tmp_path / "d.json", tmp_path / "m.json", record, "laptop")
    assert json.loads((tmp_path / "d.json").read_text())["profile"] == "laptop"
    assert json.loads((tmp_path / "m.json").read_text()) == {"evaluator_accuracy": 0.9, "floor": {"28x28": {"fid": 0.3}}}
