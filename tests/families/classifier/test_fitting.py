"""Fit, persist and run both kinds of classifier: Keras networks and scikit-learn pipelines."""

import json
import time

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo import files
from genzoo.families.classifier import fitting  # noqa: E402
from genzoo.models import pyramid_svm  # noqa: E402

SVM_PARAMS = {"C": 1.0, "max_iter": 1000, "chunk": 16, "max_train": None}


def _toy(n=24):
    rng = np.random.default_rng(0)
    y = np.arange(n) % 3
    x = (rng.random((n, 28, 28, 1)) * 0.1).astype("float32")
    for image, k in zip(x, y):
        image[4 + 8 * k : 8 + 8 * k, 4:24] = 1.0
    return x, y


def _network(shape=(28, 28, 1), classes=3):
    keras.utils.set_random_seed(0)
    image = keras.Input(shape)
    hidden = keras.layers.BatchNormalization()(keras.layers.Flatten()(image))  # 2 of its 4 weights are not trained
    return keras.Model(image, keras.layers.Dense(classes)(hidden))


def test_timer_measures_the_block():
    with fitting.timer() as clock:
        assert clock["seconds"] is None
        time.sleep(0.02)
    assert 0.01 <= clock["seconds"] < 5


def test_parameters_of_a_network_and_of_an_svm():
    network = _network()
    # BatchNorm over 784 features: 2 × 784 trained, 2 × 784 moving statistics; Dense 784 × 3 + 3.
    assert fitting.count_parameters(network) == {
        "n_parameters": 4 * 784 + 784 * 3 + 3, "n_trainable_parameters": 2 * 784 + 784 * 3 + 3}
    x, y = _toy()
    svm = pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0).fit(x, y)
    assert fitting.count_parameters(svm) == {"n_parameters": 3 * 1050 + 3, "n_trainable_parameters": 3 * 1050 + 3}
    assert fitting.is_keras(network) and not fitting.is_keras(svm)


def test_fit_estimator_times_the_fit_and_logs_the_training_accuracy(tmp_path):
    x, y = _toy()
    model = pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0)
    timing = fitting.fit_estimator(model, x, y, live_dir=tmp_path / "live")
    assert set(timing) == {"train_seconds", "images_per_second", "converged", "final"}
    assert timing["converged"] is True and timing["final"] == {"accuracy": 1.0}
    assert json.loads((tmp_path / "live" / "metrics.json").read_text())["train"]["accuracy"] == 1.0
    unconverged = fitting.fit_estimator(pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS | {"max_iter": 1}, 0), x, y,
                                        live_dir=tmp_path / "live2")
    assert unconverged["converged"] is False  # liblinear's warning is recorded, not lost


def test_predict_gives_class_scores_for_both_kinds():
    x, y = _toy()
    svm = pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0).fit(x, y)
    assert fitting.predict(svm, x).shape == (24, 3)
    network = _network()
    np.testing.assert_allclose(fitting.predict(network, x, batch_size=5), network.predict(x, verbose=0), atol=1e-5)


def test_predict_applies_the_preprocess_hook_batch_by_batch():
    x, _ = _toy()
    network = _network(shape=(14, 14, 1))

    def shrink(images):
        return images[:, ::2, ::2]

    assert fitting.predict(network, x, batch_size=7, preprocess=shrink).shape == (24, 3)


def test_save_and_load_both_kinds(tmp_path):
    x, y = _toy()
    def untrained():
        return pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0)

    svm = untrained().fit(x, y)
    assert fitting.save(svm, tmp_path) == files.ESTIMATOR
    # The reloaded SVM is rebuilt from code plus its arrays: the same decisions, bit for bit.
    np.testing.assert_array_equal(fitting.load(tmp_path, files.ESTIMATOR, untrained).decision_function(x),
                                  svm.decision_function(x))
    network = _network()
    assert fitting.save(network, tmp_path) == files.KERAS_MODEL
    np.testing.assert_allclose(fitting.load(tmp_path, files.KERAS_MODEL, untrained).predict(x, verbose=0),
                               network.predict(x, verbose=0), atol=1e-6)


def test_loading_a_missing_model_says_which_stage_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"model\.keras is missing; run `dvc repro` for the model's train stage"):
        fitting.load(tmp_path, files.KERAS_MODEL, lambda: None)


def test_a_saved_svm_holds_no_pickle(tmp_path):
    # Unpickling runs code: a tampered file from a remote must not be able to. np.load
    # with allow_pickle=False refuses object arrays, so the file is plain arrays only.
    x, y = _toy()
    fitting.save(pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0).fit(x, y), tmp_path)
    with np.load(tmp_path / files.ESTIMATOR, allow_pickle=False) as f:
        assert sorted(f.files) == ["classes", "coef", "intercept", "standardise.mean_", "standardise.n_samples_seen_",
                                   "standardise.scale_", "standardise.var_"]
        assert all(f[key].dtype != object for key in f.files)


class _LeakDetector:
    """Wraps StandardScaler.fit: records the row count and the sum of every array it is fitted on."""

    def __init__(self, monkeypatch):
        from sklearn.preprocessing import StandardScaler

        self.fitted_on = []
        fit = StandardScaler.fit

        def recording_fit(scaler, x, y=None, **kwargs):
            self.fitted_on.append((len(x), float(np.asarray(x, np.float64).sum())))
            return fit(scaler, x, y, **kwargs)

        monkeypatch.setattr(StandardScaler, "fit", recording_fit)


@pytest.fixture
def leak_detector(monkeypatch):
    return _LeakDetector(monkeypatch)


def test_the_svm_standardiser_is_fitted_on_the_training_images_only(tmp_path, leak_detector):
    # Test images from another distribution: if they reached the standardiser, its mean would move.
    x, y = _toy()
    test = np.clip(x[::-1] + 0.5, 0, 1).astype("float32")

    def untrained():
        return pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0)

    fitting.fit_estimator(model := untrained(), x, y, live_dir=tmp_path / "live")
    fitting.save(model, tmp_path)
    fitting.predict(fitting.load(tmp_path, files.ESTIMATOR, untrained), test)
    features = pyramid_svm.pyramid_features(x, progress=False)
    # One fit, on the training images' features; predicting the test set fitted nothing.
    assert leak_detector.fitted_on == [(len(x), pytest.approx(float(features.astype(np.float64).sum()), rel=1e-6))]
    with np.load(tmp_path / files.ESTIMATOR) as f:
        np.testing.assert_allclose(f["standardise.mean_"], features.mean(axis=0), rtol=1e-5, atol=1e-6)


def test_the_leak_detector_sees_a_leak(tmp_path, leak_detector):
    # The fixture itself: a standardiser refitted on the test features is recorded.
    x, y = _toy()
    model = pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0).fit(x, y)
    model[1].fit(pyramid_svm.pyramid_features(x + 0.5, progress=False))
    assert len(leak_detector.fitted_on) == 2


def test_an_svm_saved_without_its_standardiser_says_to_retrain(tmp_path):
    x, y = _toy()
    model = pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0).fit(x, y)
    svm = model[-1]
    np.savez(tmp_path / files.ESTIMATOR, coef=svm.coef_, intercept=svm.intercept_, classes=svm.classes_)
    with pytest.raises(ValueError, match=r"has no standardise\.mean_; .* Re-run the model's train stage"):
        fitting.load(tmp_path, files.ESTIMATOR, lambda: pyramid_svm.build(x.shape[1:], 3, SVM_PARAMS, 0))
