"""The adversarial autoencoder family (Makhzani et al. 2016), supervised and unsupervised."""
