"""What every classifier module declares besides ``build``: shared params keys and its hooks.

TensorFlow-free, so validating params does not import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from genzoo.schema import integer, number

# The keys every Keras classifier's params section has; a model adds its own.
TRAINING_PARAMS = {
    "epochs": integer(1),
    "batch_size": integer(1),
    "learning_rate": number(0.0),
    "max_train": integer(1, nullable=True),  # the first N of the shuffled training set (null = all)
}


@dataclass(frozen=True)
class Hooks:
    """A classifier's optional steps, each a function of its params section (None: not used).

    Attributes:
        preprocess: returns a per-batch map from (N, 28, 28, 1) images in [0, 1] to the
            network's input, applied in training and in prediction.
        callbacks: returns extra Keras callbacks for ``fit`` (a learning-rate schedule).
        describe: returns what the metrics must say about the run (weights, resolution).
    """

    preprocess: Callable[[dict], Callable] | None = None
    callbacks: Callable[[dict], list] | None = None
    describe: Callable[[dict], dict] | None = None
