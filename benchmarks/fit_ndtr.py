"""Generate actviz/core/ndtr_table.py: the normal tails Φ(−t) = e^{−t²/2}·M(t) and
Φ(−t) − tφ(t) = e^{−t²/2}·N(t) (N(t) = M(t) − t/√(2π)) on 0 ≤ t ≤ 40 as one degree-4 polynomial
per interval, fitted in mpmath.

    python benchmarks/fit_ndtr.py          (needs the test extra: mpmath; about 20 s)

The intervals follow the bits of v = t + B (B = ¼): each binade [B·2ᵉ, B·2ᵉ⁺¹) of v is cut into
2^M_BITS equal pieces, so the interval of t is ((bits(v) − bits(B)) >> (52 − M_BITS)) — the
pieces are 2⁻¹¹ wide near t = 0 and widen in proportion to t + B, where M varies like 1/t. On
interval k with left end t_k = v_k − B (v_k: v with its low mantissa bits cleared, an exact
float64 number) the polynomial is in u = t − t_k, exact by Sterbenz's lemma, and approximates
e^{−t_k²/2}·M(t) (N alike): the kernel multiplies it by e^{−u·(t_k + u/2)}, whose argument is
small and exact to a few ULP, so no rounding of t² reaches the result (t_k has at most 17 bits,
so the fit's t_k² is exact too). Each is a Chebyshev interpolant of M at 40 digits, scaled and
rounded to float64. N differs from M by the linear −t/√(2π) = −(t_k + u)/√(2π), so it shares
M's coefficients of u², u³, u⁴ and only its c0 and c1 are stored (computed from M's unrounded
ones, so nothing cancels in float64).

The script prints, per function, the largest error of the rounded polynomials in exact
arithmetic (relative, over 13 points of every interval, in units of 2⁻⁵³·max(1, κ) with κ the
condition number of the gelu kernel that uses it: see :func:`worst`); tests/test_ndtr_table.py
refits a sample of intervals with :func:`fit` and checks the shipped numbers against it.
"""

from __future__ import annotations

import struct
import sys
import warnings
from pathlib import Path

import mpmath as mp

mp.mp.dps = 40
B, M_BITS, DEGREE, T_MAX = 0.25, 9, 4, 40.0
OUT = Path(__file__).resolve().parents[1] / "actviz" / "core" / "ndtr_table.py"
_PHI0 = 1 / mp.sqrt(2 * mp.pi)


def _bits(v: float) -> int:
    return struct.unpack("<q", struct.pack("<d", v))[0]


def _float(b: int) -> float:
    return struct.unpack("<d", struct.pack("<q", b))[0]


def count() -> int:
    """The number of intervals covering 0 ≤ t ≤ T_MAX."""
    return ((_bits(T_MAX + B) - _bits(B)) >> (52 - M_BITS)) + 1


def left(k: int) -> float:
    """t_k, the left end of interval k, as the kernel computes it (exact in float64)."""
    return _float(_bits(B) + (k << (52 - M_BITS))) - B


def mills(t):
    """M(t) = e^{t²/2}·Φ(−t) = ½·erfcx(t/√2)."""
    return mp.exp(t * t / 2) * mp.ncdf(-t)


def fit(k: int) -> tuple[list[float], list[float]]:
    """(c0 … c4 of e^{−t_k²/2}·M(t_k + u), c0 and c1 of e^{−t_k²/2}·N(t_k + u)) of interval k,
    rounded to float64 (the scale underflows to 0 beyond t_k ≈ 38.6, where Φ(−t) does)."""
    a = mp.mpf(left(k))
    w = mp.mpf(left(k + 1)) - a
    with warnings.catch_warnings():  # mpmath ≥ 1.4 prefers asc=True, which 1.3 lacks
        warnings.simplefilter("ignore", DeprecationWarning)
        poly = mp.chebyfit(lambda u: mills(a + u), [0, w], DEGREE + 1)
    c = list(reversed(poly))  # constant first
    n0, n1 = c[0] - _PHI0 * a, c[1] - _PHI0
    scale = mp.exp(-a * a / 2)
    return [float(x * scale) for x in c], [float(n0 * scale), float(n1 * scale)]


