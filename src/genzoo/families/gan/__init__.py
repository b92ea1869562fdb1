"""The adversarial family: the GAN game, its training, sampling and scoring."""
