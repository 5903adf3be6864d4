"""``actviz derive`` end to end: table, JSON, CSV and summary modes, and bad input.

Saturation boundaries are checked against mpmath roots of f′(x) = threshold; table values
against the catalog; every JSON document is parsed strictly.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from actviz.catalog.registry import get, parse_spec
from actviz.cli.cmd_derive import spread_at_values
from actviz.derive_report import reading
from tests.conftest import run_cli


def _no_constants(token: str):
    raise AssertionError(f"non-strict JSON token {token}")


def invoke(args: list[str], input: str | None = None) -> str:
    """Run ``actviz derive ARGS``, which must succeed; return its stdout."""
    return run_cli("derive", *args, input=input, columns=None).out


def derive_json(args: list[str], input: str | None = None) -> dict:
    return json.loads(invoke([*args, "-f", "json"], input), parse_constant=_no_constants)


def fails(args: list[str]) -> tuple[int, str]:
    """Run ``actviz derive ARGS`` through the real error handler; return (exit code, stderr)."""
    result = run_cli("derive", *args, expect=None)
    return result.code, result.err


def table_rows(out: str, title: str) -> dict[str, str]:
    """Rows of the rich table under ``title``, keyed by their first cell."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = {}
    for line in lines[start + 1:]:
        if line.startswith("└"):
            break
        if line.startswith("│"):
            rows[line.split("│")[1].strip()] = line
    return rows


def ulps_apart(a: float, b: float) -> float:
    return abs(a - b) / math.ulp(max(abs(a), abs(b)))


# --- saturation boundaries against mpmath -------------------------------------------------------
mp.mp.dps = 40


def _root(df, guess: float) -> float:
    return float(mp.findroot(df, mp.mpf(guess)))


BOUNDARIES = [
    # (spec, threshold, index of the finite region end, the mpmath root of abs(f′) = threshold)
    ("sigmoid", 0.01, 0, lambda t: _root(lambda x: 1 / (1 + mp.exp(-x)) / (1 + mp.exp(x)) - t, 4.5)),
    ("tanh", 0.01, 0, lambda t: _root(lambda x: mp.sech(x) ** 2 - t, 3.0)),
    ("elu", 0.01, 1, lambda t: _root(lambda x: mp.exp(x) - t, -4.6)),
    ("sigmoid", 0.1, 0, lambda t: _root(lambda x: 1 / (1 + mp.exp(-x)) / (1 + mp.exp(x)) - t, 2.0)),
    ("softsign", 0.01, 0, lambda t: _root(lambda x: 1 / (1 + x) ** 2 - t, 9.0)),
]


@pytest.mark.parametrize("spec,threshold,index,root", BOUNDARIES)
def test_saturation_boundaries_agree_with_mpmath(spec, threshold, index, root):
    doc = derive_json([spec, "--threshold", str(threshold)])
    assert doc["saturation"]["threshold"] == threshold
    regions = doc["saturation"]["regions"]
    truth = root(mp.mpf(threshold))
    # The region whose finite end is nearest the root; its other end is unbounded (null).
    region = min(regions, key=lambda r: abs(r[("start", "end")[index]] - truth)
                 if r[("start", "end")[index]] is not None else math.inf)
    ends = [region["start"], region["end"]]
    assert ends[1 - index] is None
    assert ulps_apart(ends[index], truth) <= 4
    assert region["kind"] == "vanishing"


def test_sigmoid_boundary_is_the_famous_number_and_both_tails_are_unbounded():
    regions = derive_json(["sigmoid"])["saturation"]["regions"]
    assert [(r["start"] is None, r["end"] is None) for r in regions] == [(True, False), (False, True)]
    assert regions[0]["end"] == -regions[1]["start"]
    assert f"{regions[1]['start']:.4f}" == "4.5849"  # abs(x) > 4.5848…


def test_dead_regions_and_kinks_under_each_framework():
    doc = derive_json(["relu6"])
    assert [(r["start"], r["end"], r["kind"]) for r in doc["saturation"]["regions"]] == [
        (None, 0.0, "dead"), (6.0, None, "dead")]
    for fw, expected in [("pytorch", 1.7580993408473766), ("tensorflow", 1.0507009873554805)]:
        kinks = derive_json(["selu", "-F", fw])["kinks"]
        assert len(kinks) == 1 and kinks[0]["x"] == 0.0
        # selu′ at 0: left λα, right λ; PyTorch takes the left one, TensorFlow the right one.
        lam, alpha = mp.mpf("1.0507009873554804934193349852946"), mp.mpf("1.6732632423543772848170429916717")
        assert ulps_apart(kinks[0]["left"], float(lam * alpha)) <= 1
        assert kinks[0]["right"] == float(lam)
        assert kinks[0]["value"] == pytest.approx(expected, rel=1e-15)
    kink = derive_json(["leaky_relu:alpha=0.1", "-F", "jax"])["kinks"][0]
    assert kink["frameworks"] == {"tensorflow": 0.1, "keras": 0.1, "keras:jax": 1.0,
                                  "keras:torch": 0.1, "pytorch": 0.1, "jax": 1.0, "flax": 1.0,
                                  "mlx": 1.0}
    assert (kink["left"], kink["right"], kink["value"]) == (0.1, 1.0, 1.0)


