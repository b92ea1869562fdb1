"""Trained models of the zoo, by name: ``genzoo.load("dcgan").sample(16, seed=0)``.

A model comes from the workspace when its train stage's output is there (``models/<name>``),
otherwise from a repository (a path or URL) at a git revision, through DVC's Python API,
which fetches it from that repository's DVC remote. Keras files load in safe mode and no
artefact is a pickle, so loading a model runs none of its files' code.

Each family gives an object with one obvious method:

- ``Generator`` (gan): ``sample(n, seed)``;
- ``Autoencoder`` (vae, aae): ``encode(images)``, ``decode(codes)``, ``sample(n, seed)``;
- ``Classifier`` (classifier, capsnet): ``predict(images)``;
- ``KohonenMap`` (som): ``winners(images)``;
- ``Translator`` (cyclegan): ``to_b(images)`` and ``to_a(images)``.

Images are float arrays (N, H, W, C) in [0, 1], as the prepared datasets hold them.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import yaml

from genzoo import files, models
from genzoo.config import model_seed, validate
from genzoo.io import read_json
from genzoo.schema import ParamsError
from genzoo.version import __version__


class ZooError(RuntimeError):
    """A model cannot be loaded: an unknown name, not fetched yet, or from another genzoo version."""


@dataclass(frozen=True)
class Generator:
    """A GAN's generator. ``sample(n, seed)`` draws ``n`` images in [0, 1], the same ones for a seed."""

    name: str
    network: Any
    latent_dim: int
    latent: str
    pixel_range: str

    def sample(self, n: int = 64, seed: int = 0) -> np.ndarray:
        from genzoo.families.gan.game import generate

        return generate(self.network, n, latent_dim=self.latent_dim, latent=self.latent,
                        pixel_range=self.pixel_range, seed=seed)


