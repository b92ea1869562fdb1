"""The report: one static HTML page with a table per model family and every figure.

The page needs no server and no network: its images are copied next to it and linked by
relative paths, its style is inline, and it loads no scripts. It reads the evaluate and
reference stages' whole records (``<details>/models``, ``<details>/reference``), not the
declared headline metrics, which keep only the numbers a terminal compares.
"""

from __future__ import annotations

import html
import math
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from genzoo import files
from genzoo.headline import LOWER_IS_BETTER, MODEL, pick
from genzoo.io import atomic_dir, read_json
# Below this many scored images every generative number is indicative only (the faces);
# the scoring that adds the spread over draws and the page that marks it share the bound.
from genzoo.scoring.samples import SMALL_SAMPLE

# Table order, and each family's heading. A family not listed here follows, by name.
FAMILIES = {
    "gan": "GANs",
    "vae": "Variational autoencoders",
    "aae": "Adversarial autoencoders",
    "capsnet": "Capsule networks",
    "classifier": "Classifiers",
    "som": "Self-organising maps",
    "cyclegan": "Image-to-image translation",
}
# Shown as "value ± error": KID's standard error, the classifier score's std over splits.
ERRORS = {"kid": "kid_se", "class_score": "classifier_score_std"}
# Bounded above by 1: a floor of 1.0 leaves no room to tell a model from the data.
BOUNDED = {"precision", "recall", "coverage"}
# A classifier's published accuracy and its distance from it: not a metric of its own
# (dvc compares accuracy), but the column a reader checks the recipe against.
WRITE_UP = {"reference": "write-up", "vs_reference": "vs write-up"}
UNKNOWN = "unknown"
NOT_GIT = "not a git checkout"


def headline(record: dict) -> dict:
    """The headline metrics of one record, ``{short key: {"value", "floor"}}`` in ``MODEL``'s order.

    Generative metrics are ``{value, floor}`` in the record, with ``error`` where the metric
    has one (``ERRORS``, or the spread over draws of a small sample); a bounded metric whose
    floor is 1.0 loses it (``no_room``). Per-split metrics show their test split; plain
    numbers have no floor. Anything but a number (a metric that does not apply) is left out.
    """
    row = {}
    for short, (key, field) in MODEL.items():
        value = pick(record, key, field)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        entry = {"value": value, "floor": None}
        if field == "value":
            entry["floor"] = record[key].get("floor")
            if short in ERRORS and pick(record, ERRORS[short], "value") is not None:
                entry["error"] = pick(record, ERRORS[short], "value")
            # A small sample's spread over draws is the honest error bar for every metric.
            if key in record.get("draw_sd", {}):
                entry["error"] = record["draw_sd"][key]
            if short in BOUNDED and entry["floor"] is not None and entry["floor"] >= 1.0:
                entry["floor"] = None
                entry["no_room"] = True
        row[short] = entry
    return row


def over_seeds(summary: dict | None, current: dict) -> dict | None:
    """``{short key: {mean, std, n}}`` of a seed summary (``genzoo.seeds``) that matches ``current``.

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


def summarise(models: dict[str, dict], details_dir: Path, seeds_dir: Path | None = None) -> list[dict]:
    """One row per model of ``models`` (name → its params section), in order, from ``details_dir/<name>.json``.

    A model without a record is an error that names the stage to run. A model with a
    current seed summary in ``seeds_dir/<name>.json`` also gets its mean ± std over seeds.
    Records written before they carried ``family`` and ``profile`` take the family from
    params and show the profile as unknown.
    """
    rows = []
    for name, section in models.items():
        path = details_dir / f"{name}.json"
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing; run `dvc repro evaluate@{name}` so the evaluate stage of {name} writes it")
        record = read_json(path)
        seeds_file = None if seeds_dir is None else seeds_dir / f"{name}.json"
        seeds = read_json(seeds_file) if seeds_file is not None and seeds_file.is_file() else None
        metrics = headline(record)
        rows.append({
            "model": name,
            "family": record.get("family") or section["family"],
            "profile": record.get("profile") or UNKNOWN,
            "dataset": section["dataset"],
            "data_source": record.get("data_source"),
            "metrics": metrics,
            "write_up": {key: record[key] for key in WRITE_UP if key in record},
            "train_seconds": record.get("train_seconds"),
            "device": record.get("device"),
            "device_name": record.get("device_name"),
            "indicative": isinstance(record.get("n_samples"), int) and record["n_samples"] < SMALL_SAMPLE,
            "n_samples": record.get("n_samples"),
            "over_seeds": over_seeds(seeds, metrics),
        })
    return rows


def by_family(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """``[(family, its rows)]`` in ``FAMILIES`` order, then any other family by name."""
    order = list(FAMILIES) + sorted({row["family"] for row in rows} - set(FAMILIES))
    return [(family, [row for row in rows if row["family"] == family])
            for family in order if any(row["family"] == family for row in rows)]


def columns(rows: list[dict]) -> list[str]:
    """The headline keys (``MODEL`` order), then the write-up keys, that any of ``rows`` has."""
    keys = [key for key in MODEL if any(key in row["metrics"] for row in rows)]
    return keys + [key for key in WRITE_UP if any(key in row["write_up"] for row in rows)]


def _grouped(labels: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for name, label in labels.items():
        groups.setdefault(label, []).append(name)
    return groups


def commit_of(repo: Path) -> str:
    """The short commit of ``repo``'s HEAD, or ``NOT_GIT`` where git cannot say (no checkout, no git)."""
    try:
        result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True,
                                text=True, check=False)
    except OSError:
        return NOT_GIT
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else NOT_GIT


