"""The points of ``actviz derive``'s value table and their values: f, f′, (f″) and region.

Three ways to get points: the teaching set (``TEACHING_POINTS`` plus every kink), chosen ``at``
values, or an evenly spaced ``xlim`` grid of ``points`` values (both together, sorted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from actviz.analysis import CODE_NAMES, Region, classify
from actviz.catalog.activation import Activation
from actviz.core.arrays import sorted_unique
from actviz.core.checks import grid_range
from actviz.core.grid import decimal_grid
from actviz.core.params import ParamError, param

TEACHING_POINTS = (-6.0, -4.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 4.0, 6.0)
SMALL_INPUT = 50  # inputs with at most this many values are shown row by row
MAX_POINTS = 10_000  # cap for points (--points)
DEFAULT_GRID_POINTS = 11
DEFAULT_XLIM = (-6.0, 6.0)
NAN_CODE = -1  # region code for a row whose x (or f′) is NaN: outside every region
REGION_NAMES = {**CODE_NAMES, NAN_CODE: "nan"}


@dataclass(frozen=True)
class Point:
    """One row of the value table."""

    x: float
    f: float
    df: float
    d2f: float | None  # only with order 2
    code: int  # ACTIVE, VANISHING, DEAD or NAN_CODE
    kink: bool  # x is a kink: df is the framework's value there

    @property
    def region(self) -> str:
        return REGION_NAMES[self.code]


def default_points(act: Activation) -> np.ndarray:
    """The teaching set: −6 … 6 with the interesting middle, plus every kink."""
    return sorted_unique(np.array([*TEACHING_POINTS, *(k.x for k in act.kinks)], dtype=np.float64))


def grid_points(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` evenly spaced points from ``lo`` to ``hi`` (both included), as the decimals a person
    expects (``--xlim -6 6`` gives −2.4, not −2.4000000000000004; see core.grid)."""
    if not 2 <= n <= MAX_POINTS:
        raise ParamError(f"{param('points')} must be between 2 and {MAX_POINTS}, got {n}")
    return decimal_grid(lo, hi, n)


def chosen_points(at: Sequence[float], xlim: tuple[float, float] | None, n: int | None,
                  act: Activation) -> np.ndarray:
    """The x values for the table: ``at`` values and/or an ``xlim`` grid, else the teaching set."""
    if not at and xlim is None and n is None:
        return default_points(act)
    parts = [np.asarray(at, dtype=np.float64)]
    if xlim is not None or n is not None:
        lo, hi = xlim if xlim is not None else DEFAULT_XLIM
        count = n if n is not None else DEFAULT_GRID_POINTS
        grid_range(lo, hi, "xlim", points=count)  # never fewer rows than asked
        parts.append(grid_points(lo, hi, count))
    return sorted_unique(np.concatenate(parts))  # sorted, duplicates once, a NaN last


def evaluate(act: Activation, x: np.ndarray, order: int, regions: list[Region], threshold: float):
    """f, f′, (f″) and region codes for float64 ``x``; NaN rows get NAN_CODE."""
    with np.errstate(all="ignore"):  # inf/NaN results are shown as such, not warned about
        f = act(x)
        df = act.grad(x)
        d2f = act.grad2(x) if order == 2 else None
    codes = classify(df, x, regions, threshold)
    bad = np.isnan(x) | np.isnan(df)
    if bad.any():
        codes[bad] = NAN_CODE
    return f, df, d2f, codes


def evaluate_points(act: Activation, xs: np.ndarray, order: int, regions: list[Region],
                    threshold: float) -> list[Point]:
    """One :class:`Point` per x, in the given order."""
    x = np.asarray(xs, dtype=np.float64).reshape(-1)
    f, df, d2f, codes = evaluate(act, x, order, regions, threshold)
    kinks = {k.x for k in act.kinks}
    return [
        Point(
            x=float(x[i]), f=float(f[i]), df=float(df[i]),
            d2f=None if d2f is None else float(d2f[i]),
            code=int(codes[i]), kink=float(x[i]) in kinks,
        )
        for i in range(x.size)
    ]
