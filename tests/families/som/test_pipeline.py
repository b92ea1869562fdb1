"""The SOM stages called as (module, run): train with dvclive, the mosaic and maps, the errors."""

import csv
import json

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from genzoo import files  # noqa: E402
from genzoo.families.som import kohonen, pipeline  # noqa: E402
from genzoo.io import read_json  # noqa: E402
from genzoo.models import som  # noqa: E402
from genzoo.subset import seeded_indices  # noqa: E402
from genzoo.headline import model_headline

from scoring._fixtures import make_run, write_data  # noqa: E402

PARAMS = {"module": "som", "family": "som", "dataset": "faces", "rows": 2, "cols": 3, "adjust_iterations": 4,
          "converge_iterations": 2, "eta0": 1.0, "sigma0": 1.0, "tau": 2.0, "converge_eta": 0.2,
          "converge_sigma": 1.0, "max_samples": 40, "log_every": 2}


def test_train_sample_evaluate(tmp_path):
    data = write_data(tmp_path / "data", labelled=False, size=8)
    run = make_run(tmp_path, "som", PARAMS, data)
    info = pipeline.train(som, run)
    assert read_json(run.trained / files.INFO) == info
    assert info["n_samples"] == 40 and info["iterations"] == 6 and info["image_shape"] == [8, 8, 1]
    assert info["data_source"] == "generated" and info["device"] == "cpu"
    with np.load(run.trained / files.SOM_WEIGHTS) as f:
        weights, indices = f["weights"], f["indices"]
    assert weights.shape == (6, 64)
    np.testing.assert_array_equal(indices, seeded_indices(60, 40, 0))  # the seeded subset it trained on
    # dvclive logged both errors at iterations 0, 2, 4 and 6.
    with open(run.live / "plots" / "metrics" / "quantization_error.tsv") as f:
        assert [row["step"] for row in csv.DictReader(f, delimiter="\t")] == ["0", "2", "4", "6"]
    assert (run.live / "plots" / "metrics" / "topographic_error.tsv").is_file()

    pipeline.sample(som, run)
    assert sorted(p.name for p in run.figures.iterdir()) == ["hit_map.png", "mosaic.png", "u_matrix.png"]
    maps = read_json(run.samples / "map.json")
    assert np.array(maps["hits"]).shape == (2, 3) and np.sum(maps["hits"]) == 40
    assert np.array(maps["u_matrix"]).shape == (2, 3)

    metrics = pipeline.evaluate(som, run)
    assert json.loads(run.details.read_text()) == metrics
    assert json.loads(run.metrics.read_text()) == model_headline(metrics)
    assert metrics["n_samples"] == 40 and metrics["n_test"] == 30 and (metrics["rows"], metrics["cols"]) == (2, 3)
    with np.load(data / files.TEST) as f:
        test = kohonen.unit_norm(f["x"].reshape(30, -1))
    assert metrics["quantization_error"]["test"] == pytest.approx(kohonen.quantization_error(weights, test))
    assert metrics["topographic_error"]["test"] == pytest.approx(kohonen.topographic_error(weights, test, 2, 3))
    assert metrics["quantization_error"]["train"] == pytest.approx(info["final"]["quantization_error"])
