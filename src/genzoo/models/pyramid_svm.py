"""pyramid_svm: Gaussian-pyramid features (every level flattened and stacked) + a linear SVM.

The write-up's pre-deep-learning baseline. It featurised one image at a time and warned
that this was slow; here each pyramid is built for a whole chunk of images at once, by
handing the chunk to scikit-image as the channels of one image, which filters and resizes
every channel independently and so gives the same features as one image at a time.
"""

from __future__ import annotations

import numpy as np

from genzoo.families.classifier.schema import Hooks
from genzoo.schema import integer, number

FAMILY = "classifier"
CURVES = ("train/accuracy",)
REFERENCE_ACCURACY = 0.84  # the write-up's validation accuracy
HOOKS = Hooks()
PARAMS = {
    "C": number(0.0),
    "max_iter": integer(1),                 # liblinear iterations
    "chunk": integer(1),                    # images per vectorised pyramid
    "max_train": integer(1, nullable=True),
}


def pyramid_features(images: np.ndarray, chunk: int = 2000, progress: bool = True) -> np.ndarray:
    """(N, H, W, 1) images → (N, D) features: every pyramid level, flattened and stacked.

    For 28×28 the levels are 28², 14², 7², 4², 2² and 1², so D = 1050.
    """
    from skimage.transform import pyramid_gaussian
    from tqdm import tqdm

    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"pyramid features need (N, H, W, 1) grayscale images, got shape {images.shape}")
    parts = []
    starts = range(0, len(images), chunk)
    for start in tqdm(starts, desc="pyramid features", unit="chunk", disable=not progress or len(starts) < 2):
        # (H, W, n): the images of the chunk become the channels of one image.
        stack = np.moveaxis(images[start : start + chunk, ..., 0], 0, -1)
        levels = pyramid_gaussian(stack, channel_axis=-1)
        parts.append(np.concatenate([level.reshape(-1, level.shape[-1]).T for level in levels], axis=1))
    return np.concatenate(parts).astype(np.float32)


def build(image_shape: tuple[int, ...], n_classes: int, params: dict, seed: int):
    """The featuriser and LinearSVC(C, hinge loss) as one scikit-learn ``Pipeline``."""
    # scikit-learn is imported here, not at the top: validating params imports this module.
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    features = FunctionTransformer(pyramid_features, kw_args={"chunk": params["chunk"]})
    svm = LinearSVC(C=params["C"], loss="hinge", max_iter=params["max_iter"], random_state=seed)
    return Pipeline([("pyramid", features), ("svm", svm)])
