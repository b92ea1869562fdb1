"""Fixtures for the data tests: the network is cut off and tiny IDX files are generated."""

from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

from genzoo.data import idx, remote


class NetworkDisabled(Exception):
    """Raised instead of any download during tests."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    # Every download path goes through these three; none may reach the network in tests.
    def refuse(*args, **kwargs):
        raise NetworkDisabled("URL fetch failure: network disabled in tests")

    def refuse_sklearn(*args, **kwargs):
        raise OSError("network disabled in tests")

    monkeypatch.setattr(remote, "require_host", lambda *args: None)
    monkeypatch.setattr(remote, "_keras_get_file", refuse)
    monkeypatch.setattr(remote, "_sklearn_olivetti", refuse_sklearn)


@pytest.fixture
def fashion_dir(tmp_path):
    """A directory of four tiny Fashion-MNIST-style .gz files; returns (dir, payload sha256s)."""
    rng = np.random.default_rng(0)
    directory = tmp_path / "fashion"
    directory.mkdir()
    payloads = {
        "train-images-idx3-ubyte": idx.encode_idx(rng.integers(0, 256, (20, 6, 6), dtype=np.uint8)),
        "train-labels-idx1-ubyte": idx.encode_idx(np.arange(20, dtype=np.uint8) % 10),
        "t10k-images-idx3-ubyte": idx.encode_idx(rng.integers(0, 256, (10, 6, 6), dtype=np.uint8)),
        "t10k-labels-idx1-ubyte": idx.encode_idx(np.arange(10, dtype=np.uint8) % 10),
    }
    for name, payload in payloads.items():
        (directory / f"{name}.gz").write_bytes(gzip.compress(payload))
    return directory, {name: hashlib.sha256(p).hexdigest() for name, p in payloads.items()}
