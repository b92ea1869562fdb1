"""The import structure stays one-way: stage → model module → family → shared helpers → leaves.

Measured from the source with ``ast``, so a deferred import (inside a function) counts too:
a circle that works only because one import is deferred is still a circle.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC.parent
HEAVY = ("tensorflow", "keras", "sklearn")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted((SRC / "genzoo").rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``, which never run."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for n in ast.walk(node)}
    return skipped


def imports_of(name: str) -> set[str]:
    """The genzoo modules ``name`` imports, at the top or inside a function."""
    tree = ast.parse(MODULES[name].read_text())
    skipped = _type_checking_only(tree)
    package = name if _is_package(name) else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from package import submodule` imports the submodule; `from module import name` the module.
            subs = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES]
            found |= set(subs) if subs else {target}
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def test_the_import_graph_is_walked():
    # A sanity check on the walker itself: known edges, one of them deferred.
    assert "genzoo.schema" in GRAPH["genzoo.config"]
    assert "genzoo.families.gan.game" in GRAPH["genzoo.models.dcgan"]  # imported inside build()
    assert "genzoo.families.classifier.fitting" in GRAPH["genzoo.families.classifier.pipeline"]  # from . import


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a path that ends where it starts, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_graph_has_no_cycle():
    assert _cycle(GRAPH) is None


def test_no_family_imports_the_model_registry():
    offenders = {name: sorted(m for m in GRAPH[name] if m == "genzoo.models" or m.startswith("genzoo.models."))
                 for name in MODULES if name.startswith("genzoo.families")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_leaf_modules_import_nothing_of_genzoo():
    for leaf in ("genzoo.schema", "genzoo.files", "genzoo.subset"):
        assert GRAPH[leaf] == set(), leaf
    assert all(m.startswith("genzoo.metrics") for name in MODULES if name.startswith("genzoo.metrics")
               for m in GRAPH[name])


def test_model_modules_import_only_down():
    # A model module builds on its family and the shared helpers, never on another model or a stage helper.
    for name in MODULES:
        if name.startswith("genzoo.models."):
            assert not {m for m in GRAPH[name] if m.startswith("genzoo.models")}, name
            assert "genzoo.stage" not in GRAPH[name] and "genzoo.config" not in GRAPH[name], name


@pytest.mark.parametrize("code", [
    "import genzoo.config as c; c.load_params('params.yaml')",
    "import genzoo.profile",
    "import genzoo.stage",
    "import genzoo.data",
    "import genzoo.models as m; [m.get(n).PARAMS for n in m.REGISTRY]",
])
def test_validation_and_light_stages_import_no_tensorflow_keras_or_sklearn(code):
    check = f"{code}\nimport sys\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{code} imported {result.stdout.strip()}"
