"""Checks of numbers a user gives, shared by the Python API and the CLI: one rule, one message.

Each raises ``ValueError`` naming ``what`` (``"threshold"``, ``"--xlim"``, …) and showing the value
as the user wrote it (``shown``); the CLI turns it into a usage error.
"""

from __future__ import annotations

import math
from typing import Any


def user_float(text: str) -> float:
    """A float from text a person typed: spaces around it are fine and the Unicode minus (−, as
    copied from a formula) reads as ``-``. ValueError if it is not a number.

    >>> user_float(" −2.5e-3 "), user_float("inf")
    (-0.0025, inf)
    """
    return float(text.strip().replace("−", "-"))


def positive(value: float, what: str, shown: Any = None) -> float:
    """``value`` if it is finite and > 0.

    >>> positive(0.01, "threshold")
    0.01
    """
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{what} must be a finite number > 0, got {value if shown is None else shown}")
    return value


def interval(lo: float, hi: float, what: str, shown: tuple[Any, Any] | None = None) -> tuple[float, float]:
    """``(lo, hi)`` if both are finite and ``lo < hi``.

    >>> interval(-4.0, 4.0, "xlim")
    (-4.0, 4.0)
    """
    a, b = shown if shown is not None else (f"{lo:g}", f"{hi:g}")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{what} needs finite numbers, got {a} {b}")
    if lo >= hi:
        raise ValueError(f"{what} needs min < max, got {a} {b}")
    return lo, hi
