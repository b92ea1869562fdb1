"""train / sample / evaluate one chain of a fanned-out model (train_vae@2, sample_aae@supervised, ...).

The chain's settings are its model's `autoencoders:` section with the chain's own entry of
the list key (a latent size, a variant); the family's pipeline does the work, exactly as
for the single-chain models of `models:`.
"""

import argparse
from pathlib import Path

from genzoo import stage
from genzoo.config import chain_params, load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("train", "sample", "evaluate"))
    parser.add_argument("--model", required=True, help="a model of the autoencoders section (vae, aae)")
    parser.add_argument("--variant", required=True, help="one entry of its list key (latent size or variant)")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--trained", required=True, help="the chain's trained-model directory")
    parser.add_argument("--live", help="train: dvclive directory for curves and grids")
    parser.add_argument("--checkpoints", help="train: persistent directory to resume from")
    parser.add_argument("--samples", help="sample: output directory; evaluate: its input")
    parser.add_argument("--evaluator", help="evaluate: the evaluator stage's output directory")
    parser.add_argument("--out", help="evaluate: metrics JSON file")
    args = parser.parse_args()
    params = load_params()
    name, section = chain_params(params, args.model, args.variant)
    seed = params["base"]["seed"]

    from genzoo.families import pipeline
    from genzoo.runtime import setup

    device = setup(seed=seed, device=params["base"]["device"])
    family = pipeline(section["family"])
    if args.step == "train":
        # dvc.yaml declares both; a family that keeps no checkpoints leaves them empty.
        Path(args.live, "plots", "images").mkdir(parents=True, exist_ok=True)
        Path(args.checkpoints).mkdir(parents=True, exist_ok=True)
        family.train(
            name, data_dir=Path(args.data), out_dir=Path(args.trained), live_dir=Path(args.live),
            checkpoint_dir=Path(args.checkpoints), params=section, seed=seed, device=device,
        )
    elif args.step == "sample":
        family.sample(
            name, trained_dir=Path(args.trained), data_dir=Path(args.data), out_dir=Path(args.samples),
            params=section, evaluation=params["evaluation"], seed=seed,
        )
    else:
        family.evaluate(
            name, trained_dir=Path(args.trained), samples_dir=Path(args.samples), data_dir=Path(args.data),
            evaluator_dir=Path(args.evaluator), out_path=Path(args.out), params=section,
            evaluation=params["evaluation"], seed=seed,
        )


if __name__ == "__main__":
    stage.run(main)
