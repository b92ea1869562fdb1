"""Apply a profile (profiles/<name>.yaml) onto params.yaml, keeping its comments.

Usage: ``python -m genzoo.profile smoke`` (or ``paper``). Return to the laptop profile
with ``git checkout params.yaml``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Mapping

import yaml
from ruamel.yaml import YAML

from genzoo.config import ParamsError, merge, validate


def _assign(target: Any, override: Mapping[str, Any]) -> None:
    # Write values in place so ruamel keeps the comments attached to each key.
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), Mapping):
            _assign(target[key], value)
        else:
            target[key] = value


def apply_profile(profile: str | Path, params_path: str | Path = "params.yaml") -> dict:
    """Merge a profile into params.yaml, validate the result, and rewrite the file.

    The profile name may be a path or a bare name looked up in ``profiles/``.
    """
    params_path = Path(params_path)
    profile = Path(profile)
    if not profile.suffix:
        profile = params_path.parent / "profiles" / f"{profile}.yaml"
    if not profile.exists():
        names = sorted(p.stem for p in (params_path.parent / "profiles").glob("*.yaml"))
        raise ParamsError(f"profile {profile} not found; available profiles: {', '.join(names)}")
    override = yaml.safe_load(profile.read_text()) or {}
    plain = yaml.safe_load(params_path.read_text())
    merged = validate(merge(plain, override))

    rt = YAML()
    rt.preserve_quotes = True
    doc = rt.load(params_path.read_text())
    _assign(doc, override)
    tmp = params_path.with_suffix(".yaml.tmp")
    with open(tmp, "w") as handle:
        rt.dump(doc, handle)
    tmp.replace(params_path)
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", help="profile name in profiles/ (smoke, paper) or a path")
    parser.add_argument("--params", default="params.yaml")
    args = parser.parse_args(argv)
    try:
        apply_profile(args.profile, args.params)
    except ParamsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"applied {args.profile} to {args.params}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
