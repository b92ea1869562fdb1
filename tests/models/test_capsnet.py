"""capsnet: capsule maths against hand values, routing, shapes, training, resume, bad params."""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")
import tensorflow as tf  # noqa: E402

from genzoo.config import ParamsError, check_section  # noqa: E402
from genzoo.families.capsnet import pipeline  # noqa: E402
from genzoo.families.capsnet.classification import confusion_rows, per_class_accuracy  # noqa: E402
from genzoo.families.capsnet.figures import tweak_poses  # noqa: E402
from genzoo.families.capsnet.layers import DigitCaps, PrimaryCaps, route, safe_norm, squash  # noqa: E402
from genzoo.families.capsnet.network import build_capsnet, margin_loss, mask  # noqa: E402
from genzoo.models import capsnet  # noqa: E402

PARAMS = {
    "epochs": 2,
    "batch_size": 8,
    "routing_iterations": 3,
    "learning_rate": 0.001,
    "reconstruction_weight": 0.0005,
    "max_train": None,
}
TINY_SHAPE = (12, 12, 1)
# 12×12 → conv 5×5 → 8×8×8 → primary 3×3 stride 2 → 3×3×4 capsules of 4-D → 10 digit capsules of 4-D.
# With 36 input capsules instead of 1152, the paper's W ~ N(0, 0.01) leaves the digit capsules
# ~1e-6 long, where squash's slope is ~0; a wider W puts the tiny net where the big one starts.
TINY = dict(conv_filters=8, conv_kernel=5, primary_maps=4, primary_dims=4, primary_kernel=3, digit_dims=4,
            decoder_hidden=(16, 32), w_stddev=0.5)


def tiny_model(routing_iterations=3, seed=0):
    keras.utils.set_random_seed(seed)
    model = build_capsnet(TINY_SHAPE, routing_iterations=routing_iterations, **TINY)
    model.compile(optimizer=keras.optimizers.Adam(0.01))
    return model


@pytest.fixture
def batch():
    """16 fixed 12×12 images, class k a bright bar at row k, so the classes are learnable."""
    labels = np.arange(16) % 10
    images = np.zeros((16, *TINY_SHAPE), "float32")
    for image, k in zip(images, labels):
        image[k + 1, 2:10] = 1.0
    return images, labels


def test_squash_norm_and_direction():
    s = np.array([[3.0, 4.0], [0.3, -0.4], [0.0, 2.0]], "float32")
    v = keras.ops.convert_to_numpy(squash(s))
    norm_s = np.linalg.norm(s, axis=-1)
    np.testing.assert_allclose(np.linalg.norm(v, axis=-1), norm_s**2 / (1 + norm_s**2), rtol=1e-5)
    np.testing.assert_allclose(v / np.linalg.norm(v, axis=-1, keepdims=True), s / norm_s[:, None], rtol=1e-5)


def test_safe_norm_of_zero_has_finite_gradients():
    zero = tf.zeros((2, 3, 16))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(zero)
        norm = safe_norm(zero)
        squashed = squash(zero)
    assert np.isfinite(tape.gradient(norm, zero).numpy()).all()
    assert np.isfinite(tape.gradient(squashed, zero).numpy()).all()
    assert float(tf.reduce_max(norm)) < 1e-3


def test_margin_loss_matches_hand_computation():
    lengths = np.array([[0.95, 0.5, 0.05], [0.2, 0.8, 0.3]], "float32")
    labels = np.array([0, 2])
    # example 0: present 0.95 ≥ 0.9 → 0; absent 0.5 → .5(.4)² = .08; absent 0.05 ≤ 0.1 → 0
    # example 1: absent 0.2 → .5(.1)² = .005; absent 0.8 → .5(.7)² = .245; present 0.3 → (.6)² = .36
    expected = (0.08 + (0.005 + 0.245 + 0.36)) / 2
    assert float(margin_loss(labels, lengths)) == pytest.approx(expected, rel=1e-5)


def test_one_routing_iteration_is_uniform_coupling():
    u_hat = np.random.default_rng(0).normal(size=(2, 7, 3, 4)).astype("float32")
    v = keras.ops.convert_to_numpy(route(u_hat, 1))
    expected = keras.ops.convert_to_numpy(squash(u_hat.sum(axis=1) / 3))  # c_ij = 1/3 for 3 outputs
    np.testing.assert_allclose(v, expected, rtol=1e-5, atol=1e-6)
    # More iterations move the coupling away from uniform.
    assert not np.allclose(keras.ops.convert_to_numpy(route(u_hat, 3)), expected, atol=1e-4)


