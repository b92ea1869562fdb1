"""report: one HTML page (a table per model family, every figure and curve) and the data-series plots."""

import argparse
from pathlib import Path

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--details", required=True,
                        help="directory of the whole records: models/<model>.json and reference/<dataset>.json")
    parser.add_argument("--seeds", required=True, help="directory of the seed summaries (python -m genzoo.seeds)")
    parser.add_argument("--samples", required=True, help="directory of the evaluate stages' samples and figures")
    parser.add_argument("--logs", required=True, help="directory of the train stages' dvclive logs")
    parser.add_argument("--out", required=True, help="directory for index.html, its figures and plot data")
    args = parser.parse_args()
    params = load_params()

    from genzoo.report import write_report

    rows = write_report(
        params["models"], details_dir=Path(args.details), seeds_dir=Path(args.seeds),
        samples_dir=Path(args.samples), logs_dir=Path(args.logs), out_dir=Path(args.out),
    )
    print(f"report: {len(rows)} models in {args.out}/index.html")


if __name__ == "__main__":
    stage.run(main)
