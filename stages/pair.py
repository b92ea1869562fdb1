"""pair@<pair>: join two prepared datasets and their references for a translation model."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pair", required=True, help="an entry of params.yaml's pairs")
    parser.add_argument("--data-a", required=True, help="the prepare stage's output for domain A")
    parser.add_argument("--data-b", required=True, help="the prepare stage's output for domain B")
    parser.add_argument("--reference-a", required=True, help="the reference stage's output for domain A")
    parser.add_argument("--reference-b", required=True, help="the reference stage's output for domain B")
    parser.add_argument("--out", required=True, help="directory for the joined data")
    parser.add_argument("--reference-out", required=True, help="directory for the joined references")
    args = parser.parse_args()
    load_params()  # a bad params.yaml says so before anything is copied

    from pathlib import Path

    from genzoo.data.pair import join

    info = join(
        args.pair,
        {"a": Path(args.data_a), "b": Path(args.data_b)},
        {"a": Path(args.reference_a), "b": Path(args.reference_b)},
        Path(args.out), Path(args.reference_out),
    )
    print(f"{args.pair}: {info['pair']['a']} → {info['pair']['b']}, counts {info['counts']}")


if __name__ == "__main__":
    stage.run(main)
