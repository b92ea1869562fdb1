"""The shared pyramid networks: their shapes and widths at 64×64 and 32×32, the size checks, the optimizers, the init."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from genzoo.families.gan.nets import (  # noqa: E402
    SIZE,
    check_size,
    compile_adam,
    dcgan_init,
    discriminator64,
    generator64,
    pyramid_size,
)


def test_generator_grows_a_code_to_64_by_64():
    g = generator64(latent_dim=5, width=2, channels=3)
    assert g.output_shape == (None, SIZE, SIZE, 3)
    filters = [layer.filters for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert filters == [16, 8, 4, 2, 3]  # 8w, 4w, 2w, w, channels
    out = np.asarray(g(np.ones((2, 5), "float32")))
    assert out.min() >= -1.0 and out.max() <= 1.0


@pytest.mark.parametrize("batch_norm", [True, False])
def test_discriminator_mirrors_it_to_one_score(batch_norm):
    d = discriminator64(width=2, channels=1, batch_norm=batch_norm, name="critic")
    assert d.name == "critic" and d.output_shape == (None, 1)
    filters = [layer.filters for layer in d.layers if isinstance(layer, keras.layers.Conv2D)]
    assert filters == [2, 4, 8, 16, 1]
    norms = sum(isinstance(layer, keras.layers.BatchNormalization) for layer in d.layers)
    assert norms == (3 if batch_norm else 0)  # none on the first layer


def test_at_32_by_32_one_doubling_fewer_and_the_same_smallest_width():
    g = generator64(latent_dim=5, width=2, channels=1, size=32)
    assert g.output_shape == (None, 32, 32, 1)
    assert [layer.filters for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)] == [8, 4, 2, 1]
    d = discriminator64(width=2, channels=1, size=32)
    assert d.input_shape == (None, 32, 32, 1) and d.output_shape == (None, 1)
    assert [layer.filters for layer in d.layers if isinstance(layer, keras.layers.Conv2D)] == [2, 4, 8, 1]
    scores = np.asarray(d(np.asarray(g(np.zeros((3, 5), "float32")))))
    assert scores.shape == (3, 1) and np.isfinite(scores).all()


@pytest.mark.parametrize("size", [4, 28, 48])
def test_sizes_the_pyramid_cannot_reach_are_refused(size):
    with pytest.raises(ValueError, match=rf"^image size {size} is not a power of two from 8; use 32 or 64$"):
        generator64(latent_dim=5, width=2, size=size)


def test_pyramid_size_reads_square_power_of_two_images_and_names_the_fix():
    assert pyramid_size((32, 32, 1), "unused") == 32 and pyramid_size((64, 64, 3), "unused") == 64
    for shape in [(28, 28, 1), (32, 64, 1), (4, 4, 1)]:
        with pytest.raises(ValueError, match=r"power of two from 8, got .*; set models.wgan.image_size to 32 or 64$"):
            pyramid_size(shape, "set models.wgan.image_size to 32 or 64")


def test_check_size_names_the_size_and_the_fix():
    check_size((64, 64, 1), 64, "unused")
    with pytest.raises(ValueError, match=r"^this model needs 64×64 images, got \(28, 28, 1\); set image_size$"):
        check_size((28, 28, 1), 64, "set image_size")


def test_compile_adam_gives_each_player_its_own_rate():
    class Game(keras.Model):
        def compile(self, d_optimizer, g_optimizer):
            self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    model = compile_adam(Game(), 1e-4, 5e-4, 0.5, 0.9)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(5e-4)
    assert model.g_optimizer.beta_1 == 0.5 and model.g_optimizer.beta_2 == 0.9


def test_dcgan_init_draws_with_std_002():
    keras.utils.set_random_seed(0)
    values = np.asarray(dcgan_init()((200, 200)))
    assert abs(values.mean()) < 1e-3 and values.std() == pytest.approx(0.02, rel=0.05)
