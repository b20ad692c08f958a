"""The import graph has no upward import and no cycle: the layout shows the architecture.

Core modules (the top of ``wirekit/``) never import a format family, the site, the stores or the
server; format families never import the site, the stores, the server or the command line. Both
rules count imports inside functions too (a lazy import is still a dependency). Module-level
imports, the ones that run when a module is loaded, form no cycle (a module's own parent
packages, which Python loads first anyway, do not count as its imports).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "wirekit"
TOP_LAYER = {"wirekit.cli", "wirekit.__main__", "wirekit.pipeline"}
"""The command line arranges everything: it alone may import every layer, with the publish
stages (plan, map, reduce), which arrange readers, writers and the tree as a command does."""
LAYERS = ("wirekit.formats", "wirekit.site", "wirekit.store", "wirekit.serve")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, module_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "wirekit" or name.startswith("wirekit.")}


MODULES = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _within(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_import(module: str) -> None:
    imported = _imports(MODULES[module], module_level_only=False)
    if module in TOP_LAYER:
        return
    if module.count(".") == 1 or module == "wirekit":  # a core module
        forbidden = LAYERS
    elif _within(module, "wirekit.formats"):
        forbidden = ("wirekit.site", "wirekit.store", "wirekit.serve", "wirekit.cli")
    else:
        return
    upward = sorted(n for n in imported for layer in forbidden if _within(n, layer))
    assert upward == [], f"{module} imports upward: {upward}"


def test_no_cycle_among_module_level_imports() -> None:
    graph = {
        module: {
            target
            for name in _imports(path, module_level_only=True)
            for target in [name if name in MODULES else name.rsplit(".", 1)[0]]
            if target in MODULES and target != module and not module.startswith(target + ".")
        }
        for module, path in MODULES.items()
    }
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