# --- table and JSON modes ---------------------------------------------------------------------
def test_default_table_shows_formulas_values_regions_and_kinks():
    out = invoke(["relu", "--order", "2"])
    act = get("relu")
    for text in (act.formula.text, act.dformula.text, act.d2formula.text):
        assert text in out
    rows = table_rows(out, "Values")
    assert "dead" in rows["−2"] and "dead" not in rows["2"]
    assert "kink" in rows["0"]
    kinks = table_rows(out, "Kinks")
    # relu at 0: f′(0⁻) = 0, f′(0⁺) = 1, and all four frameworks return 0.
    assert list(kinks) == ["0"]
    # x, f′(x⁻), f′(x⁺), then every preset: relu′(0) = 0 in all of them
    assert [c.strip() for c in kinks["0"].split("│")[1:-1]] == ["0", "0", "1"] + ["0"] * 8
    assert "−∞" in table_rows(out, "Saturation")["−∞"]


def test_sigmoid_table_marks_the_vanishing_rows():
    out = invoke(["sigmoid"])
    rows = table_rows(out, "Values")
    assert "vanishing" in rows["6"] and "vanishing" in rows["−6"] and "vanishing" not in rows["4"]
    assert "4.584863339122356" in out and "σ → 1" in out


def test_a_region_over_the_whole_line_names_no_one_sided_limit():
    """sup σ′ = ¼ < 0.3: the region is all of ℝ, so "σ → 1" would name only one side."""
    out = invoke(["sigmoid", "--threshold", "0.3", "--at", "1"])
    assert "|f′| < 0.3 everywhere" in out and "σ → 1" not in out
    assert "|f′| < 2 everywhere" in invoke(["tanh", "--threshold", "2", "--at", "0"])


def test_json_points_round_trip_the_catalog_values():
    doc = derive_json(["gelu", "--at", "-2", "-0.5", "1e-3", "--order", "2"])
    act = get("gelu")
    assert (doc["function"], doc["framework"], doc["params"]) == ("gelu", "tensorflow", dict(act.params))
    assert doc["formula"] == {"f": act.formula.text, "df": act.dformula.text, "d2f": act.d2formula.text}
    assert [p["x"] for p in doc["points"]] == [-2.0, -0.5, 0.001]
    for p in doc["points"]:
        assert (p["f"], p["df"], p["d2f"]) == (float(act(p["x"])), float(act.grad(p["x"])),
                                               float(act.grad2(p["x"])))
    assert "summary" not in doc


def test_json_shape_without_order_two_has_no_d2f():
    doc = derive_json(["tanh"])
    assert list(doc) == ["function", "params", "framework", "formula", "points", "saturation", "kinks"]
    assert set(doc["formula"]) == {"f", "df"}
    assert all(set(p) == {"x", "f", "df"} for p in doc["points"])
    assert all(set(r) == {"start", "end", "kind"} for r in doc["saturation"]["regions"])


def test_non_finite_values_are_strings_in_json():
    doc = derive_json(["exponential", "--at", "1000", "--at", "-inf"])
    assert doc["points"][0] == {"x": "-Infinity", "f": 0.0, "df": 0.0}
    assert doc["points"][1] == {"x": 1000.0, "f": "Infinity", "df": "Infinity"}


@pytest.mark.parametrize("at_args", [["--at", "-2", "-1", "3"], ["--at", "-2", "--at", "-1", "--at=3"],
                                     ["--at", "-2,-1,3"], ["--at", "−2", "--at", "3", "-1"]])
def test_at_accepts_negative_and_several_values(at_args):
    doc = derive_json(["relu", *at_args])
    assert [p["x"] for p in doc["points"]] == [-2.0, -1.0, 3.0]


