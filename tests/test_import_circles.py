"""No module of the builder imports, however indirectly, one that imports it back.

Imports inside functions count too: they only put the circle off until the first call,
and a circle makes the order modules are loaded in matter."""

import ast
from pathlib import Path

from tests.conftest import ROOT

BUILDER = ROOT / "builder"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the builder modules it imports (at the top or inside a function)."""
    modules = {_module(path): path for path in BUILDER.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from builder.commands import init` imports builder.commands.init
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from start to goal, or None."""
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop()
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == goal:
                return path + [nxt]
            if nxt not in seen:
                seen.add(nxt)
                paths.append(path + [nxt])
    return None


def test_the_command_line_is_in_no_import_circle():
    graph = import_graph()
    assert "builder.commands.serve" in graph["builder.cli"] or reaches(graph, "builder.cli", "builder.commands.serve")
    assert reaches(graph, "builder.cli", "builder.cli") is None
