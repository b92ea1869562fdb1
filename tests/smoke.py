"""Helpers for the end-to-end tests: a temporary git + DVC copy of the repository on the smoke profile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DVC = BIN / "dvc"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
NO_FASHION = "Fashion-MNIST has no offline source here: `make test` installs Debian's dataset-fashion-mnist as root"


def run(args, cwd, check=True, timeout=None, env=None):
    """Run a command with the venv's tools first on PATH; on failure show what it printed."""
    env = dict(os.environ if env is None else env, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def dvc_json(args, cwd):
    return json.loads(run([DVC, *args, "--json"], cwd).stdout)


def commit(repo, message):
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", message], repo)


def init_smoke_repo(repo: Path) -> None:
    """Copy the tracked sources into ``repo``, make it a fresh git + DVC repository on the smoke
    profile, and commit (dvclive cannot start in a repository without a commit)."""
    files = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], ROOT).stdout.split()
    for name in files:
        # metrics/ is the pipeline's to write; its seeds README keeps the report's seeds dependency.
        if name.startswith(".dvc/") or name == "dvc.lock" or not (ROOT / name).exists():
            continue
        if name.startswith("metrics/") and name != "metrics/seeds/README.md":
            continue
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "test@example.com"], repo)
    run(["git", "config", "user.name", "test"], repo)
    run([DVC, "init", "-q"], repo)
    # dvc init makes .dvc/ afresh; the project's own plot templates go in after it.
    shutil.copytree(ROOT / ".dvc" / "plots", repo / ".dvc" / "plots", dirs_exist_ok=True)
    # The tests stay on loopback: no usage report, no update check.
    run([DVC, "config", "core.analytics", "false"], repo)
    run([DVC, "config", "core.check_update", "false"], repo)
    run([BIN / "python", "-m", "genzoo.profile", "smoke"], repo)
    commit(repo, "smoke profile")


def build_baseline(repo: Path) -> str:
    """A smoke repository with the whole pipeline run and its results committed; returns dvc's output."""
    init_smoke_repo(repo)
    result = run([DVC, "repro"], repo)
    commit(repo, "baseline")
    # Both streams: TensorFlow's native lines and DVC's warnings go to stderr.
    return result.stdout + result.stderr


def copy_repo(source: Path, dest: Path) -> Path:
    """An independent copy of a repository: its git history, workspace and DVC cache."""
    # .dvc/tmp (locks, the file-state database keyed by inode) belongs to the original; the
    # copy rebuilds its own.
    skip = source / ".dvc"
    shutil.copytree(source, dest, symlinks=True,
                    ignore=lambda folder, names: ["tmp"] if Path(folder) == skip else [])
    return dest


def cache_files(repo: Path) -> set[str]:
    cache = repo / ".dvc" / "cache"
    return {str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file()}
