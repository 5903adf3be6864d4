"""Numerically stable building blocks shared by the activation kernels.

Every helper takes float64 NumPy arrays and returns a new one (the input is never written; the
work is done in place on at most two temporaries), never overflows (no RuntimeWarning for any
float64 input), propagates NaN, and is accurate to a few ULP. The kernels in ``smooth.py`` and
``piecewise.py`` are written in terms of these so that each trick lives in one place.
"""

from __future__ import annotations

import numpy as np

# Beyond this magnitude every kernel that clips its argument has reached its float64 limit.
HUGE = 1e300
_ROUND_2_16 = 1.5 * 2.0**36


def keep_nan(out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Write NaN into ``out`` wherever ``x`` is NaN (for piecewise-constant results).

    The test is a max over x (NaN wins; one read, nothing written), the mask only when needed.
    """
    if x.size and np.isnan(np.max(x)):
        out[np.isnan(x)] = np.nan
    return out


def exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """e^{−abs(x)} ≤ 1 as a new array (one temporary, ops in place)."""
    e = np.abs(x)
    np.negative(e, out=e)
    return np.exp(e, out=e)


def sigmoid(x: np.ndarray, negate: bool = False) -> np.ndarray:
    """σ(x) = 1/(1+e^{−x}), evaluated as 1/(1+e) or e/(1+e) with e = e^{−|x|} ≤ 1.

    ``negate=True`` gives σ(−x) from the same e (the branches swap), without forming −x.
    """
    e = exp_neg_abs(x)
    denom = e + 1.0
    np.copyto(e, 1.0, where=(x <= 0) if negate else (x >= 0))  # numerator: 1 or e
    return np.divide(e, denom, out=e)


def sigmoid_prime(x: np.ndarray) -> np.ndarray:
    """σ′(x) = σ(x)·σ(−x) = e/(1+e)² with e = e^{−|x|}: no false zero in the tails."""
    e = exp_neg_abs(x)
    denom = e + 1.0
    np.multiply(denom, denom, out=denom)
    return np.divide(e, denom, out=e)


def sigmoid_second(x: np.ndarray) -> np.ndarray:
    """σ″(x) = σ′(x)·(1 − 2σ(x)) = −σ′(x)·tanh(x/2)."""
    return -sigmoid_prime(x) * np.tanh(0.5 * x)


def sech2(x: np.ndarray) -> np.ndarray:
    """sech²(x) = 4e/(1+e)² with e = e^{−2|x|}; never 1 − tanh², which has false zeros."""
    e = np.abs(x)
    np.minimum(e, 400.0, out=e)  # beyond 400 the result is 0
    np.multiply(e, -2.0, out=e)
    np.exp(e, out=e)
    denom = e + 1.0
    np.multiply(denom, denom, out=denom)
    np.multiply(e, 4.0, out=e)
    return np.divide(e, denom, out=e)


def softplus(x: np.ndarray, negate: bool = False) -> np.ndarray:
    """softplus(x) = log(1+e^x) = max(x, 0) + log1p(e^{−|x|}).

    ``negate=True`` gives −softplus(−x) = log σ(x) = min(x, 0) − log1p(e^{−|x|}) (the same
    numbers: negation is exact).
    """
    t = exp_neg_abs(x)
    np.log1p(t, out=t)
    if negate:
        out = np.minimum(x, -0.0)  # −0 for x > 0: log σ(x) → −0 when log1p underflows to 0
        return np.subtract(out, t, out=out)
    out = np.maximum(x, 0.0)
    return np.add(out, t, out=out)


def exp_neg_half_square(x: np.ndarray) -> np.ndarray:
    """e^{−x²/2} without the rounding error of x².

    x is split as hi + lo with hi holding at most 26 significant bits, so hi² is exact and
    e^{−x²/2} = e^{−hi²/2}·(1 + expm1(−(hi·lo + lo²/2))) loses nothing to the square. Arguments beyond
    ±40 give 0 (the true value is below the smallest subnormal).
    """
    return _exp_neg_scaled_square(x, 0.5)


def exp_neg_square(x: np.ndarray) -> np.ndarray:
    """e^{−x²} the same way: e^{−hi²}·(1 + expm1(−(2hi·lo + lo²))), 0 beyond ±40."""
    return _exp_neg_scaled_square(x, 1.0)


def _exp_neg_scaled_square(x: np.ndarray, c: float) -> np.ndarray:
    """e^{−c·x²} for c = ½ or 1 (a power of two: c·hi² stays exact)."""
    xc = np.abs(x)
    np.minimum(xc, 40.0, out=xc)
    # hi = xc rounded to a multiple of 2⁻¹⁶ (ties to even, as np.round(xc·2¹⁶)/2¹⁶): adding and
    # subtracting 1.5·2³⁶, whose ulp is 2⁻¹⁶, rounds exactly so for 0 ≤ xc ≤ 40.
    hi = xc + _ROUND_2_16
    np.subtract(hi, _ROUND_2_16, out=hi)
    lo = np.subtract(xc, hi, out=xc)
    t = np.multiply(hi, -c)
    np.multiply(t, hi, out=t)
    np.exp(t, out=t)  # e^{−c·hi²}, hi² exact
    np.multiply(hi, lo, out=hi)
    half = np.multiply(lo, 0.5)
    np.multiply(half, lo, out=half)
    np.add(hi, half, out=hi)  # hi·lo + lo²/2
    np.multiply(hi, -2.0 * c, out=hi)
    np.expm1(hi, out=hi)  # e^{−c(2hi·lo + lo²)} − 1: the small factor's rounding stays small
    np.multiply(hi, t, out=hi)
    return np.add(t, hi, out=t)


def two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knuth's error-free sum: s + err == a + b exactly, s = fl(a + b)."""
    s = a + b
    bb = s - a
    err = (a - (s - bb)) + (b - bb)
    return s, err


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Veltkamp split of a into a 26-bit high part and the exact remainder."""
    c = 134217729.0 * a  # 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def two_product(a: np.ndarray, b: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Dekker's error-free product: p + err == a·b exactly (no overflow for abs(a·b) < 1e300)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(np.asarray(b, dtype=np.float64))
    err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, err


def two_square(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dekker's error-free square, in place on fresh temporaries: z + err == a² exactly,
    z = fl(a²) (Veltkamp split a = h + l, err = ((h² − z) + 2hl) + l²)."""
    c = a * 134217729.0  # 2**27 + 1
    h = c - (c - a)
    low = a - h
    z = a * a
    err = h * h
    err -= z
    np.multiply(h, low, out=c)
    c *= 2.0
    err += c
    low *= low
    err += low
    return z, err


def div_pairs(nh: np.ndarray, nl: np.ndarray, dh: np.ndarray, dl: np.ndarray) -> np.ndarray:
    """(nh + nl)/(dh + dl) rounded once more than the exact quotient: the first quotient's
    remainder is computed exactly (:func:`two_product`) and corrected for (dh, nh ≠ 0 finite)."""
    r = nh / dh
    p, pe = two_product(r, dh)
    return r + (((nh - p) - pe) + (nl - r * dl)) / dh
