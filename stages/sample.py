"""sample@<model>: the final sample grid, a latent interpolation, the samples the metrics are computed on."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--trained", required=True, help="the train stage's output directory")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory (memorisation check)")
    parser.add_argument("--out", required=True, help="directory for figures/ and data/")
    args = parser.parse_args()
    params = load_params()

    from genzoo.generative import draw_samples
    from genzoo.runtime import setup

    setup(seed=params["base"]["seed"], device=params["base"]["device"])
    draw_samples(
        args.trained, args.data, args.out, dataset=params["models"][args.model]["dataset"],
        n=params["evaluation"]["n_samples"], seed=params["base"]["seed"],
    )


if __name__ == "__main__":
    stage.run(main)
