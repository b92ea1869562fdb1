"""evaluate@<model>: score a model's samples in its dataset's evaluator space."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--samples", required=True, help="the sample stage's output directory")
    parser.add_argument("--trained", required=True, help="the train stage's info.json")
    parser.add_argument("--evaluator", required=True, help="the evaluator stage's output directory")
    parser.add_argument("--data", required=True, help="the prepare stage's info.json")
    parser.add_argument("--out", required=True, help="metrics JSON file")
    args = parser.parse_args()
    params = load_params()

    from genzoo.generative import evaluate_model
    from genzoo.runtime import setup

    setup(seed=params["base"]["seed"], device=params["base"]["device"])
    evaluate_model(
        args.model, args.samples, args.trained, args.evaluator, args.data, args.out,
        evaluation=params["evaluation"], seed=params["base"]["seed"],
    )


if __name__ == "__main__":
    stage.run(main)
