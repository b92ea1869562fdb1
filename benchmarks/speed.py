"""Training speed: the project's training path against a plain keras.io-style loop, model by model.

Each model runs in a process of its own, which trains the same network two ways,
alternating after warm-up (project, plain, project, plain, ...), one epoch per run:

- project: ``genzoo.models.<module>.build`` and ``genzoo.training.fit``, called as the
  family pipeline calls them (benchmarks/project.py);
- plain: the same algorithm and networks in a keras.io-style ``train_step`` (benchmarks/plain.py);
  for the SOM, MiniSom.

It prints images/s per side (median and min–max of the counted runs) and the ratio
project/plain (the median of the pairwise ratios), and writes a JSON record and a Markdown
table to ``--out``. Run from the repository root:

    python benchmarks/speed.py [--models gan_mlp,dcgan] [--repeats 5] [--images N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up notices would bury the progress lines
# Keras says it ignores fit's default shuffle=True on a tf.data.Dataset, once per plain epoch.
warnings.filterwarnings("ignore", message=r"`shuffle=True` was passed")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))  # project.py and plain.py, when run as `python benchmarks/speed.py`

import project  # noqa: E402  (light: TensorFlow is imported in the models' own processes only)

DEFAULT_MODELS = ("gan_mlp", "dcgan", "dcgan_upsample", "wgan_gp", "vae_2", "aae_supervised",
                  "capsnet", "lenet5", "cnn_best", "mobilenet_v2", "som")
# Images per epoch, so that one project epoch takes about 1-4 s on 2 CPU cores with the
# default (laptop) profile (measured on 2 cores of an AMD EPYC shared with other work);
# the SOM's is set by MiniSom, ~10× slower than the project's map. A model not listed
# (another entry of params.yaml) gets FALLBACK_IMAGES.
DEFAULT_IMAGES = {
    "gan_mlp": 12000,
    "dcgan": 800,
    "dcgan_upsample": 256,
    "wgan_gp": 960,         # 3 steps of n_critic × batch_size = 320 images
    "vae_2": 6000,
    "aae_supervised": 6000,
    "capsnet": 150,
    "lenet5": 12000,
    "cnn_best": 1536,
    "mobilenet_v2": 1600,
    "som": 4000,
}
FALLBACK_IMAGES = 1000
# glibc settings for the SOM's process only (see worker_environment).
SOM_MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(256 * 2**20)}
SYNTHETIC_CLASSES = 10
PREPARED = REPO / "data" / "prepared"


class UsageError(ValueError):
    """Bad command-line input: reported as one line, without a traceback."""


# -- input --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time one-epoch training runs: the project's path against a plain keras.io-style loop.")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS),
                        help="comma-separated models: entries of params.yaml's models: (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=5, help="counted runs per side, at least 2 (default: 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs per side first (default: 1)")
    parser.add_argument("--images", type=int, default=None,
                        help="images per epoch for every model (default: each model's own, see DEFAULT_IMAGES)")
    parser.add_argument("--out", default=str(HERE / "results"),
                        help="where the records go (default: benchmarks/results)")
    parser.add_argument("--params", default="params.yaml", help="the params file (default: params.yaml)")
    # Internal: one model's process, started by the main one.
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--record", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats < 2:
        raise UsageError(f"--repeats is {args.repeats}; it must be at least 2 (a spread needs two runs)")
    if args.warmup < 0:
        raise UsageError(f"--warmup is {args.warmup}; it must be 0 or more")
    if args.images is not None and args.images < 1:
        raise UsageError(f"--images is {args.images}; it must be at least 1")
    return args


def benchmarkable(params: dict) -> list[str]:
    """The ``models:`` entries this harness can time: Keras-trained families and the SOM."""
    from genzoo import models

    return [name for name, section in params["models"].items()
            if section["family"] == "som"
            or section["family"] in project.KERAS_FAMILIES and _trains_in_batches(models.get(section["module"]))]


def _trains_in_batches(module) -> bool:
    # A Keras model's params have epochs and a batch size; a scikit-learn classifier's (pyramid_svm) do not.
    return {"epochs", "batch_size"} <= set(module.PARAMS)


def chosen_models(requested: str, params: dict) -> list[str]:
    """The requested names, checked against params.yaml; an unknown one lists those available."""
    names = [name.strip() for name in requested.split(",") if name.strip()]
    available = benchmarkable(params)
    unknown = [name for name in names if name not in available]
    if unknown or not names:
        raise UsageError(f"unknown model {', '.join(unknown) or '(none given)'}; available: {', '.join(available)}")
    return names


# -- data ---------------------------------------------------------------------------------


def epoch_data(dataset: str, params: dict, images: int, seed: int) -> tuple[np.ndarray, np.ndarray, int, str]:
    """``images`` training images and labels of ``dataset``, their class count and where they came from.

    The prepared split (data/prepared/<dataset>/train.npz) when present, repeated when it has
    fewer images than asked for; otherwise uniform noise of the dataset's shape, so the
    benchmark runs on a fresh checkout too (speed does not depend on the pixels).
    """
    from genzoo import files
    from genzoo.subset import seeded_indices

    path = PREPARED / dataset / files.TRAIN
    if path.is_file():
        with np.load(path) as f:
            x_all = f["x"]
            y_all = f["y"] if "y" in f else np.zeros(len(x_all), np.int64)
        info = PREPARED / dataset / files.INFO
        n_classes = (json.loads(info.read_text()).get("n_classes") if info.is_file() else None) or SYNTHETIC_CLASSES
        index = seeded_indices(len(x_all), images, seed) if images <= len(x_all) else np.arange(images) % len(x_all)
        source = "prepared" if images <= len(x_all) else f"prepared ({len(x_all)} images, repeated)"
        return x_all[index], y_all[index].astype(np.int32), n_classes, source
    settings = params["datasets"][dataset]
    size = settings.get("image_size") or 28
    rng = np.random.default_rng(seed)
    x = rng.random((images, size, size, settings.get("channels", 1)), dtype=np.float32)
    return x, rng.integers(0, SYNTHETIC_CLASSES, images).astype(np.int32), SYNTHETIC_CLASSES, "synthetic"


# -- the two sides ------------------------------------------------------------------------


class KerasSides:
    """The project model and the plain model of one Keras-trained entry, each ready for ``epoch(side)``."""

    unit = "images/s"

    def __init__(self, section: dict, x: np.ndarray, y: np.ndarray, n_classes: int, seed: int, speed: dict | None):
        import keras

        import plain
        from genzoo import models

        self.module = models.get(section["module"])
        self.section, self.seed = section, seed
        self.speed_to_apply = speed  # handed to fit once: see project.project_epoch
        self.applied = None
        self.x = project.model_view(self.module, section, x, seed)
        self.y = y
        shape = self.x.shape[1:]
        keras.utils.set_random_seed(seed)
        self.project_model = project.build_model(self.module, shape, n_classes, section, seed)
        keras.utils.set_random_seed(seed)
        # A second, untrained project model lends the plain side its networks (the module's own layers).
        networks = project.build_model(self.module, shape, n_classes, section, seed)
        self.plain = plain  # imported here: the main process, which only starts these, stays free of TensorFlow
        self.plain_model, self.plain_batch, self.plain_preprocess = plain.build_plain(
            self.module.FAMILY, section, networks, seed)
        self.batch_size = project.batch_size(self.module, self.project_model, section)
        self.last = {"project": {}, "plain": {}}

    def epoch(self, side: str) -> None:
        if side == "project":
            result = project.project_epoch(self.module, self.project_model, self.x, self.y, self.section, self.seed,
                                           self.speed_to_apply)
            if self.speed_to_apply is not None:
                self.applied = project.fit_extras(result)
                self.speed_to_apply = None
            self.last["project"] = result
        else:
            self.last["plain"] = self.plain.plain_epoch(
                self.plain_model, self.x, self.y_for_plain(), self.plain_batch, self.plain_preprocess)

    def y_for_plain(self):
        # The GAN and VAE train on images alone, as on the project side.
        return None if self.module.FAMILY in ("gan", "vae") else self.y

    def losses(self, side: str) -> dict:
        logs = self.last[side].get("final", {}) if side == "project" else self.last[side]
        return {key: float(value) for key, value in logs.items()}

    def settings(self, side: str) -> dict:
        """The compiled model's steps per execution and XLA after its runs; for the project,
        also what ``fit`` reported applying."""
        if side == "project":
            return {**project.model_settings(self.project_model), "fit_reported": self.applied}
        return project.model_settings(self.plain_model)

    def describe(self) -> dict:
        return {"image_shape": list(self.x.shape[1:]), "batch_size": self.batch_size}


class SomSides:
    """The project's Kohonen map and MiniSom on the same unit-norm samples and initial weights."""

    unit = "samples/s"

    def __init__(self, section: dict, x: np.ndarray, y: np.ndarray, n_classes: int, seed: int, speed: dict | None):
        import plain
        from genzoo.families.som.kohonen import unit_norm

        self.data = unit_norm(x.reshape(len(x), -1))  # train_som's first step; a MiniSom user normalises too
        self.project_map = project.ProjectSom(self.data, section, seed)
        self.minisom = plain.MiniSomSide(self.data, section["rows"], section["cols"], self.project_map.initial,
                                         self.project_map.rates, seed)
        self.section = section

    def epoch(self, side: str) -> None:
        (self.project_map if side == "project" else self.minisom).epoch()

    def losses(self, side: str) -> dict:
        return {"quantization_error": (self.project_map if side == "project" else self.minisom)
                .quantization_error(self.data)}

    def settings(self, side: str) -> dict:
        if side == "project":
            return {"jit_compile": getattr(self.project_map.kohonen._epoch, "_jit_compile", None)}
        return {"numpy": np.__version__}

    def describe(self) -> dict:
        return {"image_shape": [int(self.data.shape[1])], "grid": [self.section["rows"], self.section["cols"]]}


