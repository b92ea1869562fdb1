"""Reader for the IDX format (MNIST-style), with strict header and size checks."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np

# IDX dtype codes; the payload is big-endian.
_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class IdxFormatError(ValueError):
    """The bytes are not a complete, well-formed IDX file."""


def parse_idx(data: bytes) -> np.ndarray:
    """Decode IDX bytes into a native-endian array, refusing truncated or padded data."""
    if len(data) < 4:
        raise IdxFormatError(f"only {len(data)} bytes, too short for an IDX header")
    zero, code, ndim = int.from_bytes(data[:2], "big"), data[2], data[3]
    if zero != 0 or code not in _DTYPES:
        raise IdxFormatError(f"bad magic number 0x{data[:4].hex()}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IdxFormatError(f"header declares {ndim} dims but the file has {len(data)} bytes")
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _DTYPES[code]
    expected = header + int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        raise IdxFormatError(
            f"header says dims {list(dims)} ({expected} bytes) but the file has {len(data)} bytes"
        )
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(dims)
    return array.astype(dtype.newbyteorder("="))


def encode_idx(array: np.ndarray) -> bytes:
    """Encode an array as IDX bytes (the inverse of ``parse_idx``)."""
    array = np.asarray(array)
    codes = {dtype.newbyteorder("="): code for code, dtype in _DTYPES.items()}
    code = codes[array.dtype.newbyteorder("=")]
    header = bytes([0, 0, code, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(_DTYPES[code]).tobytes()


def read_payload(path: str | Path) -> bytes:
    """Return the decompressed bytes of ``path`` (``.gz``) or its raw bytes otherwise."""
    path = Path(path)
    if path.suffix != ".gz":
        return path.read_bytes()
    with open(path, "rb") as raw:  # outside the try: a missing file is not corruption
        try:
            with gzip.GzipFile(fileobj=raw) as handle:
                return handle.read()
        except (OSError, EOFError, zlib.error) as err:
            # gzip reports truncation as EOFError and garbage as BadGzipFile (an OSError).
            raise IdxFormatError(f"corrupt or truncated gzip data ({err})") from err


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
