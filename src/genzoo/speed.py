"""The training path's performance settings: `base` params, resolved when a stage starts.

Each setting is "auto" by default, and "auto" is what was measured to help
(benchmarks/README.md and the README's Speed section have the figures): a user who knows better sets a value. The
resolved settings go into every model's info, so a number can be traced to how it was run.

A leaf module like ``schema``: validating params imports it, so it imports no TensorFlow.
"""

from __future__ import annotations

from typing import Any, Mapping

from genzoo.schema import auto_or, choice, integer

AUTO = "auto"
SCHEMA = {
    # Training steps per call into the compiled graph: one Python round trip per N batches.
    "steps_per_execution": auto_or(integer(1)),
    # XLA: fuses each training step into one compiled program, where the model compiles.
    "jit_compile": choice(AUTO, True, False),
    # TensorFlow's thread pools: within one op (intra) and across independent ops (inter).
    "threads": auto_or(integer(1)),
}

# Measured on 2 CPU cores against one step per call (median of 5 alternated epochs): the
# MLP classifier 2.5×, LeNet-5 and cnn_best 1.5×, the VAE 1.3× faster; dcgan and WGAN-GP,
# whose steps are long, neither gain nor lose.
AUTO_STEPS_PER_EXECUTION = 32


def resolve(base: Mapping[str, Any]) -> dict:
    """The settings a run uses: each `base` key, with "auto" replaced by the measured choice.

    XLA is off under "auto", on every device: every stage turns on TensorFlow's op
    determinism (same params, same metrics), and Keras refuses XLA while it is on, since
    not every op has a deterministic XLA kernel. ``jit_compile: true`` asks anyway; the
    model's info then records what Keras allowed. Measured on 2 cores without determinism,
    XLA ran gan_mlp 1.5× and the VAE 1.2× faster, and LeNet-5 at 0.55× (benchmarks/README.md).
    ``threads`` "auto" leaves TensorFlow's defaults (one thread per core in each pool).
    """
    steps = base["steps_per_execution"]
    jit = base["jit_compile"]
    threads = base["threads"]
    return {
        "steps_per_execution": AUTO_STEPS_PER_EXECUTION if steps == AUTO else steps,
        "jit_compile": False if jit == AUTO else jit,
        "threads": None if threads == AUTO else threads,
    }


def apply_threads(threads: int | None) -> None:
    """Size TensorFlow's thread pools; must run before TensorFlow executes its first op."""
    if threads is None:
        return
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def apply(model, settings: Mapping[str, Any]) -> dict:
    """Set a compiled model's steps per execution and XLA, and return what it will use.

    Keras falls back to no XLA for a model it knows cannot compile (with a warning), so
    the returned ``jit_compile`` is the model's own, not the request.
    """
    wanted = (settings["steps_per_execution"], settings["jit_compile"])
    if (model.steps_per_execution, model.jit_compile) != wanted:
        model.steps_per_execution, model.jit_compile = wanted
        model.train_function = None  # rebuilt by the next fit with these settings
    return {
        "steps_per_execution": int(model.steps_per_execution),
        "jit_compile": bool(model.jit_compile),
        "threads": settings["threads"],
    }
