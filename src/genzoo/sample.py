"""Draw samples of a trained model into a PNG grid: ``python -m genzoo.sample dcgan --n 64 --out grid.png``.

Works for the models that generate (the GANs, the VAEs and AAEs), from the workspace or,
with ``--repo`` (and ``--rev``), from another repository's DVC remote.
"""

from __future__ import annotations

import argparse
import sys

from genzoo.zoo import Autoencoder, Generator, ZooError, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="an entry of params.yaml's models, e.g. dcgan or vae_10")
    parser.add_argument("--n", type=int, default=64, help="images to draw (default 64)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed draws the same images")
    parser.add_argument("--out", default="samples.png", help="the PNG to write (default samples.png)")
    parser.add_argument("--repo", help="a genzoo repository's path or URL (default: this workspace)")
    parser.add_argument("--rev", help="its git revision (commit, tag or branch)")
    parser.add_argument("--scale", type=int, default=2, help="enlarge each pixel this many times (default 2)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.scale < 1:
        parser.error("--n and --scale must be at least 1")
    try:
        model = load(args.model, repo=args.repo, rev=args.rev)
    except ZooError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not isinstance(model, (Generator, Autoencoder)):
        print(f"error: {args.model} does not generate images (it is a {type(model).__name__}); "
              "models that sample: the GANs, VAEs and AAEs", file=sys.stderr)
        return 2
    from genzoo.images import grid, save_png

    save_png(args.out, grid(model.sample(args.n, seed=args.seed)), scale=args.scale)
    print(f"{args.model}: {args.n} samples (seed {args.seed}) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
