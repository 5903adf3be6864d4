"""Structure (#18): the CLI is parse → compute → render. No result model lives in ``cli/``
(each command's result types sit next to the code that computes them), and nothing outside
``cli/`` — ``render/`` above all — imports from it (``actviz/__main__.py`` is the entry point)."""

from __future__ import annotations

import ast
import pathlib

import actviz

PACKAGE = pathlib.Path(actviz.__file__).parent


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imported(tree: ast.AST) -> set[str]:
    """Every module an import statement names, at top level or inside a function."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else f"relative:{node.module}"
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


def test_nothing_outside_cli_imports_cli():
    offenders = []
    for path, tree in _modules():
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "cli" or rel.name == "__main__.py":
            continue
        bad = sorted(m for m in _imported(tree) if m == "actviz.cli" or m.startswith("actviz.cli."))
        if bad or any(m.startswith("relative:") and "cli" in m.split(".") for m in _imported(tree)):
            offenders.append(f"{rel}: {bad}")
    assert offenders == []


def _decorator_names(cls: ast.ClassDef) -> set[str]:
    names = set()
    for d in cls.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def _base_names(cls: ast.ClassDef) -> set[str]:
    return {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in cls.bases}


def _is_error(cls: ast.ClassDef) -> bool:
    return any(b.endswith(("Exception", "Error")) for b in _base_names(cls))


def test_no_result_model_lives_in_cli():
    """Classes in cli/ are Click pieces (commands, parameter types), errors and plumbing (the
    console, warning lines, a progress bar): no dataclass, NamedTuple, TypedDict or class of
    bare fields — those are result models, and belong where the result is computed."""
    found = []
    for path, tree in _modules():
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] != "cli":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            if "dataclass" in _decorator_names(node) or _base_names(node) & {"NamedTuple", "TypedDict"}:
                found.append(f"{rel}:{node.name}")
            elif not _is_error(node) and all(isinstance(b, (ast.AnnAssign, ast.Expr)) for b in node.body):
                found.append(f"{rel}:{node.name} (only fields: a result model)")
    assert found == []


def test_the_checks_see_a_violation(tmp_path):
    """The scanners are not blind: a dataclass and an import of cli are found."""
    tree = ast.parse("from dataclasses import dataclass\nfrom actviz.cli.common import console\n"
                     "@dataclass\nclass Row:\n    x: int\n")
    assert "actviz.cli.common" in _imported(tree)
    cls = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))
    assert "dataclass" in _decorator_names(cls)
