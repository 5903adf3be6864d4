"""``actviz list`` and ``actviz info`` through the real CLI entry point."""

from __future__ import annotations

import csv
import io
import json
import math

import mpmath as mp
import pytest

import actviz
from tests.conftest import run_cli


def run(*args: str, columns: int | None = None):
    """``actviz ARGS`` through the shared runner (terminal width from the environment unless
    ``columns``), the exit code left to the test."""
    return run_cli(*args, columns=columns, expect=None)


@pytest.fixture(scope="module")
def listing_json():
    out = run("list", "--format", "json")
    assert out.code == 0, out.stderr
    return json.loads(out.stdout)


def test_list_json_covers_the_catalog(listing_json):
    assert [r["name"] for r in listing_json] == actviz.names("all")
    leaky = next(r for r in listing_json if r["name"] == "leaky_relu")
    assert leaky["params"] == {"alpha": 0.2} and "leakyrelu" in leaky["aliases"]
    assert next(r for r in listing_json if r["name"] == "sigmoid")["sup_abs_grad"] == 0.25


def test_list_table_and_csv_and_framework():
    table = run("list", columns=80)
    assert table.code == 0 and "\x1b[" not in table.stdout
    assert all(name in table.stdout for name in ("sigmoid", "hard_swish", "exponential"))
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    rows = list(csv.reader(io.StringIO(run("list", "-f", "csv").stdout)))
    assert rows[0][0] == "name" and len(rows) == len(actviz.names("all")) + 1
    torch = json.loads(run("list", "--framework", "pytorch", "-f", "json").stdout)
    assert next(r for r in torch if r["name"] == "leaky_relu")["params"] == {"alpha": 0.01}


def test_info_json_facts():
    out = run("info", "sigmoid", "--format", "json")
    assert out.code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["function"] == "sigmoid" and doc["formula"]["f"].startswith("σ(x)")
    regions = doc["saturation"]["regions"]
    assert [r["kind"] for r in regions] == ["vanishing", "vanishing"]
    assert regions[0]["start"] is None and regions[1]["end"] is None  # unbounded ends are null
    # σ′(x) = 0.01 at x = ±4.5848…: check the boundary against mpmath's root.
    root = mp.findroot(lambda t: mp.exp(-t) / (1 + mp.exp(-t)) ** 2 - mp.mpf("0.01"), 4.5)
    assert math.isclose(regions[1]["start"], float(root), rel_tol=4e-16)
    assert doc["properties"]["range_low"] == 0.0 and doc["properties"]["range_high"] == 1.0


def test_info_kinks_show_every_framework():
    doc = json.loads(run("info", "leaky_relu:alpha=0.1", "-f", "json").stdout)
    (kink,) = doc["kinks"]
    assert (kink["x"], kink["left"], kink["right"]) == (0.0, 0.1, 1.0)
    assert kink["frameworks"] == {"tensorflow": 0.1, "keras": 0.1, "keras:jax": 1.0,
                                  "keras:torch": 0.1, "pytorch": 0.1, "jax": 1.0, "flax": 1.0,
                                  "mlx": 1.0}
    table = run("info", "relu")
    assert table.code == 0 and "dead" in table.stdout and "f′(x⁻)" in table.stdout


@pytest.mark.parametrize(
    "args, message",
    [(("info", "relux"), "did you mean 'relu'"),
     (("info", "leaky_relu:beta=1"), "no parameter 'beta'"),
     (("info", "elu:alpha=-2"), "out of range"),
     (("info", "relu", "--threshold", "0"), "threshold must be"),
     (("list", "--format", "xml"), "Invalid value")],
)
def test_bad_input_is_one_line(args, message):
    out = run(*args)
    assert out.code == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert "Traceback" not in out.stderr


def test_parameter_ranges_follow_the_number_rules():
    """Ranges in ``info`` and in range errors: U+2212 minus, no ``e+``, every digit."""
    from actviz.catalog.registry import definitions

    texts = [p.range_text() for d in definitions() for p in getattr(d, "params", ()) if not p.is_bool]
    assert texts and not [t for t in texts if "e+" in t or "-" in t]
    assert "(0, 1e300]" in texts  # squareplus's b
