"""Exact resume, for one model of every family that trains by epochs.

A run killed after its first epoch and started again must end exactly where an uninterrupted
run with the same params ends: the same saved weights, the same final losses and the same
curves (CPU, op determinism on). The kill is simulated in-process, right after the checkpoint
of epoch 1 is written; ``tests/test_resume_e2e.py`` kills a real ``dvc repro``.
"""

import csv
import importlib
import logging

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from genzoo import checkpoint, files  # noqa: E402
from genzoo.profile import render  # noqa: E402
from genzoo.runs import Run  # noqa: E402
from genzoo.runtime import seed_everything  # noqa: E402
from genzoo.training import TrainingDiverged  # noqa: E402

from scoring._fixtures import write_data  # noqa: E402

EPOCHS = 3
# One entry per family, at the smoke profile's sizes, with batches small enough for several
# steps an epoch on 60 images (the models' own names pick their module and family).
ENTRIES = {
    "gan_mlp": {"batch_size": 16},
    "wgan": {"batch_size": 8, "max_train": None},
    "vae_2": {"batch_size": 16},
    "aae_supervised": {"batch_size": 16},
    "mlp": {"batch_size": 16},
    "capsnet": {"batch_size": 16, "max_train": None, "conv_filters": 8, "primary_maps": 4},
    "cyclegan": {"batch_size": 4, "max_train": 24},
}


class _Killed(Exception):
    pass


@pytest.fixture(scope="module", autouse=True)
def _deterministic():
    tf.config.experimental.enable_op_determinism()


@pytest.fixture(scope="module")
def smoke_models():
    return render("smoke")[1]["models"]


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume-data")
    single = write_data(root / "digits", n_train=60, n_test=20)
    write_data(root / "pair" / "a", n_train=40, n_test=12)
    write_data(root / "pair" / "b", n_train=48, n_test=12, size=28)
    return {"single": single, "pair": root / "pair"}


def _entry(smoke_models, name):
    return {**smoke_models[name], **ENTRIES[name], "epochs": EPOCHS}


def _run(name, params, data, folder):
    return Run(name=name, params=params, seed=0, evaluation={}, data=data, trained=folder / "model",
               device={"device": "cpu"}, live=folder / "live", checkpoints=folder / "checkpoints")


def _train(name, params, data, folder, kill_after=None, monkeypatch=None):
    module = importlib.import_module(f"genzoo.models.{params['module']}")
    pipeline = importlib.import_module(f"genzoo.families.{params['family']}.pipeline")
    if kill_after is not None:
        save = checkpoint.Checkpoint.save

        def save_then_die(self, epochs_done):
            save(self, epochs_done)
            if epochs_done == kill_after:
                raise _Killed

        monkeypatch.setattr(checkpoint.Checkpoint, "save", save_then_die)
    seed_everything(0)  # as every stage does when it starts
    try:
        return pipeline.train(module, _run(name, params, data, folder))
    finally:
        if kill_after is not None:
            monkeypatch.undo()


def _weights(folder):
    saved = sorted(p for p in (folder / "model").iterdir() if p.suffix == ".keras")
    return {p.name: [np.asarray(w) for w in keras.models.load_model(p, compile=False).get_weights()] for p in saved}


