"""IDX parsing: round trips and refusal of truncated, padded or mislabelled data."""

import gzip

import numpy as np
import pytest

from genzoo.data import idx


def test_parse_round_trip():
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(idx.parse_idx(idx.encode_idx(array)), array)


def test_parse_big_endian_int32():
    data = bytes([0, 0, 0x0C, 1]) + (2).to_bytes(4, "big") + (1).to_bytes(4, "big") + (-5).to_bytes(4, "big", signed=True)
    parsed = idx.parse_idx(data)
    assert parsed.dtype == np.int32 and parsed.tolist() == [1, -5]


@pytest.mark.parametrize(
    "data, message",
    [
        (idx.encode_idx(np.zeros((2, 3, 3), np.uint8))[:-1], "header says dims [2, 3, 3]"),
        (idx.encode_idx(np.zeros((2, 3, 3), np.uint8)) + b"\0", "header says dims"),
        (b"\1\0\x08\1" + (1).to_bytes(4, "big") + b"\0", "bad magic"),
        (bytes([0, 0, 0x07, 1]) + (1).to_bytes(4, "big") + b"\0", "bad magic"),
        (bytes([0, 0, 0x08, 3, 0, 0]), "declares 3 dims"),
        (b"\0\0", "too short"),
    ],
)
def test_parse_rejects_bad_data(data, message):
    with pytest.raises(idx.IdxFormatError, match=message.replace("[", r"\[")):
        idx.parse_idx(data)


def test_read_payload_truncated_gzip(tmp_path):
    file = tmp_path / "x.gz"
    file.write_bytes(gzip.compress(b"a" * 1000)[:-10])
    with pytest.raises(idx.IdxFormatError, match="truncated gzip"):
        idx.read_payload(file)


def test_read_payload_plain_file(tmp_path):
    file = tmp_path / "x"
    file.write_bytes(b"abc")
    assert idx.read_payload(file) == b"abc"
