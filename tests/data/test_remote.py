"""Downloads through Keras' fetcher: the cache directory, and every failure as a DataSourceError."""

import pytest

from genzoo.data import DataSourceError, fetch, remote


def test_download_errors_become_data_source_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    with pytest.raises(DataSourceError, match="no network"):
        fetch("mnist", source="official")

    # get_file raises ValueError on a hash mismatch and leaves the bad file in its cache.
    def bad_hash(fname, origin, subdir, file_hash, cache_dir):
        (cache_dir / subdir).mkdir(parents=True, exist_ok=True)
        (cache_dir / subdir / fname).write_bytes(b"junk")
        raise ValueError("Incomplete or corrupted file detected.")

    monkeypatch.setattr(remote, "_keras_get_file", bad_hash)
    with pytest.raises(DataSourceError, match="corrupt"):
        fetch("mnist", source="official")
    assert not (tmp_path / "keras" / "datasets" / "mnist.npz").exists()


def test_the_keras_cache_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    assert remote.keras_cache_dir("datasets") == tmp_path / "keras" / "datasets"
    assert (tmp_path / "keras").is_dir()


def test_a_download_that_fails_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(DataSourceError) as err:
        remote.download("mnist", "official", "x.npz", "https://example.invalid/x.npz", subdir="datasets")
    message = str(err.value)
    assert message.startswith("Cannot load dataset 'mnist' from source 'official': downloading https://example.invalid/x.npz failed")
    assert remote.OFFLINE_TODO in message
