"""report: metrics/summary.json (one row per model) and report/index.html (every table and figure)."""

import argparse
from pathlib import Path

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--metrics", required=True, help="directory of the evaluate stages' metrics files")
    parser.add_argument("--references", required=True, help="directory of the reference stages' metrics files")
    parser.add_argument("--seeds", required=True, help="directory of the seed summaries (python -m genzoo.seeds)")
    parser.add_argument("--samples", required=True, help="directory of the evaluate stages' samples and figures")
    parser.add_argument("--logs", required=True, help="directory of the train stages' dvclive logs")
    parser.add_argument("--summary", required=True, help="summary JSON file")
    parser.add_argument("--out", required=True, help="directory for index.html, its figures and plot data")
    args = parser.parse_args()
    params = load_params()

    from genzoo.report import write_report

    rows = write_report(
        params["models"], metrics_dir=Path(args.metrics), reference_dir=Path(args.references),
        seeds_dir=Path(args.seeds),
        samples_dir=Path(args.samples), logs_dir=Path(args.logs), summary_path=Path(args.summary),
        out_dir=Path(args.out),
    )
    print(f"report: {len(rows)} models in {args.out}/index.html")


if __name__ == "__main__":
    stage.run(main)