def _curves(folder):
    """Every dvclive curve as (step, value) rows: the timestamps differ between runs."""
    curves = {}
    for path in sorted((folder / "live" / "plots" / "metrics").rglob("*.tsv")):
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        curves[path.name] = [(row["step"], row[path.stem]) for row in rows]
    return curves


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_a_killed_run_resumes_to_exactly_the_uninterrupted_result(name, smoke_models, datasets, tmp_path, monkeypatch):
    params = _entry(smoke_models, name)
    data = datasets["pair" if params["family"] == "cyclegan" else "single"]
    straight = _train(name, params, data, tmp_path / "straight")

    with pytest.raises(_Killed):
        _train(name, params, data, tmp_path / "killed", kill_after=1, monkeypatch=monkeypatch)
    assert not (tmp_path / "killed" / "model").exists()  # nothing half-written
    assert (tmp_path / "killed" / "checkpoints" / checkpoint.STATE).exists()
    resumed = _train(name, params, data, tmp_path / "killed")

    assert resumed["resumed_from_epoch"] == 1 and straight["resumed_from_epoch"] == 0
    assert resumed["final"] == straight["final"]
    expected, got = _weights(tmp_path / "straight"), _weights(tmp_path / "killed")
    assert expected.keys() == got.keys()
    for network in expected:
        for a, b in zip(expected[network], got[network], strict=True):
            np.testing.assert_array_equal(a, b, err_msg=f"{name}: {network} differs after the resume")
    curves = _curves(tmp_path / "killed")
    assert curves == _curves(tmp_path / "straight")
    assert all(len(rows) == EPOCHS for rows in curves.values())  # the killed run's epochs are kept


def test_a_checkpoint_of_other_params_is_not_resumed(smoke_models, datasets, tmp_path, monkeypatch):
    params = _entry(smoke_models, "gan_mlp")
    with pytest.raises(_Killed):
        _train("gan_mlp", params, datasets["single"], tmp_path / "run", kill_after=1, monkeypatch=monkeypatch)
    info = _train("gan_mlp", {**params, "g_learning_rate": 1e-3}, datasets["single"], tmp_path / "run")
    assert info["resumed_from_epoch"] == 0


def test_a_checkpoint_of_other_data_is_not_resumed(smoke_models, datasets, tmp_path, monkeypatch, caplog):
    params = _entry(smoke_models, "gan_mlp")
    with pytest.raises(_Killed):
        _train("gan_mlp", params, datasets["single"], tmp_path / "run", kill_after=1, monkeypatch=monkeypatch)
    other = write_data(tmp_path / "other", n_train=60, n_test=10)  # same size, other test split
    with np.load(other / files.TRAIN) as f:
        x, y = f["x"], f["y"]
    np.savez(other / files.TRAIN, x=x[::-1].copy(), y=y[::-1].copy())  # same images, other order
    with caplog.at_level(logging.INFO, logger="genzoo"):
        info = _train("gan_mlp", params, other, tmp_path / "run")
    assert info["resumed_from_epoch"] == 0
    assert "other params, data or code" in caplog.text


def test_an_unreadable_checkpoint_is_set_aside_and_training_starts_over(smoke_models, datasets, tmp_path, caplog):
    params = _entry(smoke_models, "vae_2")
    state = tmp_path / "run" / "checkpoints" / checkpoint.STATE
    state.parent.mkdir(parents=True)
    state.write_bytes(b"PK\x03\x04 cut short by a kill")
    with caplog.at_level(logging.WARNING, logger="genzoo"):
        info = _train("vae_2", params, datasets["single"], tmp_path / "run")
    assert info["resumed_from_epoch"] == 0
    assert [r.message for r in caplog.records if r.levelno == logging.WARNING][0].count("\n") == 0
    assert "cannot be resumed" in caplog.text
    assert (state.parent / checkpoint.SET_ASIDE / checkpoint.STATE).exists()
    straight = _train("vae_2", params, datasets["single"], tmp_path / "straight")
    assert info["final"] == straight["final"]


def test_a_loss_that_becomes_nan_stops_training_naming_the_model_epoch_and_loss(smoke_models, datasets, tmp_path):
    params = {**_entry(smoke_models, "mlp"), "learning_rate": 1e30}
    with pytest.raises(TrainingDiverged) as caught:
        _train("mlp", params, datasets["single"], tmp_path / "run")
    message = str(caught.value)
    assert message.startswith("mlp: loss became ") and "in epoch 1" in message and "\n" not in message
    assert not (tmp_path / "run" / "model").exists()
    assert not (tmp_path / "run" / "checkpoints" / checkpoint.STATE).exists()  # nothing to resume a NaN from
