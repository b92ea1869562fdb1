"""Shared by the end-to-end tests: one smoke-profile repository, built and committed once per run."""

import pytest

from smoke import FASHION_DIR, NO_FASHION, build_baseline


@pytest.fixture(scope="session")
def smoke_baseline(tmp_path_factory):
    """(path, dvc repro output) of a repository whose whole smoke pipeline ran and is committed.

    Tests copy it (smoke.copy_repo) rather than change it."""
    if not FASHION_DIR.is_dir():
        pytest.skip(NO_FASHION)
    repo = tmp_path_factory.mktemp("baseline")
    return repo, build_baseline(repo)
