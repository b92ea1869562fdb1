"""A domain pair: two prepared datasets, and their references, joined for a translation model.

A translation model's chain reads one data directory and one reference directory, like
every model. The pair stage makes them: ``data/prepared/<pair>/{a,b}`` holds the two
prepared datasets and ``models/reference/<pair>/{a,b}`` their evaluators, reference
features and floors, copied as they are, so each domain is scored in its own space.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .. import io
from .errors import DataSourceError

DOMAINS = ("a", "b")  # the subdirectory of each domain, in both joined directories
INFO = "info.json"


def check_pair(name: str, infos: dict[str, dict]) -> None:
    """Both domains must hold images of one shape: the generators map one onto the other."""
    shapes = {domain: tuple(info["image_shape"]) for domain, info in infos.items()}
    if shapes["a"] != shapes["b"]:
        what = "channels" if shapes["a"][-1] != shapes["b"][-1] else "image sizes"
        raise DataSourceError(
            name, "pair",
            f"the two domains differ in {what}: {infos['a']['dataset']} is {shapes['a']}, "
            f"{infos['b']['dataset']} is {shapes['b']}",
            "set the same channels and image_size on both datasets in params.yaml",
        )


def join(name: str, data: dict[str, Path], references: dict[str, Path], data_out: Path, reference_out: Path) -> dict:
    """Copy each domain's prepared data and reference under its ``DOMAINS`` name; return the pair's info.

    Both outputs appear complete or not at all.
    """
    infos = {domain: io.read_json(Path(data[domain]) / INFO) for domain in DOMAINS}
    check_pair(name, infos)
    info = {
        "dataset": name,
        "pair": {domain: infos[domain]["dataset"] for domain in DOMAINS},
        "image_shape": infos["a"]["image_shape"],
        "counts": {domain: infos[domain]["counts"] for domain in DOMAINS},
        "sources": {domain: infos[domain]["source"] for domain in DOMAINS},
        "labelled": all(infos[domain]["has_labels"] for domain in DOMAINS),
        # Label preservation needs the same classes in both domains (digits to digits).
        "shared_classes": infos["a"].get("class_names") == infos["b"].get("class_names")
        and bool(infos["a"].get("class_names")),
    }
    with io.atomic_dir(data_out) as tmp_data, io.atomic_dir(reference_out) as tmp_reference:
        for domain in DOMAINS:
            shutil.copytree(data[domain], tmp_data / domain)
            shutil.copytree(references[domain], tmp_reference / domain)
        io.write_json(tmp_data / INFO, info)
    return info


def domain_dir(root: str | os.PathLike, domain: str) -> Path:
    """The directory of ``domain`` ("a" or "b") inside a joined pair directory."""
    if domain not in DOMAINS:
        raise ValueError(f"domain is {domain!r}; allowed: {', '.join(DOMAINS)}")
    return Path(root) / domain
