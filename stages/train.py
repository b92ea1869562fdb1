"""train@<model>: fit a generative model, logging losses and sample grids with dvclive."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for the trained networks")
    parser.add_argument("--live", required=True, help="dvclive directory for losses and grids")
    args = parser.parse_args()
    params = load_params()

    from genzoo.generative import train_model
    from genzoo.runtime import setup

    device = setup(seed=params["base"]["seed"], device=params["base"]["device"])
    train_model(
        args.model, args.data, args.out, args.live, params=params["models"][args.model],
        seed=params["base"]["seed"], device=device,
    )


if __name__ == "__main__":
    stage.run(main)
