"""File names inside the stage outputs.

dvc.yaml names each output directory; this module names the files inside them that one
stage writes and another stage (or a test) reads, so each name is written once.
"""

INFO = "info.json"              # every output directory: what made it, counts, timings

# data/prepared/<dataset>/
TRAIN = "train.npz"             # x (N, H, W, C) float32 in [0, 1], y (N,) int
TEST = "test.npz"

# models/<model>/: the trained networks, by role (a family writes those it has)
GENERATOR = "generator.keras"
DISCRIMINATOR = "discriminator.keras"  # a WGAN's critic too
ENCODER = "encoder.keras"
DECODER = "decoder.keras"
KERAS_MODEL = "model.keras"     # a Keras classifier
ESTIMATOR = "model.npz"         # a linear classifier's learned arrays (coef, intercept, classes): no pickle
SOM_WEIGHTS = "weights.npz"     # the map's unit weights and the training images it saw

# models/reference/<dataset>/
EVALUATOR = "evaluator.keras"   # the network whose features define the metric space
REFERENCE = "reference.npz"     # features of the reference (training) images
FLOOR = "floor.json"            # the real-vs-real metrics: test images scored like samples

# samples/<model>/: the evaluate stage's two outputs, as dvc.yaml declares them; the report
# finds every model's figures and plot data by these names.
SAMPLE_DATA = "data"
SAMPLE_FIGURES = "figures"

# samples/<model>/data/
SAMPLES = "samples.npz"         # generated images in [0, 1] (and, for the AAE, their labels)
PREDICTIONS = "predictions.npz" # a classifier's test-set predictions
CONFUSION = "confusion.json"    # {actual, predicted} rows, DVC's confusion template
SCATTER = "scatter.json"        # {x, y, label} rows of a 2-D map of codes
MEMORISATION = "memorisation.json"

# report/plots/<kind>/<model>.json: the data-series plots dvc.yaml declares by directory
PLOT_KINDS = {CONFUSION: "confusion", SCATTER: "scatter"}
