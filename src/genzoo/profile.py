"""Write params.yaml from a profile: ``python -m genzoo.profile smoke`` (or ``paper``, ``laptop``).

Every profile is applied onto the laptop base, ``profiles/laptop.yaml``, never onto the
params.yaml of the moment: applying ``paper`` and then ``smoke`` gives exactly ``smoke``.
The base's comments, which explain each key, are kept; ``base.profile`` records the
profile's name, and every metrics file and the report carry it.

params.yaml is what the pipeline runs: edit it, or let ``dvc exp run -S`` edit it, for one
run or a sweep. Applying a profile rewrites it from profiles/ and drops such edits; a
change meant to last goes into ``profiles/laptop.yaml`` (every profile) or a profile file.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any, Mapping

import yaml
from ruamel.yaml import YAML

from genzoo.config import ParamsError, merge, validate

BASE = "laptop"
HEADER = (
    "# The {name} profile: profiles/laptop.yaml{applied}, written by `python -m genzoo.profile {name}`.\n"
    "# Edit here for one run or a sweep (`dvc exp run -S` edits here too); `python -m genzoo.profile NAME`\n"
    "# rewrites this file from profiles/ (laptop, smoke, paper) and drops such edits.\n"
)


def _assign(target: Any, override: Mapping[str, Any]) -> None:
    # Write values in place so ruamel keeps the comments attached to each key, and an
    # anchored section passes the change on to every entry that merges it.
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), Mapping):
            _assign(target[key], value)
        else:
            target[key] = value


def _null(representer, _data):
    # ruamel writes None as an empty value; the base spells it null, and so does the output.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _strip_header(text: str) -> str:
    """The base's text without its leading comment block (replaced by ``HEADER``)."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    return "".join(lines[start:])


def _profile_file(profile: str | Path, profiles_dir: Path) -> tuple[str, Path]:
    """The profile's name and file; a bare name is looked up in ``profiles_dir``."""
    path = Path(profile)
    if not path.suffix:
        path = profiles_dir / f"{profile}.yaml"
    if not path.is_file():
        names = sorted(p.stem for p in profiles_dir.glob("*.yaml"))
        raise ParamsError(f"profile {path} not found; available profiles: {', '.join(names)}")
    return path.stem, path


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ParamsError(f"{path} is not valid YAML{where}; fix it and apply the profile again") from None


def render(profile: str | Path, profiles_dir: str | Path = "profiles") -> tuple[str, dict]:
    """params.yaml's text for ``profile`` applied onto the laptop base, and the validated params."""
    profiles_dir = Path(profiles_dir)
    name, path = _profile_file(profile, profiles_dir)
    base_path = profiles_dir / f"{BASE}.yaml"
    if not base_path.is_file():
        raise ParamsError(f"{base_path} is missing: it is the base every profile is applied onto")
    override = {} if name == BASE else (_read_yaml(path) or {})
    if not isinstance(override, Mapping):
        raise ParamsError(f"{path} must map params sections to the values it changes")
    override = {**override, "base": {**(override.get("base") or {}), "profile": name}}
    params = validate(merge(_read_yaml(base_path), override))

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # keep long comment lines and flow lists as the base writes them
    rt.representer.add_representer(type(None), _null)
    doc = rt.load(_strip_header(base_path.read_text()))
    _assign(doc, override)
    out = io.StringIO()
    rt.dump(doc, out)
    applied = "" if name == BASE else f" with profiles/{path.name} applied"
    return HEADER.format(name=name, applied=applied) + "\n" + out.getvalue(), params


def apply_profile(profile: str | Path, params_path: str | Path = "params.yaml") -> dict:
    """Rewrite ``params_path`` as ``profile`` applied onto the laptop base (``render``).

    The profiles are looked up next to params.yaml (``profiles/``). Nothing is written
    when the result does not validate.
    """
    params_path = Path(params_path)
    text, params = render(profile, params_path.parent / "profiles")
    tmp = params_path.with_suffix(".yaml.tmp")
    tmp.write_text(text)
    tmp.replace(params_path)
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", help="profile name in profiles/ (laptop, smoke, paper) or a path")
    parser.add_argument("--params", default="params.yaml")
    args = parser.parse_args(argv)
    try:
        params = apply_profile(args.profile, args.params)
    except ParamsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"{args.params}: the {params['base']['profile']} profile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
