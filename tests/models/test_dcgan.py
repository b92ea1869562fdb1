"""dcgan: shapes and ranges, one fit step, D's loss falls, bad params, only 28×28 images."""

import pytest

pytest.importorskip("keras")

from ._gan_cases import GanContract  # noqa: E402


class TestDcgan(GanContract):
    NAME = "dcgan"
    SIZE_HINT = r"needs 28×28 images, got \(64, 64, 1\); dcgan is built for the 28×28 digits"
