"""One range check for every command and the API (#18 item 7): grids and ranges at the edge of
float64 behave the same in derive and plot (and ``actviz.derive``/``actviz.plot``): one message,
a usage error (exit 2), and never fewer rows than asked."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import actviz
from actviz.core.checks import grid_range
from actviz.core.grid import decimal_grid

BIG = 1.7976931348623157e308

# (the --xlim the user types, the message both commands give)
BAD = [
    (("1", "1"), "--xlim needs min < max, got 1 1"),
    (("5", "1"), "--xlim needs min < max, got 5 1"),
    (("-inf", "1"), "--xlim needs finite numbers, got -inf 1"),
    (("nan", "0"), "--xlim needs finite numbers, got nan 0"),
    (("1e309", "2e309"), "--xlim needs finite numbers, got 1e309 2e309"),
    (("abc", "1"), "--xlim 'abc' is not a number"),
    (("1", "1.0000000000000002"), "--xlim 1 1.0000000000000002 is too narrow for 11 distinct points"),
]


@pytest.mark.parametrize("pair, message", BAD)
def test_derive_and_plot_refuse_a_bad_range_with_the_same_line(actviz_cli, pair, message, tmp_path):
    derive = actviz_cli("derive", "relu", "--xlim", *pair, "--points", "11", expect=2).err
    plot = actviz_cli("plot", "relu", "--xlim", *pair, "--points", "11", "-o",
                      str(tmp_path / "r.png"), expect=2).err
    assert derive.startswith(f"Error: {message}")
    if "distinct" not in message:  # plot says first that it cannot draw so narrow a range
        assert plot.splitlines()[0] == derive.splitlines()[0]
    else:
        assert "too narrow" in plot
    assert not (tmp_path / "r.png").exists()
    assert len(derive.strip().splitlines()) == 1 and "Traceback" not in derive + plot


def test_ylim_is_checked_by_the_same_rule(actviz_cli, tmp_path):
    err = actviz_cli("plot", "relu", "--ylim", "2", "1", "-o", str(tmp_path / "r.png"), expect=2).err
    assert err.startswith("Error: --ylim needs min < max, got 2 1")


@pytest.mark.parametrize("lo, hi, n", [(-BIG, BIG, 7), (-BIG, BIG, 2), (-1e308, 1e308, 11),
                                       (0.0, 1e-320, 7), (-BIG, 0.0, 5), (1.0, 1.0 + 2**-40, 9)])
def test_a_grid_at_the_edge_of_float64_has_every_row_asked_for(actviz_cli, lo, hi, n):
    rows = actviz_cli("derive", "relu", "--xlim", repr(lo), repr(hi), "--points", str(n),
                      "-f", "json").json["points"]
    xs = [r["x"] for r in rows]
    assert len(xs) == n and xs[0] == lo and xs[-1] == hi
    assert all(math.isfinite(x) for x in xs) and xs == sorted(set(xs))
    # the grid is evenly spaced: each gap within a few ULP of (hi − lo)/(n − 1), computed in
    # exact rational arithmetic
    from fractions import Fraction

    step = (Fraction(hi) - Fraction(lo)) / (n - 1)
    for i, x in enumerate(xs):
        exact = Fraction(lo) + i * step
        assert abs(Fraction(x) - exact) <= 2 * Fraction(math.ulp(float(exact)))


def test_the_grid_never_overflows():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's linspace warns "overflow in subtract" here
        g = decimal_grid(-BIG, BIG, 7)
    assert np.all(np.isfinite(g)) and g[3] == 0.0 and len(np.unique(g)) == 7


def test_the_api_uses_the_same_check():
    with pytest.raises(ValueError, match="too narrow for 5 distinct points"):
        actviz.derive("relu", xlim=(1.0, 1.0000000000000002), points=5)
    with pytest.raises(ValueError, match="needs min < max"):
        actviz.derive("relu", xlim=(2.0, 1.0))
    with pytest.raises(ValueError, match="needs finite numbers"):
        actviz.plot("relu", xlim=(-math.inf, 1.0))
    assert len(actviz.derive("relu", xlim=(-BIG, BIG), points=9).to_dict()["points"]) == 9


@pytest.mark.parametrize("n", [2, 3, 11, 1000])
def test_grid_range_accepts_exactly_the_ranges_with_n_distinct_points(n):
    for lo in (1.0, -3.5, 1e300, 2.0**-1060):
        ulp = math.ulp(abs(lo))
        wide = lo + 2 * (n - 1) * ulp * 2
        assert grid_range(lo, wide, "x", points=n) == (lo, wide)
        assert len(np.unique(decimal_grid(lo, wide, n))) == n
        narrow = lo + (n - 1) * ulp
        if narrow > lo and n > 2:
            with pytest.raises(ValueError, match="distinct points"):
                grid_range(lo, narrow + ulp / 4, "x", points=n)
