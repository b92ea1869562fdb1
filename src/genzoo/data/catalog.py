"""Where each dataset comes from and what its files must hash to."""

from __future__ import annotations

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

# Tried in order. Keras' mirror serves HTTPS; the project's own S3 *website* endpoint only
# serves plain HTTP, which is acceptable because every payload is checked by SHA-256 below.
FASHION_MNIST_MIRRORS = (
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)

# SHA-256 of the *decompressed* IDX payloads: re-packagers (Debian, mirrors) recompress
# the .gz files, so hashes of the archives differ while the payloads do not.
FASHION_MNIST_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

# Installed by Debian's dataset-fashion-mnist package.
SYSTEM_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
DIGIT_CLASSES = tuple(str(d) for d in range(10))
OLIVETTI_CLASSES = tuple(f"person {i}" for i in range(40))

# Skimage's lfw_subset holds 100 faces followed by 100 non-faces.
LFW_FACES = 100

# UCI "Optical Recognition of Handwritten Digits" as scikit-learn ships it (load_digits):
# each pixel counts the set bits in a 4x4 block of a 32x32 binary scan, so it lies in 0..16.
UCI_DIGITS_MAX = 16
# Upsampled to MNIST's side so the two digit domains can be used interchangeably, and in
# MNIST's layout: digits size-normalised to a 20×20 box, centred in 28×28 (LeCun et al. 1998).
UCI_DIGITS_SIDE = 28
MNIST_BOX = 20
