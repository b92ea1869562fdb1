"""fetch() from each source and download() to a directory, with generated fixtures and the network cut off."""

import gzip
import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from genzoo.data import DataSourceError, catalog, download, fetch, remote
from genzoo.io import read_json


def _png(path: Path, size, mode="L", value=128):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, value if mode == "L" else (value, 10, 200)).save(path)


# --- folder ---------------------------------------------------------------


def test_folder_grayscale_resized_to_first_image(tmp_path):
    _png(tmp_path / "a.png", (12, 10))  # Pillow sizes are (width, height)
    _png(tmp_path / "sub" / "b.jpg", (30, 20), "RGB")
    _png(tmp_path / "c.bmp", (5, 5), value=255)
    (tmp_path / "notes.txt").write_text("not an image")
    arrays, info = fetch("faces", source="folder", path=str(tmp_path))
    assert arrays["x_train"].shape == (3, 10, 12, 1) and arrays["x_train"].dtype == np.uint8
    assert arrays["y_train"].tolist() == [-1, -1, -1]
    assert "x_test" not in arrays
    assert list(info["files"]) == ["a.png", "c.bmp", "sub/b.jpg"]  # sorted, recursive
    assert info["has_labels"] is False and info["n_classes"] == 0 and info["class_names"] is None
    assert info["counts"] == {"train": 3, "test": 0} and info["image_shape"] == [10, 12, 1]
    assert arrays["x_train"][1].min() == 255  # c.bmp, upscaled, stays white


def test_folder_rgb_with_image_size(tmp_path):
    _png(tmp_path / "a.png", (12, 10), "RGB")
    _png(tmp_path / "b.webp", (40, 40), "RGB")
    arrays, info = fetch("mnist", source="folder", path=tmp_path, channels=3, image_size=16)
    assert arrays["x_train"].shape == (2, 16, 16, 3)
    assert info["image_shape"] == [16, 16, 3] and info["source"] == "folder"


def test_folder_unreadable_image_is_named(tmp_path):
    _png(tmp_path / "a.png", (8, 8))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(DataSourceError, match="broken.png") as err:
        fetch("faces", source="folder", path=tmp_path)
    assert "remove or replace" in str(err.value)


@pytest.mark.parametrize("make_path", [lambda tmp: None, lambda tmp: tmp / "missing", lambda tmp: tmp])
def test_folder_needs_a_directory_with_images(tmp_path, make_path):
    with pytest.raises(DataSourceError, match="folder"):
        fetch("faces", source="folder", path=make_path(tmp_path))


# --- folder: the CycleGAN layout (trainA/ beside testA/) ---------------------


def _cyclegan_tree(root: Path) -> Path:
    """horse2zebra/{trainA: 3 RGB images, testA: 2 RGB images of another size}; returns trainA."""
    for i, name in enumerate(("a.png", "b.png", "sub/c.jpg")):
        _png(root / "trainA" / name, (12, 10), "RGB", value=40 * i)
    for i, name in enumerate(("a.png", "d.png")):
        _png(root / "testA" / name, (30, 30), "RGB", value=200 - 40 * i)
    _png(root / "trainB" / "z.png", (12, 10), "RGB")  # the other domain: never read for A
    return root / "trainA"


def test_folder_train_sibling_test_is_the_official_split(tmp_path):
    train = _cyclegan_tree(tmp_path / "horse2zebra")
    arrays, info = fetch("horses", source="folder", path=train, channels=3)
    assert arrays["x_train"].shape == (3, 10, 12, 3) and arrays["x_test"].shape == (2, 10, 12, 3)  # test takes train's size
    assert arrays["x_test"].dtype == np.uint8 and arrays["y_test"].tolist() == [-1, -1]
    assert info["counts"] == {"train": 3, "test": 2} and info["dataset"] == "horses"
    assert list(info["files"]) == ["trainA/a.png", "trainA/b.png", "trainA/sub/c.jpg", "testA/a.png", "testA/d.png"]
    assert info["files"]["trainA/a.png"] != info["files"]["testA/a.png"]  # same name, both kept


def test_folder_train_sibling_follows_image_size_and_plain_train_test(tmp_path):
    _png(tmp_path / "train" / "a.png", (12, 10))
    _png(tmp_path / "test" / "b.png", (20, 20))
    arrays, info = fetch("faces", source="folder", path=f"{tmp_path / 'train'}/", image_size=16)
    assert arrays["x_train"].shape == (1, 16, 16, 1) and arrays["x_test"].shape == (1, 16, 16, 1)
    assert list(info["files"]) == ["train/a.png", "test/b.png"]


