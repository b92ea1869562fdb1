"""The CycleGAN stages called as (module, run) on a joined pair: train → sample → evaluate."""

import json
import shutil

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo import files  # noqa: E402
from genzoo.data.pair import join  # noqa: E402
from genzoo.families.cyclegan import pipeline  # noqa: E402
from genzoo.families.cyclegan.figures import fixed_examples  # noqa: E402
from genzoo.families.cyclegan.scores import accuracy, cycle_error, per_class_accuracy  # noqa: E402
from genzoo.headline import model_headline  # noqa: E402
from genzoo.io import read_json, write_json  # noqa: E402
from genzoo.models import cyclegan  # noqa: E402

from scoring._fixtures import EVALUATION, make_run  # noqa: E402

PARAMS = {"module": "cyclegan", "family": "cyclegan", "dataset": "pair", "epochs": 2, "batch_size": 8,
          "max_train": None, "width": 2, "n_blocks": 1, "d_width": 2, "d_layers": 2, "learning_rate": 2e-4,
          "beta_1": 0.5, "cycle_weight": 10.0, "identity_weight": 0.5, "buffer_size": 10, "grid_every": 1}


@pytest.fixture(scope="module")
def pair(digits, tmp_path_factory):
    """The 10-class digits fixture as domain A, and a renamed copy of it as domain B, joined."""
    data, reference = digits
    tmp = tmp_path_factory.mktemp("pair")
    shutil.copytree(data, tmp / "b_data")
    info = read_json(tmp / "b_data" / files.INFO)
    write_json(tmp / "b_data" / files.INFO, info | {"dataset": "other_digits"})
    join("pair", {"a": data, "b": tmp / "b_data"}, {"a": reference, "b": reference}, tmp / "data", tmp / "reference")
    return tmp / "data", tmp / "reference"


def test_accuracy_and_cycle_error_by_hand():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert accuracy(probs, np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert per_class_accuracy(probs, np.array([0, 1, 1])) == [1.0, 0.5]
    assert per_class_accuracy(probs[:2], np.array([0, 2])) == [1.0, None, 0.0]
    x = np.zeros((1, 2, 2, 1), "float32")
    assert cycle_error(x, np.array([0.5, 0.5, 0.0, 1.0], "float32").reshape(1, 2, 2, 1)) == pytest.approx(0.5)


def test_fixed_examples_take_the_first_of_each_class_or_the_first_n():
    x = np.arange(6, dtype="float32").reshape(6, 1, 1, 1)
    np.testing.assert_array_equal(fixed_examples(x, np.array([2, 0, 2, 1, 0, 1]))[:, 0, 0, 0], [1, 3, 0])
    np.testing.assert_array_equal(fixed_examples(x, np.full(6, -1), n=4)[:, 0, 0, 0], [0, 1, 2, 3])


def test_train_sample_evaluate(pair, tmp_path):
    data, reference = pair
    run = make_run(tmp_path, "cyclegan", PARAMS, data, reference=reference)
    info = pipeline.train(cyclegan, run)
    assert sorted(p.name for p in run.trained.iterdir()) == sorted([pipeline.G, pipeline.F, pipeline.D_A, pipeline.D_B, files.INFO])
    assert read_json(run.trained / files.INFO) == info
    assert info["n_train"] == {"a": 60, "b": 60} and info["steps_per_epoch"] == 8 and info["epochs"] == 2
    assert all(np.isfinite(v) for v in info["final"].values())
    assert list((run.live / "plots" / "images").rglob("epoch_0002.png"))  # the per-epoch translation grid
    curves = run.live / "plots" / "metrics" / "train"
    assert sorted(p.stem for p in curves.glob("*.tsv")) == sorted(c.split("/")[1] for c in cyclegan.CURVES)

    pipeline.sample(cyclegan, run)
    assert sorted(p.name for p in run.figures.iterdir()) == ["translation_a_to_b.png", "translation_b_to_a.png"]
    with np.load(run.samples / pipeline.TRANSLATIONS) as f:
        assert f["a_to_b"].shape == (30, 28, 28, 1) and f["b_cycle"].shape == (30, 28, 28, 1)
        assert f["a_to_b"].min() >= 0.0 and f["a_to_b"].max() <= 1.0

    metrics = pipeline.evaluate(cyclegan, run)
    assert json.loads(run.details.read_text()) == metrics
    headline = json.loads(run.metrics.read_text())
    assert headline == model_headline(metrics)
    assert {"label_ab", "label_ba", "fid_ab", "fid_ba", "cycle_a", "cycle_b"} <= set(headline)
    for direction in ("a_to_b", "b_to_a"):
        scored = metrics[direction]
        assert scored["n_scored"] == min(30, EVALUATION["n_samples"])
        assert set(scored["fid"]) == {"value", "floor"}
        # Both domains are the same images here: the target's test set scores its own floor.
        lp = scored["label_preservation"]
        assert lp["n"] == 30 and 0.0 <= lp["value"] <= 1.0 and len(lp["per_class"]) == 10
        assert lp["untranslated"] == lp["target_test"]
    assert metrics["pair"] == {"a": "mnist", "b": "other_digits"}
    assert 0.0 <= metrics["cycle_l1_a"] <= 1.0


def test_training_is_deterministic_for_a_seed(pair, tmp_path):
    """Seeded as the stage seeds it, with op determinism as on the CPU, a run repeats exactly."""
    import tensorflow as tf

    from genzoo.runtime import seed_everything

    tf.config.experimental.enable_op_determinism()
    data, reference = pair
    params = PARAMS | {"epochs": 1}
    finals = []
    for attempt in ("1", "2"):
        seed_everything(0)
        finals.append(pipeline.train(cyclegan, make_run(tmp_path / attempt, "cyclegan", params, data, reference=reference))["final"])
    assert finals[0] == finals[1]


def test_a_fresh_process_that_imports_the_pipeline_loads_the_generators(tmp_path):
    """The evaluate stage loads G and F in a process of its own: their padding layer must be registered."""
    import subprocess
    import sys

    cyclegan.build((28, 28, 1), None, PARAMS, 0).g.save(tmp_path / pipeline.G)
    code = ("import sys, keras; from genzoo.families.cyclegan import pipeline; "
            f"print(keras.models.load_model(sys.argv[1]).name)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / pipeline.G)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "g_a_to_b"
