"""Scoring in a learned feature space: the evaluator network, the real-data reference, samples.

- ``evaluator``: the per-dataset CNN whose features and softmax define the metric space.
- ``reference``: the reference stage: trains the evaluator, embeds the reference images
  and scores the real-vs-real floor.
- ``samples``: scores a model's samples against that reference, each metric with its floor.

The metric formulas themselves live in ``genzoo.metrics``.
"""
