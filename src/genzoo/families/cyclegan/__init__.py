"""CycleGAN (Zhu et al. 2017): unpaired image-to-image translation between two domains."""
