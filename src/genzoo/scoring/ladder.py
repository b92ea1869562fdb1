"""The evaluator's validation ladder: inputs whose true quality is known, scored like samples.

A metric space is trusted only if it ranks images whose quality we already know. The
ladder disturbs the test images by rising amounts (the disturbances of Heusel et al.
2017, Fig. 1), drops classes from them, and adds inputs no generator should be rewarded
for. ``checks`` then asks what a metric must do on each rung:

- FD and KID rise with the level of every disturbance and of mode dropping;
- recall and coverage fall as modes are dropped;
- every degenerate input scores worse than the real-vs-real floor on every metric.

Images are (N, H, W, C) in [0, 1]; every rung draws its randomness from its own seed.
"""

from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

# Levels per disturbance, mild to severe; each has 4 rungs as the ladder requires.
DISTURBANCES: dict[str, tuple[float, ...]] = {
    "gaussian_noise": (0.05, 0.1, 0.25, 0.5),   # σ of additive N(0, σ²) noise, then clipped
    "gaussian_blur": (0.5, 1.0, 2.0, 4.0),      # σ of the blur kernel, in pixels
    "black_rectangles": (1, 2, 4, 8),           # rectangles of a quarter of the side each
    "swirl": (1.0, 2.0, 4.0, 8.0),              # skimage's swirl strength, radius = the side
    "salt_and_pepper": (0.02, 0.05, 0.1, 0.2),  # fraction of pixels set to 0 or 1
}
MODES_KEPT = (10, 8, 5, 2, 1)
DEGENERATE = ("uniform_noise", "constant_grey", "blank", "mean_image")

# Lower is better for these two; higher is better for the rest.
LOWER_IS_BETTER = ("fid", "kid")
MANIFOLD = ("precision", "recall", "density", "coverage")
CHECKED = LOWER_IS_BETTER + MANIFOLD


