"""Small array helpers shared by the analysis and the commands."""

from __future__ import annotations

import numpy as np


def sorted_unique(values: np.ndarray | list[float]) -> np.ndarray:
    """The distinct values in ascending order, NaN (once) last.

    Same result as ``np.unique(..., equal_nan=True)`` for 1-D float input, without the import of
    ``numpy.ma`` that ``np.unique`` triggers (several milliseconds of start-up).
    """
    a = np.sort(np.asarray(values, dtype=np.float64).ravel())
    if a.size < 2:
        return a
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    nan = np.isnan(a)
    keep[1:] &= ~(nan[1:] & nan[:-1])
    return a[keep]
