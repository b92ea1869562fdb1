"""End to end: the real `dvc repro` on the smoke profile, in a temporary copy of the repository."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from smoke import copy_repo, run

BIN = Path(sys.executable).parent
GAN_MLP_STAGES = {"train@gan_mlp", "evaluate@gan_mlp"}
METRICS = ("fid", "kid", "kid_se", "precision", "recall", "density", "coverage",
           "classifier_score", "classifier_score_std", "class_entropy", "classes_covered", "class_histogram")

pytestmark = pytest.mark.e2e


def _run(args, cwd, check=True):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _ran(output: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", output))


def _status(repo) -> set[str]:
    return set(json.loads(_run([BIN / "dvc", "status", "--json"], repo).stdout))


@pytest.fixture(scope="module")
def repo(smoke_baseline, tmp_path_factory):
    # A copy of the shared smoke repository (tests/conftest.py): its first `dvc repro` ran once.
    baseline, output = smoke_baseline
    return copy_repo(baseline, tmp_path_factory.mktemp("genzoo") / "repo"), output


def test_repro_runs_every_stage_and_writes_the_outputs(repo):
    repo, output = repo
    params = yaml.safe_load((repo / "params.yaml").read_text())
    expected = {f"{stage}@{name}" for stage in ("download", "prepare", "reference") for name in params["datasets"]}
    expected |= {f"{stage}@{name}" for stage in ("train", "evaluate") for name in params["models"]}
    expected |= {f"pair@{name}" for name in params["pairs"]}
    assert _ran(output) == expected | {"report"}
    for path in ("models/gan_mlp/generator.keras", "samples/gan_mlp/figures/grid.png",
                 "samples/gan_mlp/data/samples.npz", "logs/gan_mlp/plots/metrics/train/d_loss.tsv",
                 "data/raw/mnist/info.json", "samples/som/figures/mosaic.png",
                 "logs/som/plots/metrics/quantization_error.tsv", "metrics/models/som.json",
                 "samples/capsnet/figures/reconstructions.png", "samples/capsnet/figures/pose.png",
                 "samples/capsnet/data/confusion.json", "metrics/models/capsnet.json",
                 "metrics/reference/mnist.json", "report/plots/confusion/capsnet.json",
                 "report/plots/scatter/vae_2.json", "data/prepared/uci_to_mnist/a/train.npz",
                 "data/prepared/uci_to_mnist/b/test.npz", "models/reference/uci_to_mnist/b/evaluator.keras",
                 "samples/cyclegan/figures/translation_a_to_b.png", "samples/cyclegan/figures/translation_b_to_a.png",
                 "metrics/models/cyclegan.json", "logs/cyclegan/plots/metrics/train/cycle_a.tsv"):
        assert (repo / path).is_file(), path
    assert list((repo / "logs/gan_mlp/plots/images/samples").glob("epoch_*.png"))
    for name in params["models"]:
        assert (repo / f"metrics/details/models/{name}.json").is_file(), name
        assert (repo / f"checkpoints/{name}/FINISHED").is_file(), name


# The lines a smoke `dvc repro` may print: DVC's own, the stages' (genzoo's log lines, the
# data stages' one-line summaries, the report's), and Keras' per-epoch progress.
OWN_LINES = re.compile(
    r"Running stage '[^']+':|> python .*|(Generating|Updating) lock file 'dvc\.lock'"
    r"|To track the changes with git, run:|\tgit add .*|To enable auto staging, run:"
    r"|\tdvc config core\.autostage true|Use `dvc push` to send your updates to remote storage\."
    r"|\d\d:\d\d:\d\d genzoo[.\w]*: .*|\w+: (packaged|system|official|folder) source, .*"
    r"|\w+: (seeded|official) split, .*|report: \d+ models in .*|\w+: \w+ → \w+, counts .*"
    r"|Epoch \d+/\d+|\d+/\d+ - \d+m?s - .*|"
)


def test_a_smoke_repro_prints_nothing_but_its_own_lines(repo):
    """No TensorFlow start-up or native log lines, no Keras warnings, no DVC "is empty" warnings."""
    _, output = repo
    foreign = [line for line in output.splitlines() if not OWN_LINES.fullmatch(line)]
    assert foreign == [], "\n".join(foreign)


def test_every_model_logs_the_curves_its_chart_declares(repo):
    """dvc.yaml's generated chart per model names its module's CURVES: a renamed loss would draw nothing."""
    from genzoo import models

    repo, _ = repo
    params = yaml.safe_load((repo / "params.yaml").read_text())
    for name, entry in params["models"].items():
        root = repo / f"logs/{name}/plots/metrics"
        logged = {str(path.relative_to(root).with_suffix("")) for path in root.rglob("*.tsv")}
        assert logged == set(models.get(entry["module"]).CURVES), name


def test_declared_metrics_are_flat_numbers(repo):
    """What `dvc metrics show` and `dvc exp show` list: short keys, numbers only, no timings."""
    repo, _ = repo
    shown = json.loads(_run([BIN / "dvc", "metrics", "show", "--json"], repo).stdout)
    files = shown[""]["data"] if "" in shown else shown["workspace"]["data"]
    assert all("error" not in entry for entry in files.values()), "DVC read a metrics file as failed"
    assert not [path for path in files if path.startswith("logs/")]
    for path, entry in files.items():
        data = entry["data"]
        flat = {}
        stack = [("", data)]
        while stack:
            prefix, node = stack.pop()
            for key, value in node.items():
                if isinstance(value, dict):
                    stack.append((f"{prefix}{key}.", value))
                else:
                    flat[prefix + key] = value
        assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat.values()), path
        assert not [key for key in flat if "seconds" in key or "per_second" in key], path


@pytest.mark.parametrize("name", ["dcgan", "dcgan_upsample", "dcgan_faces", "wgan", "wgan_gp"])
def test_every_gan_writes_its_figures_and_metrics(repo, name):
    repo, _ = repo
    for figure in ("grid.png", "interpolation.png"):
        assert (repo / f"samples/{name}/figures/{figure}").is_file(), figure
    assert list((repo / f"logs/{name}/plots/images/samples").glob("epoch_*.png"))
    metrics = json.loads((repo / f"metrics/details/models/{name}.json").read_text())
    for metric in METRICS:
        if not isinstance(metrics.get(metric), dict):  # class metrics do not apply to the unlabelled faces
            assert name == "dcgan_faces", metric
            continue
        assert set(metrics[metric]) == {"value", "floor"}, metric
    assert metrics["train_seconds"] > 0 and metrics["images_per_second"] > 0
    if name == "dcgan_faces":
        assert (repo / "samples/dcgan_faces/figures/memorisation.png").is_file()
        assert metrics["memorisation"]["ratio"] > 0


def test_metrics_file_is_complete(repo):
    repo, _ = repo
    metrics = json.loads((repo / "metrics/details/models/gan_mlp.json").read_text())
    assert metrics["profile"] == "smoke"
    for name in METRICS:
        assert set(metrics[name]) == {"value", "floor"}, name
        assert metrics[name]["value"] is not None and metrics[name]["floor"] is not None, name
    assert metrics["data_source"] in ("official", "packaged")
    assert metrics["device"] in ("cpu", "gpu")
    assert metrics["n_samples"] == 100
    assert metrics["fid"]["value"] > metrics["fid"]["floor"]  # two epochs cannot beat real data
    shown = _run([BIN / "dvc", "metrics", "show", "--json"], repo).stdout
    assert "metrics/models/gan_mlp.json" in shown


CLASSIFIERS = ("pyramid_svm", "mlp", "lenet5", "mobilenet_v2", "cnn_best")


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_outputs_and_metrics(repo, name):
    repo, _ = repo
    metrics = json.loads((repo / f"metrics/details/models/{name}.json").read_text())
    assert metrics["n_test"] == 100  # the smoke profile's whole test set
    assert 0.0 <= metrics["accuracy"] <= 1.0
    assert set(metrics["per_class_accuracy"]) == set(json.loads(
        (repo / "data/prepared/fashion_mnist/info.json").read_text())["class_names"])
    assert metrics["n_parameters"] > 0 and metrics["train_seconds"] > 0
    rows = json.loads((repo / f"samples/{name}/data/confusion.json").read_text())
    assert len(rows) == 100 and set(rows[0]) == {"actual", "predicted"}
    assert (repo / f"samples/{name}/figures/misclassified.png").is_file()
    assert (repo / f"logs/{name}/plots/metrics/train/accuracy.tsv").is_file()


def test_one_models_edit_reruns_only_that_model(repo):
    repo, _ = repo
    source = repo / "src/genzoo/models/gan_mlp.py"
    original = source.read_text()
    source.write_text(original + "\n# an edit\n")
    # evaluate@ reads the module too: the saved networks may use its layers, and a
    # classifier's write-up figure (REFERENCE_ACCURACY) lives there.
    assert _status(repo) == GAN_MLP_STAGES
    source.write_text(original)
    assert _status(repo) == set()

    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["models"]["gan_mlp"]["hidden"] = 64
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    assert _status(repo) == GAN_MLP_STAGES
    second = _run([BIN / "dvc", "repro"], repo)
    assert _ran(second.stdout) == GAN_MLP_STAGES | {"report"}
    wgan_stages = {"train@wgan", "evaluate@wgan"}
    params["models"]["wgan"]["clip_value"] = 0.02
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    assert _status(repo) == wgan_stages
    assert _ran(_run([BIN / "dvc", "repro", "evaluate@wgan"], repo).stdout) == wgan_stages
    assert _ran(_run([BIN / "dvc", "repro"], repo).stdout) == {"report"}
    third = _run([BIN / "dvc", "repro"], repo)
    assert _ran(third.stdout) == set()
    assert _status(repo) == set()


def test_a_family_edit_reruns_only_that_familys_models(repo):
    repo, _ = repo
    source = repo / "src/genzoo/families/som/kohonen.py"
    original = source.read_text()
    source.write_text(original + "\n# an edit\n")
    try:
        assert _status(repo) == {"train@som", "evaluate@som"}
    finally:
        source.write_text(original)
    assert _status(repo) == set()


def test_a_translation_models_edits_rerun_only_its_chain(repo):
    """cyclegan's params and family re-run its two stages; a dataset of its pair starts from that dataset."""
    repo, _ = repo
    chain = {"train@cyclegan", "evaluate@cyclegan"}
    params_file = repo / "params.yaml"
    original = params_file.read_text()
    params = yaml.safe_load(original)
    try:
        params["models"]["cyclegan"]["width"] = 6
        params_file.write_text(yaml.safe_dump(params, sort_keys=False))
        assert _status(repo) == chain
        params["datasets"]["uci_digits"]["max_test"] = 50
        params_file.write_text(yaml.safe_dump(params, sort_keys=False))
        # DVC names the stage whose params changed; the pair and the chain follow from its output.
        assert _status(repo) == chain | {"prepare@uci_digits"}
    finally:
        params_file.write_text(original)
    source = repo / "src/genzoo/families/cyclegan/model.py"
    text = source.read_text()
    source.write_text(text + "\n# an edit\n")
    try:
        assert _status(repo) == chain
    finally:
        source.write_text(text)
    assert _status(repo) == set()
    record = json.loads((repo / "metrics/details/models/cyclegan.json").read_text())
    assert record["pair"] == {"a": "uci_digits", "b": "mnist"}
    for direction in ("a_to_b", "b_to_a"):
        assert 0.0 <= record[direction]["label_preservation"]["value"] <= 1.0
        assert set(record[direction]["fid"]) == {"value", "floor"}