def test_spread_at_values_stops_at_non_numbers_and_double_dash():
    assert spread_at_values(["x", "--at", "1", "2", "-F", "jax", "3"]) == [
        "x", "--at", "1", "--at", "2", "-F", "jax", "3"]
    assert spread_at_values(["--at", "1", "--", "2"]) == ["--at", "1", "--", "2"]


def test_grid_with_xlim_and_points():
    doc = derive_json(["softplus", "--xlim", "-3", "3", "--points", "7"])
    assert [p["x"] for p in doc["points"]] == np.linspace(-3, 3, 7).tolist()


# --- inputs -------------------------------------------------------------------------------------
def test_small_input_is_a_table_in_input_order(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("3\n -1\n0.5\n-7\n", encoding="utf-8")
    doc = derive_json(["sigmoid", "--input", str(path)])
    assert [p["x"] for p in doc["points"]] == [3.0, -1.0, 0.5, -7.0]
    table = invoke(["sigmoid", "-i", str(path)])
    assert "vanishing" in table and "Summary" not in table


def test_large_stdin_input_gives_a_summary_checked_against_numpy():
    x = np.random.default_rng(2).standard_normal(400) * 5
    text = "\n".join(repr(v) for v in x.tolist())
    doc = derive_json(["tanh", "--input", "-"], input=text)
    assert "points" not in doc
    s = doc["summary"]
    a = 1 / np.cosh(x) ** 2  # tanh′ written independently
    assert s["count"] == 400 and s["nan"] == 0
    assert s["counts"]["vanishing"] == int(np.sum(a < 0.01))
    assert s["fractions"]["active"] == pytest.approx(np.mean(a >= 0.01), abs=1e-12)
    assert s["abs_df"]["mean"] == pytest.approx(a.mean(), rel=1e-12)
    assert s["abs_df"]["quantiles"]["p50"] == pytest.approx(np.quantile(a, 0.5, method="inverted_cdf"),
                                                            rel=2**-8)
    assert (s["x"]["min"], s["x"]["max"]) == (x.min(), x.max())
    assert "histogram" in s["abs_df"]["quantile_method"]
    table = invoke(["tanh", "--input", "-"], input=text)
    assert "Summary of stdin" in table and "400" in table


def test_streaming_npy_larger_than_the_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 100)
    x = np.random.default_rng(9).standard_normal(2_345).astype(np.float32) * 3
    path = tmp_path / "pre.npy"
    np.save(path, x)
    out = invoke(["relu", "--input", str(path), "-f", "csv"])
    lines = out.splitlines()
    assert lines[0] == "x,f,df,region" and len(lines) == 1 + x.size
    got = np.array([[float(v) for v in line.split(",")[:3]] for line in lines[1:]])
    x64 = x.astype(np.float64)
    np.testing.assert_array_equal(got[:, 0], x64)
    np.testing.assert_array_equal(got[:, 1], np.maximum(x64, 0))
    np.testing.assert_array_equal(got[:, 2], (x64 > 0).astype(float))
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == np.where(x64 > 0, "active", "dead").tolist()
    s = derive_json(["relu", "--input", str(path)])["summary"]
    assert s["counts"] == {"dead": int(np.sum(x <= 0)), "vanishing": 0, "active": int(np.sum(x > 0))}


def test_csv_for_points_has_a_header_and_d2f():
    out = invoke(["sigmoid", "--at", "0", "6", "--order", "2", "-f", "csv"])
    act = get("sigmoid")
    assert out.splitlines() == [
        "x,f,df,d2f,region",
        f"0.0,0.5,0.25,{float(act.grad2(0.0))!r},active",
        f"6.0,{float(act(6.0))!r},{float(act.grad(6.0))!r},{float(act.grad2(6.0))!r},vanishing",
    ]


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args,code,needle", [
    (["sigmod"], 2, "did you mean 'sigmoid'"),
    (["elu:beta=2"], 2, "beta"),
    (["relu", "--threshold", "0"], 2, "threshold"),
    (["relu", "-t", "-0.5"], 2, "threshold"),
    (["relu", "--at", "abc"], 2, "'abc' is not a number"),
    (["relu", "--points", "1"], 2, "between 2 and 10000"),
    (["relu", "--points", "20000"], 2, "between 2 and 10000"),
    (["relu", "--xlim", "2", "-2"], 2, "min < max"),
    (["relu", "--input", "x.txt", "--at", "1"], 2, "cannot be combined"),
    (["relu", "--input", "/no/such/file.txt"], 1, "no such file"),
])
def test_bad_input_is_one_error_line(args, code, needle, capsys):
    got, err = fails(args)
    assert got == code
    assert err.startswith("Error: ") and err.count("\n") == 1 and needle in err
    assert "Traceback" not in err


