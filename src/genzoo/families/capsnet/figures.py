"""CapsNet pictures: reconstructions beside their inputs, and the pose-parameter sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genzoo.images import grid

# The paper's Figure 4 range: each pose dimension moved by −0.25 … +0.25 in 0.05 steps.
TWEAK_RANGE, TWEAK_STEPS = 0.25, 11


def tweak_poses(capsule: np.ndarray, amount: float = TWEAK_RANGE, steps: int = TWEAK_STEPS) -> np.ndarray:
    """Every single-dimension perturbation of one capsule vector.

    Args:
        capsule: the (dims,) vector of one digit capsule.

    Returns:
        (dims, steps, dims): entry [d, k] is ``capsule`` with dimension d moved by the k-th
        of ``steps`` values evenly spaced in [−amount, +amount].
    """
    capsule = np.asarray(capsule, np.float32)
    dims = len(capsule)
    offsets = np.linspace(-amount, amount, steps, dtype=np.float32)
    tweaked = np.broadcast_to(capsule, (dims, steps, dims)).copy()
    tweaked[np.arange(dims), :, np.arange(dims)] += offsets
    return tweaked


def _figure(width: float, height: float):
    # The Agg canvas directly: no pyplot, so no global backend state and no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _show(ax, image: np.ndarray, title: str | None = None, color: str = "black") -> None:
    ax.imshow(image[..., 0], cmap="binary", vmin=0.0, vmax=1.0)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=7, color=color)


def reconstruction_figure(
    path: Path, images: np.ndarray, reconstructions: np.ndarray, labels: np.ndarray, predicted: np.ndarray,
    class_names: list[str], columns: int = 5,
) -> None:
    """Input / reconstruction pairs, each titled with its label and the predicted class (red if wrong)."""
    n = len(images)
    rows = -(-n // columns)
    fig = _figure(2.2 * columns, 1.25 * rows)
    cells = fig.add_gridspec(rows, 2 * columns)
    for i in range(n):
        r, c = divmod(i, columns)
        wrong = labels[i] != predicted[i]
        color = "red" if wrong else "black"
        title = f"label {class_names[labels[i]]}, pred {class_names[predicted[i]]}"
        _show(fig.add_subplot(cells[r, 2 * c]), images[i], title, color)
        _show(fig.add_subplot(cells[r, 2 * c + 1]), reconstructions[i], "reconstruction", color)
    fig.savefig(path, format="png")


def pose_figure(path: Path, sweeps: np.ndarray, titles: list[str], amount: float = TWEAK_RANGE) -> None:
    """One panel per digit: row d decodes the capsule with dimension d swept left to right.

    Args:
        sweeps: (digits, dims, steps, H, W, C) decoded images.
        titles: one title per digit.
    """
    digits, dims, steps, height, width = sweeps.shape[:5]
    pad = 2  # genzoo.images.grid's default padding between tiles
    fig = _figure(0.45 * steps * digits + 1.0, 0.45 * dims + 0.9)
    offsets = np.linspace(-amount, amount, steps)
    for k in range(digits):
        ax = fig.add_subplot(1, digits, k + 1)
        # One picture per panel: hundreds of small axes would take matplotlib many seconds.
        # Inverted before tiling, so digits are dark on white and the white padding stays white.
        picture = grid(1.0 - sweeps[k].reshape(dims * steps, *sweeps.shape[3:]), ncols=steps, pad=pad)
        ax.imshow(picture[..., 0], cmap="gray", vmin=0, vmax=255)
        ax.set_title(titles[k], fontsize=9)
        centre = pad + np.arange(steps) * (width + pad) + width / 2
        ax.set_xticks(centre[::5], [f"{v:+.2f}" for v in offsets[::5]], fontsize=7)
        ax.set_yticks(pad + np.arange(dims) * (height + pad) + height / 2,
                      [f"dim {d}" for d in range(dims)] if k == 0 else [], fontsize=7)
        ax.tick_params(length=0)
    fig.suptitle(f"each of the {dims} pose dimensions of the predicted capsule moved from "
                 f"\u2212{amount} to +{amount} in {steps} steps, then decoded", fontsize=9)
    fig.savefig(path, format="png")