def worst(k: int, m: list[float], n: list[float]) -> tuple[float, float]:
    """Largest relative errors of the rounded M and N polynomials on interval k in exact
    arithmetic, in units of 2⁻⁵³·max(1, κ): κ = abs(1 − tφ(t)/Φ(−t)) is the condition number of
    gelu(−t) = −t·Φ(−t), and abs(tφ(t)(2 − t²)/(Φ(−t) − tφ(t))) that of gelu′(−t) = Φ(−t) − tφ(t)
    (the contract allows 4·max(1, κ) ULP for the whole kernel). Intervals whose numbers are
    subnormal (t_k > 37.5) are left out: there only absolute errors of a few 2⁻¹⁰⁷⁴ count."""
    a = mp.mpf(left(k))
    if a > 37.5:
        return 0.0, 0.0
    w = mp.mpf(left(k + 1)) - a
    scale = mp.exp(-a * a / 2)
    out_m = out_n = 0.0
    for i in range(13):
        u = w * i / 12
        t = a + u
        acc = mp.mpf(0)
        for c in reversed(m[2:]):
            acc = acc * u + mp.mpf(c)
        pm = (acc * u + mp.mpf(m[1])) * u + mp.mpf(m[0])
        pn = (acc * u + mp.mpf(n[1])) * u + mp.mpf(n[0])
        tm = mills(t) * scale
        tn = tm - _PHI0 * t * scale
        ratio = t * _PHI0 * scale / tm  # tφ(t)/Φ(−t)
        kappa_m = max(1, abs(1 - ratio))
        kappa_n = max(1, abs(t * _PHI0 * scale * (2 - t * t) / tn)) if tn else mp.inf
        out_m = max(out_m, float(abs(pm / tm - 1) * 2**53 / kappa_m))
        if tn:
            out_n = max(out_n, float(abs(pn / tn - 1) * 2**53 / kappa_n))
    return out_m, out_n


def main() -> None:
    total = count()
    rows = [fit(k) for k in range(total)]
    errs = [worst(k, *rows[k]) for k in range(total)]
    err_m, err_n = max(e[0] for e in errs), max(e[1] for e in errs)
    m_cols = [[r[0][p] for r in rows] for p in range(DEGREE + 1)]
    n_cols = [[r[1][p] for r in rows] for p in range(2)]
    lines = [
        '"""Generated by benchmarks/fit_ndtr.py: do not edit. e^{−t_k²/2}·M(t) and e^{−t_k²/2}·N(t),',
        "M(t) = e^{t²/2}·Φ(−t), N(t) = M(t) − t/√(2π), on 0 ≤ t ≤ 40: one degree-4 polynomial in",
        "u = t − t_k per interval k (intervals, t_k: benchmarks/fit_ndtr.py). The coefficients are in",
        "ndtr_table.bin beside this file, little-endian float64: M's c0 … c4 (all c0, then all c1, …),",
        "then N's c0 and c1 (N's c2 … c4 are M's); read with one np.fromfile (a few tenths of a",
        "millisecond, where decoding them from Python text took 8 ms). Largest relative error",
        "of the rounded polynomials in exact arithmetic, in units",
        f'of 2⁻⁵³·max(1, κ) (benchmarks/fit_ndtr.py, worst): M {err_m:.2f}, N {err_n:.2f}."""',
        "",
        f"B = {B!r}",
        f"M_BITS = {M_BITS}",
        f"DEGREE = {DEGREE}",
        f"COUNT = {total}",
        'FILE = "ndtr_table.bin"',
    ]
    values = [v for cols in (m_cols, n_cols) for col in cols for v in col]
    OUT.with_suffix(".bin").write_bytes(struct.pack(f"<{len(values)}d", *values))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {total} intervals, degree {DEGREE}; worst relative error "
          f"M {err_m:.2f}, N {err_n:.2f} (units of 2⁻⁵³·max(1, κ))")


if __name__ == "__main__":
    sys.exit(main())