def test_same_params_give_identical_metrics(repo):
    repo, _ = repo
    before = json.loads((repo / "metrics/details/models/gan_mlp.json").read_text())
    _run([BIN / "dvc", "repro", "--force", "--single-item", "train@gan_mlp"], repo)
    _run([BIN / "dvc", "repro"], repo)
    after = json.loads((repo / "metrics/details/models/gan_mlp.json").read_text())
    for name in METRICS:
        assert after[name] == before[name], name


def test_bad_params_stop_before_any_work_with_one_message(smoke_baseline, tmp_path):
    # On its own copy: dvc deletes a stage's outputs before running it, and the uncached
    # ones (dvclive's curves) cannot be checked out again, so the shared copy stays clean.
    baseline, _ = smoke_baseline
    repo = copy_repo(baseline, tmp_path / "repo")
    text = (repo / "params.yaml").read_text()
    (repo / "params.yaml").write_text(text.replace("latent: uniform", "latent: gaussian"))
    result = _run([BIN / "dvc", "repro"], repo, check=False)
    assert result.returncode != 0
    assert "models.gan_mlp.latent is 'gaussian'; allowed values: 'uniform', 'normal'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout


def test_report_page_loads_every_image_lists_every_model_and_stays_offline(repo):
    repo, _ = repo
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup installs it)")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed; `make test` as root installs it")
    page_path = repo / "report" / "index.html"
    outside = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        # Every request the page makes is seen here; anything but its own files is a leak.
        page.on("request", lambda request: None if request.url.startswith("file://") else outside.append(request.url))
        page.goto(page_path.as_uri(), wait_until="load")
        widths = page.eval_on_selector_all("img", "images => images.map(i => [i.getAttribute('src'), i.naturalWidth])")
        listed = page.eval_on_selector_all("#models tr td:first-child", "cells => cells.map(c => c.textContent)")
        tables = page.eval_on_selector_all("table.family", "tables => tables.length")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        stamp = page.inner_text("body")
        browser.close()
    assert widths, "the page shows no images"
    assert [src for src, width in widths if width == 0] == []
    params = yaml.safe_load((repo / "params.yaml").read_text())
    assert set(params["models"]) <= set(listed)
    assert tables == len({entry["family"] for entry in params["models"].values()})
    assert scroll_width <= 1280, "the page scrolls sideways in a 1,280-px window"
    assert "smoke" in stamp
    assert outside == []


