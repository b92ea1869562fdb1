"""genzoo.plots: the `dvc plots show` page with vega inlined, drawn by a browser cut off from the network."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from genzoo import plots
from smoke import BIN, DVC, run

LOSSES = """\
from pathlib import Path

out = Path("logs/m/plots/metrics/train")
out.mkdir(parents=True, exist_ok=True)
for name, start in (("d_loss", 1.4), ("g_loss", 0.7)):
    rows = [f"{step}\\t{start * 0.9 ** step:.4f}" for step in range(10)]
    (out / f"{name}.tsv").write_text(f"step\\t{name}\\n" + "\\n".join(rows) + "\\n")
"""

DVC_YAML = """\
stages:
  losses:
    cmd: python losses.py
    deps:
      - losses.py
    outs:
      - logs/m/plots/metrics:
          cache: false
plots:
  - losses of m:
      x: step
      y:
        logs/m/plots/metrics/train/d_loss.tsv: d_loss
        logs/m/plots/metrics/train/g_loss.tsv: g_loss
"""


def _plots(repo: Path, vendor: Path, env: dict | None = None):
    env = dict(os.environ if env is None else env, **{plots.VENDOR_ENV: str(vendor)})
    return run([BIN / "python", "-m", "genzoo.plots"], repo, check=False, timeout=300, env=env)


def _registry_reachable() -> bool:
    try:
        return subprocess.run(["npm", "ping"], capture_output=True, timeout=60,
                              env=dict(os.environ, npm_config_fetch_retries="0")).returncode == 0
    except subprocess.TimeoutExpired:
        return False


@pytest.fixture(scope="session")
def vendor(tmp_path_factory):
    """The session's vendor folder; filled by the first `python -m genzoo.plots` run."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed, so the scripts cannot be fetched (sudo apt-get install npm)")
    if not _registry_reachable():
        pytest.skip("the npm registry cannot be reached (`npm ping` fails), so the scripts cannot be fetched")
    return tmp_path_factory.mktemp("plots-vendor")


@pytest.fixture(scope="session")
def page(vendor, tmp_path_factory):
    """(repo, output) of `python -m genzoo.plots` in a tiny repository with one multi-series plot."""
    repo = tmp_path_factory.mktemp("plots-repo")
    (repo / "losses.py").write_text(LOSSES)
    (repo / "dvc.yaml").write_text(DVC_YAML)
    run(["git", "init", "-q"], repo)
    run([DVC, "init", "-q"], repo)
    # The tests stay on loopback: no usage report, no update check.
    run([DVC, "config", "core.analytics", "false"], repo)
    run([DVC, "config", "core.check_update", "false"], repo)
    run([DVC, "repro", "-q"], repo)
    result = _plots(repo, vendor)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo, result


def test_first_run_fetches_each_script_once_and_says_where_the_page_is(page, vendor):
    repo, result = page
    assert [line for line in result.stderr.splitlines() if line.startswith("fetching ")] == [
        f"fetching {s.spec} from the npm registry ({n}/3)" for n, s in enumerate(plots.SCRIPTS, 1)]
    assert "plots page (opens as a file, offline): dvc_plots/index.html" in result.stdout
    assert (repo / "dvc_plots" / "index.html").is_file()
    # A second run finds the scripts in place and fetches nothing.
    again = _plots(repo, vendor)
    assert again.returncode == 0, again.stderr
    assert "fetching" not in again.stderr


def test_template_and_page_inline_the_scripts_and_load_nothing(page, vendor):
    repo, _ = page
    template = (vendor / plots.TEMPLATE).read_text()
    assert "{plot_divs}" in template and "{scripts}" not in template
    for text in (template, (repo / "dvc_plots" / "index.html").read_text()):
        tags = re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE)
        assert [tag for tag in tags if "src" in tag.lower()] == []
        for script in plots.SCRIPTS:
            assert f"<script>/* {script.spec} */" in text
        assert "cdn.jsdelivr.net" not in text


def test_page_draws_both_losses_with_the_network_cut_off(page):
    repo, _ = page
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup installs it)")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed; `make test` as root installs it")
    outside, errors = [], []

    def only_files(route):
        # Anything but the page's own file would leave the machine: refuse it and note it.
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page_ = browser.new_page()
        page_.route("**/*", only_files)
        page_.on("pageerror", lambda error: errors.append(str(error)))
        page_.goto((repo / "dvc_plots" / "index.html").as_uri(), wait_until="load")
        chart = page_.wait_for_selector("#losses_of_m svg, #losses_of_m canvas", timeout=15_000)
        box = chart.bounding_box()
        shot = chart.screenshot()
        fields = page_.evaluate("() => [...new Set(spec.data.values.map(row => row['filename::field']))].sort()")
        browser.close()
    assert errors == []
    assert outside == []
    assert box is not None and box["width"] > 0 and box["height"] > 0
    # The axes and grid are grey; a coloured pixel is a drawn line or legend symbol.
    pixels = Image.open(io.BytesIO(shot)).convert("RGB").get_flattened_data()
    assert any(max(p) - min(p) > 60 for p in pixels)
    assert fields == ["d_loss.tsv::d_loss", "g_loss.tsv::g_loss"]


def test_scripts_copied_by_hand_need_no_npm(vendor, page, tmp_path, monkeypatch):
    # `page` has filled the vendor folder; a copy of it is what a person would put there.
    by_hand = tmp_path / "vendor"
    by_hand.mkdir()
    for script in plots.SCRIPTS:
        shutil.copy(vendor / script.file, by_hand / script.file)
    monkeypatch.setattr(plots.shutil, "which", lambda name: None)
    template = plots.write_template(by_hand, log=lambda line: pytest.fail(f"fetched: {line}"))
    assert "{plot_divs}" in template.read_text()


def test_npm_missing_is_one_line_naming_the_files(tmp_path):
    (tmp_path / "empty").mkdir()
    # A PATH with no npm on it; the module runs from this interpreter.
    env = dict(os.environ, PATH=str(tmp_path / "empty"), **{plots.VENDOR_ENV: str(tmp_path / "vendor")})
    result = subprocess.run([sys.executable, "-m", "genzoo.plots"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "npm is not installed" in result.stderr
    for script in plots.SCRIPTS:
        assert f"{script.file} (build/{script.file} of {script.spec})" in result.stderr


def test_unreachable_registry_is_one_line_naming_the_files(tmp_path):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    # A closed loopback port as the registry, and an empty npm cache so nothing is found offline.
    env = dict(os.environ, npm_config_registry="http://127.0.0.1:9/", npm_config_cache=str(tmp_path / "npm-cache"),
               npm_config_fetch_retries="0")
    result = _plots(tmp_path, tmp_path / "vendor", env)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"fetching {plots.SCRIPTS[0].spec} from the npm registry (1/3)"
    assert len(lines) == 2 and "Traceback" not in result.stderr, result.stderr
    assert lines[1].startswith("genzoo.plots: error: cannot reach the npm registry")
    assert "ECONNREFUSED" in lines[1]
    for script in plots.SCRIPTS:
        assert script.file in lines[1]


def test_a_changed_script_is_fetched_again(vendor, page, tmp_path):
    copy = tmp_path / "vendor"
    shutil.copytree(vendor, copy)
    (copy / "vega-embed.min.js").write_text("// not vega-embed\n")
    fetched = []
    plots.ensure_scripts(copy, log=fetched.append)
    assert fetched[0] == f"fetching {plots.SCRIPTS[2].spec} from the npm registry (1/1)"
    assert (copy / "vega-embed.min.js").read_bytes() == (vendor / "vega-embed.min.js").read_bytes()
