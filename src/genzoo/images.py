"""Sample grids, PNG output and the one resize of training images."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

from genzoo.io import atomic_file


def grid(images: np.ndarray, ncols: int | None = None, pad: int = 2) -> np.ndarray:
    """Tile (N, H, W, C) images in [0, 1] into one uint8 (rows·H, cols·W, C) picture.

    Args:
        images: the images; values outside [0, 1] are clipped.
        ncols: images per row; a square-ish grid by default.
        pad: pixels of white between tiles, so neighbouring digits do not merge.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"images must be a non-empty (N, H, W, C) array, got shape {images.shape}")
    n, h, w, c = images.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    canvas = np.ones((nrows * (h + pad) + pad, ncols * (w + pad) + pad, c), dtype=np.float32)
    for i, image in enumerate(np.clip(images, 0.0, 1.0)):
        r, q = divmod(i, ncols)
        top, left = pad + r * (h + pad), pad + q * (w + pad)
        canvas[top : top + h, left : left + w] = image
    return (canvas * 255.0 + 0.5).astype(np.uint8)


def resized(x: np.ndarray, size: int | None) -> np.ndarray:
    """``x`` at ``size``×``size`` (unchanged when None or already that size).

    Bicubic, as the WGAN write-up resizes; it overshoots a little, hence the clip. The one
    resize of a model's training images, so a floor at the model's size (``genzoo.scoring``)
    sends the test images through exactly what the model saw.
    """
    if size is None or tuple(x.shape[1:3]) == (size, size):
        return x
    import tensorflow as tf

    parts = [tf.image.resize(x[i : i + 1000], (size, size), method="bicubic").numpy() for i in range(0, len(x), 1000)]
    return np.clip(np.concatenate(parts), 0.0, 1.0).astype(np.float32)


def to_pil(picture: np.ndarray) -> Image.Image:
    return Image.fromarray(picture[..., 0] if picture.shape[-1] == 1 else picture)


def save_png(path: str | Path, picture: np.ndarray, scale: int = 1) -> None:
    """Write a uint8 picture as PNG atomically, optionally enlarged for legibility."""
    image = to_pil(picture)
    if scale > 1:
        image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    with atomic_file(path, "wb") as handle:
        image.save(handle, format="PNG")
