"""The CycleGAN game's parts against hand-computed values: losses, history buffer, schedule."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.cyclegan.model import (  # noqa: E402
    HistoryBuffer,
    LinearDecay,
    cycle_loss,
    lsgan_discriminator_loss,
    lsgan_generator_loss,
)


def test_lsgan_losses_on_hand_values():
    real = np.array([[1.0], [0.5]], "float32")   # (1-1)², (0.5-1)² = 0, 0.25: mean 0.125
    fake = np.array([[0.0], [1.0]], "float32")   # 0², 1² = 0, 1: mean 0.5
    assert float(lsgan_discriminator_loss(real, fake)) == pytest.approx(0.5 * (0.125 + 0.5))
    assert float(lsgan_generator_loss(fake)) == pytest.approx(0.5)  # (0-1)², (1-1)²
    assert float(lsgan_discriminator_loss(np.ones((3, 4, 4, 1)), np.zeros((3, 4, 4, 1)))) == 0.0


def test_the_cycle_loss_is_zero_for_identity_generators_and_l1_otherwise():
    x = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    identity = keras.Sequential([keras.layers.Identity()])
    assert float(cycle_loss(x, identity(identity(x)))) == 0.0
    assert float(cycle_loss(np.zeros((1, 2, 2, 1)), np.array([1.0, -3.0, 0.0, 0.0]).reshape(1, 2, 2, 1))) == 1.0


def _images(values):
    return np.array(values, "float32").reshape(-1, 1, 1, 1)


def _shown(out):
    return [float(v) for v in np.asarray(out).ravel()]


def test_the_history_buffer_passes_new_images_while_it_fills():
    buffer = HistoryBuffer(3, (1, 1, 1))
    out = buffer.query(_images([1, 2]), np.zeros(2, "float32"), np.zeros(2, "int32"))
    assert _shown(out) == [1, 2]  # coins of 0 would swap, but the buffer is not full
    assert int(buffer.count.value) == 2
    assert _shown(buffer.images.value)[:2] == [1, 2]


def test_the_history_buffer_swaps_as_specified_once_full():
    buffer = HistoryBuffer(3, (1, 1, 1))
    buffer.query(_images([1, 2, 3]), np.ones(3, "float32"), np.zeros(3, "int32"))
    # Image 4: coin 0.2 < ½ swaps slot 1 (holding 2); image 5: coin 0.9 passes it on;
    # image 6: coin 0.1 swaps slot 1 again, which now holds 4, one image of the same batch.
    out = buffer.query(_images([4, 5, 6]), np.array([0.2, 0.9, 0.1], "float32"), np.array([1, 0, 1], "int32"))
    assert _shown(out) == [2, 5, 4]
    assert _shown(buffer.images.value) == [1, 6, 3]
    assert int(buffer.count.value) == 3


def test_the_history_buffer_is_bounded_and_seeded():
    def run(seed):
        buffer = HistoryBuffer(50, (2, 2, 1), seed=seed)
        outs = [buffer(np.full((16, 2, 2, 1), step, "float32")) for step in range(10)]
        return buffer, np.concatenate([np.asarray(o)[:, 0, 0, 0] for o in outs])

    buffer, shown = run(0)
    assert buffer.images.shape == (50, 2, 2, 1) and int(buffer.count.value) == 50
    assert shown.shape == (160,)
    # The first 50 images pass through; afterwards about half of them are older ones.
    assert (shown[:50] == np.repeat(np.arange(4), 16)[:50]).all()
    older = shown[50:] < np.repeat(np.arange(10), 16)[50:]
    assert 0.3 < older.mean() < 0.7
    np.testing.assert_array_equal(shown, run(0)[1])
    assert not np.array_equal(shown, run(1)[1])


def test_a_zero_size_buffer_passes_everything():
    buffer = HistoryBuffer(0, (1, 1, 1))
    assert _shown(buffer(_images([7, 8]))) == [7, 8]


def test_the_learning_rate_is_constant_then_decays_linearly_towards_zero():
    decay = LinearDecay(2e-4, 6, optimizers=[])
    rates = [decay.rate(epoch) for epoch in range(6)]
    assert rates[:3] == [2e-4] * 3
    assert rates[3:] == pytest.approx([2e-4 * 3 / 4, 2e-4 * 2 / 4, 2e-4 * 1 / 4])
    optimizer = keras.optimizers.Adam(2e-4)
    LinearDecay(2e-4, 6, [optimizer]).on_epoch_begin(4)
    assert float(optimizer.learning_rate) == pytest.approx(1e-4)
