"""reference@<dataset>: train the evaluator network, embed the reference images, score the floor."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for the evaluator, reference features and floor")
    parser.add_argument("--metrics", required=True, help="the declared metrics JSON file: evaluator accuracy and floors")
    parser.add_argument("--details", required=True, help="JSON file of the whole record (ladder, counts, timings)")
    args = parser.parse_args()
    params = load_params()

    from genzoo.runtime import setup
    from genzoo.speed import resolve

    base = params["base"]
    # First: setup imports TensorFlow without its start-up lines, before anything else does.
    device = setup(seed=base["seed"], device=base["device"], threads=base["threads"], determinism=base["determinism"])
    from genzoo.scoring.reference import build_reference

    build_reference(
        args.data,
        args.out,
        args.metrics,
        details_path=args.details,
        profile=base["profile"],
        evaluator=params["evaluator"],
        evaluation=params["evaluation"],
        seed=base["seed"],
        device=device,
        speed=resolve(base),
    )


if __name__ == "__main__":
    stage.run(main)
