"""CapsNet pictures: reconstructions beside their inputs, and the pose-parameter sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np

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
    grid = fig.add_gridspec(rows, 2 * columns)
    for i in range(n):
        r, c = divmod(i, columns)
        wrong = labels[i] != predicted[i]
        color = "red" if wrong else "black"
        title = f"label {class_names[labels[i]]}, pred {class_names[predicted[i]]}"
        _show(fig.add_subplot(grid[r, 2 * c]), images[i], title, color)
        _show(fig.add_subplot(grid[r, 2 * c + 1]), reconstructions[i], "reconstruction", color)
    fig.savefig(path, format="png")


def pose_figure(path: Path, sweeps: np.ndarray, titles: list[str], amount: float = TWEAK_RANGE) -> None:
    """One panel per digit: row d decodes the capsule with dimension d swept left to right.

    Args:
        sweeps: (digits, dims, steps, H, W, C) decoded images.
        titles: one title per digit.
    """
    digits, dims, steps = sweeps.shape[:3]
    fig = _figure(0.5 * steps * digits + 0.6, 0.5 * dims + 0.6)
    outer = fig.add_gridspec(1, digits)
    for k in range(digits):
        inner = outer[k].subgridspec(dims, steps, wspace=0.02, hspace=0.02)
        for d in range(dims):
            for s in range(steps):
                ax = fig.add_subplot(inner[d, s])
                _show(ax, sweeps[k, d, s])
                if s == 0 and k == 0:
                    ax.set_ylabel(f"dim {d}", fontsize=6, rotation=0, ha="right", va="center")
                if d == 0 and s == steps // 2:
                    ax.set_title(titles[k], fontsize=8)
    fig.suptitle(f"each pose dimension moved from −{amount} to +{amount} in {steps} steps", fontsize=8)
    fig.savefig(path, format="png")
