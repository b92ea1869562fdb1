"""prepare(): seeded splits, stratification, truncation, resizing and normalisation."""

import numpy as np
import pytest

from genzoo.data import DataSourceError, prepare, prepare_dir
from genzoo.io import StorageError, read_json, write_json, write_npz

COUNTS = [100, 50, 30, 20]  # deliberately imbalanced classes


@pytest.fixture
def labelled():
    rng = np.random.default_rng(1)
    y = np.repeat(np.arange(4), COUNTS).astype(np.int64)
    x = rng.integers(0, 256, (len(y), 12, 12, 1), dtype=np.uint8)
    return {"x_train": x, "y_train": y}, {"dataset": "toy", "has_labels": True, "n_classes": 4}


def _run(arrays, info, **overrides):
    kwargs = {"seed": 0, "test_fraction": 0.2, "max_train": None, "max_test": None, "image_size": None, **overrides}
    return prepare(arrays, info, **kwargs)


def test_output_types_and_range(labelled):
    out, info = _run(*labelled)
    for part in ("train", "test"):
        x, y = out[f"x_{part}"], out[f"y_{part}"]
        assert x.dtype == np.float32 and x.ndim == 4 and 0.0 <= x.min() and x.max() <= 1.0
        assert y.dtype == np.int64 and len(x) == len(y)
    assert info["split"] == "seeded" and info["stratified"] is True and info["pixel_range"] == [0, 1]
    assert info["counts"] == {"train": 160, "test": 40} and info["image_shape"] == [12, 12, 1]
    assert set(info["sha256"]) == {"x_train", "y_train", "x_test", "y_test"} and info["dataset"] == "toy"


def test_deterministic_per_seed(labelled):
    a, info_a = _run(*labelled, seed=3)
    b, info_b = _run(*labelled, seed=3)
    c, info_c = _run(*labelled, seed=4)
    assert all(np.array_equal(a[k], b[k]) for k in a) and info_a["sha256"] == info_b["sha256"]
    assert not np.array_equal(a["x_train"], c["x_train"]) and info_a["sha256"] != info_c["sha256"]


def test_stratified_split_keeps_class_balance(labelled):
    out, _ = _run(*labelled, test_fraction=0.25)
    assert abs(np.bincount(out["y_test"], minlength=4) - np.array(COUNTS) / 4).max() <= 1


def test_max_train_truncation_is_balanced(labelled):
    out, info = _run(*labelled, max_train=40, max_test=10)
    assert len(out["y_train"]) == 40 and len(out["y_test"]) == 10
    assert abs(np.bincount(out["y_train"], minlength=4) - np.array(COUNTS) / 5).max() <= 1
    assert info["counts"] == {"train": 40, "test": 10} and info["max_train"] == 40


def test_max_test_does_not_change_train(labelled):
    a, _ = _run(*labelled, max_train=50, max_test=5)
    b, _ = _run(*labelled, max_train=50, max_test=None)
    assert np.array_equal(a["x_train"], b["x_train"])


def test_official_split_is_kept(labelled):
    arrays, info = labelled
    arrays = {**arrays, "x_test": arrays["x_train"][:7], "y_test": arrays["y_train"][:7]}
    out, info = _run(arrays, info)
    assert info["split"] == "official" and info["test_fraction"] is None
    assert info["counts"] == {"train": 200, "test": 7}
    assert sorted(out["y_test"].tolist()) == arrays["y_test"].tolist()
    # train is the full training set, shuffled
    assert sorted(out["y_train"].tolist()) == arrays["y_train"].tolist()
    assert out["y_train"].tolist() != arrays["y_train"].tolist()


def test_unlabelled_plain_split():
    x = np.arange(30 * 8 * 8, dtype=np.uint32).reshape(30, 8, 8, 1).astype(np.uint8)
    out, info = _run({"x_train": x, "y_train": np.full(30, -1, np.int64)}, {"has_labels": False}, test_fraction=0.1)
    assert info["stratified"] is False and info["counts"] == {"train": 27, "test": 3}
    assert (out["y_train"] == -1).all() and (out["y_test"] == -1).all()


