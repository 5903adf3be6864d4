"""The strict-JSON policy as data: every result's ``to_dict()`` applies it, ``jsonout.dumps`` writes it.

Rules (documented in README):
- no NaN/Infinity tokens: the output parses with any strict JSON parser;
- finite floats are kept as Python floats, so ``repr`` (the shortest round-trip form) reads back
  as the identical float64;
- unbounded interval ends (a saturation region reaching ±∞) are ``null`` (:func:`bound`);
- any other non-finite number (a value that overflowed, a NaN that came in) is the string
  ``"Infinity"``, ``"-Infinity"`` or ``"NaN"`` (:func:`number`);
- NumPy arrays become lists, NumPy scalars Python numbers, tuples lists, keys strings.

It lives in ``core`` so that analysis results can apply it without importing a renderer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def number(v: Any) -> float | int | str | None:
    """A JSON-safe number: finite floats as-is, non-finite ones as strings.

    >>> number(0.5), number(float("inf")), number(float("nan")), number(np.int64(3))
    (0.5, 'Infinity', 'NaN', 3)
    """
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isfinite(f):
        return f
    if math.isnan(f):
        return "NaN"
    return "Infinity" if f > 0 else "-Infinity"


def bound(v: float) -> float | None:
    """An interval end: ``null`` where it is unbounded.

    >>> bound(float("-inf")), bound(4.5)
    (None, 4.5)
    """
    return None if math.isinf(v) else number(v)


def clean(obj: Any) -> Any:
    """``obj`` (dicts, lists, tuples, NumPy arrays and scalars) as plain JSON-ready data.

    >>> clean({"p": np.array([0.25, np.inf]), "k": (np.int32(1), np.bool_(True))})
    {'p': [0.25, 'Infinity'], 'k': [1, True]}
    """
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [clean(v) for v in obj.tolist()]
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (float, np.floating, np.integer)) and not isinstance(obj, bool):
        return number(obj)
    return obj
