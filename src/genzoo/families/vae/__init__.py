"""The variational autoencoder family (Kingma & Welling 2014)."""
