"""train@<model>: fit a model, logging its curves (and sample grids) with dvclive."""

import argparse

from genzoo import stage

# What a finished run leaves in its checkpoint directory: DVC caches that directory (a
# persistent output) and warns about an empty one, and a reader sees why it holds no weights.
FINISHED = "FINISHED"

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="an entry of params.yaml's models")
    parser.add_argument("--data", required=True, help="the prepare stage's output directory")
    parser.add_argument("--out", required=True, help="directory for the trained model")
    parser.add_argument("--live", required=True, help="dvclive directory for curves and grids")
    parser.add_argument("--checkpoints", required=True, help="persistent directory to resume from")
    args = parser.parse_args()
    module, pipeline, run = stage.model_run(
        args.model, data=args.data, trained=args.out, live=args.live, checkpoints=args.checkpoints
    )
    run.checkpoints.mkdir(parents=True, exist_ok=True)
    (run.checkpoints / FINISHED).unlink(missing_ok=True)
    pipeline.train(module, run)
    # Imported here: it loads Keras, which runtime.setup (in model_run) imports quietly first.
    from genzoo.checkpoint import finish

    finish(run.checkpoints)  # the model is saved: the epochs' state is no longer needed
    (run.checkpoints / FINISHED).write_text("The run finished: nothing to resume. A new run starts from scratch.\n")


if __name__ == "__main__":
    stage.run(main)
