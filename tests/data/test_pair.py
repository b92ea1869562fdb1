"""The pair stage's join: both domains' data and references under a/ and b/, or one clear error."""

import numpy as np
import pytest

from genzoo import io
from genzoo.data import DataSourceError
from genzoo.data.pair import DOMAINS, domain_dir, join


def prepared(root, name, shape, classes=tuple("0123456789")):
    x = np.zeros((4, *shape), "float32")
    for part in ("train", "test"):
        io.write_npz(root / f"{part}.npz", x=x, y=np.arange(4))
    io.write_json(root / "info.json", {
        "dataset": name, "source": "packaged", "image_shape": list(shape), "has_labels": bool(classes),
        "class_names": list(classes) if classes else None, "counts": {"train": 4, "test": 4},
    })
    return root


def reference(root, name):
    root.mkdir(parents=True)
    (root / "floor.json").write_text(f'{{"of": "{name}"}}')
    return root


def test_join_copies_both_domains_and_records_the_pair(tmp_path):
    data = {"a": prepared(tmp_path / "uci", "uci_digits", (28, 28, 1)), "b": prepared(tmp_path / "mnist", "mnist", (28, 28, 1))}
    refs = {"a": reference(tmp_path / "ref_uci", "uci_digits"), "b": reference(tmp_path / "ref_mnist", "mnist")}
    info = join("uci_to_mnist", data, refs, tmp_path / "out", tmp_path / "out_ref")
    assert info["pair"] == {"a": "uci_digits", "b": "mnist"}
    assert info["labelled"] and info["shared_classes"]
    for domain in DOMAINS:
        assert (domain_dir(tmp_path / "out", domain) / "train.npz").is_file()
        assert io.read_json(domain_dir(tmp_path / "out", domain) / "info.json")["dataset"] == info["pair"][domain]
        assert (domain_dir(tmp_path / "out_ref", domain) / "floor.json").read_text() == f'{{"of": "{info["pair"][domain]}"}}'
    assert io.read_json(tmp_path / "out" / "info.json") == info


def test_unlabelled_domains_share_no_classes(tmp_path):
    data = {"a": prepared(tmp_path / "h", "horses", (8, 8, 3), classes=()),
            "b": prepared(tmp_path / "z", "zebras", (8, 8, 3), classes=())}
    refs = {"a": reference(tmp_path / "rh", "horses"), "b": reference(tmp_path / "rz", "zebras")}
    info = join("horse2zebra", data, refs, tmp_path / "out", tmp_path / "out_ref")
    assert not info["labelled"] and not info["shared_classes"]


@pytest.mark.parametrize("shape_b, what", [((28, 28, 3), "channels"), ((32, 32, 1), "image sizes")])
def test_mismatched_domains_give_one_clear_error_and_write_nothing(tmp_path, shape_b, what):
    data = {"a": prepared(tmp_path / "a", "uci_digits", (28, 28, 1)), "b": prepared(tmp_path / "b", "other", shape_b)}
    refs = {"a": reference(tmp_path / "ra", "a"), "b": reference(tmp_path / "rb", "b")}
    with pytest.raises(DataSourceError, match=f"the two domains differ in {what}.*set the same channels and image_size"):
        join("p", data, refs, tmp_path / "out", tmp_path / "out_ref")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out_ref").exists()


def test_a_domain_name_other_than_a_or_b_is_refused(tmp_path):
    with pytest.raises(ValueError, match="domain is 'c'; allowed: a, b"):
        domain_dir(tmp_path, "c")


def test_a_folder_pair_in_the_authors_layout_is_built_from_png_files(tmp_path):
    """trainA/testA and trainB/testB of RGB PNGs: two folder datasets, prepared, then joined."""
    from PIL import Image

    from genzoo.data import download, prepare_dir

    rng = np.random.default_rng(0)
    for folder, n in (("trainA", 6), ("testA", 3), ("trainB", 5), ("testB", 2)):
        (tmp_path / "h2z" / folder).mkdir(parents=True)
        for i in range(n):
            pixels = rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / "h2z" / folder / f"{i}.png")
    data, refs = {}, {}
    for domain, name in (("a", "horses"), ("b", "zebras")):
        raw = tmp_path / "raw" / name
        download(name, raw, source="folder", path=str(tmp_path / "h2z" / f"train{domain.upper()}"), channels=3)
        data[domain] = tmp_path / "prepared" / name
        prepare_dir(raw, data[domain], seed=0, test_fraction=0.2, max_train=None, max_test=None, image_size=8)
        refs[domain] = reference(tmp_path / "reference" / name, name)
    info = join("horse2zebra", data, refs, tmp_path / "out", tmp_path / "out_ref")
    assert info["pair"] == {"a": "horses", "b": "zebras"}
    assert info["counts"] == {"a": {"train": 6, "test": 3}, "b": {"train": 5, "test": 2}}
    assert info["image_shape"] == [8, 8, 3] and not info["labelled"]
    with np.load(domain_dir(tmp_path / "out", "b") / "test.npz") as f:
        assert f["x"].shape == (2, 8, 8, 3) and (f["y"] == -1).all()
