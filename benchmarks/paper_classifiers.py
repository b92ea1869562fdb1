"""Run the five Fashion-MNIST classifier chains on the paper profile and record what they reach.

    python -m genzoo.profile paper                 # in a scratch checkout, not the committed one
    python benchmarks/paper_classifiers.py --out benchmarks/results/<date>-<machine>-paper-classifiers

Each model's train and evaluate stages run with ``dvc repro -s`` (the data stages must be
current), one after the other, and each stage is timed as a whole process. The record holds,
per model, the test accuracy, the write-up's figure, the training settings and the times,
plus the machine; ``--record-only`` rebuilds it from the checkout's metrics and a times file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

MODELS = ("pyramid_svm", "mlp", "lenet5", "mobilenet_v2", "cnn_best")
SETTINGS = ("epochs", "batch_size", "learning_rate", "max_train", "C", "max_iter", "width", "dropout", "shift",
            "weights", "resolution", "alpha")


def run_stages(checkout: Path) -> dict[str, dict[str, float]]:
    """``{model: {"train": seconds, "evaluate": seconds}}``, each stage a ``dvc repro -s`` process."""
    times: dict[str, dict[str, float]] = {}
    for model in MODELS:
        for stage in ("train", "evaluate"):
            print(f"{stage}@{model} ...", flush=True)
            start = time.perf_counter()
            subprocess.run(["dvc", "repro", "-s", f"{stage}@{model}"], cwd=checkout, check=True)
            times.setdefault(model, {})[stage] = round(time.perf_counter() - start, 1)
    return times


def processor(checkout: Path) -> str:
    sys.path.insert(0, str(checkout / "src"))
    from genzoo.runtime import processor_name

    return processor_name()


def record(checkout: Path, times: dict[str, dict[str, float]]) -> dict:
    import yaml

    params = yaml.safe_load((checkout / "params.yaml").read_text())
    rows = []
    for model in MODELS:
        details = json.loads((checkout / "metrics" / "details" / "models" / f"{model}.json").read_text())
        section = params["models"][model]
        rows.append({
            "model": model,
            "accuracy": details["accuracy"],
            "write_up": details.get("reference"),
            "n_train": details["n_train"],
            "settings": {key: section[key] for key in SETTINGS if key in section},
            "converged": details.get("converged"),
            "train_seconds": details["train_seconds"],
            "stage_seconds": times.get(model, {}),
        })
    return {
        "profile": params["base"]["profile"],
        "machine": {"processor": processor(checkout), "cores": os.cpu_count(), "python": platform.python_version()},
        "models": rows,
        "total_stage_minutes": round(sum(sum(t.values()) for t in times.values()) / 60, 1),
    }


def markdown(result: dict) -> str:
    lines = [
        f"# Classifiers, {result['profile']} profile, on {result['machine']['processor']} "
        f"({result['machine']['cores']} cores, CPU)",
        "",
        "| model | test accuracy | write-up | training images | settings | train (s) | train + evaluate stages (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["models"]:
        settings = ", ".join(f"{k} {v}" for k, v in row["settings"].items() if k != "max_train")
        stages = sum(row["stage_seconds"].values()) if row["stage_seconds"] else "—"
        write_up = "—" if row["write_up"] is None else f"{row['write_up']:.3f}"
        lines.append(f"| `{row['model']}` | {row['accuracy']:.4f} | {write_up} | {row['n_train']:,} | {settings} "
                     f"| {row['train_seconds']:.0f} | {stages} |")
    lines += ["", f"All five chains: {result['total_stage_minutes']} min of stage wall time."]
    if result.get("note"):
        lines += ["", result["note"]]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=Path("."), help="a checkout on the paper profile")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT.json and OUT.md")
    parser.add_argument("--note", default="", help="a sentence for the record: what else ran on the machine")
    parser.add_argument("--record-only", type=Path, metavar="TIMES_JSON",
                        help="do not run: read the stage times from this file")
    args = parser.parse_args(argv)
    params_text = (args.checkout / "params.yaml").read_text()
    if "profile: paper" not in params_text:
        sys.exit(f"{args.checkout / 'params.yaml'} is not on the paper profile; run `python -m genzoo.profile paper` "
                 "in a scratch checkout first")
    times = json.loads(args.record_only.read_text()) if args.record_only else run_stages(args.checkout)
    result = record(args.checkout, times) | {"note": args.note}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
