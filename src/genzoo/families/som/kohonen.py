"""The Kohonen self-organising map (Kohonen 1982): online training, quantisation and topographic error."""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np
import tensorflow as tf

log = logging.getLogger("genzoo")

# Integer grid offsets up to one step in each direction (the 8-neighbourhood) have
# d² ≤ 2; the next possible value is 4. MiniSom's threshold 1.42 on d draws the same line.
_ADJACENT_D2 = 2.0


def unit_norm(x: np.ndarray) -> np.ndarray:
    """Scale each row of ``x`` to unit L2 norm (all-zero rows stay zero)."""
    return tf.math.l2_normalize(tf.convert_to_tensor(x, tf.float32), axis=-1).numpy()


def initial_weights(units: int, dim: int, seed: int | np.random.SeedSequence) -> np.ndarray:
    """(units, dim) weights drawn from N(0, 0.1) and projected onto the unit sphere.

    Every update renormalises the weights; projecting the draw too means the first winner
    is chosen on the same scale as all later ones (a 4096-d N(0, 0.1) vector has norm ≈ 6.4,
    and differences in that norm, not in direction, would pick it).
    """
    rng = np.random.default_rng(seed)
    return unit_norm(rng.normal(0.0, 0.1, size=(units, dim)))


def grid_squared_distances(rows: int, cols: int) -> np.ndarray:
    """(units, units) squared grid distances d² between units, numbered row-major."""
    _check_grid(rows, cols)
    r, c = np.divmod(np.arange(rows * cols), cols)
    position = np.stack([r, c], axis=1).astype(np.float32)
    return np.sum((position[:, None, :] - position[None, :, :]) ** 2, axis=-1)


def neighbourhood(grid_d2: np.ndarray, bmu: int, sigma: float) -> np.ndarray:
    """h_j = exp(−d²(bmu, j) / (2σ²)) for every unit j."""
    _check_positive("sigma", sigma)
    return tf.exp(-tf.gather(tf.convert_to_tensor(grid_d2, tf.float32), bmu) / (2.0 * sigma**2)).numpy()


def schedule(
    t: int, *, adjust_iterations: int, eta0: float, sigma0: float, tau: float,
    converge_eta: float, converge_sigma: float,
) -> tuple[float, float]:
    """(η, σ) for iteration ``t``: η0·e^(−t/τ), σ0·e^(−t/τ) while adjusting, then fixed."""
    if t < adjust_iterations:
        decay = math.exp(-t / tau)
        return eta0 * decay, sigma0 * decay
    return converge_eta, converge_sigma


def distances(weights: np.ndarray, data: np.ndarray) -> tf.Tensor:
    """(samples, units) Euclidean distances, in float64 so near-ties order as in MiniSom."""
    w = tf.convert_to_tensor(weights, tf.float64)
    x = tf.convert_to_tensor(data, tf.float64)
    x2 = tf.reduce_sum(tf.square(x), axis=1, keepdims=True)
    w2 = tf.reduce_sum(tf.square(w), axis=1)[None, :]
    # |x|² + |w|² − 2x·w can round slightly below zero for a unit sitting on a sample.
    return tf.sqrt(tf.maximum(x2 + w2 - 2.0 * tf.matmul(x, w, transpose_b=True), 0.0))


def best_matching_unit(weights: np.ndarray, x: np.ndarray) -> int | np.ndarray:
    """Index of the unit nearest ``x`` (dim,), or one index per row of ``x`` (n, dim).

    The winner is the unit with the SMALLEST Euclidean distance. One write-up took the
    argmax, which picks the farthest unit and turns the map inside out; that is a bug.
    """
    x = np.asarray(x)
    single = x.ndim == 1
    weights, data = _check_weights_data(weights, x[None, :] if single else x)
    bmu = tf.argmin(distances(weights, data), axis=1, output_type=tf.int32).numpy()
    return int(bmu[0]) if single else bmu


def quantization_error(weights: np.ndarray, data: np.ndarray) -> float:
    """Mean Euclidean distance (not squared) of each sample to its best matching unit."""
    weights, data = _check_weights_data(weights, data)
    bmu = tf.argmin(distances(weights, data), axis=1)
    # The distance is taken afresh from the difference, as MiniSom does, not from the
    # expanded form used to find the winner.
    w = tf.gather(tf.convert_to_tensor(weights, tf.float64), bmu)
    return float(tf.reduce_mean(tf.norm(tf.convert_to_tensor(data, tf.float64) - w, axis=1)))


