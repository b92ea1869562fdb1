"""The second write-up's 28×28 CelebA networks: their sizes, filters, batch norms and init."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.gan.celeba28 import SIZE, discriminator28, generator28  # noqa: E402


def _layers(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def test_generator_grows_a_2_by_2_seed_to_28_by_28_in_minus_one_to_one():
    keras.utils.set_random_seed(0)
    g = generator28(latent_dim=100, channels=3)
    assert g.output_shape == (None, SIZE, SIZE, 3) and SIZE == 28
    assert [layer.units for layer in _layers(g, keras.layers.Dense)] == [2 * 2 * 512]
    convs = _layers(g, keras.layers.Conv2DTranspose)
    assert [layer.filters for layer in convs] == [256, 128, 3]
    assert [layer.output.shape[1] for layer in convs] == [7, 14, 28]
    assert all(layer.kernel_size == (5, 5) and layer.strides == (2, 2) for layer in convs)
    assert len(_layers(g, keras.layers.BatchNormalization)) == 3  # the seed's and each hidden conv's
    out = np.asarray(g(keras.random.uniform((4, 100), -1, 1, seed=1)))
    assert out.shape == (4, 28, 28, 3) and out.min() >= -1.0 and out.max() <= 1.0


def test_discriminator_gives_one_score_per_image():
    d = discriminator28(channels=3)
    assert d.input_shape == (None, 28, 28, 3) and d.output_shape == (None, 1)
    convs = _layers(d, keras.layers.Conv2D)
    assert [layer.filters for layer in convs] == [64, 128, 256]
    assert [layer.output.shape[1] for layer in convs] == [14, 7, 4]  # the 4·4·256 the write-up flattens
    assert all(layer.kernel_size == (5, 5) and layer.strides == (2, 2) for layer in convs)
    assert len(_layers(d, keras.layers.BatchNormalization)) == 2  # none on the first conv
    scores = np.asarray(d(np.zeros((5, 28, 28, 3), "float32")))
    assert scores.shape == (5, 1) and np.isfinite(scores).all()


def test_both_keep_the_write_ups_glorot_init_and_leaky_slope():
    for model in (generator28(8, 1), discriminator28(1)):
        kernels = _layers(model, (keras.layers.Dense, keras.layers.Conv2D, keras.layers.Conv2DTranspose))
        assert len(kernels) == 4
        assert all(isinstance(layer.kernel_initializer, keras.initializers.GlorotUniform) for layer in kernels)
        assert {layer.negative_slope for layer in _layers(model, keras.layers.LeakyReLU)} == {0.2}