def gaussian_noise(x: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return np.clip(x + rng.normal(0.0, sigma, x.shape), 0.0, 1.0)


def gaussian_blur(x: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    # Blur the two spatial axes only: never across images or channels.
    return gaussian_filter(x, sigma=(0, sigma, sigma, 0), mode="constant")


def black_rectangles(x: np.ndarray, count: float, rng: np.random.Generator) -> np.ndarray:
    out = x.copy()
    n, h, w = x.shape[:3]
    rh, rw = max(1, h // 4), max(1, w // 4)
    for _ in range(int(count)):
        tops = rng.integers(0, h - rh + 1, n)
        lefts = rng.integers(0, w - rw + 1, n)
        for i in range(n):
            out[i, tops[i] : tops[i] + rh, lefts[i] : lefts[i] + rw] = 0.0
    return out


def swirl(x: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    from skimage.transform import swirl as skimage_swirl

    radius = float(max(x.shape[1:3]))
    # One channel at a time: the warp is the same for every channel of an image.
    return np.stack([
        np.stack([skimage_swirl(image[..., c], strength=strength, radius=radius, mode="constant")
                  for c in range(x.shape[-1])], axis=-1)
        for image in x
    ])


def salt_and_pepper(x: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    out = x.copy()
    hit = rng.random(x.shape[:3]) < fraction
    salt = rng.random(x.shape[:3]) < 0.5
    out[hit & salt] = 1.0
    out[hit & ~salt] = 0.0
    return out


DISTURB: dict[str, Callable[[np.ndarray, float, np.random.Generator], np.ndarray]] = {
    "gaussian_noise": gaussian_noise,
    "gaussian_blur": gaussian_blur,
    "black_rectangles": black_rectangles,
    "swirl": swirl,
    "salt_and_pepper": salt_and_pepper,
}


def keep_classes(x: np.ndarray, y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``len(x)`` images drawn from the first ``k`` classes only: a generator that dropped modes.

    The count stays the same, so only the spread of the set changes, not its size.
    """
    pool = np.flatnonzero(y < k)
    if len(pool) == 0:
        raise ValueError(f"no test images in the first {k} classes")
    return x[rng.choice(pool, size=len(x), replace=len(pool) < len(x))]


def degenerate(kind: str, like: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``len(like)`` images a collapsed or broken generator could emit."""
    if kind == "uniform_noise":
        return rng.random(like.shape)
    if kind == "constant_grey":
        return np.full(like.shape, 0.5)
    if kind == "blank":
        return np.zeros(like.shape)
    if kind == "mean_image":
        return np.broadcast_to(like.mean(axis=0), like.shape).copy()
    raise ValueError(f"unknown degenerate input {kind!r}; expected one of {', '.join(DEGENERATE)}")


def rungs(x: np.ndarray, y: np.ndarray | None, seed: int) -> Iterator[tuple[str, float, np.ndarray]]:
    """Yield ``(family, level, images)`` for every rung; ``y`` None skips mode dropping."""
    for offset, (name, levels) in enumerate(DISTURBANCES.items()):
        for step, level in enumerate(levels):
            rng = np.random.default_rng([seed, offset, step])
            yield name, level, DISTURB[name](x, level, rng).astype(np.float32)
    if y is not None:
        for step, k in enumerate(MODES_KEPT):
            if k <= int(y.max()) + 1:
                yield "modes_kept", k, keep_classes(x, y, k, np.random.default_rng([seed, 100, step]))
    for step, kind in enumerate(DEGENERATE):
        yield kind, 0, degenerate(kind, x, np.random.default_rng([seed, 200, step])).astype(np.float32)


def score_rungs(x: np.ndarray, y: np.ndarray | None, seed: int, score) -> dict:
    """``{family: {level: metrics}}`` over every rung, logging progress as it goes.

    Keeps the metrics the checks read, and KID's standard error, of each ``score(images)``.
    """
    import logging

    log = logging.getLogger(__name__)
    result: dict = {}
    for family, level, images in rungs(x, y, seed):
        metrics = score(images)
        result.setdefault(family, {})[_level_key(level)] = {m: metrics[m] for m in CHECKED + ("kid_se",)}
        log.info("ladder %s %s: FD %.3f", family, _level_key(level), result[family][_level_key(level)]["fid"])
    return result


def _level_key(level: float) -> str:
    # JSON keys are strings; "2" rather than "2.0" for whole numbers.
    return f"{level:g}"


def _worse(metric: str, value: float, floor: float) -> bool:
    return value > floor if metric in LOWER_IS_BETTER else value < floor


def _strictly_rising(values: list[float]) -> bool:
    return all(b > a for a, b in zip(values, values[1:]))


def checks(ladder: dict, floor: dict) -> dict[str, bool]:
    """Which of the ladder's requirements hold, by name (``{requirement: passed}``).

    ``ladder`` maps a family to ``{level: metrics}`` (a degenerate input has one level);
    the floor is rung 0 of every disturbance, and mode dropping starts from all classes.
    """
    result = {}
    for name in DISTURBANCES:
        if name not in ladder:
            continue
        levels = sorted(ladder[name], key=float)
        for metric in LOWER_IS_BETTER:
            series = [floor[metric]] + [ladder[name][lv][metric] for lv in levels]
            result[f"{name}: {metric} rises"] = _strictly_rising(series)
    if "modes_kept" in ladder:
        # From most classes kept to fewest: FD and KID rise, recall and coverage fall.
        levels = sorted(ladder["modes_kept"], key=float, reverse=True)
        for metric in CHECKED:
            series = [ladder["modes_kept"][lv][metric] for lv in levels]
            if metric in LOWER_IS_BETTER:
                result[f"modes_kept: {metric} rises"] = _strictly_rising(series)
            elif metric in ("recall", "coverage"):
                result[f"modes_kept: {metric} falls"] = _strictly_rising([-v for v in series])
    for kind in DEGENERATE:
        if kind not in ladder:
            continue
        (metrics,) = ladder[kind].values()
        for metric in CHECKED:
            result[f"{kind}: {metric} worse than floor"] = _worse(metric, metrics[metric], floor[metric])
    return result
