"""som: train the Kohonen map on faces, draw its mosaic, hit map and U-matrix, measure its errors."""

import argparse

from genzoo import stage
from genzoo.config import check_section, choice, load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="fit the map, logging its errors with dvclive")
    train.add_argument("--data", required=True, help="the prepare stage's output directory")
    train.add_argument("--out", required=True, help="directory for weights.npz and info.json")
    train.add_argument("--live", required=True, help="dvclive directory for the error curves")
    figures = commands.add_parser("figures", help="mosaic.png, hit_map.png and u_matrix.png")
    figures.add_argument("--trained", required=True, help="the train command's output directory")
    figures.add_argument("--data", required=True, help="the prepare stage's output directory")
    figures.add_argument("--out", required=True, help="directory for the figures")
    evaluate = commands.add_parser("evaluate", help="final errors on the training subset and test set")
    evaluate.add_argument("--trained", required=True, help="the train command's output directory")
    evaluate.add_argument("--data", required=True, help="the prepare stage's output directory")
    evaluate.add_argument("--out", required=True, help="metrics JSON file")
    args = parser.parse_args()
    params = load_params()

    from genzoo import som_stage
    from genzoo.runtime import setup
    from genzoo.som import PARAMS

    # A bad som value should fail here with its key named, not deep inside training.
    check_section("som", params["som"], {"dataset": choice(*params["datasets"])} | PARAMS)
    # Every command runs TensorFlow, so every command honours base.device.
    device = setup(seed=params["base"]["seed"], device=params["base"]["device"])
    if args.command == "train":
        som_stage.train_stage(
            args.data, args.out, args.live, params=params["som"], seed=params["base"]["seed"], device=device,
        )
    elif args.command == "figures":
        som_stage.figures_stage(args.trained, args.data, args.out)
    else:
        som_stage.evaluate_stage(args.trained, args.data, args.out)


if __name__ == "__main__":
    stage.run(main)
