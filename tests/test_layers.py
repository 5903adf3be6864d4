"""The floors of the library: a module imports only modules of its own floor or below.

core → catalog → expr → analysis → api → render → cli (render never imports cli). Every import
statement counts, at module level or inside a function, except in a result's display methods
(``__rich__``, ``_repr_html_``, ``_repr_png_``, ``_repr_svg_``, ``figure``), which import their
renderer when called. The imports are read from the source (``ast``), not by importing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "actviz"
FLOORS = ("core", "catalog", "expr", "analysis", "api", "render", "cli")
DISPLAY = {"__rich__", "_repr_html_", "_repr_png_", "_repr_svg_", "figure"}
NOT_A_FLOOR = {"actviz", "actviz._version"}  # the package's lazy attribute table and its version


def floor(module: str) -> str:
    """The floor of ``actviz.X.Y``: its package (core, catalog, expr, render, cli), the API, or
    analysis (every other top-level module and package: derive_report, check, flow, train, …)."""
    parts = module.split(".")
    if parts[0] != "actviz" or module in NOT_A_FLOOR:
        raise ValueError(module)
    top = parts[1]
    if top in ("core", "catalog", "expr", "render", "cli"):
        return top
    if top == "__main__":
        return "cli"
    return "api" if top == "api" else "analysis"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, name: str) -> list[tuple[str, int, str | None]]:
    """(imported actviz module, line, enclosing function or None) for every import in ``path``,
    the source of module ``name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, int, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, function) for a in child.names
                             if a.name.startswith("actviz"))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                if target.startswith("actviz"):
                    if target == "actviz":  # from actviz import derive_report
                        found.extend((f"actviz.{a.name}", child.lineno, function) for a in child.names)
                    else:
                        found.append((target, child.lineno, function))
            visit(child, inner)

    visit(tree, None)
    return found


def crossings_in(path: Path, name: str) -> list[str]:
    """The imports of module ``name`` (source ``path``) that reach a higher floor."""
    here = FLOORS.index(floor(name))
    out = []
    for target, line, function in imports(path, name):
        if target in NOT_A_FLOOR:
            continue
        if FLOORS.index(floor(target)) > here and function not in DISPLAY:
            out.append(f"{name}:{line} ({floor(name)}) imports {target} ({floor(target)})")
    return out


def test_no_module_imports_a_higher_floor():
    modules = [(path, module_name(path)) for path in sorted(PACKAGE.rglob("*.py"))]
    assert len(modules) > 100
    assert [c for path, name in modules if name not in NOT_A_FLOOR for c in crossings_in(path, name)] == []


@pytest.mark.parametrize("module, expected", [
    ("actviz.core.ulp", "core"), ("actviz.catalog.describe", "catalog"), ("actviz.expr.parser", "expr"),
    ("actviz.analysis", "analysis"), ("actviz.derive_report.points", "analysis"),
    ("actviz.check.report", "analysis"), ("actviz.api", "api"), ("actviz.render.display", "render"),
    ("actviz.cli.main", "cli"), ("actviz.__main__", "cli"),
])
def test_floors_of_modules(module, expected):
    assert floor(module) == expected


def test_the_reader_sees_function_level_and_relative_imports(tmp_path):
    """The checker itself: an import inside a function counts, one inside ``figure`` does not."""
    source = ("from actviz.core import ulp\n"
              "def f():\n    from actviz.cli.common import console\n"
              "class R:\n    def figure(self):\n        from actviz.render import figure\n")
    path = tmp_path / "probe.py"
    path.write_text(source + "from . import registry\nfrom ..render.display import html\n", encoding="utf-8")
    assert [(t, fn) for t, _, fn in imports(path, "actviz.catalog.probe")] == [
        ("actviz.core", None), ("actviz.cli.common", "f"), ("actviz.render", "figure"),
        ("actviz.catalog", None), ("actviz.render.display", None)]
    assert crossings_in(path, "actviz.catalog.probe") == [
        "actviz.catalog.probe:3 (catalog) imports actviz.cli.common (cli)",
        "actviz.catalog.probe:8 (catalog) imports actviz.render.display (render)"]
