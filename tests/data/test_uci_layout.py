"""The UCI digits in MNIST's layout: each digit in a centred 20×20 box of the 28×28 frame."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from genzoo.data import fetch  # noqa: E402
from genzoo.data.loaders import _upsample  # noqa: E402


def test_a_full_frame_block_fills_exactly_the_centred_box():
    x = np.full((1, 8, 8), 255, np.uint8)
    out = _upsample(x, 28)
    assert out.shape == (1, 28, 28, 1) and out.dtype == np.uint8
    box = np.zeros((28, 28), bool)
    box[4:24, 4:24] = True
    assert (out[0, ..., 0][box] == 255).all() and (out[0, ..., 0][~box] == 0).all()


def test_the_packaged_digits_keep_black_margins_like_mnist():
    arrays, _ = fetch("uci_digits", source="packaged")
    x = arrays["x_train"][..., 0]
    margin = np.ones((28, 28), bool)
    margin[4:24, 4:24] = False
    assert x[:, margin].max() == 0
    # Ink reaches the box's edges: the digits are scaled to the box, not shrunk inside it.
    assert x[:, 4:24, 4].max() > 0 and x[:, 4, 4:24].max() > 0
