"""The CycleGAN family's stages: train on a domain pair, translate the test images, score them.

The pair's data and references come joined by the pair stage (``genzoo.data.pair``):
``run.data/{a,b}`` and ``run.reference/{a,b}``. A translation is scored in the evaluator
space of its target domain: G(a) in B's, F(b) in A's.
"""

from __future__ import annotations

import logging
import math
from types import ModuleType

import keras
import numpy as np
import tensorflow as tf

from genzoo import files
from genzoo.checkpoint import for_run
from genzoo.data.pair import domain_dir
from genzoo.families.cyclegan import nets  # noqa: F401  registers ReflectionPad, which loading the generators needs
from genzoo.families.cyclegan.figures import N_SHOWN, fixed_examples, translation_rows
from genzoo.families.cyclegan.model import LinearDecay
from genzoo.families.cyclegan.scores import score_translations
from genzoo.images import grid, save_png
from genzoo.io import atomic_dir, read_json, write_json, write_npz
from genzoo.runs import Run
from genzoo.scoring.record import write_scores
from genzoo.speed import apply as apply_speed
from genzoo.subset import seeded_subset
from genzoo.training import run_epochs
from genzoo.version import __version__

G, F, D_A, D_B = "g_a_to_b.keras", "f_b_to_a.keras", "d_a.keras", "d_b.keras"
TRANSLATIONS = "translations.npz"
log = logging.getLogger(__name__)


