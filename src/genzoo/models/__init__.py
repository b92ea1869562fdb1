"""The model registry: one module per model, chosen by the ``module`` of a ``models:`` entry.

Every module has the same interface:

- ``FAMILY``: the package under ``genzoo.families`` that trains, samples and scores it;
- ``CURVES``: the series its training logs to dvclive (``logs/<model>/plots/metrics/<curve>.tsv``),
  drawn as one chart per model by dvc.yaml's generated ``plots:``;
- ``PARAMS``: the schema of its params entry, less ``module``, ``family`` and ``dataset``;
- ``build(image_shape, n_classes, params, seed)``: what the family trains (a compiled Keras
  model for most; ``n_classes`` is None where the model has no use for it).

Model modules import Keras and scikit-learn inside ``build`` only, so importing this
registry (as params validation does) stays free of them.
"""

from __future__ import annotations

from types import ModuleType

from genzoo.models import (
    aae,
    capsnet,
    cnn_best,
    cyclegan,
    dcgan,
    dcgan_faces,
    dcgan_upsample,
    gan_mlp,
    lenet5,
    mlp,
    mobilenet_v2,
    pyramid_svm,
    som,
    vae,
    wgan,
    wgan_gp,
)

REGISTRY: dict[str, ModuleType] = {
    "capsnet": capsnet,
    "gan_mlp": gan_mlp,
    "dcgan": dcgan,
    "dcgan_upsample": dcgan_upsample,
    "dcgan_faces": dcgan_faces,
    "wgan": wgan,
    "wgan_gp": wgan_gp,
    "som": som,
    "vae": vae,
    "aae": aae,
    "pyramid_svm": pyramid_svm,
    "mlp": mlp,
    "lenet5": lenet5,
    "mobilenet_v2": mobilenet_v2,
    "cnn_best": cnn_best,
    "cyclegan": cyclegan,
}


def get(name: str) -> ModuleType:
    """The module registered as ``name``; an unknown name lists the valid ones."""
    if name not in REGISTRY:
        raise ValueError(f"unknown model module {name!r}; valid modules: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]
