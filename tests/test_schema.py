"""The params primitives: what each Spec describes, check_value by hand, check_section's order of errors."""

import subprocess
import sys

import pytest

from genzoo.schema import (
    ParamsError, Spec, adam_beta, auto_or, check_section, check_value, choice, flag, integer, list_of, number, text,
)


@pytest.mark.parametrize(
    "spec, described",
    [
        (integer(), "int"),
        (integer(1), "int (>= 1)"),
        (integer(1, nullable=True), "int (>= 1) or null"),
        (integer(32, maximum=224), "int (>= 32, <= 224)"),
        (number(0.0), "int or float (>= 0.0)"),
        (number(0.01, maximum=0.99), "int or float (>= 0.01, <= 0.99)"),
        (choice("auto", "cpu"), "one of 'auto', 'cpu'"),
        (choice(1, 3), "one of 1, 3"),
        (text(), "str"),
        (text(nullable=True), "str or null"),
        (flag(), "bool"),
        (auto_or(integer(1)), "'auto' or int (>= 1)"),
    ],
)
def test_each_spec_describes_itself(spec, described):
    assert isinstance(spec, Spec) and spec.describe() == described


@pytest.mark.parametrize(
    "value, spec",
    [
        (3, integer(1)),
        (1, integer(1)),  # bounds are inclusive
        (224, integer(32, maximum=224)),
        (3, number(0.0)),  # an int is a number
        (0.5, number(0.0, maximum=1.0)),
        (0.999, adam_beta()),
        (0, adam_beta()),
        (None, integer(1, nullable=True)),
        (None, text(nullable=True)),
        ("cpu", choice("auto", "cpu")),
        (3, choice(1, 3)),
        (True, flag()),
        (False, flag()),
        (True, choice(True, False)),
        (1, choice(0.35, 1.0)),  # an int where the choice is a float: alpha: 1 means 1.0
        ("path/to/images", text()),
        ([], list_of(integer(8))),
        ([28, 64], list_of(integer(8))),
        ("auto", auto_or(integer(1))),
        (32, auto_or(integer(1))),
    ],
)
def test_accepted_values(value, spec):
    check_value("x", value, spec)