def load_domain(root, domain: str, part: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of ``part`` ("train" or "test") of one domain of a joined pair directory."""
    with np.load(domain_dir(root, domain) / f"{part}.npz") as f:
        return f["x"], f["y"]


def to_tanh(x):
    return x * 2.0 - 1.0


def to_unit(x):
    return np.clip((np.asarray(x) + 1.0) / 2.0, 0.0, 1.0).astype(np.float32)


def translate(generator: keras.Model, images: np.ndarray, batch_size: int = 250) -> np.ndarray:
    """``generator`` applied to images in [0, 1]; the result in [0, 1]."""
    out = [to_unit(generator(to_tanh(images[i : i + batch_size]), training=False))
           for i in range(0, len(images), batch_size)]
    return np.concatenate(out) if out else images[:0]


def unpaired_batches(x_a: np.ndarray, x_b: np.ndarray, batch_size: int, seed: int) -> tf.data.Dataset:
    """Endless (a, b) batches in [-1, 1], each domain reshuffled on its own each pass.

    The domains are unpaired and of different sizes: each is a seeded stream of its own
    permutations, so which a meets which b changes from pass to pass.
    """
    def stream(x, stream_seed):
        images = tf.convert_to_tensor(to_tanh(x))
        order = tf.data.Dataset.range(len(x)).shuffle(len(x), seed=stream_seed, reshuffle_each_iteration=True)
        return order.repeat().batch(batch_size, drop_remainder=True).map(lambda i: tf.gather(images, i))

    return tf.data.Dataset.zip((stream(x_a, seed), stream(x_b, seed + 1))).prefetch(tf.data.AUTOTUNE)


def train(module: ModuleType, run: Run) -> dict:
    """Build the two generators and two discriminators, train them on the pair, save them."""
    params = run.params
    x_a, _ = load_domain(run.data, "a", "train")
    x_b, _ = load_domain(run.data, "b", "train")
    x_a = seeded_subset(x_a, params["max_train"], run.seed)
    x_b = seeded_subset(x_b, params["max_train"], run.seed + 1)
    batch_size = min(params["batch_size"], len(x_a), len(x_b))
    steps = math.ceil(max(len(x_a), len(x_b)) / batch_size)  # an epoch: one pass over the larger domain
    model = module.build(x_a.shape[1:], None, params, run.seed)
    applied = apply_speed(model, run.speed) if run.speed else None
    test_a, y_test_a = load_domain(run.data, "a", "test")
    test_b, y_test_b = load_domain(run.data, "b", "test")
    shown_a, shown_b = fixed_examples(test_a, y_test_a), fixed_examples(test_b, y_test_b)

    def draw_grid() -> np.ndarray:
        rows = translation_rows(shown_a, model.g, model.f, translate) + translation_rows(shown_b, model.f, model.g, translate)
        return (grid(np.concatenate(rows), ncols=len(shown_a)) / 255.0)[None]

    log.info("training %s: %d images of A, %d of B, %s, %d epochs of %d steps",
             run.name, len(x_a), len(x_b), x_a.shape[1:], params["epochs"], steps)
    def make_data() -> tf.data.Dataset:
        return unpaired_batches(x_a, x_b, batch_size, run.seed)

    timing = run_epochs(
        model, make_data(), make_data, epochs=params["epochs"], steps_per_epoch=steps, name=run.name,
        live_dir=run.live, draw_grid=draw_grid, grid_every=params["grid_every"],
        callbacks=[LinearDecay(params["learning_rate"], params["epochs"], [model.g_optimizer, model.d_optimizer])],
        checkpoint=for_run(module, run, {"a": int(len(x_a)), "b": int(len(x_b))}, [f"{d}/{files.TRAIN}" for d in "ab"]),
    )
    info = {
        "model": run.name,
        "family": module.FAMILY,
        "genzoo_version": __version__,
        "image_shape": list(x_a.shape[1:]),
        "n_train": {"a": int(len(x_a)), "b": int(len(x_b))},
        "batch_size": batch_size,
        "steps_per_epoch": steps,
        "epochs": params["epochs"],
        "train_seconds": timing["train_seconds"],
        # Each step translates one batch of each domain; only this process's epochs were timed.
        "images_per_second": round(2 * batch_size * steps * timing["epochs_run"] / timing["train_seconds"], 1),
        "final": timing["final"],
        "resumed_from_epoch": timing["resumed_from_epoch"],
        "speed": applied,
        **run.device,
    }
    with atomic_dir(run.trained) as tmp:
        for network, name in ((model.g, G), (model.f, F), (model.d_a, D_A), (model.d_b, D_B)):
            network.save(tmp / name)
        write_json(tmp / files.INFO, info)
    return info


def sample(module: ModuleType, run: Run) -> None:
    """Translate both test sets there and back; draw the two translation grids.

    ``run.samples/translations.npz``: a_to_b = G(a), a_cycle = F(G(a)), b_to_a = F(b),
    b_cycle = G(F(b)), with the test labels of each domain.
    ``run.figures``: translation_a_to_b.png (rows a, G(a), F(G(a))) and translation_b_to_a.png.
    """
    g = keras.models.load_model(run.trained / G)
    f = keras.models.load_model(run.trained / F)
    test_a, y_a = load_domain(run.data, "a", "test")
    test_b, y_b = load_domain(run.data, "b", "test")
    a_to_b, b_to_a = translate(g, test_a), translate(f, test_b)
    a_cycle, b_cycle = translate(f, a_to_b), translate(g, b_to_a)
    scale = max(1, 640 // (N_SHOWN * test_a.shape[2]))  # 28×28 digits drawn at twice their size
    with atomic_dir(run.samples) as data, atomic_dir(run.figures) as figures:
        write_npz(data / TRANSLATIONS, a_to_b=a_to_b, a_cycle=a_cycle, b_to_a=b_to_a, b_cycle=b_cycle, y_a=y_a, y_b=y_b)
        for name, images, labels, there, back in (("a_to_b", test_a, y_a, g, f), ("b_to_a", test_b, y_b, f, g)):
            shown = fixed_examples(images, labels)
            rows = translation_rows(shown, there, back, translate)
            save_png(figures / f"translation_{name}.png", grid(np.concatenate(rows), ncols=len(shown)), scale=scale)


def evaluate(module: ModuleType, run: Run) -> dict:
    """Label preservation, generation metrics with floors, and the cycle error, both ways."""
    pair = read_json(run.data / files.INFO)
    trained = read_json(run.trained / files.INFO)
    with np.load(run.samples / TRANSLATIONS) as f:
        translations = {key: f[key] for key in f.files}
    record = {
        "model": run.name,
        "family": module.FAMILY,
        "dataset": pair["dataset"],
        "pair": pair["pair"],
        "data_source": "+".join(pair["sources"][d] for d in ("a", "b")),
        "data_counts": pair["counts"],
        "device": trained["device"],
        "device_name": trained["device_name"],
        "train_seconds": trained["train_seconds"],
        "images_per_second": trained["images_per_second"],
        **score_translations(run, translations, pair, keras.models.load_model),
    }
    return write_scores(run, record)