def build_sides(section: dict, x, y, n_classes: int, seed: int, speed: dict | None):
    """Both sides of the entry ``section``, built and ready to train (speed: the project's settings)."""
    sides = SomSides if section["family"] == "som" else KerasSides
    return sides(section, x, y, n_classes, seed, speed)


# -- measurement --------------------------------------------------------------------------


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed_epoch(sides, side: str) -> float:
    """Seconds for one epoch of ``side`` (its Keras line goes to the model process's stdout, shown as stderr)."""
    start = time.perf_counter()
    sides.epoch(side)
    return time.perf_counter() - start


def alternate_runs(name: str, sides, images: int, repeats: int, warmup: int) -> dict[str, list[float]]:
    """images/s of each counted run, per side: warm-up runs first (tracing), then A B A B ..."""
    rates = {"project": [], "plain": []}
    for run in range(warmup):
        for side in rates:
            seconds = timed_epoch(sides, side)
            progress(f"[{name}] {side} warm-up {run + 1}/{warmup}: {seconds:.2f} s")
    for run in range(repeats):
        for side in rates:
            seconds = timed_epoch(sides, side)
            rates[side].append(images / seconds)
            progress(f"[{name}] {side} run {run + 1}/{repeats}: {seconds:.2f} s, {images / seconds:,.0f} {sides.unit}")
    return rates