@pytest.mark.parametrize(
    "value, spec, message",
    [
        # bool is a subclass of int in Python; `epochs: true` is a mistake, not 1.
        (True, integer(1), "x is True; it must be int (>= 1)"),
        (False, number(0.0), "x is False; it must be int or float (>= 0.0)"),
        (True, choice(1, 3), "x is True; allowed values: 1, 3"),
        # ... and an int is not a bool.
        (1, flag(), "x is 1 (int); it must be bool"),
        ("yes", flag(), "x is 'yes' (str); it must be bool"),
        # null only where the spec allows it, whatever the type.
        (None, integer(1), "x must be int (>= 1), not null"),
        (None, flag(), "x must be bool, not null"),
        (None, choice("a", "b"), "x must be one of 'a', 'b', not null"),
        (None, text(), "x must be str, not null"),
        # types
        (2.5, integer(), "x is 2.5 (float); it must be int"),
        ("fast", number(0.0), "x is 'fast' (str); it must be int or float (>= 0.0)"),
        ([2, 10], integer(1), "x is [2, 10] (list); it must be int (>= 1)"),
        (64, list_of(integer(8)), "x is 64; it must be a list of int (>= 8)"),
        ([64, 4], list_of(integer(8)), "x[1] is 4; it must be int (>= 8)"),
        (3, text(), "x is 3 (int); it must be str"),
        # bounds
        (0, integer(1), "x is 0; it must be int (>= 1)"),
        (225, integer(32, maximum=224), "x is 225; it must be int (>= 32, <= 224)"),
        (-0.001, number(0.0, maximum=1.0), "x is -0.001; it must be int or float (>= 0.0, <= 1.0)"),
        (1.5, number(0.0, maximum=1.0), "x is 1.5; it must be int or float (>= 0.0, <= 1.0)"),
        (1.0, number(0.0, below=1.0), "x is 1.0; it must be int or float (>= 0.0, < 1.0)"),
        (1.0, adam_beta(), "x is 1.0; it must be int or float (>= 0.0, < 1.0)"),
        (-0.5, adam_beta(), "x is -0.5; it must be int or float (>= 0.0, < 1.0)"),
        # choices
        ("tpu", choice("auto", "cpu", "gpu"), "x is 'tpu'; allowed values: 'auto', 'cpu', 'gpu'"),
        (2, choice(1, 3), "x is 2; allowed values: 1, 3"),
        # YAML's .nan and .inf are floats that no bound catches
        (float("nan"), number(0.01, maximum=0.99), "x is nan; it must be a finite number, int or float (>= 0.01, <= 0.99)"),
        (float("inf"), number(0.0), "x is inf; it must be a finite number, int or float (>= 0.0)"),
        (float("-inf"), number(None), "x is -inf; it must be a finite number, int or float"),
        # `1.0 == 1` and `1 == True` in Python, but these are mistakes, not the choice
        (1.0, choice(1, 3), "x is 1.0; allowed values: 1, 3"),
        (1, choice(True, False), "x is 1; allowed values: True, False"),
        # "auto" or the spec: nothing else, and the spec's own bounds still hold
        ("fast", auto_or(integer(1)), "x is 'fast' (str); it must be 'auto' or int (>= 1)"),
        (0, auto_or(integer(1)), "x is 0; it must be 'auto' or int (>= 1)"),
        (None, auto_or(integer(1)), "x must be 'auto' or int (>= 1), not null"),
    ],
)
def test_refused_values_name_the_key_the_value_and_what_is_allowed(value, spec, message):
    with pytest.raises(ParamsError) as error:
        check_value("x", value, spec)
    assert str(error.value) == message


def test_params_error_is_a_value_error():
    assert issubclass(ParamsError, ValueError)


SCHEMA = {"epochs": integer(1), "device": choice("auto", "cpu"), "path": text(nullable=True)}


def test_a_complete_section_passes():
    check_section("base", {"epochs": 3, "device": "cpu", "path": None}, SCHEMA)


@pytest.mark.parametrize(
    "section, message",
    [
        ([1, 2], "base must be a mapping with keys epochs, device, path; got [1, 2]"),
        (None, "base must be a mapping with keys epochs, device, path; got None"),
        # Unknown keys first, the first in sorted order; then missing keys in schema order.
        ({"epochs": 3, "device": "cpu", "path": None, "zeta": 1, "alpha": 2},
         "base.alpha is not a known key; allowed keys: epochs, device, path"),
        ({"epochs": 0, "zeta": 1}, "base.zeta is not a known key; allowed keys: epochs, device, path"),
        ({"path": None}, "base.epochs is missing; base needs keys: epochs, device, path"),
        ({"epochs": 0, "path": None}, "base.device is missing; base needs keys: epochs, device, path"),
        # Then values, in schema order.
        ({"epochs": 0, "device": "tpu", "path": None}, "base.epochs is 0; it must be int (>= 1)"),
        ({"epochs": 1, "device": "tpu", "path": None}, "base.device is 'tpu'; allowed values: 'auto', 'cpu'"),
    ],
)
def test_check_section_names_the_first_problem(section, message):
    with pytest.raises(ParamsError) as error:
        check_section("base", section, SCHEMA)
    assert str(error.value) == message


def test_schema_is_a_leaf_that_imports_no_numerical_library():
    code = (
        "import sys; import genzoo.schema; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'tensorflow', 'keras', 'sklearn', 'yaml') "
        # genzoo/__init__.py itself brings only the version, another leaf.
        "or (m.startswith('genzoo.') and m not in ('genzoo.schema', 'genzoo.version'))); print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
