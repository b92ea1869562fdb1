"""genzoo: a reproducible zoo of classic generative models and image classifiers."""

__version__ = "0.1.0"
