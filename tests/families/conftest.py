"""Shared by the family pipeline tests: one tiny labelled dataset and its reference, built once."""

import pytest

pytest.importorskip("keras")

from scoring._fixtures import write_data, write_reference  # noqa: E402


@pytest.fixture(scope="session")
def digits(tmp_path_factory):
    """A 10-class 28×28 dataset and its reference directory (evaluator, features, floor)."""
    tmp = tmp_path_factory.mktemp("digits")
    data = write_data(tmp / "data")
    write_reference(data, tmp / "reference", tmp / "reference.json")
    return data, tmp / "reference"
