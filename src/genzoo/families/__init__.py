"""Model families: the training, sampling and evaluation code that a family's models share."""
