"""Start-up discipline: table commands never import Matplotlib or SciPy.

Each command runs in a fresh interpreter through the real entry point (``actviz.cli.main.main``);
when it exits, a hook writes the names of the loaded top-level packages to a file, so the test
sees exactly what the command imported. ``derive gelu`` is the one table command that may load
SciPy (exact gelu needs erfc/erfcx); the plot command proves that the probe does see an import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Runs the CLI with argv[2:], then (even on sys.exit) writes the sorted module names to argv[1].
PROBE = """
import atexit, json, sys

def _dump(path=sys.argv[1]):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(sorted(sys.modules), fh)

atexit.register(_dump)
from actviz.cli.main import main
main(sys.argv[2:])
"""

TABLE_COMMANDS = [
    ["list"],
    ["info", "sigmoid"],
    ["derive", "sigmoid", "--at", "1"],
    ["softmax", "0.2", "1.3", "3.75"],
    ["recommend", "--task", "multiclass"],
    ["flow", "relu", "--depth", "2", "--width", "8"],
    ["--help"],
]
HEAVY = ("matplotlib", "scipy")


def loaded(args: list[str], cwd) -> tuple[set[str], str]:
    """Top-level packages imported by ``actviz ARGS`` (run in ``cwd``), and its stdout.

    The command must succeed."""
    modules, stdout = loaded_modules(args, cwd)
    return {name.split(".")[0] for name in modules}, stdout


def loaded_modules(args: list[str], cwd) -> tuple[set[str], str]:
    """Every module (``actviz.catalog.entries``) imported by ``actviz ARGS``, and its stdout."""
    out = os.path.join(cwd, "modules.json")
    env = {**os.environ, "NO_COLOR": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", PROBE, out, *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8") as fh:
        return set(json.load(fh)), done.stdout


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=lambda a: " ".join(a))
def test_table_command_imports_neither_matplotlib_nor_scipy(args, tmp_path):
    mods, stdout = loaded(args, tmp_path)
    assert stdout.strip(), f"actviz {' '.join(args)} printed nothing"
    assert "numpy" in mods or args == ["--help"]  # the probe saw the command's own imports
    heavy = [m for m in HEAVY if m in mods]
    assert not heavy, f"actviz {' '.join(args)} imported {heavy}"


def test_help_does_not_even_import_numpy(tmp_path):
    assert "numpy" not in loaded(["--help"], tmp_path)[0]


def test_derive_gelu_needs_neither_scipy_nor_matplotlib(tmp_path):
    # Φ and erfc are NumPy code (actviz/core/erf.py): scipy is no runtime dependency.
    mods, stdout = loaded(["derive", "gelu", "--at", "1"], tmp_path)
    assert not [m for m in HEAVY if m in mods] and "gelu" in stdout


def test_the_probe_sees_matplotlib_when_a_plot_is_drawn(tmp_path):
    mods, _ = loaded(["plot", "relu", "--grad", "-o", "relu.png"], tmp_path)
    assert "matplotlib" in mods and (tmp_path / "relu.png").stat().st_size > 0


def test_a_formula_of_primitives_loads_no_catalog_entry(tmp_path):
    # Telling "x*sigmoid(x)" from a catalog name reads the generated name table, not the catalog
    # (issue 14: derive on a formula starts within 1.3x of the floor); suggestions load difflib.
    mods, stdout = loaded_modules(["derive", "x*sigmoid(x)", "--at", "1"], tmp_path)
    assert "0.7310585786300049" in stdout and "actviz.expr.parser" in mods
    entries = ("actviz.catalog.entries", "actviz.catalog.zoo", "actviz.catalog.vector_registry")
    assert not [m for m in (*entries, "difflib", "mpmath", "actviz.expr.kinks") if m in mods]
    mods, _ = loaded_modules(["derive", "x*gelu(x)", "--at", "1"], tmp_path)
    assert "actviz.catalog.entries" in mods  # the probe sees them when the formula calls one


# NumPy submodules that cost milliseconds and that no table command needs (np.unique pulls in
# numpy.ma; leggauss numpy.polynomial); the plot scene (dataclasses: ~4 ms) only plot needs.
SLOW_SUBMODULES = ("numpy.ma", "numpy.polynomial", "actviz.scene")


@pytest.mark.parametrize("args", [a for a in TABLE_COMMANDS if a != ["--help"]], ids=lambda a: " ".join(a))
def test_table_commands_skip_slow_submodules(args, tmp_path):
    modules, _ = loaded_modules(args, tmp_path)
    assert not [m for m in SLOW_SUBMODULES if m in modules]
