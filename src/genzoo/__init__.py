"""genzoo: a reproducible zoo of classic generative models and image classifiers.

``genzoo.load(name)`` gives a trained model of the zoo (see ``genzoo.zoo``).
"""

from genzoo.version import __version__


def load(name: str, *, repo=None, rev: str | None = None):
    """A trained model by its ``models:`` name, from the workspace or from ``repo`` at ``rev``.

    See ``genzoo.zoo.load``; imported on first use, so ``import genzoo`` stays light.
    """
    from genzoo.zoo import load as load_model

    return load_model(name, repo=repo, rev=rev)


__all__ = ["__version__", "load"]