def topographic_error(weights: np.ndarray, data: np.ndarray, rows: int, cols: int) -> float:
    """Share of samples whose best and second-best units are not grid neighbours.

    Neighbours are the 8 surrounding units, as in MiniSom's rectangular topology. Like
    MiniSom, a 1×1 map has no second-best unit and gives NaN.
    """
    weights, data = _check_weights_data(weights, data, rows, cols)
    if rows * cols == 1:
        return float("nan")
    _, best2 = tf.math.top_k(-distances(weights, data), k=2)
    d2 = tf.gather_nd(grid_squared_distances(rows, cols), best2)
    return float(tf.reduce_mean(tf.cast(d2 > _ADJACENT_D2, tf.float64)))


def hit_map(weights: np.ndarray, data: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) number of samples each unit wins."""
    weights, data = _check_weights_data(weights, data, rows, cols)
    bmu = best_matching_unit(weights, data)
    return np.bincount(bmu, minlength=rows * cols).reshape(rows, cols).astype(np.int64)


def u_matrix(weights: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) mean weight distance of each unit to its (up to 8) grid neighbours."""
    weights = _check_weights(weights, rows, cols)
    between = distances(weights, weights).numpy()
    d2 = grid_squared_distances(rows, cols)
    adjacent = (d2 > 0) & (d2 <= _ADJACENT_D2)
    counts = adjacent.sum(axis=1)
    mean = np.where(counts > 0, (between * adjacent).sum(axis=1) / np.maximum(counts, 1), 0.0)
    return mean.reshape(rows, cols)


@tf.function(
    input_signature=[
        tf.TensorSpec([None, None], tf.float32),  # weights (units, dim)
        tf.TensorSpec([None, None], tf.float32),  # samples (n, dim), already shuffled
        tf.TensorSpec([None, None], tf.float32),  # grid d² (units, units)
        tf.TensorSpec([], tf.float32),  # η
        tf.TensorSpec([], tf.float32),  # σ
    ],
    reduce_retracing=True,
    # XLA fuses each update into one sweep over the weights: about 5× faster on CPU.
    jit_compile=True,
)
def _epoch(w, x, grid_d2, eta, sigma):
    """One pass over ``x``, updating after each sample: w ← w + η·h(bmu)·(x − w), renormalised.

    Written so that each sample reads the weights twice (w·x, then the update) instead of
    five times: |w − x|² and the updated norms follow from w·x and the norms in hand.
    """

    def step(i, w, w2):
        xi = x[i]
        wx = tf.linalg.matvec(w, xi)
        x2 = tf.reduce_sum(tf.square(xi))
        # |w − x|² = |w|² − 2w·x + |x|²; the winner is its argmin.
        bmu = tf.argmin(w2 - 2.0 * wx + x2)
        a = eta * tf.exp(-tf.gather(grid_d2, bmu) / (2.0 * tf.square(sigma)))
        # w + a(x − w) = (1 − a)w + ax, whose squared norm is known without reading w again.
        n2 = tf.square(1.0 - a) * w2 + 2.0 * a * (1.0 - a) * wx + tf.square(a) * x2
        # Renormalised after each update, as the write-up does. With unit-norm samples too,
        # distances compare directions on one sphere instead of mixing in each image's brightness.
        scale = tf.math.rsqrt(tf.maximum(n2, 1e-12))
        w = (scale * (1.0 - a))[:, None] * w + (scale * a)[:, None] * xi[None, :]
        return i + 1, w, n2 * tf.square(scale)

    w2 = tf.reduce_sum(tf.square(w), axis=1)
    # Online updates are sequential by definition: sample i+1 sees the weights after sample i.
    _, w, _ = tf.while_loop(
        lambda i, *_: i < tf.shape(x)[0], step, (tf.constant(0), w, w2), parallel_iterations=1,
    )
    # The norms above are carried, not measured; projecting once per pass stops rounding
    # from drifting them away from 1 over thousands of updates.
    return tf.math.l2_normalize(w, axis=1)


@dataclass(frozen=True)
class KohonenMap:
    """An untrained map: its grid, its schedule and its seed. ``fit`` trains it (``train_som``)."""

    rows: int
    cols: int
    adjust_iterations: int
    converge_iterations: int
    eta0: float
    sigma0: float
    tau: float
    converge_eta: float
    converge_sigma: float
    seed: int

    def fit(self, data: np.ndarray, *, log_every: int = 10, on_log: Callable[[dict], None] | None = None):
        """``train_som`` on ``data`` with this map's settings: (weights, history)."""
        return train_som(data, **asdict(self), log_every=log_every, on_log=on_log)


