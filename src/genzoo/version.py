"""The genzoo version, recorded with every trained model so a model file from another version is recognised."""

__version__ = "0.2.0"