def test_autoencoder_metrics_and_figures(repo):
    repo, _ = repo
    vae = json.loads((repo / "metrics/details/models/vae_2.json").read_text())
    for pixels in ("binarized", "grey"):
        assert vae[f"test_elbo_{pixels}"] == pytest.approx(
            -vae[f"test_reconstruction_{pixels}"] - vae[f"test_kl_{pixels}"], abs=2e-3)
        assert vae[f"test_iw_bound_{pixels}"] is not None
    assert vae["fid"]["value"] is not None
    assert "label_fidelity" in json.loads((repo / "metrics/models/aae_supervised.json").read_text())
    assert "purity" in json.loads((repo / "metrics/models/aae_unsupervised.json").read_text())
    for path in ("samples/vae_2/figures/manifold.png", "samples/vae_10/data/scatter.json",
                 "samples/aae_supervised/figures/style_grid.png"):
        assert (repo / path).is_file(), path
    assert not (repo / "samples/vae_10/figures/manifold.png").exists()  # the manifold is for latent 2 only


def test_a_model_modules_edit_reruns_every_entry_that_runs_it_and_no_other(repo):
    repo, _ = repo
    source = repo / "src/genzoo/models/vae.py"
    original = source.read_text()
    source.write_text(original + "\n# an edit\n")
    try:
        assert _status(repo) == {f"{stage}@{name}" for stage in ("train", "evaluate")
                                 for name in ("vae_2", "vae_10", "vae_20")}
    finally:
        source.write_text(original)
    assert _status(repo) == set()


