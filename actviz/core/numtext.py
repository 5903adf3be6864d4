"""Numbers as text for people: the one set of rules every table, note and label uses.

- :func:`number` — a float in a table: the shortest text that reads back as the identical
  float64 (``0.1``, not ``0.10000000000000001``; ``6``, not ``6.0``), or at most ``digits``
  significant digits (``--digits N``). A negative number carries the minus sign U+2212 (``−4.6``),
  the exponent is written without ``+`` or leading zeros (``1e−300``, ``2.5e22``), infinities are
  ``∞`` and ``−∞``, NaN is ``NaN``. The input side reads ``−`` as a minus, so a number copied
  from a table can be typed back.
- :func:`roundtrip` — the same float for machines (CSV cells, JSON): ``repr``, ASCII ``-``.
- :func:`percent` — a share as a percentage with fixed decimals; a share too small for them
  keeps two significant digits (``0.00012%``, never a misleading ``0.00%``).
- :func:`count` — a whole number with thousands separators (``1,000,000``).

Text only: nothing here computes a number, and no module this one imports is above ``core``.
"""

from __future__ import annotations

import math
import re

MINUS = "\u2212"  # the minus sign of a table; JSON and CSV keep ASCII '-'
INFINITY = "∞"
MAX_DIGITS = 17  # enough for every float64: --digits 17 is the shortest round-trip text


def _tidy(text: str) -> str:
    """Python's float text as people write it: ``1e-05`` → ``1e−5``, ``1e+22`` → ``1e22``,
    ``6.0`` → ``6``, ``-`` → ``−``."""
    mantissa, e, exponent = text.partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    if e:
        mantissa += "e" + str(int(exponent))
    return mantissa.replace("-", MINUS)


def significant(text: str) -> int:
    """How many significant digits a float's text (``repr`` or ``%g``) has: ``0.00125`` → 3,
    ``1200.0`` → 2 (trailing zeros of a whole number are not counted)."""
    mantissa = text.lstrip("-").partition("e")[0]
    return max(1, len(mantissa.replace(".", "").strip("0")))


def number(v: float, digits: int | None = None) -> str:
    """A float for a table: shortest round-trip text, or at most ``digits`` significant digits.

    ``digits`` None (or 17) keeps every digit a float64 needs; fewer rounds to nearest
    (``number(0.009951801866904324, 4)`` is ``0.009952``). A value that already reads back in
    ``digits`` digits or fewer is shown as it is, so ``number(0.25, 4)`` is ``0.25``. The sign of a
    zero is kept (``−0``), as a round-trip text must.
    """
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return INFINITY if v > 0 else MINUS + INFINITY
    text = repr(v)
    if digits is not None and digits < MAX_DIGITS and significant(text) > digits:
        text = f"{v:.{digits}g}"
    return _tidy(text)


def scientific(v: float, digits: int) -> str:
    """``v`` in scientific notation with ``digits`` significant digits: ``scientific(1234.5, 4)``
    is ``1.234e3``, ``scientific(-3.1e-06, 2)`` is ``−3.1e−6`` (for numbers of any magnitude in
    prose: ULP counts, tiny ratios)."""
    v = float(v)
    if not math.isfinite(v):
        return number(v)
    mantissa, _, exponent = f"{v:.{max(digits, 1) - 1}e}".partition("e")
    return f"{mantissa}e{int(exponent)}".replace("-", MINUS)


def short(v: float) -> str:
    """A number in a sentence: 3 significant digits in [1e−3, 1e5), else scientific with 2
    (``0.25``, ``120``, ``1.2e−7``, ``3.4e6``); 0, ±∞ and NaN as :func:`number` writes them."""
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return number(v + 0.0)
    return number(v, 3) if 1e-3 <= abs(v) < 1e5 else scientific(v, 2)


def roundtrip(v: float) -> str:
    """A float for machines (CSV, JSON text): ``repr``, ASCII, reads back identically."""
    return repr(float(v))


def spec_value(v: object) -> str:
    """A parameter value in a ``NAME:k=v`` spec, so that parsing it back gives the same value:
    ``true``/``false``, a float in its shortest round-trip digits in ASCII (``0.123456789``,
    ``2``, ``1e-7``), other values as ``str``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return to_ascii(number(v))
    return str(v)


def percent(share: float, decimals: int = 2) -> str:
    """``share`` (0…1) as a percentage with ``decimals`` decimals: ``0.1234`` → ``12.34%``.

    A nonzero share that would round to zero keeps two significant digits (``1.2e−06`` →
    ``0.00012%``), and one just under 1 never shows as ``100.00%``.
    """
    if math.isnan(share):
        return "NaN"
    p = 100.0 * share
    if p != 0 and abs(p) < 0.5 * 10.0**-decimals:
        return number(float(f"{p:.2g}")) + "%"
    text = f"{p:.{decimals}f}"
    if share < 1 and float(text) >= 100:
        return ">" + f"{100 - 10.0**-decimals:.{decimals}f}" + "%"
    return text.replace("-", MINUS) + "%"


def count(n: int) -> str:
    """A whole number with thousands separators: ``1234567`` → ``1,234,567``."""
    return f"{int(n):,}".replace("-", MINUS)


_PLAIN_NUMBER = r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.])"  # compiled on first use


def numbers_in(text: str) -> str:
    """The numbers inside a text written as Python writes them (``min=-10, ε=-1e-06``, a label
    or a spec) rewritten by the table rule (``min=−10, ε=−1e−6``); everything else unchanged."""
    return re.sub(_PLAIN_NUMBER, lambda m: _tidy(m.group()), text)


def to_ascii(text: str) -> str:
    """Table text with ASCII minus signs (for a text that must stay 7-bit)."""
    return text.replace(MINUS, "-")
