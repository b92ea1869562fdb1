"""The project side of the benchmark: each family's own training path, one epoch at a time.

Every function here calls what the stage and the family pipeline call (``runtime.setup``,
``genzoo.models.<module>.build``, then ``genzoo.training.fit`` with the pipeline's own
arguments and performance settings), so a change to any of them shows up in the benchmark
without touching it. What is left out is what does not train: dvclive logging (no
``live_dir``) and the CapsNet's per-epoch ``BackupAndRestore`` checkpoint, which is disk
I/O for resuming a killed run.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

# The keys ``training.fit`` returns today; anything else it returns later (the settings it
# used, say) is recorded with the results.
FIT_KEYS = {"train_seconds", "images_per_second", "epochs", "final"}


def model_view(module: ModuleType, section: dict, x: np.ndarray, seed: int) -> np.ndarray:
    """The images as the family pipeline hands them to ``fit``: for a GAN, resized to ``image_size``.

    ``max_train`` is the benchmark's to choose (its epoch size), so it is not applied here.
    """
    if module.FAMILY == "gan":
        from genzoo.families.gan.pipeline import training_images

        return training_images(x, {**section, "max_train": None}, seed)
    return x


def build_model(module: ModuleType, image_shape: tuple, n_classes: int, section: dict, seed: int):
    """The compiled model the pipeline trains, built by the model module itself."""
    from genzoo.families.aae.model import N_CLASSES

    classes = {"gan": None, "vae": None, "aae": N_CLASSES}.get(module.FAMILY, n_classes)
    return module.build(tuple(image_shape), classes, section, seed)


def run_settings(params: dict, name: str) -> tuple[int, dict, dict | None]:
    """What ``genzoo.stage.model_run`` sets up before a model trains: (seed, device, speed settings).

    The device, TensorFlow's thread pools, the seeds and deterministic kernels, as the
    stage does; then the training path's performance settings resolved for that device
    (None where this version of genzoo has none).
    """
    from genzoo.config import model_seed
    from genzoo.runtime import setup

    base = params["base"]
    seed = model_seed(params, name)
    threads = {"threads": base["threads"]} if "threads" in base else {}
    device = setup(seed=seed, device=base["device"], **threads)
    try:
        from genzoo.speed import resolve
    except ImportError:
        return seed, device, None
    return seed, device, resolve(base)


def _fit(model, x, y, speed, **kwargs) -> dict:
    from genzoo.training import fit

    return fit(model, x, y, epochs=1, **kwargs, **({} if speed is None else {"speed": speed}))


def _gan_epoch(module, model, x, y, section, seed, speed):
    # As genzoo.families.gan.pipeline.train: images only; a Wasserstein model takes n_critic batches per step.
    return _fit(model, x, None, speed, batch_size=section["batch_size"] * model.n_critic, seed=seed)


def _vae_epoch(module, model, x, y, section, seed, speed):
    # As genzoo.families.vae.pipeline.train: images only.
    return _fit(model, x, None, speed, batch_size=section["batch_size"], seed=seed)


def _aae_epoch(module, model, x, y, section, seed, speed):
    # As genzoo.families.aae.pipeline.train: images and int32 labels (the supervised decoder's input).
    return _fit(model, x, y.astype("int32"), speed, batch_size=section["batch_size"], seed=seed)


def _capsnet_epoch(module, model, x, y, section, seed, speed):
    # As genzoo.families.capsnet.pipeline.train, less its BackupAndRestore checkpoint.
    return _fit(model, x, y, speed, batch_size=section["batch_size"], seed=seed)


def _classifier_epoch(module, model, x, y, section, seed, speed):
    # As genzoo.families.classifier.pipeline.train: the module's per-batch preprocessing and callbacks.
    hooks = module.HOOKS
    return _fit(
        model, x, y, speed, batch_size=section["batch_size"], seed=seed,
        preprocess=None if hooks.preprocess is None else hooks.preprocess(section),
        callbacks=[] if hooks.callbacks is None else hooks.callbacks(section),
    )


_EPOCHS = {
    "gan": _gan_epoch,
    "vae": _vae_epoch,
    "aae": _aae_epoch,
    "capsnet": _capsnet_epoch,
    "classifier": _classifier_epoch,
}
KERAS_FAMILIES = tuple(_EPOCHS)


def project_epoch(module: ModuleType, model, x: np.ndarray, y: np.ndarray | None, section: dict, seed: int,
                  speed: dict | None = None) -> dict:
    """One epoch of ``model`` through ``genzoo.training.fit``, called as its family pipeline calls it.

    ``speed``: the performance settings the stage passes (``run_settings``). ``fit`` applies
    them to the model, which drops its compiled step when they change; the caller passes
    them on the first call, as the pipeline's single ``fit`` call for all its epochs does,
    and later calls (None) keep the model's settings and compiled step.
    Returns ``fit``'s own result (its timing, final losses and whatever else it reports).
    """
    return _EPOCHS[module.FAMILY](module, model, x, y, section, seed, speed)


def batch_size(module: ModuleType, model, section: dict) -> int:
    """Images per training step on the project side (n_critic batches for a Wasserstein GAN)."""
    n_critic = getattr(model, "n_critic", 1) if module.FAMILY == "gan" else 1
    return section["batch_size"] * n_critic


def model_settings(model) -> dict:
    """The speed settings a compiled Keras model trains with: steps per execution and XLA."""
    return {
        "steps_per_execution": int(getattr(model, "steps_per_execution", 1) or 1),
        "jit_compile": _plain_value(getattr(model, "jit_compile", None)),
    }


def fit_extras(result: dict) -> dict:
    """What ``fit`` returned besides its timing and losses (the settings it applied, say)."""
    return {key: _plain_value(value) for key, value in result.items() if key not in FIT_KEYS}


def _plain_value(value):
    """A JSON-friendly copy of a setting (numbers, strings, bools, lists, dicts; else its repr)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_value(v) for v in value]
    return repr(value)


