"""Strict JSON for every ``--format json``.

Rules (documented in README):
- no NaN/Infinity tokens: the output parses with any strict JSON parser;
- finite floats are written with Python's shortest round-trip repr, so reading them back gives
  the identical float64;
- unbounded interval ends (a saturation region reaching ±∞) are ``null``;
- any other non-finite number (a value that overflowed, a NaN that came in) is the string
  ``"Infinity"``, ``"-Infinity"`` or ``"NaN"``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np


def number(v: Any) -> float | int | str | None:
    """A JSON-safe number: finite floats as-is, non-finite ones as strings."""
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
    """An interval end: ``null`` where it is unbounded."""
    return None if math.isinf(v) else number(v)


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_clean(v) for v in obj.tolist()]
    if isinstance(obj, (float, np.floating, np.integer)) and not isinstance(obj, bool):
        return number(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def dumps(obj: Any, indent: int | None = 2) -> str:
    """Serialise ``obj`` (dicts, lists, NumPy values) as strict JSON text."""
    return json.dumps(_clean(obj), indent=indent, ensure_ascii=False, allow_nan=False)
