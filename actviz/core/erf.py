"""The error function family in vectorised NumPy: erf, erfc, erfcx and the normal CDF Φ.

Three pieces, each evaluated by Horner's rule on whole arrays (no Python loop over values):

- 0 ≤ t < 8:   erfcx(t) = e^{t²}·erfc(t) as one degree-8 polynomial per interval
  [k/16, (k+1)/16) in u = t − (k + ½)/16 (``erfcx_table``, fitted in mpmath by
  benchmarks/fit_erfcx.py; the coefficients are gathered per value). W. J. Cody's C(t)/D(t)
  is as exact in exact arithmetic, but its Horner sums of coefficients up to 4·10³ round to
  5.6 ULP in float64; on the short intervals every term but the first stays below 1/32 of it;
- t ≥ 8:       erfcx(t) = (1/√π − s·P(s)/Q(s))/t with s = 1/t², Cody's rational Chebyshev
  approximation ("Rational Chebyshev approximations for the error function", Math. Comp. 23
  (1969) 631–637; the coefficients of his SPECFUN routine CALERF); the correction s·P/Q is
  below 1/60 of the leading term, so its rounding is damped;
- abs(t) ≤ 0.46875, for erf only: erf(t) = t·A(t²)/B(t²) (Cody), where 1 − erfc would cancel.

erfc(t) = e^{−t²}·erfcx(t) takes e^{−t²} from an exact square (:func:`stable.exp_neg_square`), so
the tail keeps its few-ULP relative accuracy down to the last subnormal; erfc(−t) = 2 − erfc(t).
Φ (and exact gelu, which needs only Φ's tail) has a faster table of its own:
:func:`actviz.core.normal.ndtr`. tests/test_erf.py checks every function here and that one against
mpmath over the whole float64 range.
"""

from __future__ import annotations

import functools

import numpy as np

from actviz.core import stable

_THRESH = 0.46875
_INV_SQRT_PI = 0.5641895835477563  # 1/√π

_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)


def _ratio(y: np.ndarray, num: tuple[float, ...], den: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Cody's Horner scheme: numerator and denominator in y, last coefficient first.

    num has one coefficient more than den; den's leading coefficient is 1 (implicit)."""
    n = num[-1] * y
    d = y.copy()
    for a, b in zip(num[:-2], den[:-1], strict=True):
        np.add(n, a, out=n)
        np.multiply(n, y, out=n)
        np.add(d, b, out=d)
        np.multiply(d, y, out=d)
    np.add(n, num[-2], out=n)
    np.add(d, den[-1], out=d)
    return n, d


def erf_small(t: np.ndarray) -> np.ndarray:
    """erf(t) for abs(t) ≤ 0.46875: t·A(t²)/B(t²)."""
    n, d = _ratio(t * t, _A, _B)
    np.multiply(n, t, out=n)
    return np.divide(n, d, out=n)


@functools.cache
def _table() -> tuple[np.ndarray, ...]:
    """The interval polynomials' coefficients, one array per power (hi, lo, c1 … c8)."""
    from actviz.core import erfcx_table

    assert erfcx_table.K_FIRST == 0 and erfcx_table.K_END == _K_END
    return tuple(np.ascontiguousarray(np.array(erfcx_table.ROWS).T))


_K_END = 128  # the table covers [0, _K_END/16) = [0, 8)
_T_TOP = 7.999999999999999  # the float below 8: 16·_T_TOP is exact and truncates to 127


def erfcx_pos(t: np.ndarray) -> np.ndarray:
    """erfcx(t) = e^{t²}·erfc(t) for t ≥ 0 (any such float64; +inf gives 0), in a new array.

    t < 8: hi + (lo + u·(c1 + u·(…))) of the interval k = ⌊16t⌋, u = t − (k + ½)/16 (exact for
    k ≥ 1 by Sterbenz's lemma; for k = 0 its rounding is below 2⁻⁵⁹ and erfcx′ ≈ −1 there);
    t ≥ 8: Cody's (1/√π − s·P(s)/Q(s))/t, s = 1/t².
    """
    cols = _table()
    tt = np.minimum(t, _T_TOP)  # t ≥ 8 is overwritten below; NaN stays NaN in u
    k = np.fmin(tt, _T_TOP)  # fmin: NaN gives a valid index
    np.multiply(k, 16.0, out=k)
    k = k.astype(np.intp)
    u = k + 0.5
    np.multiply(u, 1.0 / 16.0, out=u)
    np.subtract(tt, u, out=u)
    acc = cols[-1][k]
    for c in cols[-2:1:-1]:
        np.multiply(acc, u, out=acc)
        np.add(acc, c[k], out=acc)
    np.multiply(acc, u, out=acc)
    np.add(acc, cols[1][k], out=acc)
    np.add(acc, cols[0][k], out=acc)  # + hi: the one rounding not damped by a power of u
    far = t >= 8.0
    if far.any():
        acc[far] = _erfcx_far(t[far])
    return acc


def _erfcx_far(t: np.ndarray) -> np.ndarray:
    s = 1.0 / t
    np.multiply(s, s, out=s)  # 1/t², underflows quietly to 0 for huge t
    n, d = _ratio(s, _P, _Q)
    np.multiply(n, s, out=n)
    np.divide(n, d, out=n)
    np.subtract(_INV_SQRT_PI, n, out=n)
    return np.divide(n, t, out=n)


def erfcx(x: np.ndarray) -> np.ndarray:
    """erfcx(x) = e^{x²}·erfc(x); for x < 0, 2e^{x²} − erfcx(−x) (+inf below about −26.6)."""
    x = np.asarray(x, dtype=np.float64)
    out = erfcx_pos(np.abs(x))
    neg = x < 0
    if neg.any():
        xn = np.maximum(x[neg], -26.7)  # 2·e^{x²} overflows below about −26.63
        with np.errstate(over="ignore"):
            e = 1.0 / stable.exp_neg_square(xn)
        out[neg] = 2.0 * e - out[neg]
    return stable.keep_nan(out, x)


def erfc(x: np.ndarray) -> np.ndarray:
    """erfc(x) = 1 − erf(x) = (2/√π)∫ₓ^∞ e^{−t²} dt: e^{−x²}·erfcx(x), and 2 minus that for x < 0."""
    x = np.asarray(x, dtype=np.float64)
    a = np.minimum(np.abs(x), 27.3)  # erfc(27.3) is below the smallest subnormal
    tail = stable.exp_neg_square(a)
    np.multiply(tail, erfcx_pos(a), out=tail)
    out = np.where(x < 0, 2.0 - tail, tail)
    return stable.keep_nan(out, x)


def erf(x: np.ndarray) -> np.ndarray:
    """erf(x) = (2/√π)∫₀ˣ e^{−t²} dt: Cody's rational for abs(x) ≤ 0.46875, else ±(1 − erfc)."""
    x = np.asarray(x, dtype=np.float64)
    a = np.minimum(np.abs(x), 27.3)
    tail = stable.exp_neg_square(a)
    np.multiply(tail, erfcx_pos(a), out=tail)
    out = np.copysign(1.0 - tail, x)
    small = a <= _THRESH
    if small.any():
        out[small] = erf_small(x[small])
    return stable.keep_nan(out, x)
