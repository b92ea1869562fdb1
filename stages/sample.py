"""sample@<model>: run the trained model: figures (sample grids, maps...) and the arrays evaluate scores."""

import argparse
from pathlib import Path

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--trained", required=True, help="the train stage's output directory")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for figures/ and data/")
    args = parser.parse_args()
    params = load_params()
    section = params["models"][args.model]

    from genzoo.families import pipeline
    from genzoo.runtime import setup

    setup(seed=params["base"]["seed"], device=params["base"]["device"])
    pipeline(section["family"]).sample(
        args.model, trained_dir=Path(args.trained), data_dir=Path(args.data), out_dir=Path(args.out),
        params=section, evaluation=params["evaluation"], seed=params["base"]["seed"],
    )


if __name__ == "__main__":
    stage.run(main)
