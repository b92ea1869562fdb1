"""Image array helpers shared by the sources and the preparation step (Pillow based)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


class ImageReadError(ValueError):
    """One image file could not be decoded; ``path`` names it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


def to_uint8(x: np.ndarray, scale: float) -> np.ndarray:
    """Map values in [0, scale] to uint8, rounding rather than truncating."""
    return np.clip(np.rint(np.asarray(x, dtype=np.float64) * (255.0 / scale)), 0, 255).astype(np.uint8)


def with_channels(x: np.ndarray, channels: int) -> np.ndarray:
    """Give (N,H,W) or (N,H,W,C) uint8 images exactly ``channels`` channels (1 or 3)."""
    if x.ndim == 3:
        x = x[..., None]
    if x.shape[-1] == channels:
        return x
    if x.shape[-1] == 1 and channels == 3:
        return np.repeat(x, 3, axis=-1)
    if x.shape[-1] == 3 and channels == 1:
        gray = np.stack([_pil(img).convert("L") for img in x])
        return np.asarray(gray, dtype=np.uint8)[..., None]
    raise ValueError(f"cannot convert {x.shape[-1]} channels to {channels}")


def resize(x: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize uint8 (N,H,W,C) images to ``size`` = (H, W) with Lanczos filtering."""
    if x.shape[1:3] == tuple(size):
        return x
    height, width = size
    out = np.empty((len(x), height, width, x.shape[-1]), dtype=np.uint8)
    for i, img in enumerate(x):
        resized = np.asarray(_pil(img).resize((width, height), Image.Resampling.LANCZOS))
        out[i] = resized.reshape(height, width, x.shape[-1])
    return out


def list_images(root: Path) -> list[Path]:
    """Image files under ``root``, recursively, in a platform-independent sorted order."""
    files = (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def load_image(path: Path, channels: int, size: tuple[int, int] | None) -> np.ndarray:
    """Decode one file to uint8 (H,W,C); ``size`` = (H, W) resizes it."""
    try:
        with Image.open(path) as img:
            img = img.convert("L" if channels == 1 else "RGB")  # also takes a GIF's first frame
            if size is not None and img.size != (size[1], size[0]):
                img = img.resize((size[1], size[0]), Image.Resampling.LANCZOS)
            array = np.asarray(img, dtype=np.uint8)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as err:
        # Pillow signals undecodable files with OSError/UnidentifiedImageError or, for
        # some truncated formats, SyntaxError/ValueError.
        raise ImageReadError(path, f"{type(err).__name__}: {err}") from err
    return array.reshape(array.shape[0], array.shape[1], channels)


def _pil(img: np.ndarray) -> Image.Image:
    return Image.fromarray(img[..., 0] if img.shape[-1] == 1 else img)
