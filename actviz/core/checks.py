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


def shortest(v: float) -> str:
    """The shortest decimal that reads back as ``v`` (``1``, ``1.0000000000000002``, ``1e+308``).

    >>> shortest(1.0), shortest(1.0000000000000002)
    ('1', '1.0000000000000002')
    """
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


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
    a, b = shown if shown is not None else (shortest(lo), shortest(hi))
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{what} needs finite numbers, got {a} {b}")
    if lo >= hi:
        raise ValueError(f"{what} needs min < max, got {a} {b}")
    return lo, hi


# Plot limits beyond this lose precision in Matplotlib's transforms (or overflow them), and a
# span narrower than this share of the magnitude cannot be drawn.
DRAWABLE_ABS = 1e15
DRAWABLE_REL_SPAN = 1e-9


def grid_range(lo: float, hi: float, what: str, *, points: int | None = None,
               drawable: bool = False, shown: tuple[Any, Any] | None = None) -> tuple[float, float]:
    """The one check of an x- or y-range, for every command and the API: ``(lo, hi)`` if both
    are finite and ``lo < hi``; with ``points``, if that many evenly spaced float64 points
    between them are all distinct (never fewer rows than asked); with ``drawable``, if a plot
    can show the range (within ±DRAWABLE_ABS, not narrower than DRAWABLE_REL_SPAN of its
    magnitude). A span that overflows float64 (``-1e308 1e308``) is fine for a grid.

    >>> grid_range(-6.0, 6.0, "--xlim", points=11)
    (-6.0, 6.0)
    """
    interval(lo, hi, what, shown)
    a, b = shown if shown is not None else (shortest(lo), shortest(hi))
    top = max(abs(lo), abs(hi))
    if drawable:
        if top > DRAWABLE_ABS:
            raise ValueError(f"{what} must stay within ±{DRAWABLE_ABS:g}, got {a} {b}")
        if hi / 2 - lo / 2 < 0.5 * DRAWABLE_REL_SPAN * top:
            raise ValueError(f"{what} {a} {b} is too narrow to plot at this magnitude")
    if points is not None and points >= 2:
        step = hi / (points - 1) - lo / (points - 1)  # no overflow, even for ±1.8e308
        spacing = math.ulp(top)
        if step < 2 * spacing:
            raise ValueError(f"{what} {a} {b} is too narrow for {points} distinct points "
                             f"(float64 spacing there is {spacing:.3g})")
    return lo, hi
