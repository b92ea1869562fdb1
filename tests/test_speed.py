"""The training path's performance settings: params, their resolution per device, the model they set."""

import numpy as np
import pytest

from pathlib import Path

import yaml

from genzoo import speed
from genzoo.config import ParamsError, validate

ROOT = Path(__file__).resolve().parents[1]

AUTO = {"steps_per_execution": "auto", "jit_compile": "auto", "threads": "auto"}


@pytest.fixture
def params():
    return yaml.safe_load((ROOT / "params.yaml").read_text())


def test_auto_resolves_to_the_measured_choices():
    assert speed.resolve(AUTO) == {"steps_per_execution": speed.AUTO_STEPS_PER_EXECUTION,
                                   "jit_compile": False, "threads": None}
    # Keras refuses XLA under op determinism, which every stage turns on.
    assert speed.resolve(AUTO)["jit_compile"] is False


def test_explicit_values_win_over_auto():
    settings = {"steps_per_execution": 1, "jit_compile": True, "threads": 2}
    assert speed.resolve(settings) == settings
    assert speed.resolve({**settings, "jit_compile": False})["jit_compile"] is False


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("steps_per_execution", 0, "base.steps_per_execution is 0; it must be 'auto' or int (>= 1)"),
        ("steps_per_execution", "many", "base.steps_per_execution is 'many' (str); it must be 'auto' or int (>= 1)"),
        ("jit_compile", "yes", "base.jit_compile is 'yes'; allowed values: 'auto', True, False"),
        ("threads", 1.5, "base.threads is 1.5 (float); it must be 'auto' or int (>= 1)"),
    ],
)
def test_bad_settings_name_the_key_and_what_is_allowed(params, key, value, message):
    params["base"][key] = value
    with pytest.raises(ParamsError) as error:
        validate(params)
    assert str(error.value) == message


def test_apply_sets_the_compiled_model_and_says_what_it_runs_with():
    keras = pytest.importorskip("keras")
    from genzoo.training import fit

    keras.utils.set_random_seed(0)
    image = keras.Input((4,))
    model = keras.Model(image, keras.layers.Dense(1)(image))
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((40, 4)).astype("float32")
    timing = fit(model, x, x.sum(axis=1), epochs=2, batch_size=8, seed=0,
                 speed={"steps_per_execution": 3, "jit_compile": False, "threads": None})
    assert timing["speed"] == {"steps_per_execution": 3, "jit_compile": False, "threads": None}
    assert model.steps_per_execution == 3 and np.isfinite(timing["final"]["loss"])


def test_more_steps_per_call_train_the_same_weights():
    """Steps per execution only batches the calls into the graph: the updates are the same."""
    keras = pytest.importorskip("keras")
    from genzoo.training import fit

    x = np.random.default_rng(1).random((50, 6)).astype("float32")  # 7 batches, the last short
    weights = []
    for steps in (1, 4):
        keras.utils.set_random_seed(0)
        inputs = keras.Input((6,))
        model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dense(5, activation="relu")(inputs)))
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        fit(model, x, x.sum(axis=1), epochs=3, batch_size=8, seed=0,
            speed={"steps_per_execution": steps, "jit_compile": False, "threads": None})
        weights.append(model.get_weights())
    for one, many in zip(*weights):
        np.testing.assert_allclose(one, many, rtol=1e-6, atol=1e-7)

