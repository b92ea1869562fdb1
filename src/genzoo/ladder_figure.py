"""The evaluator's validation ladder as a figure and a table, for the report.

The reference stage writes the ladder into ``metrics/reference/<dataset>.json``
(``genzoo.scoring.ladder``); this draws it: one column of panels per disturbance (and mode
dropping), FD and KID on top, the four manifold metrics below, each against its level with
the real-vs-real floor at level 0; and a table of the degenerate inputs against the floor.
"""

from __future__ import annotations

import html
from pathlib import Path

from genzoo.scoring.ladder import DEGENERATE, DISTURBANCES, MANIFOLD

_FAMILIES = tuple(DISTURBANCES) + ("modes_kept",)


def _series(steps: dict, floor: dict, family: str, metric: str) -> tuple[list[float], list[float]]:
    """(levels, values) of one metric along one family, the floor first when it is rung 0."""
    levels = sorted(steps, key=float, reverse=family == "modes_kept")
    xs = [float(level) for level in levels]
    ys = [steps[level][metric] for level in levels]
    if family != "modes_kept":
        xs, ys = [0.0] + xs, [floor[metric]] + ys
    return xs, ys


def draw_ladder(path: Path, ladder: dict, floor: dict, title: str) -> None:
    """Write the ladder of one dataset as a PNG (Agg canvas: no display, no global state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    families = [family for family in _FAMILIES if family in ladder]
    fig = Figure(figsize=(2.6 * len(families), 5.2), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, len(families), squeeze=False)
    for column, family in enumerate(families):
        top, bottom = axes[0, column], axes[1, column]
        xs, fd = _series(ladder[family], floor, family, "fid")
        top.plot(xs, fd, "o-", color="C3", label="FD")
        top.set_yscale("symlog", linthresh=1.0)
        twin = top.twinx()
        _, kid = _series(ladder[family], floor, family, "kid")
        twin.plot(xs, kid, "s--", color="C4", label="KID", linewidth=1)
        twin.tick_params(labelsize=7)
        top.set_title(family.replace("_", " "), fontsize=9)
        for metric in MANIFOLD:
            bottom.plot(*_series(ladder[family], floor, family, metric), "o-", label=metric, markersize=3)
        bottom.set_ylim(0.0, 1.3)
        bottom.set_xlabel("classes kept" if family == "modes_kept" else "level (0 = floor)", fontsize=8)
        if family == "modes_kept":
            bottom.invert_xaxis()
            top.invert_xaxis()
        for ax in (top, bottom):
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel("FD (o, symlog) · KID (□, right)", fontsize=8)
    axes[1, 0].set_ylabel("manifold metrics", fontsize=8)
    axes[1, 0].legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.savefig(path, format="png")


def degenerate_table(ladder: dict, floor: dict) -> str:
    """HTML rows: each degenerate input's FD, KID and manifold metrics next to the floor's."""
    metrics = ("fid", "kid") + MANIFOLD
    head = "".join(f"<th>{m}</th>" for m in metrics)
    rows = [f"<tr><th>input</th>{head}</tr>",
            "<tr><td>floor (test images)</td>" + "".join(f"<td>{floor[m]:.4g}</td>" for m in metrics) + "</tr>"]
    for kind in DEGENERATE:
        if kind in ladder:
            (scores,) = ladder[kind].values()
            cells = "".join(f"<td>{scores[m]:.4g}</td>" for m in metrics)
            rows.append(f"<tr><td>{html.escape(kind.replace('_', ' '))}</td>{cells}</tr>")
    return "<table class=\"ladder\">" + "".join(rows) + "</table>"
