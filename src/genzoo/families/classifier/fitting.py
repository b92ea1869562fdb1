"""Fit, persist and run the two kinds of classifier: Keras networks and scikit-learn estimators."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from genzoo import files


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
        # The clock rounds to 0.01 s; a faster fit counts as that long rather than dividing by 0.
        "images_per_second": round(len(x) / max(clock["seconds"], 0.01), 1),
        "converged": converged,
        "final": {"accuracy": train_accuracy},
    }


def predict(model, x: np.ndarray, *, batch_size: int = 256, preprocess: Callable | None = None) -> np.ndarray:
    """Class scores (N, n_classes): logits of a network, decision values of an SVM."""
    if is_keras(model):
        return np.asarray(model.predict(_dataset(x, batch_size, preprocess), verbose=0))
    return np.asarray(model.decision_function(x))


def save(model, out_dir: Path) -> str:
    """Write the model into ``out_dir``; return the file name.

    A Keras network is saved whole. A scikit-learn pipeline is not pickled: unpickling runs
    arbitrary code, so a tampered file pulled from a remote could. Its featuriser is code,
    rebuilt from the model module on load; only the linear classifier's learned arrays are
    stored, as a plain npz.
    """
    if is_keras(model):
        model.save(out_dir / files.KERAS_MODEL)
        return files.KERAS_MODEL
    from genzoo.io import write_npz

    classifier = model[-1]
    write_npz(out_dir / files.ESTIMATOR, coef=classifier.coef_, intercept=classifier.intercept_,
              classes=classifier.classes_, **_fitted_steps(model))
    return files.ESTIMATOR


def _learned(step) -> tuple[str, ...]:
    """The learned attributes of a pipeline step before the classifier (a standardiser's
    statistics); the other steps are stateless functions of the model module."""
    from sklearn.preprocessing import StandardScaler

    return ("mean_", "var_", "scale_", "n_samples_seen_") if isinstance(step, StandardScaler) else ()


def _fitted_steps(model) -> dict[str, np.ndarray]:
    """``{"<step>.<attribute>": array}`` for every learned array of the steps before the classifier."""
    return {f"{name}.{attribute}": np.asarray(getattr(step, attribute))
            for name, step in model.steps[:-1] for attribute in _learned(step)}


def load(trained_dir: Path, file_name: str, untrained: Callable[[], object]):
    """The saved model; ``untrained()`` builds the same pipeline, into which a linear classifier's arrays go.

    Keras models load in safe mode, which refuses to deserialise code (lambdas).
    """
    path = trained_dir / file_name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; run `dvc repro` for the model's train stage first")
    if file_name == files.ESTIMATOR:
        model = untrained()
        classifier = model[-1]
        with np.load(path, allow_pickle=False) as f:
            classifier.coef_, classifier.intercept_, classifier.classes_ = f["coef"], f["intercept"], f["classes"]
            for name, step in model.steps[:-1]:
                for attribute in _learned(step):
                    key = f"{name}.{attribute}"
                    if key not in f:
                        raise ValueError(f"{path} has no {key}; it was saved by another version of the model. "
                                         "Re-run the model's train stage")
                    setattr(step, attribute, f[key])
                if _learned(step):
                    step.n_features_in_ = len(step.mean_)
        return model
    import keras

    return keras.models.load_model(path, safe_mode=True)