def stamp(rows: list[dict], references: list[dict], commit: str, generated: datetime) -> dict:
    """What the page was made from: profiles and devices (each → the models with it), commit, time.

    A reference counts towards the profiles: a floor computed under another profile than
    the models' is not the floor they should be read against.
    """
    profiles = {row["model"]: row["profile"] for row in rows}
    profiles |= {f"{info['dataset']} reference": info.get("profile") or UNKNOWN for info in references}
    devices = {row["model"]: f"{row['device'] or UNKNOWN} · {row['device_name'] or 'name not recorded'}"
               for row in rows}
    return {"profiles": _grouped(profiles), "devices": _grouped(devices), "commit": commit,
            "generated": generated.astimezone(timezone.utc).isoformat(timespec="seconds")}


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

    # One panel per curve, each named in its title: a VAE's loss (~150 nats) next to its KL
    # (~5), or a learning rate next to a loss, would be flat lines on one shared axis.
    n_cols = min(4, len(found))
    n_rows = math.ceil(len(found) / n_cols)
    fig = Figure(figsize=(2.9 * n_cols + 0.4, 2.1 * n_rows + 0.4), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(n_rows, n_cols, squeeze=False, sharex=True)
    for ax, (name, (steps, values)) in zip(axes.flat, found.items()):
        ax.plot(steps, values, linewidth=1.2, color="C0", marker="o" if len(steps) < 20 else None, markersize=3)
        ax.set_title(name, fontsize=10)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("step", fontsize=9)
    for ax in axes.flat[len(found):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=11)
    fig.savefig(path, format="png")


def _format(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


def _cell(entry: dict | None, spread: dict | None) -> str:
    if entry is None:
        return "<td></td>"
    text = _format(entry["value"])
    if "error" in entry:
        text += f" ±&nbsp;{_format(entry['error'])}"
    if spread and spread["std"] is not None:
        text += f"<br><small>{spread['n']} seeds: {_format(spread['mean'])} ±&nbsp;{_format(spread['std'])}</small>"
    if entry.get("no_room"):
        text += "<br><small>floor 1: no room</small>"
    elif entry["floor"] is not None:
        text += f"<br><small>floor {_format(entry['floor'])}</small>"
    return f"<td>{text}</td>"


def _family_table(family: str, rows: list[dict]) -> str:
    keys = columns(rows)
    head = "".join(
        f"<th title=\"{html.escape(MODEL[key][0])}\">{key}&nbsp;{'↓' if key in LOWER_IS_BETTER else '↑'}</th>"
        if key in MODEL else f"<th>{WRITE_UP[key]}{'&nbsp;↑' if key == 'vs_reference' else ''}</th>"
        for key in keys
    )
    lines = [f"<tr><th>model</th><th>dataset (source)</th>{head}<th>train&nbsp;s</th><th>device</th></tr>"]
    for row in rows:
        cells = "".join(
            _cell(row["metrics"].get(key), (row.get("over_seeds") or {}).get(key)) if key in MODEL
            else f"<td>{_format(_write_up(row['write_up'].get(key)))}</td>"
            for key in keys
        )
        indicative = f"<br><small>indicative: {row['n_samples']} images scored</small>" if row["indicative"] else ""
        lines.append(
            f"<tr><td><a href=\"#{row['model']}\">{row['model']}</a></td>"
            f"<td>{_format(row['dataset'])} ({_format(row['data_source'])}){indicative}</td>{cells}"
            f"<td>{_format(row['train_seconds'])}</td><td>{_format(row['device'])}</td></tr>"
        )
    return (f"<h2 id=\"family-{family}\">{html.escape(FAMILIES.get(family, family))}</h2>"
            f"<table class=\"family\" id=\"table-{family}\">" + "\n".join(lines) + "</table>")


def _write_up(value):
    # A write-up may quote several numbers (a dict of setting → accuracy).
    if isinstance(value, dict):
        return ", ".join(f"{k} {_format(v)}" for k, v in value.items())
    return value


def _stamp_html(info: dict) -> str:
    def listing(groups: dict[str, list[str]]) -> str:
        if len(groups) == 1:
            return html.escape(next(iter(groups)))
        return "; ".join(f"<b>{html.escape(label)}</b>: {html.escape(', '.join(names))}"
                         for label, names in groups.items())

    profile = listing(info["profiles"])
    if len(info["profiles"]) > 1:
        # Profiles differ in data, epochs and sample counts: their numbers do not compare.
        profile = f"<span class=\"mixed\">mixed profiles: numbers across them do not compare</span> — {profile}"
    return (
        "<table id=\"stamp\">"
        f"<tr><th>profile</th><td>{profile}</td></tr>"
        f"<tr><th>commit</th><td>{html.escape(info['commit'])}</td></tr>"
        f"<tr><th>generated</th><td>{info['generated']} (UTC)</td></tr>"
        f"<tr><th>device</th><td>{listing(info['devices'])}</td></tr>"
        "</table>"
    )


def _contents(families: list[tuple[str, list[dict]]], has_ladder: bool) -> str:
    items = "".join(
        f"<li><a href=\"#family-{family}\">{html.escape(FAMILIES.get(family, family))}</a>: "
        + ", ".join(f"<a href=\"#{row['model']}\">{row['model']}</a>" for row in rows) + "</li>"
        for family, rows in families
    )
    extra = "<li><a href=\"#ladder\">evaluator validation ladder</a></li>" if has_ladder else ""
    return f"<nav id=\"contents\"><ul>{items}{extra}<li><a href=\"#sources\">data sources</a></li></ul></nav>"


# Every width is bounded by the page's, so a 1,280-px window never scrolls sideways: the
# tables have a handful of columns in a small font, and a cell may wrap anywhere.
_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: sans-serif; font-size: 14px; line-height: 1.35; margin: 0 auto; padding: 1em 1.5em;
       max-width: 1240px; }
h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 12px; margin: 0.5em 0 1em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f5f5f5; font-weight: 600; }
th:first-child, td:first-child { text-align: left; white-space: nowrap; }
#stamp th { width: 6em; }
#stamp td { text-align: left; }
small { color: #666; }
.mixed { color: #a40000; font-weight: 600; }
nav ul { margin: 0.3em 0; padding-left: 1.2em; font-size: 13px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
figure { margin: 0; min-width: 0; max-width: 100%; }
figure img { display: block; max-width: 100%; max-height: 340px; width: auto; height: auto;
             border: 1px solid #eee; }
figure.wide img { max-height: none; }
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
            f"<figure class=\"wide\"><img src=\"figures/ladder/{dataset}.png\" alt=\"{dataset} ladder\"></figure>"
            f"{degenerate_table(info['ladder'], floor)}"
        )
    if not parts:
        return ""
    return (
        "<h2 id=\"ladder\">Evaluator validation ladder</h2><p>Test images disturbed by rising amounts, classes "
        "dropped, and degenerate inputs, scored like samples against the same reference. FD and "
        "KID must rise with every disturbance, recall and coverage fall as classes are dropped, "
        "and every degenerate input must score worse than the floor on every metric.</p>"
        + "".join(parts)
    )


def _model_section(row: dict, samples_dir: Path, logs_dir: Path, figure_dir: Path) -> str:
    """Copy one model's figures and draw its curves into ``figure_dir``; its section of the page."""
    name = row["model"]
    figure_dir.mkdir(parents=True)
    figures = []
    for png in sorted((samples_dir / name / files.SAMPLE_FIGURES).glob("*.png")):
        shutil.copy2(png, figure_dir / png.name)
        figures.append((f"figures/{name}/{png.name}", png.stem.replace("_", " "), ""))
    found = curves(logs_dir / name)
    if found:
        _plot_curves(figure_dir / "curves.png", found, f"{name}: training curves")
        # A chart is read at its drawn size (up to the page's width); sample grids are
        # shown smaller, side by side, and open at full size.
        figures.append((f"figures/{name}/curves.png", "training curves", " class=\"wide\""))
    body = "".join(
        f"<figure{wide}><a href=\"{src}\"><img src=\"{src}\" alt=\"{name}: {html.escape(caption)}\"></a>"
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        for src, caption, wide in figures
    )
    family = row["family"]
    return (
        f"<section id=\"{name}\"><h2>{name}</h2>"
        f"<p><small>{html.escape(FAMILIES.get(family, family))} · {_format(row['dataset'])} · "
        f"<a href=\"#family-{family}\">back to the table</a></small></p>"
        f"<div class=\"figures\">{body}</div></section>"
    )


def write_report(
    models: dict[str, dict],
    *,
    details_dir: Path,
    seeds_dir: Path | None = None,
    samples_dir: Path,
    logs_dir: Path,
    out_dir: Path,
    repo: Path = Path("."),
) -> list[dict]:
    """Write ``out_dir/index.html`` with its figures; return the rows its tables show.

    ``details_dir`` holds the evaluate stages' records (``models/<model>.json``) and the
    reference stages' (``reference/<dataset>.json``); ``repo`` is the checkout whose commit
    the page is stamped with. Per model the page shows every PNG its evaluate stage drew
    (``samples/<model>/figures``) and its training curves, drawn from the dvclive logs;
    ``out_dir/plots/`` gathers the data-series plots dvc.yaml declares. Nothing is
    written unless every model has its record.
    """
    reference_dir = details_dir / "reference"
    rows = summarise(models, details_dir / "models", seeds_dir)
    families = by_family(rows)
    references = [read_json(path) for path in sorted(reference_dir.glob("*.json"))]
    info = stamp(rows, references, commit_of(repo), datetime.now(timezone.utc))
    sources = data_sources(reference_dir)
    with atomic_dir(out_dir) as tmp:
        copy_plot_series(samples_dir, tmp / "plots", models)
        ladders = ladder_sections(reference_dir, tmp / "figures" / "ladder")
        tables = "".join(_family_table(family, family_rows) for family, family_rows in families)
        sections = "".join(_model_section(row, samples_dir, logs_dir, tmp / "figures" / row["model"])
                           for _, family_rows in families for row in family_rows)
        source_rows = "".join(
            f"<tr><td>{html.escape(s['dataset'])}</td><td>{html.escape(str(s['source']))}</td>"
            f"<td>{', '.join(f'{k} {v}' for k, v in s['counts'].items())}</td></tr>"
            for s in sources
        )
        page = (
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>genzoo report</title><style>{_STYLE}</style></head><body>"
            "<h1>genzoo report</h1>"
            f"{_stamp_html(info)}{_contents(families, bool(ladders))}"
            "<p>Each metric is shown with its real-vs-real floor (test images scored like samples) "
            "where it has one. Arrows give the better direction; ± is a standard error for KID "
            "(jackknife) and a standard deviation over splits for the classifier score. Numbers "
            f"from fewer than {SMALL_SAMPLE} scored images are marked indicative, and there ± is the "
            "standard deviation over disjoint draws of that many samples.</p>"
            f"<div id=\"models\">{tables}</div>"
            f"{ladders}"
            "<h2 id=\"sources\">Data sources</h2><table><tr><th>dataset</th><th>source</th><th>images</th></tr>"
            f"{source_rows}</table>"
            f"{sections}</body></html>\n"
        )
        (tmp / "index.html").write_text(page, encoding="utf-8")
    return rows
