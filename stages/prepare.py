"""prepare@<dataset>: seeded train/test split into normalised float arrays."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--raw", required=True, help="the download stage's output directory")
    parser.add_argument("--out", required=True, help="directory for train.npz, test.npz and info.json")
    args = parser.parse_args()
    params = load_params()
    settings = params["datasets"][args.dataset]

    from genzoo.data import prepare_dir

    info = prepare_dir(
        args.raw,
        args.out,
        seed=params["base"]["seed"],
        test_fraction=settings["test_fraction"],
        max_train=settings["max_train"],
        max_test=settings["max_test"],
        image_size=settings["image_size"],
    )
    print(f"{args.dataset}: {info['split']} split, counts {info['counts']}, image shape {info['image_shape']}")


if __name__ == "__main__":
    stage.run(main)
