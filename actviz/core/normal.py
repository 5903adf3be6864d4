"""The standard normal CDF Φ and the exact gelu kernels x·Φ(x) and Φ(x) + x·φ(x), branch-free.

All three reduce to the left tail at t = min(abs(x), 40) (beyond 40 every tail below is 0):

    Φ(−t)          = e^{−t²/2}·M(t),   M(t) = e^{t²/2}·Φ(−t) = ½·erfcx(t/√2)
    Φ(−t) − tφ(t)  = e^{−t²/2}·N(t),   N(t) = M(t) − t/√(2π)

and then Φ(x) = [x ≥ 0] − s·Φ(−t), x·Φ(x) = max(x, 0) − t·Φ(−t) and Φ(x) + x·φ(x) =
[x ≥ 0] − s·(Φ(−t) − tφ(t)), s = ±1 the sign of x (x·Φ(x) = x + (−x)·Φ(−x) on the right, so
nothing of the form 1 − Φ or 1 + erf cancels). ``ndtr_table`` (fitted in mpmath by
benchmarks/fit_ndtr.py) holds one degree-4 polynomial per interval: the interval index is read
from the bits of t + ¼, so the intervals are 2⁻¹¹ wide near 0 and widen with t, one table
covers all of [0, 40] and no value takes a branch, a masked copy or a far-tail formula. With
t = t_k + u (t_k the interval's left end, u exact by Sterbenz's lemma) the polynomial in u
approximates e^{−t_k²/2}·M(t) (or ·N), and the rest of the Gaussian is e^{−u·(t_k + u/2)}: an
exp of a small argument that is itself exact to a few ULP, so the rounding of t² — up to 800
ULP at t = 40 — never reaches the result. Every step is one NumPy operation over a scratch row
(``workspace``): 30 passes per value for x·Φ(x), 5 of them gathers of a coefficient.

Error budget (contract: 4·max(1, κ) ULP; ULPs of the result, worst cases added):

- the polynomials: 0.5·max(1, κ) ULP (benchmarks/fit_ndtr.py prints 0.98·2⁻⁵³·max(1, κ) with
  the rounding of the coefficients; without κ about 1.5·2⁻⁵³ for Φ's tail out to t = 37, which
  laplace needs near x = 0, where its own κ is 0), Horner's rounding 0.5 ULP (every term after
  c0 is below 1/100 of it, so only the last addition counts);
- e^{−u·(t_k + u/2)}: NumPy's exp, 0.67 ULP (measured against mpmath), of an argument below
  0.1·t in size whose rounding is a few 2⁻⁵³ of that;
- two or three products and the final subtraction: 0.5 ULP each.

Where κ < 1 (x·Φ(x) near its minimum at x = −0.75, Φ + xφ at x = −√2, Φ near 0) that adds up
to 3.2 ULP in the worst alignment of every rounding; the measured worst is 1.9 ULP (tests/
test_normal.py, tests/test_erf.py, tests/test_accuracy.py, benchmarks/accuracy.py). On the
right, x ≥ 0, the tail is subtracted from max(x, 0) or from 1, which damps its error by
Φ(−x)/Φ(x) ≤ 1. Subnormal tails (t > 37.5) keep an absolute error of a few 2⁻¹⁰⁷⁴.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from actviz.core import workspace

_T_MAX = 40.0  # Φ(−40) = 3.7e−350, below the smallest subnormal


@functools.cache
def _tables() -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], float, int, int]:
    """(M's c0 … c4, N's c0 … c4, B, bits of B, shift) from ``ndtr_table`` and its .bin file."""
    from actviz.core import ndtr_table as nt

    flat = np.fromfile(Path(__file__).with_name(nt.FILE), dtype="<f8")
    if flat.size != (nt.DEGREE + 3) * nt.COUNT:
        raise RuntimeError(f"{nt.FILE} holds {flat.size} coefficients, not {(nt.DEGREE + 3) * nt.COUNT}")
    rows = tuple(np.ascontiguousarray(r, dtype=np.float64) for r in flat.reshape(-1, nt.COUNT))
    m = rows[: nt.DEGREE + 1]
    n = rows[nt.DEGREE + 1:] + m[2:]
    b_bits = int(np.array(nt.B, dtype=np.float64).view(np.int64))
    return m, n, nt.B, b_bits, 52 - nt.M_BITS


def _tail(x: np.ndarray, which: int, w: np.ndarray,
          lo: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(r, P, t) as rows of the scratch ``w`` (5 rows), t = min(abs(x), 40) = t_k + u:
    P·r = Φ(−t) (which = 0) or Φ(−t) − tφ(t) (which = 1), P the interval's polynomial in u
    (e^{−t_k²/2}·M or ·N) and r = e^{−u·(t_k + u/2)}. With ``lo`` (x + lo a pair) u has
    sign(x)·lo added, so the tails are those of abs(x + lo). NaN stays NaN in r and P (its
    index, from the bits of a NaN, is clipped into the table; u = NaN)."""
    cols = _tables()[which]
    b, b_bits, shift = _tables()[2:]
    t, v, u, acc, tmp = w
    np.abs(x, out=t)
    np.minimum(t, _T_MAX, out=t)
    np.add(t, b, out=v)  # v = t + B, only for its bits
    k = v.view(np.int64)
    np.bitwise_and(k, -1 << shift, out=u.view(np.int64))  # v_k: v with its low mantissa bits cleared
    np.subtract(k, b_bits, out=k)
    np.right_shift(k, shift, out=k)  # the interval index
    np.subtract(u, b, out=u)  # t_k = v_k − B, exact
    np.subtract(t, u, out=u)  # u = t − t_k, exact (Sterbenz)
    if lo is not None:
        np.copysign(1.0, x, out=tmp)
        np.multiply(tmp, lo, out=tmp)
        np.add(u, tmp, out=u)
        np.add(t, tmp, out=t)  # t + sign(x)·lo: its rounding only reaches r's small argument
    np.take(cols[-1], k, out=acc, mode="clip")
    for c in cols[-2::-1]:  # Horner's rule, c4 … c0 gathered per value
        np.multiply(acc, u, out=acc)
        np.take(c, k, out=tmp, mode="clip")
        np.add(acc, tmp, out=acc)
    r = v  # k is spent
    np.multiply(u, 0.5, out=r)
    np.subtract(r, t, out=r)
    np.multiply(r, u, out=r)  # u·(u/2 − t) = −u·(t_k + u/2), small: e^{−t²/2} = e^{−t_k²/2}·e^{that}
    np.exp(r, out=r)
    return r, acc, t


