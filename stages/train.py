"""train@<model>: fit a model, logging its curves (and sample grids) with dvclive."""

import argparse
from pathlib import Path

from genzoo import stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="an entry of params.yaml's models")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for the trained model")
    parser.add_argument("--live", required=True, help="dvclive directory for curves and grids")
    parser.add_argument("--checkpoints", required=True, help="persistent directory to resume from")
    args = parser.parse_args()
    module, pipeline, run = stage.model_run(
        args.model, data=args.data, trained=args.out, live=args.live, checkpoints=args.checkpoints
    )
    run.checkpoints.mkdir(parents=True, exist_ok=True)
    pipeline.train(module, run)
    # dvc.yaml declares it for every model; a family that logs no images leaves it empty.
    # (Made after training: dvclive clears its directory when it starts.)
    Path(args.live, "plots", "images").mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    stage.run(main)