@dataclass(frozen=True)
class Autoencoder:
    """A VAE or an AAE: images to codes and back, and samples decoded from the prior.

    ``encode`` gives the VAE's z_mean or the AAE's code; ``decode`` the decoder's pixel
    means. A supervised AAE decodes a code with a label (``labels``, one per code).
    """

    name: str
    family: str
    encoder: Any
    decoder: Any
    code_dim: int
    prior_std: float = 1.0
    supervised: bool = False

    def encode(self, images: np.ndarray) -> np.ndarray:
        images = _images(images, self.encoder)
        if self.family == "vae":
            from genzoo.families.vae.model import encode

            return encode(self.encoder, images)[0]
        from genzoo.families.aae.model import encode_codes

        return encode_codes(self.encoder, images)

    def decode(self, codes: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        codes = np.asarray(codes, dtype=np.float32)
        if codes.ndim != 2 or codes.shape[1] != self.code_dim:
            raise ValueError(f"{self.name} decodes (N, {self.code_dim}) codes, got shape {codes.shape}")
        if self.family == "vae":
            from genzoo.families.vae.model import decode

            return decode(self.decoder, codes)
        from genzoo.families.aae.model import decode_codes

        if self.supervised and labels is None:
            raise ValueError(f"{self.name} is a supervised AAE: decode(codes, labels) needs one label per code")
        return decode_codes(self.decoder, codes, labels, self.supervised)

    def sample(self, n: int = 64, seed: int = 0) -> np.ndarray:
        """``n`` images decoded from the prior (a supervised AAE cycles through the labels)."""
        if self.family == "vae":
            from genzoo.families.vae.figures import prior_samples

            return prior_samples(self.decoder, n, self.code_dim, seed)
        from genzoo.families.aae.figures import prior_samples

        return prior_samples(self.decoder, n, self.code_dim, self.prior_std, self.supervised, seed)[0]


@dataclass(frozen=True)
class Classifier:
    """A classifier (or the CapsNet): ``predict(images)`` gives class indices into ``class_names``."""

    name: str
    class_names: tuple[str, ...]
    scores: Callable[[np.ndarray], np.ndarray]  # images → (N, classes) scores; the largest wins

    def predict(self, images: np.ndarray) -> np.ndarray:
        return np.asarray(self.scores(np.asarray(images, dtype=np.float32))).argmax(axis=1)


@dataclass(frozen=True)
class KohonenMap:
    """A trained self-organising map: ``winners(images)`` gives each image's best-matching unit.

    Units are numbered row by row on the ``rows`` × ``cols`` grid.
    """

    name: str
    weights: np.ndarray
    rows: int
    cols: int
    image_shape: tuple[int, ...]

    def winners(self, images: np.ndarray) -> np.ndarray:
        from genzoo.families.som.kohonen import best_matching_unit, unit_norm

        images = np.asarray(images, dtype=np.float32)
        if tuple(images.shape[1:]) != self.image_shape:
            raise ValueError(f"{self.name} takes images of shape (N, {', '.join(map(str, self.image_shape))}), "
                             f"got {images.shape}")
        return np.atleast_1d(best_matching_unit(self.weights, unit_norm(images.reshape(len(images), -1))))


def load(name: str, *, repo: str | os.PathLike | None = None, rev: str | None = None):
    """The trained model ``name`` (an entry of params.yaml's ``models``).

    Args:
        name: the model, e.g. ``dcgan`` or ``vae_10``.
        repo: None for the workspace (the current directory, a genzoo checkout); otherwise
            a git repository's path or URL, whose DVC remote holds the trained model.
        rev: the git revision of ``repo`` (a commit, tag or branch); None for its default.

    Raises:
        ZooError: the name is unknown (the message lists the valid ones), the model is not
            in the workspace or the remote (it says which command fetches it), or it was
            trained by another genzoo version.
    """
    params = _params(repo, rev)
    entries = params["models"]
    if name not in entries:
        raise ZooError(f"unknown model {name!r}; models: {', '.join(entries)}")
    entry, seed = entries[name], model_seed(params, name)
    if repo is None:
        return _build(name, entry, _workspace_model(name), seed)
    with tempfile.TemporaryDirectory(prefix=f"genzoo-{name}-") as tmp:
        # The networks are read into memory, so the downloaded copy can go.
        return _build(name, entry, _fetch(name, str(repo), rev, Path(tmp)), seed)


def _params(repo, rev) -> dict:
    where = "params.yaml" if repo is None else f"params.yaml of {repo}" + (f" at {rev}" if rev else "")
    try:
        if repo is None:
            if not Path("params.yaml").is_file():
                raise ZooError("no params.yaml here: run from a genzoo checkout, or pass repo= (a path or URL)")
            text = Path("params.yaml").read_text()
        else:
            import dvc.api

            text = dvc.api.read("params.yaml", repo=str(repo), rev=rev)
        return validate(yaml.safe_load(text))
    except ParamsError as err:
        raise ZooError(f"{where}: {err}") from None
    except ZooError:
        raise
    except Exception as err:  # dvc reports a missing repository or revision in its own types
        raise ZooError(f"cannot read {where}: {err}") from None


def _workspace_model(name: str) -> Path:
    trained = Path("models") / name
    if not (trained / files.INFO).is_file():
        raise ZooError(
            f"models/{name} is not in this workspace; fetch it from the DVC remote with `dvc pull train@{name}`, "
            f"or train it with `dvc repro train@{name}`"
        )
    return trained


def _fetch(name: str, repo: str, rev: str | None, into: Path) -> Path:
    """Download ``models/<name>`` of ``repo`` at ``rev`` into ``into``, through its DVC remote."""
    from dvc.api import DVCFileSystem

    at = f" at {rev}" if rev else ""
    fetch = f"`dvc get {repo} models/{name}" + (f" --rev {rev}`" if rev else "`")
    try:
        fs = DVCFileSystem(repo, rev=rev)
        remote_files = [path for path in fs.find(f"models/{name}") if not path.endswith("/")]
        if not remote_files:
            raise FileNotFoundError(f"models/{name}")
        for path in remote_files:
            local = into / Path(path).relative_to(f"models/{name}")
            local.parent.mkdir(parents=True, exist_ok=True)
            fs.get_file(path, str(local))
    except Exception as err:  # dvc raises several types for a missing object; each means the same here
        raise ZooError(
            f"models/{name} of {repo}{at} cannot be fetched ({type(err).__name__}: {err}); its DVC remote must "
            f"hold it (`dvc push train@{name}` in that repository), then {fetch} or genzoo.load fetches it"
        ) from None
    return into


def _check_version(name: str, info: dict) -> None:
    trained_by = info.get("genzoo_version")
    if trained_by != __version__:
        raise ZooError(
            f"models/{name} was trained by genzoo {trained_by or 'before 0.2.0'}, and this is genzoo {__version__}; "
            f"re-train it with `dvc repro train@{name}`, or load it with genzoo {trained_by or '0.1.0'}"
        )


def _keras(path: Path):
    import keras

    # Safe mode refuses to deserialise code (lambda layers) from a file.
    return keras.models.load_model(path, safe_mode=True)


def _build(name: str, entry: dict, trained: Path, seed: int):
    info = read_json(trained / files.INFO)
    _check_version(name, info)
    family = entry["family"]
    if family == "gan":
        return Generator(name, _keras(trained / files.GENERATOR), info["latent_dim"], info["latent"],
                         info["pixel_range"])
    if family in ("vae", "aae"):
        encoder, decoder = _keras(trained / files.ENCODER), _keras(trained / files.DECODER)
        if family == "vae":
            return Autoencoder(name, family, encoder, decoder, info["latent_dim"])
        return Autoencoder(name, family, encoder, decoder, info["code_dim"], info["prior_std"], info["supervised"])
    if family == "capsnet":
        return _capsnet(name, trained, entry)
    if family == "classifier":
        return _classifier(name, trained, info, entry, seed)
    if family == "cyclegan":
        # Importing the pipeline registers the generators' reflection-padding layer with Keras.
        from genzoo.families.cyclegan.pipeline import F, G

        return Translator(name, _keras(trained / G), _keras(trained / F))
    if family == "som":
        with np.load(trained / files.SOM_WEIGHTS, allow_pickle=False) as f:
            weights = f["weights"]
        return KohonenMap(name, weights, info["rows"], info["cols"], tuple(info["image_shape"]))
    raise ZooError(f"models.{name} is of family {family!r}, which genzoo.load does not know")


@dataclass(frozen=True)
class Translator:
    """A CycleGAN's two generators: ``to_b`` is G (domain A to B), ``to_a`` is F (B to A)."""

    name: str
    g: Any
    f: Any

    def to_b(self, images: np.ndarray) -> np.ndarray:
        from genzoo.families.cyclegan.pipeline import translate

        return translate(self.g, _images(images, self.g))

    def to_a(self, images: np.ndarray) -> np.ndarray:
        from genzoo.families.cyclegan.pipeline import translate

        return translate(self.f, _images(images, self.f))


def _capsnet(name: str, trained: Path, entry: dict) -> Classifier:
    # The capsule layers register themselves with Keras when imported; loading needs them.
    from genzoo.families.capsnet import layers  # noqa: F401

    encoder = _keras(trained / files.ENCODER)

    def lengths(images: np.ndarray) -> np.ndarray:
        capsules = encoder.predict(_images(images, encoder), batch_size=100, verbose=0)
        return np.sqrt((capsules**2).sum(-1))  # a digit capsule's length is its class's probability

    return Classifier(name, _class_names(entry), lengths)


def _classifier(name: str, trained: Path, info: dict, entry: dict, seed: int) -> Classifier:
    from genzoo.families.classifier import fitting

    module = models.get(entry["module"])
    class_names = tuple(info["class_names"])
    # Only a scikit-learn pipeline is rebuilt from code (its arrays come from the file), and
    # its featuriser takes any image size: no image shape is needed.
    model = fitting.load(trained, info["file"], lambda: module.build(None, len(class_names), entry, seed))
    preprocess = None if module.HOOKS.preprocess is None else module.HOOKS.preprocess(entry)
    return Classifier(name, class_names, lambda images: fitting.predict(model, images, preprocess=preprocess))


def _class_names(entry: dict) -> tuple[str, ...]:
    from genzoo.data import catalog

    known = {"mnist": catalog.DIGIT_CLASSES, "fashion_mnist": catalog.FASHION_MNIST_CLASSES}
    if entry["dataset"] not in known:
        raise ZooError(f"a classifier of {entry['dataset']} has no known class names; datasets: {', '.join(known)}")
    return known[entry["dataset"]]


def _images(images: np.ndarray, network) -> np.ndarray:
    images = np.asarray(images, dtype=np.float32)
    expected = tuple(network.input_shape[1:])
    if tuple(images.shape[1:]) != expected:
        raise ValueError(f"{network.name} takes images of shape (N, {', '.join(map(str, expected))}), "
                         f"got {images.shape}")
    return images
