"""One model over several seeds: ``python -m genzoo.seeds <model> --seeds 1 2``.

A single GAN number moves from seed to seed (and from CPU to CPU) by more than many
differences between models (Lucic et al. 2018), so a comparison needs the spread. Each
extra seed is a DVC experiment of the current commit,

    dvc exp run --temp -n <model>-seed-<s> -S models.<model>.seed=<s> evaluate@<model>

run in a temporary directory: the workspace is left as it is, and since the entry's own
``seed`` is a param of that model's stages alone, only its train, sample and evaluate
stages run; the data and the evaluator come from the cache. The workspace's own run
(the entry's ``seed``, else ``base.seed``) and every such experiment are then summarised
in ``metrics/seeds/<model>.json``: each headline metric per seed, its mean and standard
deviation. ``dvc repro`` then redraws the report, which shows mean ± std next to the
model's value. Seeds already run for this commit are not run again.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from genzoo.config import ParamsError, load_params, model_seed
from genzoo.io import write_json

SEEDS_DIR = Path("metrics") / "seeds"


def experiment_name(model: str, seed: int) -> str:
    return f"{model}-seed-{seed}"


def headline_values(metrics: dict) -> dict[str, float]:
    """The numbers of one declared metrics file (``genzoo.headline``), ``{short key: value}``."""
    return {name: value for name, value in metrics.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)}


def summarise(model: str, per_seed: dict[int, dict[str, float]], own_seed: int) -> dict:
    """Per metric: every seed's value, their mean and their standard deviation (ddof 1).

    ``own_seed`` is the workspace's run; the report shows the summary only while that
    seed's values still equal the model's current metrics.
    """
    seeds = sorted(per_seed)
    names = [name for name in per_seed[seeds[0]] if all(name in per_seed[s] for s in seeds)]
    summary = {}
    for name in names:
        values = np.array([per_seed[s][name] for s in seeds], dtype=float)
        summary[name] = {
            "mean": round(float(values.mean()), 5),
            "std": round(float(values.std(ddof=1)), 5) if len(values) > 1 else None,
            "values": [round(float(v), 5) for v in values],
        }
    return {"model": model, "own_seed": own_seed, "seeds": seeds, "metrics": summary}


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def experiments_of_this_commit(model: str) -> dict[int, str]:
    """``{seed: commit}`` of the ``<model>-seed-<s>`` experiments whose baseline is HEAD.

    DVC keeps each experiment as a Git reference, refs/exps/<baseline>/<name>, with the
    baseline commit split after two characters.
    """
    head = _git("rev-parse", "HEAD").strip()
    prefix = f"refs/exps/{head[:2]}/{head[2:]}/"
    pattern = re.compile(re.escape(model) + r"-seed-(\d+)")
    found = {}
    for line in _git("for-each-ref", "--format=%(refname) %(objectname)", prefix).splitlines():
        ref, commit = line.split()
        match = pattern.fullmatch(ref[len(prefix):])
        if match:
            found[int(match.group(1))] = commit
    return found


def run_seed(model: str, seed: int) -> None:
    """One seed of ``model`` as a DVC experiment in a temporary directory."""
    command = ["dvc", "exp", "run", "--temp", "-n", experiment_name(model, seed),
               "-S", f"models.{model}.seed={seed}", f"evaluate@{model}"]
    print(f"seed {seed}: {' '.join(command)}", flush=True)
    result = subprocess.run(command)
    if result.returncode != 0:
        raise RuntimeError(f"the experiment for seed {seed} failed (exit {result.returncode}); its output is above")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genzoo.seeds", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a models: entry of params.yaml")
    parser.add_argument("--seeds", type=int, nargs="+", required=True, help="seeds to run besides the workspace's own")
    args = parser.parse_args(argv)
    try:
        params = load_params()
        if args.model not in params["models"]:
            raise ParamsError(f"models.{args.model} is not in params.yaml; models: {', '.join(params['models'])}")
    except ParamsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    own = model_seed(params, args.model)
    metrics_path = Path("metrics") / "models" / f"{args.model}.json"
    if not metrics_path.exists():
        print(f"error: {metrics_path} is missing; run `dvc repro evaluate@{args.model}` first", file=sys.stderr)
        return 2
    done = experiments_of_this_commit(args.model)
    for seed in sorted(set(args.seeds) - set(done) - {own}):
        run_seed(args.model, seed)
    done = experiments_of_this_commit(args.model)
    per_seed = {own: headline_values(json.loads(metrics_path.read_text()))}
    for seed, commit in done.items():
        per_seed[seed] = headline_values(json.loads(_git("show", f"{commit}:{metrics_path.as_posix()}")))
    summary = summarise(args.model, per_seed, own)
    write_json(SEEDS_DIR / f"{args.model}.json", summary)
    print(f"{args.model} over seeds {summary['seeds']}:")
    for name, entry in summary["metrics"].items():
        std = "" if entry["std"] is None else f" ± {entry['std']:.4g}"
        print(f"  {name:24s} {entry['mean']:.4g}{std}")
    print(f"wrote {SEEDS_DIR / (args.model + '.json')}; `dvc repro` redraws the report with it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
