"""Capsule maths: safe norm, squash, routing by agreement, and the two capsule layers."""

from __future__ import annotations

import keras
from keras import layers, ops

# Inside the square root: d‖s‖/ds = s/‖s‖ is 0/0 at s = 0, and a capsule that is exactly
# zero (a dead ReLU map, a masked digit capsule) would turn every gradient into NaN.
EPSILON = 1e-7


def safe_norm(s, axis: int = -1, keepdims: bool = False):
    """‖s‖ along ``axis``, computed as sqrt(Σ s² + ε) so its gradient is finite at zero."""
    return ops.sqrt(ops.sum(ops.square(s), axis=axis, keepdims=keepdims) + EPSILON)


def squash(s, axis: int = -1):
    """v = ‖s‖²/(1+‖s‖²) · s/‖s‖: the direction kept, the length squeezed into [0, 1)."""
    squared = ops.sum(ops.square(s), axis=axis, keepdims=True)
    return s * (squared / (1.0 + squared)) / ops.sqrt(squared + EPSILON)


def route(u_hat, iterations: int):
    """Routing by agreement (Procedure 1 of the paper).

    Args:
        u_hat: prediction vectors û_j|i, shape (batch, n_in, n_out, dims).
        iterations: routing iterations r ≥ 1; with 1 the coupling stays uniform.

    Returns:
        v, the squashed output capsules, shape (batch, n_out, dims).
    """
    # One logit per example, input and output capsule, starting at zero. Some write-ups
    # summed the agreement over the batch, which couples unrelated examples; here every
    # example routes on its own and the batch axis is never reduced.
    b = ops.zeros(ops.shape(u_hat)[:3], dtype=u_hat.dtype)
    for r in range(iterations):
        c = ops.softmax(b, axis=2)  # each input capsule shares itself out over the outputs
        v = squash(ops.einsum("bij,bijd->bjd", c, u_hat))
        if r < iterations - 1:
            b = b + ops.einsum("bijd,bjd->bij", u_hat, v)
    return v


# Registered so models/<name>/encoder.keras loads without the code that built it.
@keras.saving.register_keras_serializable(package="genzoo")
class PrimaryCaps(layers.Layer):
    """A strided convolution read as ``maps`` grids of ``dims``-D capsules, then squashed."""

    def __init__(self, maps: int = 32, dims: int = 8, kernel_size: int = 9, strides: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.maps, self.dims = maps, dims
        self.kernel_size, self.strides = kernel_size, strides
        self.conv = layers.Conv2D(maps * dims, kernel_size, strides=strides, kernel_initializer="he_normal", name="conv")  # see build_encoder

    def build(self, input_shape):
        self.conv.build(input_shape)

    def call(self, x):
        h = self.conv(x)
        rows, cols = h.shape[1], h.shape[2]
        # Channel k·dims … k·dims+dims-1 of each position is capsule k's vector there.
        return squash(ops.reshape(h, (-1, rows * cols * self.maps, self.dims)))

    def compute_output_shape(self, input_shape):
        rows, cols = self.conv.compute_output_shape(input_shape)[1:3]
        return (input_shape[0], rows * cols * self.maps, self.dims)

    def get_config(self):
        return super().get_config() | {
            "maps": self.maps, "dims": self.dims, "kernel_size": self.kernel_size, "strides": self.strides,
        }


@keras.saving.register_keras_serializable(package="genzoo")
class DigitCaps(layers.Layer):
    """Fully connected capsules: û_j|i = W_ij u_i for every pair, then routing by agreement."""

    def __init__(self, capsules: int = 10, dims: int = 16, routing_iterations: int = 3, w_stddev: float = 0.01, **kwargs):
        super().__init__(**kwargs)
        self.capsules, self.dims, self.routing_iterations = capsules, dims, routing_iterations
        self.w_stddev = w_stddev

    def build(self, input_shape):
        n_in, in_dims = input_shape[1], input_shape[2]
        self.W = self.add_weight(
            shape=(n_in, self.capsules, self.dims, in_dims),
            initializer=keras.initializers.RandomNormal(stddev=self.w_stddev),  # the paper: N(0, 0.01)
            name="W",
        )

    def predictions(self, u):
        """û, shape (batch, n_in, capsules, dims).

        One einsum broadcasts W over the batch. The write-ups tile W once per example,
        which copies 1.5M weights ×batch in memory and in the backward pass.
        """
        return ops.einsum("ijdk,bik->bijd", self.W, u)

    def call(self, u):
        return route(self.predictions(u), self.routing_iterations)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.capsules, self.dims)

    def get_config(self):
        return super().get_config() | {
            "capsules": self.capsules, "dims": self.dims, "routing_iterations": self.routing_iterations,
            "w_stddev": self.w_stddev,
        }