def test_adding_a_latent_size_is_adding_one_entry(smoke_baseline, tmp_path):
    # On its own copy: the shared one's params.yaml has been rewritten without its anchors.
    repo = copy_repo(smoke_baseline[0], tmp_path / "repo")
    text = (repo / "params.yaml").read_text()
    assert "&vae" in text
    # As the README says: one entry that merges the shared settings and names its own size.
    (repo / "params.yaml").write_text(text + "  vae_5:\n    <<: *vae\n    latent_dim: 5\n")
    assert _status(repo) == {"train@vae_5", "evaluate@vae_5"}


def test_adding_a_model_as_the_readme_says_touches_only_its_stages(smoke_baseline, tmp_path):
    """The README's three steps for a new model: a module, a registry entry, a params entry."""
    baseline, _ = smoke_baseline
    repo = copy_repo(baseline, tmp_path / "repo")
    gan_mlp = (repo / "src/genzoo/models/gan_mlp.py").read_text()
    (repo / "src/genzoo/models/tiny_gan.py").write_text(gan_mlp.replace('"""The fully', '"""A copy of the fully'))
    registry = repo / "src/genzoo/models/__init__.py"
    text = registry.read_text()
    text = text.replace("    gan_mlp,\n", "    gan_mlp,\n    tiny_gan,\n", 1)
    text = text.replace('    "gan_mlp": gan_mlp,\n', '    "gan_mlp": gan_mlp,\n    "tiny_gan": tiny_gan,\n', 1)
    registry.write_text(text)
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["models"]["tiny_gan"] = dict(params["models"]["gan_mlp"], module="tiny_gan", hidden=16)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    tiny = {"train@tiny_gan", "evaluate@tiny_gan"}
    assert _status(repo) == tiny
    # The stages must run this copy's code (its registry knows tiny_gan), not the installed one.
    env = dict(os.environ, PYTHONPATH=str(repo / "src"))
    assert _ran(run([BIN / "dvc", "repro", "evaluate@tiny_gan"], repo, env=env).stdout) == tiny
    assert json.loads((repo / "metrics/models/tiny_gan.json").read_text())["fid"] > 0


