"""The report: one summary row per model, and one static HTML page with every figure.

The page needs no server and no network: its images are copied next to it and linked by
relative paths, its style is inline, and it loads no scripts.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import numpy as np

from genzoo import files
from genzoo.io import atomic_dir, read_json, write_json
# Below this many scored images every generative number is indicative only (the faces);
# the scoring that adds the spread over draws and the page that marks it share the bound.
from genzoo.scoring.samples import SMALL_SAMPLE

# The metrics a reader compares first, in table order. A model reports those that apply to
# it; the rest of its metrics file stays in metrics/<model>.json.
HEADLINE = (
    "fid", "kid", "precision", "recall", "density", "coverage", "classifier_score",
    "accuracy", "test_elbo_binarized", "test_iw_bound_binarized", "reconstruction_bce", "reconstruction_error",
    "quantization_error", "topographic_error", "memorisation_ratio",
)
# Shown as "value ± error": KID's standard error, the classifier score's std over splits.
ERRORS = {"kid": "kid_se", "classifier_score": "classifier_score_std"}
# Bounded above by 1: a floor of 1.0 leaves no room to tell a model from the data.
BOUNDED = {"precision", "recall", "coverage"}
# Lower is better for these; the page marks the direction in the column header.
LOWER_IS_BETTER = {"fid", "kid", "reconstruction_bce", "reconstruction_error", "quantization_error",
                   "topographic_error"}


def headline(metrics: dict) -> dict:
    """The headline metrics of one metrics file, each as ``{"value", "floor"}`` (floor may be None).

    Generative metrics are already ``{value, floor}``, with ``error`` where the metric has
    one (``ERRORS``); a bounded metric whose floor is 1.0 loses it (``no_room``). The SOM's
    errors are per split, and the test split is the headline; plain numbers have no floor.
    """
    row = {}
    for key in HEADLINE:
        if key not in metrics:
            continue
        entry = metrics[key]
        if isinstance(entry, dict) and "value" in entry:
            row[key] = {"value": entry["value"], "floor": entry.get("floor")}
            error = metrics.get(ERRORS.get(key))
            if isinstance(error, dict):
                row[key]["error"] = error["value"]
            # A small sample's spread over draws is the honest error bar for every metric.
            if key in metrics.get("draw_sd", {}):
                row[key]["error"] = metrics["draw_sd"][key]
            if key in BOUNDED and row[key]["floor"] is not None and row[key]["floor"] >= 1.0:
                row[key]["floor"] = None
                row[key]["no_room"] = True
        elif isinstance(entry, dict) and "test" in entry:
            row[key] = {"value": entry["test"], "floor": None}
        elif isinstance(entry, (int, float)) and not isinstance(entry, bool):
            row[key] = {"value": entry, "floor": None}
    return row


def over_seeds(summary: dict | None, current: dict) -> dict | None:
    """``{metric: {mean, std, n}}`` of a seed summary (``genzoo.seeds``) that matches ``current``.

    The summary holds the workspace's own seed among its runs; if that seed's values are not
    the model's current headline values, the model has changed since, and nothing is shown.
    """
    if not summary:
        return None
    index = summary["seeds"].index(summary["own_seed"])
    for name, entry in summary["metrics"].items():
        now = current.get(name, {}).get("value")
        if not isinstance(now, (int, float)) or abs(entry["values"][index] - now) > 1e-4 * max(1.0, abs(now)):
            return None
    return {name: {"mean": e["mean"], "std": e["std"], "n": len(e["values"])} for name, e in summary["metrics"].items()}


def summarise(models: dict[str, dict], metrics_dir: Path, seeds_dir: Path | None = None) -> list[dict]:
    """One row per model of ``models`` (name → its params section), in order, from ``metrics_dir/<name>.json``.

    A model without a metrics file is an error that names the stage to run. A model with a
    current seed summary in ``seeds_dir/<name>.json`` also gets its mean ± std over seeds.
    """
    rows = []
    for name, section in models.items():
        path = metrics_dir / f"{name}.json"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing; run `dvc repro` so the evaluate stage of {name} writes it")
        metrics = read_json(path)
        seeds_file = None if seeds_dir is None else seeds_dir / f"{name}.json"
        seeds = read_json(seeds_file) if seeds_file is not None and seeds_file.is_file() else None
        rows.append({
            "model": name,
            "dataset": section["dataset"],
            "data_source": metrics.get("data_source"),
            "metrics": headline(metrics),
            "reference": metrics.get("reference"),
            "train_seconds": metrics.get("train_seconds"),
            "device": metrics.get("device"),
            "indicative": isinstance(metrics.get("n_samples"), int) and metrics["n_samples"] < SMALL_SAMPLE,
            "n_samples": metrics.get("n_samples"),
            "over_seeds": over_seeds(seeds, headline(metrics)),
        })
    return rows


def data_sources(reference_dir: Path) -> list[dict]:
    """The datasets as the reference stages recorded them (``reference_dir/<dataset>.json``): source and counts."""
    sources = []
    for path in sorted(reference_dir.glob("*.json")):
        info = read_json(path)
        sources.append({"dataset": info["dataset"], "source": info["data_source"], "counts": info["counts"]})
    return sources


def curves(log_dir: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every dvclive curve under ``log_dir/plots/metrics`` as ``{name: (steps, values)}``."""
    found = {}
    root = log_dir / "plots" / "metrics"
    for path in sorted(root.rglob("*.tsv")):
        table = np.genfromtxt(path, delimiter="\t", names=True)
        table = np.atleast_1d(table)
        steps, values = table[table.dtype.names[0]], table[table.dtype.names[-1]]
        found[str(path.relative_to(root).with_suffix(""))] = (steps, values)
    return found