def test_folder_dot_path_finds_its_test_sibling(tmp_path, monkeypatch):
    monkeypatch.chdir(_cyclegan_tree(tmp_path / "horse2zebra"))
    arrays, info = fetch("horses", source="folder", path=".")
    assert arrays["x_test"].shape == (2, 10, 12, 1) and "testA/d.png" in info["files"]


def test_folder_without_test_sibling_is_unchanged(tmp_path):
    train = _cyclegan_tree(tmp_path / "horse2zebra")
    for file in (tmp_path / "horse2zebra" / "testA").iterdir():
        file.unlink()
    (tmp_path / "horse2zebra" / "testA").rmdir()
    arrays, info = fetch("horses", source="folder", path=train, channels=3)
    assert "x_test" not in arrays and info["counts"] == {"train": 3, "test": 0}
    assert list(info["files"]) == ["a.png", "b.png", "sub/c.jpg"]


def test_folder_corrupt_test_image_is_named(tmp_path):
    train = _cyclegan_tree(tmp_path / "horse2zebra")
    (tmp_path / "horse2zebra" / "testA" / "broken.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(DataSourceError, match="testA/broken.png") as err:
        fetch("horses", source="folder", path=train, channels=3)
    assert "remove or replace" in str(err.value) and "\n" not in str(err.value)


def test_folder_empty_test_sibling_is_an_error(tmp_path):
    train = _cyclegan_tree(tmp_path / "horse2zebra")
    for file in (tmp_path / "horse2zebra" / "testA").iterdir():
        file.unlink()
    (tmp_path / "horse2zebra" / "testA" / "readme.txt").write_text("no images here")
    with pytest.raises(DataSourceError, match="testA beside trainA holds no images") as err:
        fetch("horses", source="folder", path=train)
    assert "\n" not in str(err.value)


def test_folder_accepts_any_lowercase_name(tmp_path):
    _png(tmp_path / "a.png", (8, 8))
    for name in ("horses", "zebras_2"):
        _, info = fetch(name, source="folder", path=tmp_path)
        assert info["dataset"] == name and info["source"] == "folder"


# --- packaged -------------------------------------------------------------


def test_packaged_mnist():
    arrays, info = fetch("mnist", source="packaged")
    x, y = arrays["x_train"], arrays["y_train"]
    assert x.shape == (5000, 28, 28, 1) and x.dtype == np.uint8 and x.max() == 255
    assert y.dtype == np.int64 and sorted(set(y.tolist())) == list(range(10))
    assert info["has_labels"] and info["n_classes"] == 10 and info["class_names"][3] == "3"
    assert "x_test" not in arrays and info["counts"]["test"] == 0


def test_packaged_faces():
    arrays, info = fetch("faces", source="packaged")
    assert arrays["x_train"].shape == (100, 25, 25, 1)
    assert (arrays["y_train"] == -1).all() and not info["has_labels"]


def test_packaged_uci_digits():
    from sklearn.datasets import load_digits

    arrays, info = fetch("uci_digits", source="packaged")
    x, y = arrays["x_train"], arrays["y_train"]
    assert x.shape == (1797, 28, 28, 1) and x.dtype == np.uint8 and x.max() == 255 and x.min() == 0
    assert y.dtype == np.int64 and y.min() == 0 and y.max() == 9
    assert np.bincount(y).tolist() == np.bincount(load_digits().target).tolist()
    assert "x_test" not in arrays and info["counts"] == {"train": 1797, "test": 0}
    assert info["source"] == "packaged" and info["has_labels"] and info["n_classes"] == 10
    assert info["class_names"] == list(catalog.DIGIT_CLASSES) and list(info["files"]) == ["sklearn.datasets.load_digits"]
    assert info["image_shape"] == [28, 28, 1]


def test_packaged_uci_digits_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # makes the import raise ImportError
    with pytest.raises(DataSourceError, match="scikit-learn is not installed.*pip install scikit-learn"):
        fetch("uci_digits", source="packaged")


def test_packaged_uci_digits_resamples_once_to_image_size():
    arrays, _ = fetch("uci_digits", source="packaged", image_size=16, channels=3)
    assert arrays["x_train"].shape == (1797, 16, 16, 3)


def test_uci_digits_auto_is_packaged_and_official_never_downloads(monkeypatch):
    def no_download(*args, **kwargs):
        raise AssertionError("uci_digits must not attempt a download")

    monkeypatch.setattr(remote, "require_host", no_download)
    monkeypatch.setattr(remote, "download", no_download)
    with pytest.raises(DataSourceError, match="'uci_digits' from source 'official'.*use source: packaged or auto"):
        fetch("uci_digits", source="official")
    _, info = fetch("uci_digits")
    assert info["source"] == "packaged" and info["tried"]["packaged"] == "ok"
    assert list(info["tried"]) == ["system", "official", "packaged"]
    assert "no system package" in info["tried"]["system"] and "checksum" in info["tried"]["official"]


def test_packaged_fashion_mnist_is_unavailable():
    with pytest.raises(DataSourceError, match="no Python package ships Fashion-MNIST"):
        fetch("fashion_mnist", source="packaged")


def test_system_is_fashion_mnist_only():
    with pytest.raises(DataSourceError, match="'mnist' from source 'system'"):
        fetch("mnist", source="system")


# --- system / official fashion_mnist from fixture files ---------------------


def test_system_fashion_mnist_checksum_mismatch(fashion_dir):
    directory, _ = fashion_dir
    with pytest.raises(DataSourceError) as err:
        fetch("fashion_mnist", source="system", path=str(directory))
    message = str(err.value)
    assert "train-images-idx3-ubyte.gz" in message and "checksum mismatch" in message
    assert catalog.FASHION_MNIST_SHA256["train-images-idx3-ubyte"] in message
    assert "apt-get install --reinstall dataset-fashion-mnist" in message


def test_system_fashion_mnist_loads_with_matching_checksums(fashion_dir, monkeypatch):
    directory, hashes = fashion_dir
    for name, digest in hashes.items():
        monkeypatch.setitem(catalog.FASHION_MNIST_SHA256, name, digest)
    arrays, info = fetch("fashion_mnist", source="system", path=str(directory))
    assert arrays["x_train"].shape == (20, 6, 6, 1) and arrays["x_test"].shape == (10, 6, 6, 1)
    assert arrays["y_train"].dtype == np.int64 and arrays["y_test"].tolist() == list(range(10))
    assert info["files"] == hashes and info["counts"] == {"train": 20, "test": 10}
    assert info["class_names"][0] == "T-shirt/top" and info["class_names"][9] == "Ankle boot"
    assert info["source"] == "system" and "tried" not in info


def test_official_fashion_mnist_from_path(fashion_dir, monkeypatch):
    directory, hashes = fashion_dir
    for name, digest in hashes.items():
        monkeypatch.setitem(catalog.FASHION_MNIST_SHA256, name, digest)
    arrays, info = fetch("fashion_mnist", source="official", path=directory, image_size=8)
    assert arrays["x_train"].shape == (20, 8, 8, 1) and info["source"] == "official"


def test_truncated_idx_is_named(fashion_dir, monkeypatch):
    directory, hashes = fashion_dir
    file = directory / "t10k-labels-idx1-ubyte.gz"
    payload = gzip.decompress(file.read_bytes())[:-3]
    file.write_bytes(gzip.compress(payload))
    for name, digest in hashes.items():
        monkeypatch.setitem(catalog.FASHION_MNIST_SHA256, name, digest)
    with pytest.raises(DataSourceError, match="t10k-labels-idx1-ubyte.gz is not a valid IDX file.*header says"):
        fetch("fashion_mnist", source="system", path=directory)


def test_truncated_gzip_is_named(fashion_dir):
    directory, _ = fashion_dir
    file = directory / "train-images-idx3-ubyte.gz"
    file.write_bytes(file.read_bytes()[:40])
    with pytest.raises(DataSourceError, match="train-images-idx3-ubyte.gz is not a valid IDX file.*gzip"):
        fetch("fashion_mnist", source="system", path=directory)


def test_missing_system_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "SYSTEM_FASHION_MNIST_DIR", str(tmp_path / "nope"))
    with pytest.raises(DataSourceError, match="apt-get install dataset-fashion-mnist"):
        fetch("fashion_mnist", source="system")