def spread(rates: list[float]) -> dict:
    """Median, min and max of one side's counted runs."""
    return {"median": statistics.median(rates), "min": min(rates), "max": max(rates)}


def pairwise_ratio(project_rates: list[float], plain_rates: list[float]) -> tuple[float, list[float]]:
    """project/plain as the median of the ratios of run i of each side, and those ratios.

    Pairing neighbouring runs cancels slow drifts in the machine's load that the two sides' medians would not.
    """
    ratios = [a / b for a, b in zip(project_rates, plain_rates)]
    return statistics.median(ratios), ratios


def benchmark_model(name: str, params: dict, images: int | None, repeats: int, warmup: int) -> dict:
    """Set up as the model's train stage does, time the model both ways, return its record."""
    import keras

    seed, device, speed = project.run_settings(params, name)
    section = dict(params["models"][name])
    count = images or DEFAULT_IMAGES.get(name, FALLBACK_IMAGES)
    x, y, n_classes, source = epoch_data(section["dataset"], params, count, seed)
    keras.utils.set_random_seed(seed)
    progress(f"[{name}] {count} images of {section['dataset']} ({source}), {warmup} warm-up + {repeats} runs per side")
    sides = build_sides(section, x, y, n_classes, seed, speed)
    rates = alternate_runs(name, sides, count, repeats, warmup)
    ratio, ratios = pairwise_ratio(rates["project"], rates["plain"])
    record = {
        "module": section["module"],
        "family": section["family"],
        "dataset": section["dataset"],
        "images": count,
        "data_source": source,
        **sides.describe(),
        "unit": sides.unit,
        "repeats": repeats,
        "warmup": warmup,
        "ratio": ratio,
        "pair_ratios": ratios,
        "device": device,
        "speed_settings": speed if section["family"] != "som" else None,  # the Keras training path's
        "op_determinism": op_determinism(),
        "malloc_env": {key: os.environ[key] for key in SOM_MALLOC if key in os.environ},
    }
    for side in ("project", "plain"):
        record[side] = {"per_run": rates[side], **spread(rates[side]),
                        "loss": sides.losses(side), "settings": sides.settings(side)}
    return record


