"""The shape of the library: three stages that import down, never in a circle, in short functions.

Read from the source with `ast`, so a new module is checked as soon as it exists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("schema", "extract", "normalize", "publish", "nap")
# What each package may import from the project: the stages talk through `schema` only, publishing
# reads normalize's naming of derived amount columns, and `nap` (the command) wires everything.
MAY_IMPORT = {
    "schema": {"schema"},
    "extract": {"extract", "schema"},
    "normalize": {"normalize", "schema"},
    "publish": {"publish", "normalize", "schema"},
    "nap": set(LIBRARY),
}
MAX_FUNCTION_LINES = 60
MAX_COMMAND_LINES = 1000  # nap/ is the command only; the logic lives in the stages


def modules() -> dict[str, Path]:
    found = {}
    for package in LIBRARY:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = modules()


def imported(path: Path) -> set[str]:
    """The project modules `path` imports anywhere in it (top level or inside a function)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        out |= {n for n in names if n in MODULES}
    return out


GRAPH = {name: imported(path) for name, path in MODULES.items()}


def cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A chain of imports that leads from `start` back to it, if there is one."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        name, chain = stack.pop()
        for nxt in sorted(graph.get(name, ())):
            if nxt == start:
                return chain + [nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, chain + [nxt]))
    return None


def test_the_graph_is_read():
    assert "publish.tables" in GRAPH["publish.sqlite"]
    assert "schema.models" in GRAPH["normalize.plan"]


def test_a_cycle_is_found_however_long():
    graph = {"a": {"b"}, "b": {"c", "d"}, "c": set(), "d": {"a"}}
    assert cycle_from("a", graph) == ["a", "b", "d", "a"]
    assert cycle_from("c", graph) is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_cycle(name):
    cycle = cycle_from(name, GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_stages_import_only_down(name):
    package = name.split(".")[0]
    outside = sorted(m for m in GRAPH[name] if m.split(".")[0] not in MAY_IMPORT[package])
    assert not outside, f"{name} imports {outside}"


def test_the_table_schemas_import_nothing_from_publish():
    assert not {m for m in GRAPH["publish.tables"] if m.startswith("publish")}


def long_functions(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    return out


def test_no_library_function_is_over_60_lines():
    found = [f for path in MODULES.values() for f in long_functions(path)]
    assert not found, "\n".join(found)


def test_the_command_package_stays_small():
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "nap").rglob("*.py"))
    assert lines < MAX_COMMAND_LINES, f"nap/ has {lines} lines: move logic into a stage"
