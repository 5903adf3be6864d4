"""Numerical extremes of a function on the real line, to check the catalog's constants.

The minimum of gelu/silu/mish and the supremum of abs(f′) have no closed form; the catalog holds
them as constants and tests/test_catalog.py re-derives them with this search: a dense scan of
[−40, 40] followed by golden-section refinement of the best bracket.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

_GOLD = (math.sqrt(5.0) - 1.0) / 2.0


def minimum(fn: Callable[[np.ndarray], np.ndarray]) -> float:
    """The smallest value of ``fn`` over the reals (assumes it is attained in [−40, 40])."""
    grid = np.linspace(-40.0, 40.0, 80001)
    values = fn(grid)
    i = int(np.argmin(values))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    for _ in range(80):
        c = b - _GOLD * (b - a)
        d = a + _GOLD * (b - a)
        fc, fd = fn(np.array([c, d]))
        if fc < fd:
            b = d
        else:
            a = c
    return float(min(fn(np.array([0.5 * (a + b)]))[0], values[i]))


def maximum(fn: Callable[[np.ndarray], np.ndarray]) -> float:
    """The largest value of ``fn`` over the reals (assumes it is attained in [−40, 40])."""
    return -minimum(lambda x: -fn(x))
