"""Sampling figures of the adversarial models, against hand-computed values."""

import numpy as np
import pytest

pytest.importorskip("keras")

from genzoo.families.gan.figures import decode, interpolation_codes, memorisation, memorisation_panel, nearest  # noqa: E402


def _constant(values, shape=(2, 2, 1)):
    return np.stack([np.full(shape, v, "float32") for v in values])


def test_nearest_finds_the_closest_reference_and_its_distance():
    refs = _constant([0.0, 0.5, 1.0])
    index, distance = nearest(_constant([0.1, 0.9]), refs)
    assert index.tolist() == [0, 2]
    # 4 pixels each 0.1 away: sqrt(4 · 0.01) = 0.2.
    np.testing.assert_allclose(distance, [0.2, 0.2], atol=1e-6)  # float32 pixels


def test_memorisation_ratio_is_median_generated_over_median_test():
    train = _constant([0.0, 1.0])
    generated = _constant([0.0, 0.05, 1.0])  # copies: distances 0, 0.1, 0 → median 0
    test = _constant([0.25, 0.75])  # distances 0.5, 0.5 → median 0.5
    result = memorisation(generated, train, test)
    assert result == {"generated_to_train_median": 0.0, "test_to_train_median": 0.5, "ratio": 0.0}
    assert memorisation(test, train, test)["ratio"] == 1.0


def test_memorisation_panel_puts_neighbours_under_the_samples():
    train = _constant([0.0, 1.0])
    panel = memorisation_panel(_constant([0.9, 0.2, 0.6]), train, n=3)
    np.testing.assert_allclose(panel[:, 0, 0, 0], [0.9, 0.2, 0.6, 1.0, 0.0, 1.0])


def test_interpolation_rows_are_straight_lines():
    codes = interpolation_codes(2, 5, latent_dim=3, latent="uniform", seed=0).reshape(2, 5, 3)
    np.testing.assert_allclose(codes[:, 2], (codes[:, 0] + codes[:, 4]) / 2, atol=1e-6)
    assert np.abs(codes).max() <= 1.0


def test_nearest_in_batches_equals_one_batch():
    rng = np.random.default_rng(3)
    queries, refs = rng.random((7, 3, 3, 1)), rng.random((5, 3, 3, 1))
    one = nearest(queries, refs)
    batched = nearest(queries, refs, batch_size=2)
    np.testing.assert_array_equal(one[0], batched[0])
    np.testing.assert_allclose(one[1], batched[1])


def test_decode_maps_a_tanh_generator_back_to_the_unit_range():
    import keras

    z = keras.Input((2,))
    generator = keras.Model(z, keras.layers.Reshape((1, 1, 2))(keras.layers.Activation("tanh")(z)))
    codes = np.array([[-1e6, 0.0], [1e6, 0.5]], "float32")
    images = decode(generator, codes, "tanh", batch_size=1)
    np.testing.assert_allclose(images[:, 0, 0], [[0.0, 0.5], [1.0, (np.tanh(0.5) + 1) / 2]], atol=1e-6)
    assert images.dtype == np.float32
