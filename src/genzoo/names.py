"""The params.yaml names that dvc.yaml writes into its commands, checked before any shell sees them.

DVC runs each stage's ``cmd`` through a shell, with ``${key}`` and ``${item.*}`` pasted in:
the dataset, pair and model names, a model's ``dataset`` and a pair's ``a`` and ``b``
(``module`` and ``family`` name its dependency paths). A name such as ``x$(touch f)`` would
run before the stage's own validation, so every command that carries a name starts with
``python -m genzoo.names || exit 2;``, which carries none: it refuses any such value that is
not lower-case letters, digits and _, and the shell exits before the rest is expanded.

Light on purpose (PyYAML only): it runs before every such stage.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from genzoo.schema import ParamsError

NAME = re.compile(r"[a-z0-9_]+")
RULE = "use lower-case letters, digits and _"
# The values inside each entry that dvc.yaml writes into a command or a path.
ENTRY_VALUES = {"datasets": (), "pairs": ("a", "b"), "models": ("dataset", "module", "family")}
KIND = {"datasets": "dataset", "pairs": "pair", "models": "model"}


def check_names(params: Any) -> None:
    """Raise ParamsError naming the first name or value dvc.yaml would paste that is not ``NAME``.

    Anything else malformed is left to ``genzoo.config.validate``, which runs in the stage.
    """
    for where, value, is_key in _pasted(params):
        # null reaches no shell (DVC pastes "None"); validation names it with what is allowed.
        if value is None or isinstance(value, str) and NAME.fullmatch(value):
            continue
        if is_key:
            section = where.split(".", 1)[0]
            raise ParamsError(f"{where} is not a valid {KIND[section]} name; {RULE}")
        raise ParamsError(f"{where} is {value!r}; {RULE}")


def _pasted(params: Any) -> Iterator[tuple[str, Any, bool]]:
    """(where, value, is it an entry's name) for every value dvc.yaml pastes into a stage."""
    if not isinstance(params, Mapping):
        return
    for section, keys in ENTRY_VALUES.items():
        entries = params.get(section)
        if not isinstance(entries, Mapping):
            continue
        for name, entry in entries.items():
            yield f"{section}.{name}", name, True
            if isinstance(entry, Mapping):
                yield from ((f"{section}.{name}.{key}", entry[key], False) for key in keys if key in entry)


def check_file(path: str | Path = "params.yaml") -> None:
    """``check_names`` on a params file; a missing or unreadable file is a ParamsError too."""
    path = Path(path)
    try:
        params = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ParamsError(f"{path} not found; run from the repository root") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ParamsError(f"{path} is not valid YAML{where}; fix the syntax there") from None
    check_names(params)


def main() -> int:
    try:
        check_file()
    except ParamsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
