"""sample@<model>: run the trained model: figures (sample grids, maps...) and the arrays evaluate scores."""

import argparse

from genzoo import stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="an entry of params.yaml's models")
    parser.add_argument("--trained", required=True, help="the train stage's output directory")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for the arrays the evaluate stage scores")
    parser.add_argument("--figures", required=True, help="directory for the PNG figures")
    args = parser.parse_args()
    module, pipeline, run = stage.model_run(
        args.model, data=args.data, trained=args.trained, samples=args.out, figures=args.figures
    )
    pipeline.sample(module, run)


if __name__ == "__main__":
    stage.run(main)
