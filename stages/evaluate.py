"""evaluate@<model>: the model's metrics JSON (generation metrics with floors, accuracy, map errors...)."""

import argparse

from genzoo import stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="an entry of params.yaml's models")
    parser.add_argument("--trained", required=True, help="the train stage's output directory")
    parser.add_argument("--samples", required=True, help="the sample stage's array output")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--reference", required=True, help="the dataset's reference stage output directory")
    parser.add_argument("--out", required=True, help="metrics JSON file")
    args = parser.parse_args()
    module, pipeline, run = stage.model_run(
        args.model, data=args.data, trained=args.trained, samples=args.samples, reference=args.reference,
        metrics=args.out,
    )
    pipeline.evaluate(module, run)


if __name__ == "__main__":
    stage.run(main)
