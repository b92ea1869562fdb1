"""The CapsNet: the margin loss by hand, masking, the paper network's size, a tiny network that learns."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.capsnet.layers import PrimaryCaps  # noqa: E402
from genzoo.families.capsnet.network import build_capsnet, margin_loss, mask, reconstruction_loss  # noqa: E402

from ._tiny import tiny_batch, tiny_model  # noqa: E402


@pytest.fixture
def batch():
    return tiny_batch()


def test_margin_loss_matches_hand_computation():
    lengths = np.array([[0.95, 0.5, 0.05], [0.2, 0.8, 0.3]], "float32")
    labels = np.array([0, 2])
    # example 0: present 0.95 ≥ 0.9 → 0; absent 0.5 → .5(.4)² = .08; absent 0.05 ≤ 0.1 → 0
    # example 1: absent 0.2 → .5(.1)² = .005; absent 0.8 → .5(.7)² = .245; present 0.3 → (.6)² = .36
    expected = (0.08 + (0.005 + 0.245 + 0.36)) / 2
    assert float(margin_loss(labels, lengths)) == pytest.approx(expected, rel=1e-5)


def test_reconstruction_loss_is_the_mean_sum_of_squared_errors():
    images = np.zeros((2, 2, 2, 1), "float32")
    recon = np.full((2, 2, 2, 1), 0.5, "float32")
    recon[1] = 1.0
    # image 0: 4 × 0.25 = 1; image 1: 4 × 1 = 4; mean 2.5.
    assert float(reconstruction_loss(images, recon)) == pytest.approx(2.5)


def test_paper_network_shapes_and_size():
    model = build_capsnet((28, 28, 1))
    primary = PrimaryCaps()
    assert primary.compute_output_shape((None, 20, 20, 256)) == (None, 1152, 8)
    assert tuple(model.encoder.get_layer("digit_caps").W.shape) == (1152, 10, 16, 8)
    # conv1 20,992 + primary 5,308,672 + W 1,474,560 + decoder 1,411,344: the paper's ≈ 8.2M.
    assert model.count_params() == 8_215_568
    out = model(np.zeros((2, 28, 28, 1), "float32"))
    assert tuple(out["capsules"].shape) == (2, 10, 16)
    assert tuple(out["lengths"].shape) == (2, 10)
    recon = keras.ops.convert_to_numpy(out["reconstructions"])
    assert recon.shape == (2, 28, 28, 1) and recon.min() >= 0.0 and recon.max() <= 1.0
    lengths = keras.ops.convert_to_numpy(out["lengths"])
    assert (lengths >= 0).all() and (lengths < 1).all()


def test_mask_keeps_only_the_chosen_capsule():
    capsules = np.arange(2 * 3 * 2, dtype="float32").reshape(2, 3, 2) + 1
    masked = keras.ops.convert_to_numpy(mask(capsules, np.array([2, 0])))
    np.testing.assert_array_equal(masked, [[0, 0, 0, 0, 5, 6], [7, 8, 0, 0, 0, 0]])


def test_one_fit_step_is_finite(batch):
    history = tiny_model().fit(*batch, batch_size=16, epochs=1, verbose=0)
    for name in ("loss", "margin_loss", "reconstruction_loss", "accuracy"):
        assert np.isfinite(history.history[name][-1]), name


def test_loss_falls_on_a_fixed_batch(batch):
    history = tiny_model().fit(*batch, batch_size=16, epochs=25, verbose=0, shuffle=False)
    losses = history.history["margin_loss"]
    assert losses[-1] < 0.5 * losses[0]
