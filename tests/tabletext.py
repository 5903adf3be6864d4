"""Reading numbers back from the tables people see (independently of actviz's own formatter).

A table number is written with the minus sign U+2212 or ASCII '-', an optional exponent
(``1e−300``, ``2.5e22``) and ``∞``/``−∞`` for infinities; :func:`numbers` finds them all in a text
and reads each with Python's ``float`` after mapping the minus signs, so a test can compare what a
table shows with the JSON document of the same command.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

NUMBER = re.compile(r"(?<![\w.])[-−+]?(?:\d+(?:\.\d+)?(?:e[-−+]?\d+)?|∞)(?![\w.])")


def read(token: str) -> float:
    """One table number as a float: ``−4.6`` → -4.6, ``1e−300`` → 1e-300, ``−∞`` → -inf."""
    return float(token.replace("−", "-").replace("∞", "inf"))


def exact(token: str) -> Fraction:
    """A finite table number as the exact decimal it spells (``2e308`` stays 2·10³⁰⁸)."""
    return Fraction(Decimal(token.replace("−", "-")))


def numbers(text: str) -> list[float]:
    """Every number in ``text``, in order."""
    return [read(t) for t in NUMBER.findall(text)]


def significant_digits(token: str) -> int:
    """Significant digits of a table number as written: ``0.009853`` → 4, ``−4.585`` → 4,
    ``1200`` → 2 (trailing zeros of a whole number do not count)."""
    mantissa = token.lstrip("-−+").split("e")[0]
    return len(mantissa.replace(".", "").strip("0")) or 1