class ProjectSom:
    """The project's Kohonen map, trained one iteration (one shuffled pass) at a time.

    Each ``epoch`` is the body of ``kohonen.train_som``'s loop at iteration 0 (η0, σ0):
    draw the pass's order, gather the samples, run the compiled pass ``kohonen._epoch``.
    The errors ``train_som`` logs between passes are measurement, not training, and are
    left out.
    """

    def __init__(self, data: np.ndarray, section: dict, seed: int):
        import tensorflow as tf

        from genzoo.families.som import kohonen

        self.kohonen = kohonen
        self.rows, self.cols = section["rows"], section["cols"]
        init_seed, order_seed = np.random.SeedSequence(seed).spawn(2)  # as train_som splits its seed
        self.order_rng = np.random.default_rng(order_seed)
        self.initial = kohonen.initial_weights(self.rows * self.cols, data.shape[1], init_seed)
        self.x = tf.constant(data)
        self.grid_d2 = tf.constant(kohonen.grid_squared_distances(self.rows, self.cols))
        self.rates = kohonen.schedule(  # (η, σ) of the first iteration
            0, **{key: section[key] for key in ("adjust_iterations", "eta0", "sigma0", "tau",
                                                "converge_eta", "converge_sigma")})
        self.eta, self.sigma = (tf.constant(rate, tf.float32) for rate in self.rates)
        self.weights = tf.constant(self.initial)

    def epoch(self) -> None:
        """One pass over the samples, one update per sample."""
        import tensorflow as tf

        order = self.order_rng.permutation(int(self.x.shape[0]))
        self.weights = self.kohonen._epoch(self.weights, tf.gather(self.x, order), self.grid_d2, self.eta, self.sigma)
        self.weights.numpy()  # the pass has finished when the clock stops

    def quantization_error(self, data: np.ndarray) -> float:
        return self.kohonen.quantization_error(self.weights.numpy(), data)
