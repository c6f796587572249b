"""The house rules of the production package, checked from its source (nothing is run).

- ``flows`` never imports the developer tools (``bench``) or the tests: a user's run needs
  neither, and a benchmark option must not reach the production flow.
- No import circles between modules of ``flows``, counting imports inside functions too.
- No module over 600 lines (hand-written word lists aside), no function of the flow module
  over 60 lines: the flow reads as its stages (``docs/architecture.md``).
- Storage never imports story logic; story logic never imports Prefect.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

from flows.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "flows"
WORD_LISTS = {"flows/story/entities/word_lists.py"}
MAX_MODULE_LINES = 600
MAX_FLOW_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (``from a.b import c`` counts a.b and a.b.c
    when a.b.c is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_production_package_imports_no_developer_tool() -> None:
    offending = {
        name: sorted(m for m in imported_modules(path) if m.split(".")[0] in ("bench", "tests"))
        for name, path in MODULES.items()
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_no_import_circles_between_modules() -> None:
    graph = {
        name: {m for m in imported_modules(path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }
    # A package's __init__ that only re-exports its modules is where its imports point to.
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the circle


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("flows.store", ("flows.story", "flows.batch", "flows.quality", "flows.orchestration")),
        ("flows.story", ("prefect", "flows.orchestration", "flows.store", "flows.batch")),
        ("flows.batch", ("prefect", "flows.orchestration")),
        ("flows.quality", ("prefect", "flows.orchestration")),
        ("flows.report", ("prefect", "flows.orchestration")),
    ],
)
def test_layers_import_only_downwards(layer: str, forbidden: tuple[str, ...]) -> None:
    bad = {
        name: sorted(
            m
            for m in imported_modules(path)
            if any(m == f or m.startswith(f + ".") for f in forbidden)
        )
        for name, path in MODULES.items()
        if name == layer or name.startswith(layer + ".")
    }
    assert {name: found for name, found in bad.items() if found} == {}


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert {path: lines for path, lines in long.items() if path not in WORD_LISTS} == {}


def test_no_function_of_the_flow_is_over_60_lines() -> None:
    tree = ast.parse((PACKAGE / "pipeline.py").read_text(encoding="utf-8"))
    long = {
        node.name: (node.end_lineno or node.lineno) - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert {name: lines for name, lines in long.items() if lines > MAX_FLOW_FUNCTION_LINES} == {}
