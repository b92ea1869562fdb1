"""The capsule layers: squash and its safe norm, routing by agreement, the digit capsules' predictions."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
import tensorflow as tf  # noqa: E402

from genzoo.families.capsnet.layers import DigitCaps, PrimaryCaps, route, safe_norm, squash  # noqa: E402


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


def test_primary_capsules_group_the_conv_maps():
    # 20×20 → 9×9 stride 2 → 6×6 positions × 32 maps = 1152 capsules of 8 dimensions.
    assert PrimaryCaps().compute_output_shape((None, 20, 20, 256)) == (None, 1152, 8)
    layer = PrimaryCaps(maps=2, dims=3, kernel_size=3, strides=2)
    out = keras.ops.convert_to_numpy(layer(np.random.default_rng(0).normal(size=(2, 7, 7, 4)).astype("float32")))
    assert out.shape == (2, 3 * 3 * 2, 3)
    assert (np.linalg.norm(out, axis=-1) < 1).all()  # squashed


def test_digit_capsules_survive_a_config_round_trip():
    layer = DigitCaps(capsules=3, dims=4, routing_iterations=2, w_stddev=0.5)
    again = DigitCaps.from_config(layer.get_config())
    assert (again.capsules, again.dims, again.routing_iterations, again.w_stddev) == (3, 4, 2, 0.5)
