"""train@<model>: fit a model, logging its curves (and sample grids) with dvclive."""

import argparse
from pathlib import Path

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for the trained model")
    parser.add_argument("--live", required=True, help="dvclive directory for curves and grids")
    parser.add_argument("--checkpoints", required=True, help="persistent directory to resume from")
    args = parser.parse_args()
    params = load_params()
    section = params["models"][args.model]

    from genzoo.families import pipeline
    from genzoo.runtime import setup

    Path(args.checkpoints).mkdir(parents=True, exist_ok=True)
    device = setup(seed=params["base"]["seed"], device=params["base"]["device"])
    pipeline(section["family"]).train(
        args.model, data_dir=Path(args.data), out_dir=Path(args.out), live_dir=Path(args.live),
        checkpoint_dir=Path(args.checkpoints), params=section, seed=params["base"]["seed"], device=device,
    )
    # dvc.yaml declares it for every model; a family that logs no images leaves it empty.
    # (Made after training: dvclive clears its directory when it starts.)
    Path(args.live, "plots", "images").mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    stage.run(main)