def _signed_step(x: np.ndarray, e: np.ndarray, p: np.ndarray) -> np.ndarray:
    """[x ≥ 0] − s·e·p in a new array (s = ±1 the sign of x, −0 counting as negative, as in
    copysign, so the two always agree)."""
    np.copysign(e, x, out=e)
    np.multiply(p, e, out=p)
    step = np.signbit(x)
    np.logical_not(step, out=step)
    out = step.astype(np.float64)  # a float operand: a bool one makes the subtraction cast per value
    return np.subtract(out, p, out=out)


def ndtr(x) -> np.ndarray:
    """Φ(x) = ½·erfc(−x/√2), the standard normal CDF: e·M(t) for x < 0 and 1 − e·M(t) for
    x ≥ 0, t = abs(x); ±inf give 0 and 1, NaN stays NaN."""
    arr = np.asarray(x, dtype=np.float64)
    xf = arr.reshape(-1)
    e, p, _ = _tail(xf, 0, workspace.rows("normal", 5, xf.size))
    return _signed_step(xf, e, p).reshape(arr.shape)


def x_ndtr(x) -> np.ndarray:
    """x·Φ(x) (exact gelu) = max(x, 0) − t·e·M(t), t = abs(x): x·Φ(x) for x < 0 and
    x − x·Φ(−x) for x ≥ 0; −0 at −inf and wherever x < 0 underflows, +inf at +inf, NaN stays NaN."""
    arr = np.asarray(x, dtype=np.float64)
    xf = arr.reshape(-1)
    e, p, t = _tail(xf, 0, workspace.rows("normal", 5, xf.size))
    np.multiply(p, e, out=p)
    np.multiply(p, t, out=p)
    out = np.maximum(xf, 0.0)
    np.subtract(out, p, out=out)
    return np.copysign(out, xf, out=out).reshape(arr.shape)  # x·Φ(x) has x's sign, −0 included


def ndtr_plus_x_pdf(x) -> np.ndarray:
    """Φ(x) + x·φ(x) (exact gelu′) = [x ≥ 0] − s·e·N(t): Φ(−t) − tφ(t) for x < 0 and one minus
    that for x ≥ 0 (gelu′(x) + gelu′(−x) = 1); 0 at −inf, 1 at +inf, NaN stays NaN."""
    arr = np.asarray(x, dtype=np.float64)
    xf = arr.reshape(-1)
    e, p, _ = _tail(xf, 1, workspace.rows("normal", 5, xf.size))
    return _signed_step(xf, e, p).reshape(arr.shape)


def ndtr_pair(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Φ(hi + lo) for a pair of 1-d float64 arrays with abs(lo) at most an ULP or so of hi: the
    tail of abs(hi + lo) is evaluated at u + sign(hi)·lo (:func:`_tail`), so the rounding of
    hi + lo never happens."""
    e, p, _ = _tail(hi, 0, workspace.rows("normal", 5, hi.size), lo)
    return _signed_step(hi, e, p)