def train_som(
    data: np.ndarray,
    *,
    rows: int = 8,
    cols: int = 8,
    adjust_iterations: int = 500,
    converge_iterations: int = 500,
    eta0: float = 1.0,
    sigma0: float = 3.0,
    tau: float = 100.0,
    converge_eta: float = 0.2,
    converge_sigma: float = 1.0,
    seed: int,
    log_every: int = 10,
    on_log: Callable[[dict], None] | None = None,
) -> tuple[np.ndarray, list[dict]]:
    """Train a rows×cols map on ``data`` (samples, dim); one iteration is one shuffled pass.

    The samples are scaled to unit L2 norm first: the weights are renormalised after every
    update, and distances between unit weights and raw images would mix the images'
    brightness into what should compare their shapes.

    Args:
        seed: seeds the initial weights and each iteration's sample order.
        log_every: record the errors every this many iterations (and at the start and end).
        on_log: called with each history entry as it is recorded.

    Returns:
        (weights (rows·cols, dim) float32, history [{step, quantization_error, topographic_error}]),
        the errors measured on the unit-norm samples.
    """
    _check_grid(rows, cols)
    data = np.asarray(data)
    if data.ndim != 2 or len(data) == 0 or data.shape[1] == 0:
        raise ValueError(f"data must be a non-empty 2-D (samples, features) array, got shape {data.shape}")
    for name, value in (("adjust_iterations", adjust_iterations), ("converge_iterations", converge_iterations)):
        if int(value) != value or value < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    for name, value in (("eta0", eta0), ("converge_eta", converge_eta)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    for name, value in (("sigma0", sigma0), ("tau", tau), ("converge_sigma", converge_sigma)):
        _check_positive(name, value)
    if int(log_every) != log_every or log_every < 1:
        raise ValueError(f"log_every must be an integer >= 1, got {log_every!r}")

    x = unit_norm(data)
    # Separate streams, so the number of iterations never changes the initial weights.
    init_seed, order_seed = np.random.SeedSequence(seed).spawn(2)
    order_rng = np.random.default_rng(order_seed)
    weights = initial_weights(rows * cols, x.shape[1], init_seed)
    grid_d2 = tf.constant(grid_squared_distances(rows, cols))
    x_tf = tf.constant(x)
    total = adjust_iterations + converge_iterations
    rates = {"adjust_iterations": adjust_iterations, "eta0": eta0, "sigma0": sigma0, "tau": tau,
             "converge_eta": converge_eta, "converge_sigma": converge_sigma}
    history: list[dict] = []

    def record(step: int) -> None:
        entry = {
            "step": step,
            "quantization_error": quantization_error(weights, x),
            "topographic_error": topographic_error(weights, x, rows, cols),
        }
        history.append(entry)
        phase = "adjust" if step <= adjust_iterations else "converge"
        log.info("som: iteration %d/%d (%s): quantisation error %.4f, topographic error %.4f",
                 step, total, phase, entry["quantization_error"], entry["topographic_error"])
        if on_log is not None:
            on_log(entry)

    record(0)
    w = tf.constant(weights)
    for t in range(total):
        eta, sigma = schedule(t, **rates)
        order = order_rng.permutation(len(x))
        w = _epoch(w, tf.gather(x_tf, order), grid_d2, tf.constant(eta, tf.float32), tf.constant(sigma, tf.float32))
        if (t + 1) % log_every == 0 or t + 1 == total:
            weights = w.numpy()
            record(t + 1)
    return w.numpy(), history


def _check_grid(rows: int, cols: int) -> None:
    for name, value in (("rows", rows), ("cols", cols)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")


def _check_weights(weights: np.ndarray, rows: int | None = None, cols: int | None = None) -> np.ndarray:
    weights = np.asarray(weights)
    if weights.ndim != 2:
        raise ValueError(f"weights must be a 2-D (units, features) array, got shape {weights.shape}")
    if rows is not None:
        _check_grid(rows, cols)
        if weights.shape[0] != rows * cols:
            raise ValueError(f"weights has {weights.shape[0]} units, not rows × cols = {rows * cols}")
    return weights


def _check_weights_data(
    weights: np.ndarray, data: np.ndarray, rows: int | None = None, cols: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    weights, data = _check_weights(weights, rows, cols), np.asarray(data)
    if data.ndim != 2 or len(data) == 0:
        raise ValueError(f"data must be a non-empty 2-D (samples, features) array, got shape {data.shape}")
    if data.shape[1] != weights.shape[1]:
        raise ValueError(f"data has {data.shape[1]} features but the weights have {weights.shape[1]}")
    return weights, data