def test_image_size_resizes(labelled):
    out, info = _run(*labelled, image_size=24, max_train=10, max_test=5)
    assert out["x_train"].shape == (10, 24, 24, 1) and out["x_test"].shape == (5, 24, 24, 1)
    assert info["image_shape"] == [24, 24, 1] and 0.0 <= out["x_train"].min() and out["x_train"].max() <= 1.0


@pytest.mark.parametrize(
    "overrides, name",
    [
        ({"test_fraction": 0.0}, "test_fraction"),
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"max_train": 0}, "max_train"),
        ({"max_test": 0}, "max_test"),
        ({"image_size": 7}, "image_size"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_bad_arguments_name_the_argument(labelled, overrides, name):
    with pytest.raises(ValueError, match=name):
        _run(*labelled, **overrides)


def test_prepare_dir(labelled, tmp_path):
    arrays, info = labelled
    raw = tmp_path / "raw"
    write_npz(raw / "arrays.npz", **arrays)
    write_json(raw / "info.json", info)
    out_info = prepare_dir(raw, tmp_path / "prepared", seed=0, test_fraction=0.2, max_train=None, max_test=None, image_size=None)
    assert sorted(p.name for p in (tmp_path / "prepared").iterdir()) == ["info.json", "test.npz", "train.npz"]
    assert read_json(tmp_path / "prepared" / "info.json") == out_info
    with np.load(tmp_path / "prepared" / "train.npz") as npz:
        assert npz["x"].dtype == np.float32 and npz["y"].dtype == np.int64 and len(npz["x"]) == 160


def test_prepare_dir_failure_leaves_nothing(labelled, tmp_path):
    arrays, info = labelled
    raw = tmp_path / "raw"
    write_npz(raw / "arrays.npz", **arrays)
    write_json(raw / "info.json", info)
    with pytest.raises(ValueError, match="test_fraction"):
        prepare_dir(raw, tmp_path / "prepared", seed=0, test_fraction=2.0, max_train=None, max_test=None, image_size=None)
    assert not (tmp_path / "prepared").exists()


@pytest.mark.parametrize("count, fraction, needed", [(1, 0.2, 2), (2, 0.6, 3)])
def test_too_few_images_to_split_say_how_many_are_needed(count, fraction, needed):
    arrays = {"x_train": np.zeros((count, 8, 8, 1), np.uint8), "y_train": np.full(count, -1)}
    info = {"dataset": "mine", "source": "folder", "has_labels": False}
    with pytest.raises(DataSourceError) as error:
        _run(arrays, info, test_fraction=fraction)
    assert str(error.value) == (
        f"Cannot load dataset 'mine' from source 'folder': {count} image{'s' if count > 1 else ''} cannot be split "
        f"into train and test at test_fraction {fraction}. What to do: give it at least {needed} images "
        "(datasets.mine.path), or set datasets.mine.test_fraction so that each part gets one."
    )


def test_a_truncated_raw_file_names_itself_and_the_stage_that_writes_it(labelled, tmp_path):
    arrays, info = labelled
    raw = tmp_path / "raw" / "toy"
    write_npz(raw / "arrays.npz", **arrays)
    write_json(raw / "info.json", info)
    (raw / "arrays.npz").write_bytes((raw / "arrays.npz").read_bytes()[:5000])
    with pytest.raises(StorageError) as error:
        prepare_dir(raw, tmp_path / "prepared", seed=0, test_fraction=0.2, max_train=None, max_test=None, image_size=None)
    message = str(error.value)
    assert message.startswith(f"{raw / 'arrays.npz'} is truncated or corrupt (")
    assert message.endswith(f"); restore it (dvc checkout {raw}) or write it again (dvc repro -f download@toy)")
    assert not (tmp_path / "prepared").exists()
