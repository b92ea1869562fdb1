"""The training loop: timing and final losses, dvclive curves and grids, callbacks, per-batch preprocessing."""

import csv

import numpy as np
import pytest

keras = pytest.importorskip("keras")
import tensorflow as tf  # noqa: E402

from genzoo.training import batches, fit, open_live  # noqa: E402


def _model(shape):
    """A linear regression on the flattened image: tiny, and its loss falls at once."""
    keras.utils.set_random_seed(0)
    image = keras.Input(shape)
    model = keras.Model(image, keras.layers.Dense(1)(keras.layers.Flatten()(image)))
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return model


def _data(n=32, size=4):
    rng = np.random.default_rng(0)
    x = rng.random((n, size, size, 1)).astype("float32")
    return x, x.mean(axis=(1, 2, 3)).astype("float32")  # the target: each image's mean brightness


class _Logs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append((epoch, dict(logs)))


def test_fit_returns_the_timing_and_the_final_losses():
    x, y = _data()
    seen = _Logs()
    timing = fit(_model(x.shape[1:]), x, y, epochs=3, batch_size=8, seed=0, callbacks=[seen])
    assert set(timing) == {"train_seconds", "images_per_second", "epochs", "final", "speed", "resumed_from_epoch"}
    assert timing["speed"] is None  # no settings given: Keras' defaults
    assert timing["epochs"] == 3 and timing["train_seconds"] >= 0 and timing["images_per_second"] > 0
    assert [epoch for epoch, _ in seen.epochs] == [0, 1, 2]  # the caller's callbacks run too
    assert timing["final"] == {"loss": pytest.approx(seen.epochs[-1][1]["loss"])}
    assert seen.epochs[-1][1]["loss"] < seen.epochs[0][1]["loss"]


def test_fit_logs_every_epoch_and_the_grids_to_dvclive(tmp_path):
    x, y = _data()
    live = tmp_path / "live"
    drawn = []

    def draw_grid():
        drawn.append(True)
        return np.zeros((4, 2, 2, 1), "float32")

    fit(_model(x.shape[1:]), x, y, epochs=3, batch_size=8, seed=0, live_dir=live, draw_grid=draw_grid, grid_every=2)
    with open(live / "plots" / "metrics" / "train" / "loss.tsv") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert [row["step"] for row in rows] == ["0", "1", "2"] and all(np.isfinite(float(r["loss"])) for r in rows)
    # Every grid_every epochs, and after the last one.
    images = sorted(p.name for p in (live / "plots" / "images" / "samples").iterdir())
    assert images == ["epoch_0002.png", "epoch_0003.png"] and len(drawn) == 2
    # dvc.yaml declares the plots itself: dvclive writes no dvc.yaml of its own.
    assert not list(tmp_path.rglob("dvc.yaml"))


def test_without_a_live_dir_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x, y = _data()
    fit(_model(x.shape[1:]), x, y, epochs=1, batch_size=8, seed=0)
    assert list(tmp_path.iterdir()) == []


def test_preprocess_maps_every_batch_before_the_model_sees_it():
    """The network takes 8×8 images, the data are 4×4: it trains only through the resize."""
    x, y = _data(size=4)
    with pytest.raises(ValueError):
        fit(_model((8, 8, 1)), x, y, epochs=1, batch_size=8, seed=0)

    def enlarge(images, *rest):
        return (tf.image.resize(images, (8, 8), method="nearest"), *rest)

    timing = fit(_model((8, 8, 1)), x, y, epochs=2, batch_size=8, seed=0, preprocess=enlarge)
    assert np.isfinite(timing["final"]["loss"])


def test_batches_reshuffle_every_epoch_the_same_way_for_a_seed():
    x = np.arange(12, dtype="float32")

    def two_epochs(seed):
        data = batches(x, None, 4, seed)
        return [np.concatenate([b[0].numpy() for b in data]) for _ in range(2)]

    first, second = two_epochs(0)
    assert sorted(first) == list(x) and not np.array_equal(first, second)  # a new order each epoch
    again = two_epochs(0)
    np.testing.assert_array_equal(first, again[0])
    np.testing.assert_array_equal(second, again[1])
    labelled = next(iter(batches(x, x * 10, 4, 0)))
    np.testing.assert_array_equal(labelled[1].numpy(), labelled[0].numpy() * 10)  # pairs stay together


def test_open_live_makes_no_dvc_yaml_and_no_experiment(tmp_path):
    live = open_live(tmp_path / "live")
    live.log_metric("x", 1.0)
    live.end()
    assert (tmp_path / "live" / "metrics.json").is_file()
    assert not list(tmp_path.rglob("dvc.yaml"))
