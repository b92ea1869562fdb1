"""Image classifiers: fit on the training set, predict the test set, score the predictions."""
