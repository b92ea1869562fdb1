"""download@<dataset>: fetch the raw images from the configured source."""

import argparse

from genzoo import stage
from genzoo.config import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--out", required=True, help="directory for arrays.npz and info.json")
    args = parser.parse_args()
    settings = load_params()["datasets"][args.dataset]

    from genzoo.data import download

    info = download(
        args.dataset, args.out, source=settings["source"], path=settings["path"], channels=settings["channels"]
    )
    print(f"{args.dataset}: {info['source']} source, counts {info['counts']}, image shape {info['image_shape']}")


if __name__ == "__main__":
    stage.run(main)