# Runs a stage script or module as `python` would, then says which heavy libraries it loaded.
IMPORTS_PROBE = """
import json, runpy, sys
target, sys.argv = sys.argv[1], sys.argv[1:]
try:
    if target.endswith(".py"):
        runpy.run_path(target, run_name="__main__")
    else:
        runpy.run_module(target, run_name="__main__", alter_sys=True)
except SystemExit as done:  # a command line that ends with sys.exit(0)
    if done.code not in (None, 0):
        raise
print(json.dumps(sorted(m for m in ("tensorflow", "keras", "dvclive") if m in sys.modules)))
"""


def _loaded(args, cwd) -> list[str]:
    return json.loads(_run([sys.executable, "-c", IMPORTS_PROBE, *args], cwd).stdout.splitlines()[-1])


def test_stages_that_need_no_tensorflow_do_not_import_it(repo, tmp_path):
    """Importing TensorFlow costs seconds per process: the data, report and params stages skip it."""
    repo, _ = repo
    out = tmp_path / "out"
    commands = [
        ["stages/download.py", "--dataset", "mnist", "--out", out / "raw"],
        ["stages/prepare.py", "--dataset", "mnist", "--raw", "data/raw/mnist", "--out", out / "prepared"],
        ["stages/report.py", "--details", "metrics/details", "--seeds", "metrics/seeds",
         "--samples", "samples", "--logs", "logs", "--out", out / "report"],
    ]
    for command in commands:
        assert _loaded([str(part) for part in command], repo) == [], command[0]
    assert (out / "prepared" / "train.npz").is_file() and (out / "report" / "index.html").is_file()
    profiled = tmp_path / "profiled"
    shutil.copytree(repo / "profiles", profiled / "profiles")
    shutil.copy(repo / "params.yaml", profiled / "params.yaml")
    assert _loaded(["genzoo.profile", "paper"], profiled) == []  # merges and validates params
