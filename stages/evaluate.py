"""evaluate@<model>: the model's metrics JSON (generation metrics with floors, accuracy, map errors...)."""

import argparse
from pathlib import Path

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--trained", required=True, help="the train stage's output directory")
    parser.add_argument("--samples", required=True, help="the sample stage's output directory")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--evaluator", required=True, help="the evaluator stage's output directory")
    parser.add_argument("--out", required=True, help="metrics JSON file")
    args = parser.parse_args()
    params = load_params()
    section = params["models"][args.model]

    from genzoo.families import pipeline
    from genzoo.runtime import setup

    setup(seed=params["base"]["seed"], device=params["base"]["device"])
    pipeline(section["family"]).evaluate(
        args.model, trained_dir=Path(args.trained), samples_dir=Path(args.samples), data_dir=Path(args.data),
        evaluator_dir=Path(args.evaluator), out_path=Path(args.out), params=section,
        evaluation=params["evaluation"], seed=params["base"]["seed"],
    )


if __name__ == "__main__":
    stage.run(main)