def test_each_example_routes_on_its_own():
    rng = np.random.default_rng(1)
    a, b = (rng.normal(size=(1, 7, 3, 4)).astype("float32") for _ in range(2))
    together = keras.ops.convert_to_numpy(route(np.concatenate([a, b]), 3))
    alone = np.concatenate([keras.ops.convert_to_numpy(route(x, 3)) for x in (a, b)])
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-6)


def test_predictions_are_W_times_u_for_every_pair():
    layer = DigitCaps(capsules=3, dims=4, routing_iterations=1)
    u = np.random.default_rng(2).normal(size=(2, 5, 6)).astype("float32")
    layer.build(u.shape)
    W = keras.ops.convert_to_numpy(layer.W)
    expected = np.stack([[[W[i, j] @ u[b, i] for j in range(3)] for i in range(5)] for b in range(2)])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer.predictions(u)), expected, rtol=1e-4, atol=1e-5)


def test_paper_network_shapes_and_size():
    model = build_capsnet((28, 28, 1))
    primary = PrimaryCaps()
    assert primary.compute_output_shape((None, 20, 20, 256)) == (None, 1152, 8)
    assert tuple(model.encoder.get_layer("digit_caps").W.shape) == (1152, 10, 16, 8)
    # conv1 20,992 + primary 5,308,672 + W 1,474,560 + decoder 1,411,344: the paper's ≈ 8.2M.
    assert model.count_params() == 8_215_568
    out = model(np.zeros((2, 28, 28, 1), "float32"))
    assert tuple(out["capsules"].shape) == (2, 10, 16)
    assert tuple(out["lengths"].shape) == (2, 10)
    recon = keras.ops.convert_to_numpy(out["reconstructions"])
    assert recon.shape == (2, 28, 28, 1) and recon.min() >= 0.0 and recon.max() <= 1.0
    lengths = keras.ops.convert_to_numpy(out["lengths"])
    assert (lengths >= 0).all() and (lengths < 1).all()


def test_mask_keeps_only_the_chosen_capsule():
    capsules = np.arange(2 * 3 * 2, dtype="float32").reshape(2, 3, 2) + 1
    masked = keras.ops.convert_to_numpy(mask(capsules, np.array([2, 0])))
    np.testing.assert_array_equal(masked, [[0, 0, 0, 0, 5, 6], [7, 8, 0, 0, 0, 0]])


def test_one_fit_step_is_finite(batch):
    history = tiny_model().fit(*batch, batch_size=16, epochs=1, verbose=0)
    for name in ("loss", "margin_loss", "reconstruction_loss", "accuracy"):
        assert np.isfinite(history.history[name][-1]), name


def test_loss_falls_on_a_fixed_batch(batch):
    history = tiny_model().fit(*batch, batch_size=16, epochs=25, verbose=0, shuffle=False)
    losses = history.history["margin_loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_pose_tweaks_move_one_dimension_each():
    capsule = np.arange(4, dtype="float32")
    tweaked = tweak_poses(capsule, amount=0.25, steps=11)
    assert tweaked.shape == (4, 11, 4)
    change = tweaked - capsule
    np.testing.assert_allclose(change[2, :, 2], np.linspace(-0.25, 0.25, 11), atol=1e-7)
    assert np.count_nonzero(np.delete(change[2], 2, axis=-1)) == 0


def test_per_class_accuracy_and_confusion_rows():
    labels, predicted = np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 0])
    assert per_class_accuracy(labels, predicted, ["a", "b", "c"]) == {"a": 0.5, "b": pytest.approx(2 / 3), "c": None}
    assert confusion_rows(labels[:2], predicted[:2], ["a", "b"]) == [
        {"actual": "a", "predicted": "a"}, {"actual": "a", "predicted": "b"},
    ]


class _Killed(Exception):
    pass