def _plot_curves(path: Path, found: dict, title: str) -> None:
    # The Agg canvas directly: no pyplot, so no global backend state and no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.2), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for name, (steps, values) in found.items():
        ax.plot(steps, values, label=name, linewidth=1.2)
    ax.set_xlabel("step")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.savefig(path, format="png")


def _format(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


def _indicative(row: dict) -> str:
    if not row.get("indicative"):
        return ""
    return f"<br><small>indicative: {row['n_samples']} images scored</small>"


def _table(rows: list[dict]) -> str:
    keys = [key for key in HEADLINE if any(key in row["metrics"] for row in rows)]
    head = "".join(
        f"<th>{key} {'↓' if key in LOWER_IS_BETTER else '↑'}</th>" for key in keys
    )
    lines = [f"<tr><th>model</th><th>dataset (source)</th>{head}<th>reference</th>"
             "<th>train s</th><th>device</th></tr>"]
    for row in rows:
        cells = []
        for key in keys:
            entry = row["metrics"].get(key)
            if entry is None:
                cells.append("<td></td>")
                continue
            value = _format(entry["value"])
            if "error" in entry:
                value += f" ± {_format(entry['error'])}"
            spread = (row.get("over_seeds") or {}).get(key)
            if spread and spread["std"] is not None:
                value += f"<br><small>{spread['n']} seeds: {_format(spread['mean'])} ± {_format(spread['std'])}</small>"
            if entry.get("no_room"):
                value += "<br><small>floor 1: no room</small>"
            elif entry["floor"] is not None:
                value += f"<br><small>floor {_format(entry['floor'])}</small>"
            cells.append(f"<td>{value}</td>")
        reference = row["reference"]
        if isinstance(reference, dict):
            reference = ", ".join(f"{k} {_format(v)}" for k, v in reference.items())
        lines.append(
            f"<tr><td><a href=\"#{row['model']}\">{row['model']}</a></td>"
            f"<td>{_format(row['dataset'])} ({_format(row['data_source'])}){_indicative(row)}</td>{''.join(cells)}"
            f"<td>{_format(reference)}</td><td>{_format(row['train_seconds'])}</td>"
            f"<td>{_format(row['device'])}</td></tr>"
        )
    return "<table id=\"models\">" + "\n".join(lines) + "</table>"


_STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 1200px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
small { color: #777; }
figure { display: inline-block; margin: 0 1em 1em 0; vertical-align: top; }
figure img { max-width: 520px; border: 1px solid #eee; }
figcaption { font-size: 12px; color: #555; }
"""


def copy_plot_series(samples_dir: Path, out_dir: Path, names) -> None:
    """Gather the data-series plots of every model into ``out_dir/<kind>/<model>.json``.

    dvc.yaml declares one plot per kind directory (confusion matrices, scatter maps), so a
    new model's plots need no edit there; a model's evaluate stage writes them in its data.
    """
    for name in names:
        for file_name, kind in files.PLOT_KINDS.items():
            source = samples_dir / name / files.SAMPLE_DATA / file_name
            if source.is_file():
                (out_dir / kind).mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, out_dir / kind / f"{name}.json")


def ladder_sections(reference_dir: Path, figure_dir: Path) -> str:
    """The validation ladder of every dataset: its figure, its degenerate inputs, its checks."""
    from genzoo.ladder_figure import degenerate_table, draw_ladder

    parts = []
    for path in sorted(reference_dir.glob("*.json")):
        info = read_json(path)
        if "ladder" not in info:
            continue
        dataset = info["dataset"]
        # The ladder disturbs the test images at the data's own size.
        floor = info["floor"][info["ladder_size"]]
        figure_dir.mkdir(parents=True, exist_ok=True)
        draw_ladder(figure_dir / f"{dataset}.png", info["ladder"], floor, f"{dataset}: validation ladder")
        failures = info.get("ladder_failures") or []
        verdict = (f"{info['ladder_checks_passed']} of {info['ladder_checks_total']} checks hold"
                   + (": fails " + "; ".join(html.escape(f) for f in failures) if failures else "."))
        parts.append(
            f"<h3>{html.escape(dataset)}</h3><p>{verdict}</p>"
            f"<figure><img src=\"figures/ladder/{dataset}.png\" alt=\"{dataset} ladder\"></figure>"
            f"{degenerate_table(info['ladder'], floor)}"
        )
    if not parts:
        return ""
    return (
        "<h2>Evaluator validation ladder</h2><p>Test images disturbed by rising amounts, classes "
        "dropped, and degenerate inputs, scored like samples against the same reference. FD and "
        "KID must rise with every disturbance, recall and coverage fall as classes are dropped, "
        "and every degenerate input must score worse than the floor on every metric.</p>"
        + "".join(parts)
    )


def write_report(
    models: dict[str, dict],
    *,
    metrics_dir: Path,
    reference_dir: Path,
    seeds_dir: Path | None = None,
    samples_dir: Path,
    logs_dir: Path,
    summary_path: Path,
    out_dir: Path,
) -> list[dict]:
    """Write ``summary_path`` (one row per model) and ``out_dir/index.html`` with its figures.

    Per model the page shows every PNG its evaluate stage drew (``samples/<model>/figures``)
    and its training curves, drawn from the dvclive logs; ``out_dir/plots/`` gathers the
    data-series plots dvc.yaml declares.
    """
    rows = summarise(models, metrics_dir, seeds_dir)
    sources = data_sources(reference_dir)
    with atomic_dir(out_dir) as tmp:
        copy_plot_series(samples_dir, tmp / "plots", models)
        ladders = ladder_sections(reference_dir, tmp / "figures" / "ladder")
        sections = []
        for name in models:
            figure_dir = tmp / "figures" / name
            figure_dir.mkdir(parents=True)
            figures = []
            for png in sorted((samples_dir / name / files.SAMPLE_FIGURES).glob("*.png")):
                shutil.copy2(png, figure_dir / png.name)
                figures.append((f"figures/{name}/{png.name}", png.stem.replace("_", " ")))
            found = curves(logs_dir / name)
            if found:
                _plot_curves(figure_dir / "curves.png", found, f"{name}: training curves")
                figures.append((f"figures/{name}/curves.png", "training curves"))
            body = "".join(
                f"<figure><img src=\"{src}\" alt=\"{html.escape(caption)}\">"
                f"<figcaption>{html.escape(caption)}</figcaption></figure>"
                for src, caption in figures
            )
            sections.append(f"<section id=\"{name}\"><h2>{name}</h2>{body}</section>")
        source_rows = "".join(
            f"<tr><td>{s['dataset']}</td><td>{s['source']}</td>"
            f"<td>{', '.join(f'{k} {v}' for k, v in s['counts'].items())}</td></tr>"
            for s in sources
        )
        page = (
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>genzoo report</title><style>{_STYLE}</style></head><body>"
            "<h1>genzoo report</h1>"
            "<p>Each metric is shown with its real-vs-real floor (test images scored like samples) "
            "where it has one. Arrows give the better direction; ± is a standard error for KID "
            "(jackknife) and a standard deviation over splits for the classifier score. Numbers "
            "from fewer than 100 scored images are marked indicative, and there ± is the "
            "standard deviation over disjoint draws of that many samples.</p>"
            f"{_table(rows)}"
            f"{ladders}"
            "<h2>Data sources</h2><table id=\"sources\"><tr><th>dataset</th><th>source</th><th>images</th></tr>"
            f"{source_rows}</table>"
            f"{''.join(sections)}</body></html>\n"
        )
        (tmp / "index.html").write_text(page, encoding="utf-8")
    # Keyed by model, so `dvc metrics diff` names each value as <model>.<metric>.value.
    write_json(summary_path, {row["model"]: {k: v for k, v in row.items() if k != "model"} for row in rows})
    return rows
