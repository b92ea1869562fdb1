"""A tiny CapsNet, built by the family's own ``build_capsnet``, and a batch it can learn."""

from types import SimpleNamespace

import numpy as np

TINY_SHAPE = (12, 12, 1)
# 12×12 → conv 5×5 → 8×8×8 → primary 3×3 stride 2 → 3×3×4 capsules of 4-D → 10 digit capsules of 4-D.
# With 36 input capsules instead of 1152, the paper's W ~ N(0, 0.01) leaves the digit capsules
# ~1e-6 long, where squash's slope is ~0; a wider W puts the tiny net where the big one starts.
TINY = dict(conv_filters=8, conv_kernel=5, primary_maps=4, primary_dims=4, primary_kernel=3, digit_dims=4,
            decoder_hidden=(16, 32), w_stddev=0.5)


def tiny_model(routing_iterations=3, seed=0, classes=10):
    import keras

    from genzoo.families.capsnet.network import build_capsnet

    keras.utils.set_random_seed(seed)
    model = build_capsnet(TINY_SHAPE, classes=classes, routing_iterations=routing_iterations, **TINY)
    model.compile(optimizer=keras.optimizers.Adam(0.01))
    return model


def tiny_batch():
    """16 fixed 12×12 images, class k a bright bar at row k, so the classes are learnable."""
    labels = np.arange(16) % 10
    images = np.zeros((16, *TINY_SHAPE), "float32")
    for image, k in zip(images, labels):
        image[k + 1, 2:10] = 1.0
    return images, labels


# The capsnet model module's interface (FAMILY, build) with the tiny network: the paper's
# 8.2M-parameter network would make the pipeline tests train for minutes.
TINY_MODULE = SimpleNamespace(
    __name__="tiny_capsnet",
    FAMILY="capsnet",
    build=lambda image_shape, n_classes, params, seed: tiny_model(params["routing_iterations"], seed, n_classes),
)
