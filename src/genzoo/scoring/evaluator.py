"""The evaluator network: a small CNN per dataset whose features define the metric space.

InceptionV3 weights cannot be fetched offline, and ImageNet features say little about
28×28 digits anyway, so, as TF-GAN does for MNIST, each dataset gets its own classifier
trained inside the pipeline. Its penultimate layer gives the features (Fréchet distance,
KID, precision/recall, density/coverage) and its softmax the class probabilities
(classifier score, class coverage).

The features are the penultimate ReLU units projected onto the sphere of radius √d
(``on_sphere``). Raw, their length carries how strongly an image excites the network, and
degenerate inputs (noise, a grey or blank square, the mean image) excite it weakly: their
short vectors fell inside the wide k-NN balls of a few atypical real images near the
origin, and scored precision 1.0, above the real-vs-real floor. On the sphere only which
units fire, and in what proportion, counts, and the validation ladder
(``genzoo.scoring.ladder``) holds on every metric for MNIST and Fashion-MNIST. The radius
√d makes x·y/d the cosine, the scale KID's cubic kernel (x·y/d + 1)³ is built for.

Unlabelled datasets (the LFW faces, image folders) have no classes to learn, so their
evaluator learns to predict which of four rotations was applied to an image (Gidaris et
al. 2018). Recognising "upright" needs the parts of a face and where they sit, which are
the features a face generator must get right. Its softmax is over rotations, not
identities, so the class-based metrics are not reported for those datasets.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

FEATURES = "features"


def build_evaluator(image_shape: tuple[int, ...], n_classes: int) -> keras.Model:
    """conv 32 5×5 → pool → conv 64 5×5 → pool → dense 128 (features) → dropout → logits."""
    x = keras.Input(image_shape, name="image")
    h = layers.Conv2D(32, 5, padding="same", activation="relu")(x)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(64, 5, padding="same", activation="relu")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Dense(128, activation="relu", name=FEATURES)(layers.Flatten()(h))
    logits = layers.Dense(n_classes, name="logits")(layers.Dropout(0.5)(h))
    return keras.Model(x, logits, name="evaluator")


def rotation_task(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each image at 0°, 90°, 180° and 270°, labelled 0..3 (square images only)."""
    if images.shape[1] != images.shape[2]:
        raise ValueError(f"rotation labels need square images, got {images.shape[1]}×{images.shape[2]}")
    rotated = [np.rot90(images, k, axes=(1, 2)) for k in range(4)]
    labels = np.repeat(np.arange(4), len(images))
    return np.concatenate(rotated), labels


def training_task(x: np.ndarray, y: np.ndarray, has_labels: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """The (images, targets, n_classes) the evaluator learns for a dataset."""
    if has_labels:
        return x, y, int(y.max()) + 1
    x, y = rotation_task(x)
    return x, y, 4


def train_evaluator(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    has_labels: bool,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    seed: int,
    speed: dict | None = None,
) -> tuple[keras.Model, dict]:
    """Train the evaluator; return it with its test accuracy on the same task."""
    from genzoo.training import fit

    x_fit, y_fit, n_classes = training_task(x_train, y_train, has_labels)
    x_val, y_val, _ = training_task(x_test, y_test, has_labels)
    model = build_evaluator(x_train.shape[1:], n_classes)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    timing = fit(model, x_fit, y_fit, epochs=epochs, batch_size=batch_size, seed=seed, speed=speed)
    _, accuracy = model.evaluate(x_val, y_val, batch_size=512, verbose=0)
    return model, {
        "task": "classes" if has_labels else "rotation",
        "n_classes": n_classes,
        "test_accuracy": round(float(accuracy), 4),
        "train_seconds": timing["train_seconds"],
        "n_train": int(len(x_fit)),
    }


def on_sphere(features: np.ndarray) -> np.ndarray:
    """Rows scaled to length √d; an all-zero row (no unit fires) stays at the origin."""
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    return features * (np.sqrt(features.shape[1]) / np.maximum(norms, 1e-12))


def embed(model: keras.Model, images: np.ndarray, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Features (on the sphere) and softmax probabilities of ``images`` (in [0, 1]).

    Images whose size differs from the evaluator's input are resized, so a 64×64 model can
    be scored in a 28×28 dataset's space.
    """
    import tensorflow as tf

    target = model.input_shape[1:3]
    if images.shape[-1] != model.input_shape[-1]:
        raise ValueError(
            f"images have {images.shape[-1]} channels but the evaluator expects {model.input_shape[-1]}"
        )
    both = keras.Model(model.input, [model.get_layer(FEATURES).output, model.output])
    features, probs = [], []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        if tuple(batch.shape[1:3]) != tuple(target):
            batch = tf.image.resize(batch, target, antialias=True).numpy()
        f, logits = both(batch, training=False)
        features.append(np.asarray(f))
        probs.append(np.asarray(keras.ops.softmax(logits)))
    features = on_sphere(np.concatenate(features).astype(np.float64))
    return features, np.concatenate(probs).astype(np.float64)
