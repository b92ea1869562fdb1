"""Sample-quality metrics on feature vectors and classifier probabilities (numpy/scipy only)."""

from .classes import class_coverage, classifier_score, classifier_score_splits
from .frechet import frechet_distance, gaussian_stats
from .kid import kernel_inception_distance, polynomial_mmd2_unbiased
from .prdc import precision_recall_density_coverage

__all__ = [
    "class_coverage",
    "classifier_score",
    "classifier_score_splits",
    "frechet_distance",
    "gaussian_stats",
    "kernel_inception_distance",
    "polynomial_mmd2_unbiased",
    "precision_recall_density_coverage",
]