def test_bad_files_name_the_problem(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2\n3 5\n4, oops\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    junk = tmp_path / "junk.npy"
    junk.write_bytes(b"not numpy")
    for path, needle in [(bad, "line 3: 'oops'"), (empty, "empty"), (junk, "not a valid .npy"),
                         (tmp_path, "directory")]:
        code, err = fails(["relu", "--input", str(path)])
        assert code == 1 and err.startswith("Error: ") and needle in err and err.count("\n") == 1


def test_real_process_exit_codes_and_stdout_stays_clean():
    done = subprocess.run([sys.executable, "-m", "actviz", "derive", "nosuch", "--at", "-2"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("Error: unknown activation") and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "actviz", "derive", "relu", "-i", "-", "-f", "csv"],
                          input="-1 2\n", capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "x,f,df,region\n-1.0,0.0,0.0,dead\n2.0,2.0,1.0,active\n"


def test_framework_changes_defaults_in_json():
    torch = derive_json(["leaky_relu", "-F", "pytorch", "--at", "-1"])
    assert torch["params"] == {"alpha": parse_spec("leaky_relu", framework="pytorch").params["alpha"]}
    assert torch["points"][0]["f"] == -torch["params"]["alpha"]


# --- narrow terminals: a number is never wrapped or cut ------------------------------------------

def _numbers(text: str) -> set[float]:
    from tests.tabletext import numbers

    return set(numbers(text))


@pytest.mark.parametrize("columns", [40, 60])
@pytest.mark.parametrize("args", [["sigmoid", "--at", "4.6", "1e-300"], ["sigmoid"],
                                  ["relu", "--at", "0", "-1e-300"],
                                  ["gelu", "--at", "-3.7", "2", "--order", "2"]])
def test_narrow_columns_keep_every_number_whole(args: list[str], columns: int) -> None:

    doc = json.loads(run_cli("derive", *args, "-f", "json").out, parse_constant=_no_constants)
    table = run_cli("derive", *args, columns=columns).out
    widest = max(len(line.rstrip()) for line in table.splitlines())
    assert widest <= columns, table  # COLUMNS is respected in a pipe
    shown = _numbers(table)
    want = [v for p in doc["points"] for k, v in p.items() if k in ("x", "f", "df", "d2f")]
    want += [v for r in doc["saturation"]["regions"] for v in (r["start"], r["end"]) if v is not None]
    assert want and all(v in shown for v in want), (sorted(set(want) - shown), table)


# --- grid points are the decimals a person expects -----------------------------------------------


def test_xlim_grid_gives_the_typed_decimals() -> None:
    from fractions import Fraction

    xs = [p["x"] for p in derive_json(["relu", "--xlim", "-6", "6", "--points", "11"])["points"]]
    assert xs == [float(Fraction(-6) + Fraction(12, 10) * i) for i in range(11)]
    assert -2.4 in xs and 0.0 in xs and 1.2 in xs  # not -2.4000000000000004 or 8.9e-16
    tenths = [p["x"] for p in derive_json(["relu", "--xlim", "0.1", "0.3", "--points", "3"])["points"]]
    assert tenths == [0.1, 0.2, 0.3]


def _check_grid(lo: float, hi: float, n: int) -> np.ndarray:
    from actviz.core.grid import decimal_grid

    got = decimal_grid(lo, hi, n)
    assert got.dtype == np.float64 and got.shape == (n,)
    assert got[0] == lo and got[-1] == hi and np.all(np.diff(got) >= 0)
    ref = np.linspace(lo, hi, n)
    assert np.all(np.abs(got - ref) <= 4 * np.spacing(max(abs(lo), abs(hi)))), (got, ref)
    return got


@given(st.integers(-10**6, 10**6), st.integers(1, 10**6), st.integers(0, 6),
       st.sampled_from([1, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 100, 125, 1000]))
def test_decimal_grid_is_the_nearest_float_to_each_exact_decimal(a: int, width: int, p: int,
                                                                  steps: int) -> None:
    from fractions import Fraction

    lo, hi = Fraction(a, 10**p), Fraction(a + width, 10**p)
    got = _check_grid(float(lo), float(hi), steps + 1)
    assert got.tolist() == [float(lo + (hi - lo) * i / steps) for i in range(steps + 1)]


@given(st.floats(-1e300, 1e300), st.floats(-1e300, 1e300), st.integers(2, 200))
def test_decimal_grid_any_range_stays_a_linspace(lo: float, hi: float, n: int) -> None:
    if lo < hi:
        _check_grid(lo, hi, n)
