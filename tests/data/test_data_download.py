"""download(): all-or-nothing output directories."""

import numpy as np
import pytest

from genzoo.data import DataSourceError, download
from genzoo.io import read_json


def test_download_writes_arrays_and_info(tmp_path):
    out = tmp_path / "raw" / "faces"
    info = download("faces", out, source="packaged")
    assert sorted(p.name for p in out.iterdir()) == ["arrays.npz", "info.json"]
    assert read_json(out / "info.json") == info
    with np.load(out / "arrays.npz") as npz:
        assert npz["x_train"].shape == (100, 25, 25, 1) and npz["y_train"].dtype == np.int64


def test_failed_download_leaves_nothing(tmp_path):
    out = tmp_path / "fashion"
    with pytest.raises(DataSourceError):
        download("fashion_mnist", out, source="packaged")
    assert list(tmp_path.iterdir()) == []


def test_failed_download_keeps_existing_output(tmp_path):
    out = tmp_path / "fashion"
    out.mkdir()
    (out / "arrays.npz").write_bytes(b"previous run")
    with pytest.raises(DataSourceError):
        download("fashion_mnist", out, source="packaged")
    assert (out / "arrays.npz").read_bytes() == b"previous run"
    assert [p.name for p in tmp_path.iterdir()] == ["fashion"]
