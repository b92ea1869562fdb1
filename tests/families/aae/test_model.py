"""The AAE's losses against hand values, and its discriminator phase learning alone."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.aae.model import (  # noqa: E402
    decode_codes,
    decoder_input,
    discriminator_loss,
    encode_codes,
    pixel_bce,
    regularization_loss,
)
from genzoo.models import aae  # noqa: E402

from models._autoencoder_cases import AAE_PARAMS as PARAMS  # noqa: E402
from models._autoencoder_cases import SHAPE, labelled_bars  # noqa: E402


@pytest.fixture
def data():
    return labelled_bars()


def test_losses_match_hand_computation():
    zero = np.zeros((4, 1), "float32")
    assert float(discriminator_loss(zero, zero)) == pytest.approx(2 * np.log(2), rel=1e-6)
    assert float(regularization_loss(zero)) == pytest.approx(np.log(2), rel=1e-6)
    x = np.array([[1.0, 0.0, 0.5]], "float32")
    logits = np.array([[0.0, 2.0, -1.0]], "float32")
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = -(x * np.log(p) + (1 - x) * np.log(1 - p)).mean()
    assert float(pixel_bce(x, logits)) == pytest.approx(expected, rel=1e-5)


def test_discriminator_loss_falls_against_a_frozen_encoder(data):
    x, _ = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS | {"supervised": False, "disc_hidden": 128}, seed=0)
    encoder_before = [w.copy() for w in model.encoder.get_weights()]
    losses = [float(model.discriminator_step(x)) for _ in range(60)]
    assert losses[-1] < 0.5 * losses[0]
    for a, b in zip(encoder_before, model.encoder.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_supervised_decoder_input_is_the_one_hot_label_then_the_code():
    z = np.array([[0.5, -1.0]], "float32")
    np.testing.assert_array_equal(np.asarray(decoder_input(z, np.array([3]), False)), z)
    expected = np.concatenate([np.eye(10)[[3]], z], axis=1)
    np.testing.assert_array_equal(np.asarray(decoder_input(z, np.array([3]), True)), expected)


def test_batched_encode_and_decode_equal_one_call(data):
    x, y = data
    keras.utils.set_random_seed(0)
    model = aae.build(SHAPE, None, PARAMS | {"supervised": True}, seed=0)
    codes = encode_codes(model.encoder, x, batch_size=7)
    np.testing.assert_allclose(codes, np.asarray(model.encoder(x, training=False)), atol=1e-5)
    images = decode_codes(model.decoder, codes, y, True, batch_size=7)
    np.testing.assert_allclose(images, np.asarray(model((x, y))), atol=1e-5)
    assert images.dtype == np.float32
