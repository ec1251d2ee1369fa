"""builder/ has no import circles: two modules that import each other (even from inside a
function) are one module in two files, and whichever is imported first sees the other half-made.

Every import in every module is counted, the ones inside functions too, since those are the
usual way a circle is hidden rather than broken.
"""

from __future__ import annotations

import ast
from pathlib import Path

BUILDER = Path(__file__).parent.parent / "builder"

# Circles known and being broken elsewhere. Empty this when they are gone: the test then
# holds every module to it.
KNOWN: set = set()  # circles accepted for now: none


def _module_name(path: Path) -> str:
    parts = path.relative_to(BUILDER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str], name: str = "") -> set[str]:
    """The builder modules path imports, anywhere in it."""
    name = name or _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from .a import b
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # a submodule imported by name
    return {module for module in found if module in modules and module != name}


def graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in BUILDER.rglob("*.py")}
    return {name: imports(path, set(files)) for name, path in files.items()}


def circles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    order, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(edges):
        if node not in order:
            visit(node)
    return found


def test_the_checker_finds_a_circle_hidden_in_a_function(tmp_path):
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(edges) == [frozenset({"a", "b", "c"})]
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from builder.hashing import digest\n", encoding="utf-8")
    assert imports(module, {"builder.hashing"}, "builder.m") == {"builder.hashing"}


def test_builder_has_no_import_circles():
    found = [sorted(group) for group in circles(graph()) if group not in KNOWN]
    assert not found, f"modules that import each other: {found}"
