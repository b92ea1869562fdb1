"""Code shared by the models of one family (GANs, autoencoders, classifiers...)."""
