"""Evenly spaced grids whose points are the decimals a person expects.

``np.linspace(-6, 6, 11)`` holds ``-2.4000000000000004``: it computes ``lo + i·step`` in binary.
When ``lo``, ``hi`` (as their shortest decimals) and the step ``(hi − lo)/(n − 1)`` are exact
decimals of at most 17 digits, point *i* is instead the float nearest the exact decimal
``lo + i·step`` (``-2.4``, and exactly ``0`` in the middle). Otherwise it is ``np.linspace``, or,
when ``hi − lo`` overflows (``-1.8e308 1.8e308``), ``lo·(1 − t) + hi·t`` with ``t = i/(n − 1)``,
which never does.
"""

from __future__ import annotations

import math

import numpy as np

_DIGITS = 17  # a step with more significant digits is not a decimal anyone typed


def decimal_grid(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` ≥ 2 evenly spaced float64 points from ``lo`` to ``hi``, both included exactly."""
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 1000  # enough for any pair of float64 decimals: every step below is exact
        ctx.traps[decimal.Inexact] = False
        ctx.clear_flags()
        a, b = decimal.Decimal(repr(float(lo))), decimal.Decimal(repr(float(hi)))
        step = (b - a) / (n - 1)
        exact = not ctx.flags[decimal.Inexact] and len(step.normalize().as_tuple().digits) <= _DIGITS
        if not (exact and a.is_finite() and b.is_finite()):
            return _linspace(lo, hi, n)
        points = np.array([float(a + i * step) for i in range(n)], dtype=np.float64)
    points[0], points[-1] = lo, hi
    return points


def _linspace(lo: float, hi: float, n: int) -> np.ndarray:
    """``np.linspace``, without its overflow when ``hi − lo`` exceeds the largest float64."""
    if math.isfinite(float(hi) - float(lo)):
        return np.linspace(lo, hi, n)
    t = np.arange(n, dtype=np.float64) / (n - 1)
    points = lo * (1.0 - t) + hi * t
    points[0], points[-1] = lo, hi
    return points
