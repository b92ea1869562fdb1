"""Fit, persist and run the two kinds of classifier: Keras networks and scikit-learn estimators."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

KERAS_FILE = "model.keras"
SKLEARN_FILE = "model.joblib"


@contextlib.contextmanager
def timer() -> Iterator[dict]:
    """Yield a dict whose ``seconds`` holds the block's wall time once the block ends."""
    clock = {"seconds": None}
    start = time.perf_counter()
    try:
        yield clock
    finally:
        clock["seconds"] = round(time.perf_counter() - start, 2)


def is_keras(model) -> bool:
    import keras

    return isinstance(model, keras.Model)


def count_parameters(model) -> dict:
    """All and trainable parameters; for a linear SVM, its weights and intercepts."""
    if is_keras(model):
        trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
        return {"n_parameters": int(model.count_params()), "n_trainable_parameters": trainable}
    svm = model[-1]
    n = int(svm.coef_.size + np.size(svm.intercept_))
    return {"n_parameters": n, "n_trainable_parameters": n}


def _dataset(x: np.ndarray, batch_size: int, preprocess: Callable | None):
    """Test-time batches in order; the model's own preprocessing runs batch by batch."""
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices(x).batch(batch_size)
    if preprocess is not None:
        data = data.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)


def fit_keras(
    model, x: np.ndarray, y: np.ndarray, *, epochs: int, batch_size: int, seed: int, live_dir: Path,
    preprocess: Callable | None = None, callbacks: list | None = None,
) -> dict:
    """``model.fit`` with per-epoch loss and accuracy logged to dvclive; returns the timing."""
    import tensorflow as tf

    from genzoo.training import LiveLogger, batches, open_live

    data = batches(x, y, batch_size, seed)
    if preprocess is not None:
        # After batching: the upscaled copies exist one batch at a time.
        data = data.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
    live = open_live(live_dir)
    logger = LiveLogger(live, None, grid_every=1, epochs=epochs)
    with timer() as clock:
        # `batches` already reshuffles every epoch; Keras cannot shuffle a tf.data.Dataset itself.
        history = model.fit(data, epochs=epochs, verbose=2, shuffle=False, callbacks=[*(callbacks or []), logger])
    live.end()
    return {
        "train_seconds": clock["seconds"],
        "images_per_second": round(len(x) * epochs / clock["seconds"], 1),
        "epochs": epochs,
        "final": {name: float(values[-1]) for name, values in history.history.items()},
    }


def fit_estimator(model, x: np.ndarray, y: np.ndarray, *, live_dir: Path) -> dict:
    """Fit a features → classifier scikit-learn pipeline; log its training accuracy to dvclive.

    The steps are fitted one by one so the features computed once serve both the fit and
    the training accuracy (featurisation is the slow part).
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from genzoo.training import open_live

    *steps, (_, classifier) = model.steps
    with timer() as clock:
        features = x
        for _, step in steps:
            features = step.fit_transform(features, y)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            classifier.fit(features, y)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    train_accuracy = float(classifier.score(features, y))
    live = open_live(live_dir)
    live.log_metric("train/accuracy", train_accuracy)
    live.end()
    return {
        "train_seconds": clock["seconds"],
        "images_per_second": round(len(x) / clock["seconds"], 1),
        "converged": converged,
        "final": {"accuracy": train_accuracy},
    }


def predict(model, x: np.ndarray, *, batch_size: int = 256, preprocess: Callable | None = None) -> np.ndarray:
    """Class scores (N, n_classes): logits of a network, decision values of an SVM."""
    if is_keras(model):
        return np.asarray(model.predict(_dataset(x, batch_size, preprocess), verbose=0))
    return np.asarray(model.decision_function(x))


def save(model, out_dir: Path) -> str:
    """Write the model into ``out_dir``; return the file name."""
    if is_keras(model):
        model.save(out_dir / KERAS_FILE)
        return KERAS_FILE
    import joblib

    joblib.dump(model, out_dir / SKLEARN_FILE)
    return SKLEARN_FILE


def load(trained_dir: Path, file_name: str):
    path = trained_dir / file_name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; run `dvc repro` for the model's train stage first")
    if file_name == SKLEARN_FILE:
        import joblib

        return joblib.load(path)
    import keras

    return keras.models.load_model(path)