def test_corrupt_cached_download_is_deleted(fashion_dir, tmp_path, monkeypatch):
    directory, _ = fashion_dir
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setattr(
        remote, "download",
        lambda dataset, source, fname, origin, **kw: Path(directory / fname).replace(cache / fname) or cache / fname,
    )
    with pytest.raises(DataSourceError, match="re-download") as err:
        fetch("fashion_mnist", source="official")
    assert "checksum mismatch" in str(err.value)
    assert not (cache / "train-images-idx3-ubyte.gz").exists()


# --- auto and downloads, offline ---------------------------------------------


def test_auto_fashion_mnist_offline_lists_every_source(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "SYSTEM_FASHION_MNIST_DIR", str(tmp_path / "absent"))
    with pytest.raises(DataSourceError) as err:
        fetch("fashion_mnist")
    message = str(err.value)
    for expected in ("source 'auto'", "[system]", "[official]", "[packaged]", "apt-get install dataset-fashion-mnist",
                     "no network?", "network disabled in tests", "datasets.fashion_mnist.source: folder"):
        assert expected in message
    assert "\n" not in message


def test_auto_falls_back_to_packaged():
    arrays, info = fetch("faces")
    assert info["source"] == "packaged" and set(info["tried"]) == {"system", "official", "packaged"}
    assert info["tried"]["packaged"] == "ok" and "no network?" in info["tried"]["official"]


