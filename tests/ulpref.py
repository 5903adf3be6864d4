"""Exact rounding by the definition, for the ULP and check tests: a rational number (a float or an
mpf, converted exactly) rounded to nearest, ties to even, into a float format."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath as mp

from actviz.core import ulp as u


def exact_fraction(v) -> Fraction:
    """An mpf or float as the exact rational it is."""
    if isinstance(v, float):
        return Fraction(v)
    sign, man, exp, _ = mp.mpf(v)._mpf_
    q = Fraction(int(man)) * (Fraction(2) ** int(exp))
    return -q if sign else q


def round_exact(q: Fraction, fmt: u.FloatFormat, negative_zero: bool = False) -> float:
    """Round-to-nearest-even of the rational q into fmt (±inf beyond max + ulp/2)."""
    a = abs(q)
    e = fmt.emin
    if a > 0:
        e = a.numerator.bit_length() - a.denominator.bit_length()  # within one of floor(log2 a)
        while Fraction(2) ** e > a:
            e -= 1
        while Fraction(2) ** (e + 1) <= a:
            e += 1
    e = min(max(e, fmt.emin), fmt.emax)
    quantum = Fraction(2) ** (e - fmt.frac_bits)
    n, r = divmod(a, quantum)
    n = int(n)
    if r * 2 > quantum or (r * 2 == quantum and n % 2 == 1):
        n += 1
    out = n * quantum
    value = math.inf if out > Fraction(fmt.max_finite) else float(out)
    return -value if q < 0 or (q == 0 and negative_zero) else value


def rational_round(x: float, fmt: u.FloatFormat) -> float:
    """A float64 rounded into fmt by the definition; ±inf and NaN as they are."""
    if math.isnan(x) or math.isinf(x):
        return x
    return round_exact(Fraction(x), fmt, negative_zero=math.copysign(1.0, x) < 0)