class _KillAfterFirstEpoch(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            raise _Killed


class _EpochRecorder(keras.callbacks.Callback):
    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(epoch)


def test_training_resumes_after_an_interruption(tmp_path, batch, monkeypatch):
    """Killed after epoch 1 of 2, the rerun trains epoch 2 only, from the checkpoint."""
    images, labels = batch
    data = tmp_path / "data"
    data.mkdir()
    np.savez(data / "train.npz", x=images, y=labels)

    class TinyModule:
        @staticmethod
        def build(image_shape, params, seed):
            return tiny_model(params["routing_iterations"], seed)

    monkeypatch.setattr(pipeline.models, "get", lambda name: TinyModule)
    real_fit, seen = pipeline.fit, []

    def fit_with(extra):
        return lambda *a, callbacks, **kw: real_fit(*a, callbacks=callbacks + extra, **kw)

    dirs = dict(data_dir=data, out_dir=tmp_path / "model", live_dir=tmp_path / "live",
                checkpoint_dir=tmp_path / "ckpt")
    run = dict(params=PARAMS, seed=0, device={"device": "cpu"})
    monkeypatch.setattr(pipeline, "fit", fit_with([_KillAfterFirstEpoch()]))
    with pytest.raises(_Killed):
        pipeline.train("capsnet", **dirs, **run)
    assert (tmp_path / "ckpt" / "training_metadata.json").exists()
    assert not (tmp_path / "model").exists()  # nothing half-written

    monkeypatch.setattr(pipeline, "fit", fit_with([_EpochRecorder(seen)]))
    info = pipeline.train("capsnet", **dirs, **run)
    assert seen == [1]
    assert info["resumed_from_epoch"] == 1
    assert (tmp_path / "model" / "encoder.keras").exists()
    assert list((tmp_path / "ckpt").iterdir()) == []  # the next run starts afresh

    # A checkpoint left by other params is not resumed.
    seen.clear()
    monkeypatch.setattr(pipeline, "fit", fit_with([_KillAfterFirstEpoch()]))
    with pytest.raises(_Killed):
        pipeline.train("capsnet", **dirs, **run)
    monkeypatch.setattr(pipeline, "fit", fit_with([_EpochRecorder(seen)]))
    pipeline.train("capsnet", **dirs, **(run | {"params": PARAMS | {"learning_rate": 0.002}}))
    assert seen == [0, 1]


def test_sample_and_evaluate_write_figures_confusion_and_metrics(tmp_path, batch, monkeypatch):
    images, labels = batch
    data = tmp_path / "data"
    data.mkdir()
    np.savez(data / "train.npz", x=images, y=labels)
    np.savez(data / "test.npz", x=images[:12], y=labels[:12])
    (data / "info.json").write_text('{"class_names": ["0","1","2","3","4","5","6","7","8","9"]}')

    class TinyModule:
        @staticmethod
        def build(image_shape, params, seed):
            return tiny_model(params["routing_iterations"], seed)

    monkeypatch.setattr(pipeline.models, "get", lambda name: TinyModule)
    pipeline.train("capsnet", data_dir=data, out_dir=tmp_path / "model", live_dir=tmp_path / "live",
                   checkpoint_dir=tmp_path / "ckpt", params=PARAMS | {"epochs": 1}, seed=0, device={"device": "cpu"})
    pipeline.sample("capsnet", trained_dir=tmp_path / "model", data_dir=data, out_dir=tmp_path / "samples",
                    params=PARAMS, evaluation={}, seed=0)
    for name in ("figures/reconstructions.png", "figures/pose.png", "data/predictions.npz", "data/confusion.json"):
        assert (tmp_path / "samples" / name).is_file(), name
    metrics = pipeline.evaluate("capsnet", trained_dir=tmp_path / "model", samples_dir=tmp_path / "samples",
                                data_dir=data, evaluator_dir=None, out_path=tmp_path / "m.json",
                                params=PARAMS, evaluation={}, seed=0)
    rows = json.loads((tmp_path / "samples/data/confusion.json").read_text())
    assert len(rows) == 12 and set(rows[0]) == {"actual", "predicted"}
    right = sum(r["actual"] == r["predicted"] for r in rows)
    assert metrics["accuracy"] == pytest.approx(right / 12, abs=1e-4)
    assert metrics["error"] == pytest.approx(1 - metrics["accuracy"], abs=1e-4)
    assert metrics["parameters"] > 0 and metrics["reconstruction_error"] > 0
    assert set(metrics["per_class_accuracy"]) == {str(k) for k in range(10)}
    assert json.loads((tmp_path / "m.json").read_text()) == metrics


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("routing_iterations", 0, ">= 1"),
        ("epochs", 1.5, "int"),
        ("max_train", 0, ">= 1"),
        ("learning_rate", "fast", "int or float"),
    ],
)
def test_bad_params_name_the_key(key, value, message):
    with pytest.raises(ParamsError, match=f"models.capsnet.{key}.*{message}"):
        check_section("models.capsnet", PARAMS | {key: value}, capsnet.PARAMS)
