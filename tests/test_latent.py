"""The latent-space helpers: reconstruction pairs, 2-D projection, scatter rows, cluster purity."""

import numpy as np
import pytest

from genzoo.latent import cluster_purity, project_2d, reconstruction_pairs, scatter_rows


def test_reconstruction_pairs_interleave_rows():
    inputs = np.ones((20, 4, 4, 1), "float32")
    outputs = np.zeros((20, 4, 4, 1), "float32")
    picture = reconstruction_pairs(inputs, outputs, ncols=10)
    assert picture.shape == (4 * 6 + 2, 10 * 6 + 2, 1)  # 4 rows: in, out, in, out
    assert picture[2, 2, 0] == 255 and picture[8, 2, 0] == 0


def test_projection_keeps_2d_codes_and_reduces_larger_ones():
    codes = np.random.default_rng(0).normal(size=(50, 2))
    np.testing.assert_array_equal(project_2d(codes, "tsne", seed=0), codes)
    assert project_2d(np.random.default_rng(0).normal(size=(50, 6)), "pca", seed=0).shape == (50, 2)
    with pytest.raises(ValueError, match="pca, tsne"):
        project_2d(np.zeros((5, 3)), "umap", seed=0)


def test_scatter_rows_carry_the_label_as_text():
    rows = scatter_rows(np.array([[1.23456, -2.0]]), np.array([7]))
    assert rows == [{"x": 1.2346, "y": -2.0, "label": "7"}]


def test_cluster_purity_matches_hand_computation():
    # cluster 0 holds labels 1, 1, 2 (2 right); cluster 1 holds 3, 3 (2 right): 4 of 5.
    assert cluster_purity(np.array([0, 0, 0, 1, 1]), np.array([1, 1, 2, 3, 3])) == pytest.approx(0.8)


def test_scatter_png_is_written(tmp_path):
    from PIL import Image

    from genzoo.latent import save_scatter

    save_scatter(tmp_path / "s.png", np.random.default_rng(0).normal(size=(30, 2)), np.arange(30) % 10, "t")
    assert Image.open(tmp_path / "s.png").size == (500, 500)