def test_official_faces_offline_and_with_a_cache(tmp_path, monkeypatch):
    with pytest.raises(DataSourceError, match="'faces' from source 'official'.*no network"):
        fetch("faces", source="official", path=str(tmp_path))

    class Bunch:
        images = np.random.default_rng(0).random((8, 64, 64), dtype=np.float32)
        target = np.arange(8) // 2

    monkeypatch.setattr(remote, "_sklearn_olivetti", lambda fetcher, data_home: Bunch)
    arrays, info = fetch("faces", source="official", path=str(tmp_path))
    assert arrays["x_train"].shape == (8, 64, 64, 1) and arrays["y_train"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert info["files"] == {"olivetti.pkz": hashlib.sha256(Bunch.images.tobytes()).hexdigest()}
    assert info["n_classes"] == 40 and info["class_names"][1] == "person 1"


def test_official_mnist_from_path(tmp_path, monkeypatch):
    file = tmp_path / "mnist.npz"
    rng = np.random.default_rng(0)
    np.savez(file, x_train=rng.integers(0, 256, (6, 28, 28), dtype=np.uint8), y_train=np.arange(6, dtype=np.uint8),
             x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.array([1, 2], np.uint8))
    with pytest.raises(DataSourceError, match="checksum mismatch for .*mnist.npz.*replace"):
        fetch("mnist", source="official", path=str(file))
    monkeypatch.setattr(catalog, "MNIST_SHA256", hashlib.sha256(file.read_bytes()).hexdigest())
    arrays, info = fetch("mnist", source="official", path=str(tmp_path))  # a directory holding mnist.npz works too
    assert arrays["x_test"].shape == (2, 28, 28, 1) and arrays["y_test"].dtype == np.int64
    assert info["counts"] == {"train": 6, "test": 2} and info["files"] == {"mnist.npz": catalog.MNIST_SHA256}

    file.write_bytes(b"PK not a zip")
    monkeypatch.setattr(catalog, "MNIST_SHA256", hashlib.sha256(file.read_bytes()).hexdigest())
    with pytest.raises(DataSourceError, match="mnist.npz cannot be loaded"):
        fetch("mnist", source="official", path=str(file))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"dataset": "cifar"}, "valid datasets: mnist, fashion_mnist, faces, uci_digits"),
        ({"dataset": "horses", "source": "packaged"}, "unknown dataset 'horses' for source 'packaged'.*source: folder"),
        ({"dataset": "Horses!", "source": "folder"}, "folder dataset name 'Horses!' is not allowed"),
        ({"dataset": "mnist", "source": "web"}, "valid sources: auto, official, system, packaged, folder"),
        ({"dataset": "mnist", "channels": 2}, "channels"),
        ({"dataset": "mnist", "image_size": 4}, "image_size"),
    ],
)
def test_bad_arguments(kwargs, message):
    dataset = kwargs.pop("dataset")
    with pytest.raises(ValueError, match=message):
        fetch(dataset, **kwargs)


def test_channels_three_replicates_gray():
    arrays, _ = fetch("faces", source="packaged", channels=3)
    x = arrays["x_train"]
    assert x.shape == (100, 25, 25, 3) and (x[..., 0] == x[..., 2]).all()


# --- download(): all-or-nothing output directories ---------------------------


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


REAL_SYSTEM_DIR = Path(catalog.SYSTEM_FASHION_MNIST_DIR)


@pytest.mark.skipif(not REAL_SYSTEM_DIR.is_dir(), reason="Debian's dataset-fashion-mnist package is not installed")
def test_real_system_fashion_mnist():
    arrays, info = fetch("fashion_mnist", source="system")
    assert arrays["x_train"].shape == (60000, 28, 28, 1) and arrays["x_test"].shape == (10000, 28, 28, 1)
    assert info["files"] == catalog.FASHION_MNIST_SHA256
    assert np.bincount(arrays["y_test"]).tolist() == [1000] * 10
