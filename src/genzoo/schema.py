"""What a params key may hold, and the check of one section against its schema.

A leaf module: it imports nothing of genzoo and no numerical library, so every model
module can declare its ``PARAMS`` with it and validation stays light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Mapping


class ParamsError(ValueError):
    """A params.yaml value is missing, unknown or of the wrong type."""


@dataclass(frozen=True)
class Spec:
    """What one params key may hold."""

    types: tuple[type, ...]
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    below: float | None = None  # an exclusive maximum
    nullable: bool = False
    item: "Spec | None" = None  # a list's elements; None for a single value
    also: tuple[Any, ...] = ()  # values accepted besides the spec's own, e.g. "auto"

    def describe(self) -> str:
        if self.also:
            return " or ".join(repr(value) for value in self.also) + " or " + replace(self, also=()).describe()
        if self.item is not None:
            return f"a list of {self.item.describe()}"
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        names = " or ".join(t.__name__ for t in self.types)
        bounds = []
        if self.minimum is not None:
            bounds.append(f">= {self.minimum}")
        if self.maximum is not None:
            bounds.append(f"<= {self.maximum}")
        if self.below is not None:
            bounds.append(f"< {self.below}")
        text = names + (f" ({', '.join(bounds)})" if bounds else "")
        return text + (" or null" if self.nullable else "")


def integer(minimum: int | None = None, *, nullable: bool = False, maximum: int | None = None) -> Spec:
    return Spec((int,), minimum=minimum, maximum=maximum, nullable=nullable)


def number(
    minimum: float | None = None, *, maximum: float | None = None, below: float | None = None, nullable: bool = False
) -> Spec:
    return Spec((int, float), minimum=minimum, maximum=maximum, below=below, nullable=nullable)


def adam_beta() -> Spec:
    """One of Adam's decay rates, in [0, 1): Adam divides by 1 - beta**t, zero at beta 1."""
    return number(0.0, below=1.0)


def choice(*values: Any) -> Spec:
    return Spec((object,), choices=values)


def text(*, nullable: bool = False) -> Spec:
    return Spec((str,), nullable=nullable)


def flag() -> Spec:
    return Spec((bool,))


def auto_or(spec: Spec) -> Spec:
    """``spec``, or the string "auto": a setting the code chooses for the machine it runs on."""
    return replace(spec, also=("auto",))


def list_of(item: Spec) -> Spec:
    """A YAML list whose every element matches ``item`` (an empty list is allowed)."""
    return Spec((list,), item=item)


def check_value(where: str, value: Any, spec: Spec) -> None:
    """Raise ParamsError naming ``where`` if ``value`` does not match ``spec``."""
    if value is None:
        if spec.nullable:
            return
        raise ParamsError(f"{where} must be {spec.describe()}, not null")
    if any(_same_choice(value, other) for other in spec.also):
        return
    if spec.item is not None:
        if not isinstance(value, list):
            raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
        for i, element in enumerate(value):
            check_value(f"{where}[{i}]", element, spec.item)
        return
    if spec.choices is not None:
        if not any(_same_choice(value, c) for c in spec.choices):
            raise ParamsError(f"{where} is {value!r}; allowed values: {', '.join(repr(c) for c in spec.choices)}")
        return
    # bool is a subclass of int in Python; `epochs: true` is a mistake, not 1.
    if isinstance(value, bool) and bool not in spec.types:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
    if not isinstance(value, spec.types):
        raise ParamsError(f"{where} is {value!r} ({type(value).__name__}); it must be {spec.describe()}")
    # YAML reads .nan and .inf as floats; no bound below can catch NaN, and neither is a setting.
    if isinstance(value, float) and not math.isfinite(value):
        raise ParamsError(f"{where} is {value!r}; it must be a finite number, {spec.describe()}")
    if spec.minimum is not None and value < spec.minimum:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
    if spec.maximum is not None and value > spec.maximum:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")
    if spec.below is not None and value >= spec.below:
        raise ParamsError(f"{where} is {value!r}; it must be {spec.describe()}")


def _same_choice(value: Any, choice: Any) -> bool:
    """``value`` equals ``choice`` and is of its kind.

    Python has `True == 1` and `1.0 == 1`, but `channels: 1.0` and `channels: true` are
    mistakes; an integer is fine where the choice is a float (`alpha: 1` for 1.0).
    """
    if isinstance(value, bool) or isinstance(choice, bool):
        return isinstance(value, bool) and isinstance(choice, bool) and value == choice
    if isinstance(choice, float) and isinstance(value, int):
        return value == choice
    return type(value) is type(choice) and value == choice


def check_section(where: str, section: Any, schema: Mapping[str, Spec]) -> None:
    """Check one mapping against its schema: no unknown keys, no missing keys, right types."""
    if not isinstance(section, Mapping):
        raise ParamsError(f"{where} must be a mapping with keys {', '.join(schema)}; got {section!r}")
    unknown = sorted(set(section) - set(schema))
    if unknown:
        raise ParamsError(f"{where}.{unknown[0]} is not a known key; allowed keys: {', '.join(schema)}")
    missing = [key for key in schema if key not in section]
    if missing:
        raise ParamsError(f"{where}.{missing[0]} is missing; {where} needs keys: {', '.join(schema)}")
    for key, spec in schema.items():
        check_value(f"{where}.{key}", section[key], spec)