# -- the machine --------------------------------------------------------------------------


def cpu_model() -> str:
    """/proc/cpuinfo's "model name", else what the platform module says."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def op_determinism() -> bool | None:
    """Whether TensorFlow runs deterministic kernels (``runtime.setup`` turns them on); None if it cannot say."""
    try:
        from tensorflow.python.framework.config import is_op_determinism_enabled
    except ImportError:
        return None
    return bool(is_op_determinism_enabled())


def slug(text: str) -> str:
    """A short file-name slug: lower case, trademarks and clock speeds dropped, words joined by '-'."""
    text = re.sub(r"\((r|tm)\)|\bcpu\b|\bprocessor\b|@.*$|\b\d+-core\b", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "unknown"


def machine(device_name: str | None) -> dict:
    """Where the figures were measured, and the record's file-name slug."""
    import keras
    import tensorflow as tf

    cores = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    cpu = cpu_model()
    return {
        "slug": slug(device_name) if device_name else f"{slug(cpu)}-{usable}c",
        "cpu_model": cpu,
        "logical_cores": cores,
        "usable_cores": usable,
        "device": {"kind": "gpu" if device_name else "cpu", "name": device_name or cpu},
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


# -- output -------------------------------------------------------------------------------


def table_rows(results: dict) -> list[list[str]]:
    """One row per model: images, data, each side's median (min–max), the ratio."""
    rows = []
    for name, r in results.items():
        sides = [f"{r[s]['median']:,.0f} ({r[s]['min']:,.0f}–{r[s]['max']:,.0f})" for s in ("project", "plain")]
        rows.append([name, f"{r['images']:,}", r["data_source"], r["unit"], *sides, f"{r['ratio']:.2f}"])
    return rows


HEADER = ["model", "images", "data", "unit", "project median (min–max)", "plain median (min–max)", "project/plain"]


def text_table(results: dict) -> str:
    rows = [HEADER, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def markdown_table(record: dict) -> str:
    m = record["machine"]
    lines = [
        f"# Training speed, {record['date']}: {m['device']['name']} ({m['device']['kind']}, "
        f"{m['usable_cores']} of {m['logical_cores']} cores)",
        "",
        f"TensorFlow {m['tensorflow']}, Keras {m['keras']}; {record['repeats']} counted runs per side after "
        f"{record['warmup']} warm-up, alternating. project/plain is the median of the pairwise ratios "
        "(> 1: the project's path is faster).",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(record["models"])]
    return "\n".join(lines) + "\n"


def write_record(record: dict, out: Path) -> Path:
    """``<out>/<date>-<machine>.json`` and the Markdown table next to it; returns the JSON path."""
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{record['date']}-{record['machine']['slug']}"
    json_path = stem.with_suffix(".json")
    json_path.write_text(json.dumps(record, indent=2, allow_nan=True) + "\n")
    stem.with_suffix(".md").write_text(markdown_table(record))
    return json_path


# -- main ---------------------------------------------------------------------------------


def worker_environment(family: str) -> dict:
    """The environment of one model's process: this one's, plus glibc settings for the SOM.

    MiniSom's per-sample numpy temporaries (64 units × 4096 pixels, 2 MB each) sit above
    glibc's default mmap/trim thresholds, so each one can go back to the OS and come back
    as fresh zeroed pages, update after update: ~6 ms a sample instead of ~0.7 ms on the
    machine this was written on. Keeping freed memory makes the comparison one of
    algorithms, not of the allocator; the record lists what was set.
    """
    env = dict(os.environ)
    if family == "som":
        env.update(SOM_MALLOC)
    return env


def run_worker(name: str, family: str, args: argparse.Namespace) -> dict | None:
    """Time ``name`` in a process of its own (no state carried over from the model before); its record, or None."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        record_file = Path(tmp) / "record.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--record", str(record_file),
                   "--params", args.params, "--repeats", str(args.repeats), "--warmup", str(args.warmup)]
        if args.images is not None:
            command += ["--images", str(args.images)]
        done = subprocess.run(command, env=worker_environment(family), stdout=sys.stderr)
        if done.returncode != 0 or not record_file.is_file():
            print(f"speed.py: error: {name} failed (exit status {done.returncode}); see its output above",
                  file=sys.stderr)
            return None
        return json.loads(record_file.read_text())


def worker(args: argparse.Namespace) -> None:
    """Inside one model's process: set up as a pipeline stage does, time the model, write its record."""
    from genzoo.config import load_params

    result = benchmark_model(args.worker, load_params(args.params), args.images, args.repeats, args.warmup)
    device = result["device"]
    record = {"machine": machine(device["device_name"] if device["device"] == "gpu" else None), "model": result}
    Path(args.record).write_text(json.dumps(record, allow_nan=True))
    progress(f"[{args.worker}] project {result['project']['median']:,.0f} {result['unit']}, "
             f"plain {result['plain']['median']:,.0f}, ratio {result['ratio']:.2f}")


def run(args: argparse.Namespace) -> tuple[dict, list[str]]:
    """Time every chosen model, each in its own process; the record and the models that failed."""
    from genzoo.config import ParamsError, load_params

    try:
        params = load_params(args.params)
    except ParamsError as err:
        raise UsageError(str(err)) from None
    names = chosen_models(args.models, params)
    record = {
        "date": datetime.date.today().isoformat(),
        "machine": None,
        "params_file": str(args.params),
        "repeats": args.repeats,
        "warmup": args.warmup,
        "models": {},
    }
    failed = []
    for name in names:
        result = run_worker(name, params["models"][name]["family"], args)
        if result is None:
            failed.append(name)
            continue
        record["machine"] = record["machine"] or result["machine"]
        record["models"][name] = result["model"]
    return record, failed


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        if args.worker:
            worker(args)
            return 0
        record, failed = run(args)
    except UsageError as err:
        print(f"speed.py: error: {err}", file=sys.stderr)
        return 2
    if not record["models"]:
        return 1
    print(text_table(record["models"]))
    path = write_record(record, Path(args.out))
    print(f"\nwritten: {path} and {path.with_suffix('.md').name}")
    bad = sorted({name for name, r in record["models"].items()
                  for side in ("project", "plain") for value in r[side]["loss"].values() if not math.isfinite(value)})
    if bad:
        print(f"warning: non-finite loss in {', '.join(bad)}", file=sys.stderr)
    return 1 if failed or bad else 0


if __name__ == "__main__":
    sys.exit(main())
