"""pyramid_svm: Gaussian-pyramid features (every level flattened and stacked), standardised, + a linear SVM.

The write-up's pre-deep-learning baseline. It featurised one image at a time and warned
that this was slow; here each pyramid is built for a whole chunk of images at once, by
handing the chunk to scikit-image as the channels of one image, which filters and resizes
every channel independently and so gives the same features as one image at a time. The
chunks are featurised in parallel, one process per core.

The features are standardised (mean 0, variance 1, fitted on the training set only) before
the SVM: the raw levels differ in scale, and liblinear's dual solver stopped unconverged on
them after 1,000 iterations. With more images than features the SVM is solved in the
primal, which only the squared hinge loss allows (the write-up used the hinge), by
``PrimalLinearSVC``: liblinear's objective, on every core.
"""

from __future__ import annotations

import os

import numpy as np

from genzoo.families.classifier.schema import Hooks
from genzoo.schema import integer, number

FAMILY = "classifier"
CURVES = ("train/accuracy",)
REFERENCE_ACCURACY = 0.84  # the write-up's validation accuracy
HOOKS = Hooks()
PARAMS = {
    "C": number(0.0),
    "max_iter": integer(1),                 # L-BFGS iterations
    "chunk": integer(1),                    # images per vectorised pyramid
    "max_train": integer(1, nullable=True),
}


def _pyramid_chunk(images: np.ndarray) -> np.ndarray:
    """(n, H, W) images → (n, D) features; the images become the channels of one image."""
    from skimage.transform import pyramid_gaussian

    levels = pyramid_gaussian(np.moveaxis(images, 0, -1), channel_axis=-1)
    return np.concatenate([level.reshape(-1, level.shape[-1]).T for level in levels], axis=1).astype(np.float32)


def pyramid_features(images: np.ndarray, chunk: int = 2000, progress: bool = True,
                     n_jobs: int | None = None) -> np.ndarray:
    """(N, H, W, 1) images → (N, D) features: every pyramid level, flattened and stacked.

    For 28×28 the levels are 28², 14², 7², 4², 2² and 1², so D = 1050. Chunks run in
    ``n_jobs`` processes (None: one per core); the features do not depend on either.
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm

    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"pyramid features need (N, H, W, 1) grayscale images, got shape {images.shape}")
    chunks = [images[start : start + chunk, ..., 0] for start in range(0, len(images), chunk)]
    n_jobs = min(len(chunks), n_jobs or os.cpu_count() or 1)
    if n_jobs == 1:
        parts = map(_pyramid_chunk, chunks)
    else:
        # Processes, not threads: scikit-image's filters hold the GIL for part of the work.
        parts = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_pyramid_chunk)(c) for c in chunks)
    bar = tqdm(parts, total=len(chunks), desc="pyramid features", unit="chunk",
               disable=not progress or len(chunks) < 2)
    return np.concatenate(list(bar))


def build(image_shape: tuple[int, ...], n_classes: int, params: dict, seed: int):
    """The featuriser, a standardiser and the linear SVM (squared hinge, C) as one scikit-learn ``Pipeline``."""
    # scikit-learn is imported here, not at the top: validating params imports this module.
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from genzoo.families.classifier.primal_svm import PrimalLinearSVC

    features = FunctionTransformer(pyramid_features, kw_args={"chunk": params["chunk"]})
    svm = PrimalLinearSVC(C=params["C"], max_iter=params["max_iter"])  # convex: no seed to set
    return Pipeline([("pyramid", features), ("standardise", StandardScaler()), ("svm", svm)])
