"""The report in a real browser: it fits a 1,280-px window, a table per family, every image loads, offline."""

import shutil

import numpy as np
import pytest
from test_report import CLASSIFIER, GAN, SOM, VAE, details_tree, ladder_reference, params_of

from genzoo import files, seeds
from genzoo.images import save_png
from genzoo.io import write_json
from genzoo.report import headline, write_report

WIDTH = 1280

# The widest rows a family has: every GAN column, errors, seeds lines and small-sample marks.
GAN_EVERY_COLUMN = GAN | {
    "density": {"value": 0.2696, "floor": 1.0202}, "coverage": {"value": 0.65, "floor": 1.0},
    "class_entropy": {"value": 2.03025, "floor": 2.30139}, "memorisation_ratio": {"value": 0.93813, "floor": 1.0},
    "kid": {"value": 0.18410, "floor": -0.01657}, "kid_se": {"value": 0.04679, "floor": 0.01934},
    "n_samples": 20, "draw_sd": {"n_draws": 50, "fid": 0.56088, "kid": 0.03197, "coverage": 0.08769},
}
AAE = VAE | {"family": "aae", "kmeans_purity": 0.616, "label_fidelity": 0.167, "reconstruction_bce": 0.12193}
CAPSNET = {key: value for key, value in CLASSIFIER.items() if key not in ("reference", "vs_reference")} | {
    "family": "capsnet", "reconstruction_mse": 0.05085}
RECORDS = {
    "gan_mlp": GAN, "dcgan_upsample_faces": GAN_EVERY_COLUMN, "vae_2": VAE, "vae_20": VAE,
    "aae_unsupervised": AAE, "capsnet": CAPSNET, "pyramid_svm": CLASSIFIER, "mobilenet_v2": CLASSIFIER, "som": SOM,
}
# Figures of the sizes the evaluate stages draw: square grids, a wide pose chart, a tall page of errors.
FIGURES = {"interpolation.png": (484, 604), "pose.png": (810, 1585), "misclassified.png": (1057, 872)}


def _report(root):
    dirs = details_tree(root, RECORDS)
    for name in RECORDS:
        for file_name, shape in FIGURES.items():
            picture = np.random.default_rng(0).integers(0, 255, (*shape, 3), dtype=np.uint8)
            save_png(dirs["samples_dir"] / name / files.SAMPLE_FIGURES / file_name, picture)
    write_json(dirs["details_dir"] / "reference" / "mnist.json", ladder_reference())
    # A current seed summary adds a third line to every GAN cell it has.
    values = {key: entry["value"] for key, entry in headline(GAN_EVERY_COLUMN).items()}
    summary = seeds.summarise("dcgan_upsample_faces", {0: values, 1: {k: v * 1.1 for k, v in values.items()}}, 0)
    write_json(dirs["seeds_dir"] / "dcgan_upsample_faces.json", summary)
    write_report(params_of(RECORDS), **dirs, out_dir=root / "report")
    return root / "report" / "index.html"


def test_the_page_fits_1280_px_shows_a_table_per_family_loads_every_image_and_stays_offline(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup installs it)")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed; `make test` as root installs it")
    page_path = _report(tmp_path)
    outside = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 800})
        # Every request the page makes is seen here; anything but its own files is a leak.
        page.on("request", lambda request: None if request.url.startswith("file://") else outside.append(request.url))
        page.goto(page_path.as_uri(), wait_until="load")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        family_tables = page.eval_on_selector_all(
            "table.family", "tables => tables.map(t => [t.id, t.getBoundingClientRect().right])")
        listed = page.eval_on_selector_all("#models tr td:first-child", "cells => cells.map(c => c.textContent)")
        images = page.eval_on_selector_all("img", "images => images.map(i => [i.getAttribute('src'), i.naturalWidth])")
        browser.close()
    assert scroll_width <= WIDTH, f"the page is {scroll_width} px wide"
    assert [name for name, _ in family_tables] == [
        "table-gan", "table-vae", "table-aae", "table-capsnet", "table-classifier", "table-som"]
    assert all(right <= WIDTH for _, right in family_tables), family_tables
    assert sorted(listed) == sorted(RECORDS)
    # Per model its grid, its three figures and its curves; and the ladder.
    assert len(images) == len(RECORDS) * (2 + len(FIGURES)) + 1
    assert [src for src, width in images if width == 0] == []
    assert outside == []
