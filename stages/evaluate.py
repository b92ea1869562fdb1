"""evaluate@<model>: run the trained model and score it.

First the model's figures (sample grids, maps...) and the arrays its metrics are computed
from (samples, or test-set predictions), then its metrics JSON (generation metrics with
floors, accuracy, map errors...). Both halves run in one process: each process pays
TensorFlow's start-up (about 5 s on 2 CPU cores), more than drawing the samples again costs.
"""

import argparse

from genzoo import stage
from genzoo.runtime import seed_everything


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="an entry of params.yaml's models")
    parser.add_argument("--trained", required=True, help="the train stage's output directory")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--reference", required=True, help="the dataset's reference stage output directory")
    parser.add_argument("--samples", required=True, help="directory for the samples or predictions that are scored")
    parser.add_argument("--figures", required=True, help="directory for the PNG figures")
    parser.add_argument("--out", required=True, help="the declared metrics JSON file: headline numbers only")
    parser.add_argument("--details", required=True, help="JSON file of the whole record, which the report reads")
    args = parser.parse_args()
    module, pipeline, run = stage.model_run(
        args.model, data=args.data, trained=args.trained, samples=args.samples, figures=args.figures,
        reference=args.reference, metrics=args.out, details=args.details,
    )
    pipeline.sample(module, run)
    # Scoring starts from the seed again, as if in a process of its own: what sampling drew
    # from the shared generators does not move the metrics' random draws.
    seed_everything(run.seed)
    pipeline.evaluate(module, run)


if __name__ == "__main__":
    stage.run(main)
