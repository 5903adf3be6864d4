"""ULP arithmetic (actviz.core.ulp) at the edges, against independent references: exact rational
rounding (fractions.Fraction), NumPy's IEEE casts, ml_dtypes' bfloat16, and value ranks.

Edges: ±0, subnormals, the largest finite number, ±inf, NaN payloads and signs, ties to even,
double rounding (float64 → float32 → bfloat16 rounds twice; ours must not).
"""

from __future__ import annotations

import math
from fractions import Fraction

import ml_dtypes
import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actviz.check.reference import round_mpf, ulp_error
from actviz.core import ulp as u
from tests.ulpref import rational_round

FMTS = [u.FLOAT64, u.FLOAT32, u.FLOAT16, u.BFLOAT16]
NARROW = [u.FLOAT32, u.FLOAT16, u.BFLOAT16]


def values_of(fmt: u.FloatFormat) -> np.ndarray:
    """Every finite value of a 16-bit format, by an independent decoder, sorted with its patterns."""
    bits = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    dt = np.float16 if fmt is u.FLOAT16 else ml_dtypes.bfloat16
    with np.errstate(invalid="ignore"):  # signalling NaNs
        vals = bits.view(dt).astype(np.float64)
    keep = np.isfinite(vals)
    return bits[keep], vals[keep]


# --- formats -------------------------------------------------------------------------------------
def test_format_constants_match_numpy_and_ml_dtypes() -> None:
    for fmt, info in [(u.FLOAT64, np.finfo(np.float64)), (u.FLOAT32, np.finfo(np.float32)),
                      (u.FLOAT16, np.finfo(np.float16)), (u.BFLOAT16, ml_dtypes.finfo(ml_dtypes.bfloat16))]:
        assert fmt.max_finite == float(info.max)
        assert fmt.min_normal == float(info.smallest_normal)
        assert fmt.min_subnormal == float(info.smallest_subnormal)
        assert fmt.eps == float(info.eps)
    assert u.format_named("bf16") is u.BFLOAT16 and u.format_of(ml_dtypes.bfloat16) is u.BFLOAT16
    assert u.format_of(np.int32) is None
    with pytest.raises(ValueError, match="choose from"):
        u.format_named("float8")


# --- distances -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", [u.FLOAT16, u.BFLOAT16], ids=lambda f: f.name)
def test_distance_is_the_rank_difference_exhaustively(fmt: u.FloatFormat) -> None:
    """Every finite pattern against a few others: the distance is how many distinct values lie
    between them in the sorted list of all values (±0 counted once)."""
    bits, vals = values_of(fmt)
    distinct = np.unique(vals)  # −0 == +0: one entry
    rank = np.searchsorted(distinct, vals)
    rng = np.random.default_rng(7)
    for shift in (1, 2, 3, 17, 1000, 30000):
        other = np.roll(np.arange(bits.size), shift)
        got = u.ulp_distance(bits, bits[other], fmt)
        want = np.abs(rank - rank[other]).astype(np.uint64)
        np.testing.assert_array_equal(got, want)
    pick = rng.integers(0, bits.size, 5000)
    np.testing.assert_array_equal(u.ulp_distance(bits[pick], bits[pick[::-1]], fmt),
                                  np.abs(rank[pick] - rank[pick[::-1]]).astype(np.uint64))


@pytest.mark.parametrize("fmt", FMTS, ids=lambda f: f.name)
def test_distance_edges(fmt: u.FloatFormat) -> None:
    def b(*vals: float) -> np.ndarray:
        return u.round_to(np.array(vals, dtype=np.float64), fmt)

    tiny, big = fmt.min_subnormal, fmt.max_finite
    pairs = {
        (0.0, -0.0): 0, (tiny, -tiny): 2, (tiny, 0.0): 1, (-tiny, -0.0): 1, (big, math.inf): 1,
        (-big, -math.inf): 1, (fmt.min_normal, fmt.min_normal - tiny): 1, (1.0, 1.0 + fmt.eps): 1,
        (1.0, 1.0 - fmt.eps / 2): 1,
    }
    for (a, c), want in pairs.items():
        assert int(u.ulp_distance(b(a), b(c), fmt)[0]) == want, (fmt.name, a, c)
    inf_key = int(u.ordered(b(math.inf), fmt)[0])
    assert int(u.ulp_distance(b(-math.inf), b(math.inf), fmt)[0]) == 2 * inf_key
    # NaN payloads and signs: any NaN equals any NaN; a NaN is infinitely far from a number.
    exp_all = fmt.exp_mask
    nans = np.array([exp_all | 1, exp_all | fmt.frac_mask, exp_all | (1 << (fmt.frac_bits - 1)),
                     fmt.sign_mask | exp_all | 5], dtype=np.uint64).astype(fmt.uint)
    assert u.is_nan(nans, fmt).all() and not u.is_nan(b(math.inf, 0.0, big), fmt).any()
    np.testing.assert_array_equal(u.ulp_distance(nans, nans[::-1], fmt), 0)
    assert (u.ulp_distance(nans, b(1.0, 0.0, math.inf, -big), fmt) == u.NAN_DISTANCE).all()


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(-40, 40))
def test_step_moves_by_nextafter(x: float, n: int) -> None:
    """step by n floats agrees with n calls of nextafter (float64 and float32), and the distance
    back is |n| (±0 are one float)."""
    for fmt, dt in ((u.FLOAT64, np.float64), (u.FLOAT32, np.float32)):
        with np.errstate(over="ignore"):
            v = dt(x)
        if not np.isfinite(v) or abs(float(v)) > fmt.max_finite / 2:
            continue
        want = v
        for _ in range(abs(n)):
            want = np.nextafter(want, dt(math.copysign(math.inf, n)))
            if want == 0:
                want = dt(0.0)  # nextafter steps through −0 and +0 separately; we count one zero
        start = u.round_to(np.array([float(v)]), fmt)
        got = u.widen(u.step(start, n, fmt), fmt)[0]
        assert float(got) == float(want), (fmt.name, x, n)
        assert int(u.ulp_distance(start, u.step(start, n, fmt), fmt)[0]) == abs(n)


# --- rounding ------------------------------------------------------------------------------------
def _samples(n: int, seed: int) -> np.ndarray:
    """Float64 values from every binade, both signs, and the edges of all formats."""
    rng = np.random.default_rng(seed)
    mags = rng.uniform(1, 2, n) * np.exp2(rng.integers(-1074, 1024, n).astype(np.float64))
    edges = []
    for f in NARROW:
        for v in (f.max_finite, f.min_normal, f.min_subnormal, 1.0):
            ulp_v = float(u.ulp_of(np.array([v]), f)[0])
            edges += [v, v + ulp_v / 2, v - ulp_v / 2, v + ulp_v / 4, v * 1.5, v + ulp_v / 2 + v * 2**-40,
                      v / 2, v * 0.75]
    with np.errstate(over="ignore"):
        x = np.concatenate([mags, np.array(edges), [0.0, 1 + 2**-8 + 2**-30, 3 * 2**-150]])
    x = x[np.isfinite(x)]
    return np.concatenate([x, -x])


@pytest.mark.parametrize("fmt", NARROW, ids=lambda f: f.name)
def test_round_to_is_correct_rounding(fmt: u.FloatFormat) -> None:
    x = _samples(3000, 11)
    got = u.widen(u.round_to(x, fmt), fmt).astype(np.float64)
    want = np.array([rational_round(v, fmt) for v in x.tolist()])
    bad = ~((got == want) & (np.signbit(got) == np.signbit(want)))
    assert not bad.any(), list(zip(x[bad][:5], got[bad][:5], want[bad][:5], strict=True))


@pytest.mark.parametrize("fmt", [u.FLOAT32, u.FLOAT16], ids=lambda f: f.name)
def test_generic_rounding_agrees_with_numpy_casts(fmt: u.FloatFormat) -> None:
    x = _samples(200_000, 5)
    dt = np.float32 if fmt is u.FLOAT32 else np.float16
    with np.errstate(over="ignore"):
        want = x.astype(dt).view(fmt.uint)
    np.testing.assert_array_equal(u.round_generic(x, fmt), want)


def test_bfloat16_rounds_once_where_ml_dtypes_rounds_twice() -> None:
    x = np.array([1 + 2**-8 + 2**-30, -(1 + 2**-8 + 2**-30), 1 + 2**-8, 1 + 3 * 2**-8])
    assert u.round_to(x, u.BFLOAT16).tolist() == [0x3F81, 0xBF81, 0x3F80, 0x3F82]
    # (some ml_dtypes versions round the first one twice, through float32, to 0x3F80: not our contract)
    # ties to even among subnormals, overflow at max + ulp/2, NaN and ±inf kept
    t = u.BFLOAT16.min_subnormal
    special = np.array([2.5 * t, 3.5 * t, 0.5 * t, 0.75 * t, np.inf, -np.inf, np.nan, -0.0])
    assert u.round_to(special, u.BFLOAT16).tolist() == [2, 4, 0, 1, 0x7F80, 0xFF80, 0x7FC0, 0x8000]


def test_ulp_of_and_fractional_error() -> None:
    for fmt in FMTS:
        top = float(np.ldexp(1.0, fmt.emax - fmt.frac_bits))
        v = np.array([1.0, 1.5, 2.0, 0.0, fmt.min_subnormal, fmt.min_normal, fmt.max_finite, np.inf, -3.0])
        want = [fmt.eps, fmt.eps, 2 * fmt.eps, fmt.min_subnormal, fmt.min_subnormal, fmt.min_subnormal,
                top, top, 2 * fmt.eps]
        assert u.ulp_of(v, fmt).tolist() == want, fmt.name
    got = np.array([1.0, 1.0, np.inf, np.nan, np.nan, 3.0])
    exact = np.array([1.0 + 2**-25, 1.0 + 3 * 2**-23, np.inf, np.nan, 1.0, np.inf])
    err = u.fractional_error(got, exact, u.FLOAT32)
    assert err.tolist() == [0.25, 3.0, 0.0, 0.0, math.inf, math.inf]


def _ulp64(h: float) -> Fraction:
    """ulp of the binade of a float64 (an independent reading: math.frexp and exact fractions)."""
    if abs(h) < 2.0**-1022:
        return Fraction(1, 2**1074)
    e = min(math.frexp(abs(h))[1] - 1, 1023)
    return Fraction(2) ** (e - 52)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, max_value=1e307, min_value=-1e307),
       st.integers(-(2**40), 2**40), st.integers(-3000, 3000))
def test_fractional_error_of_an_exact_value_beyond_float64(h: float, tail: int, away: int) -> None:
    # An exact value v (a fraction) given as its nearest float64 and the rest in ulps: the error of
    # a result near v equals |got − v| / ulp, computed in exact fractions, subnormals included.
    v = Fraction(h) + Fraction(tail, 2**42) * _ulp64(h)
    hi = float(v)  # correctly rounded (Fraction → float)
    unit = _ulp64(hi)
    rest = float((v - Fraction(hi)) / unit)
    got = float(Fraction(hi) + away * unit)
    err = u.fractional_error(np.array([got]), np.array([hi]), u.FLOAT64, np.array([rest]))[0]
    want = float(abs(Fraction(got) - v) / unit)
    assert err == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_fractional_error_beyond_the_range_of_a_narrow_format() -> None:
    # float32: from max + ulp/2 on (a tie rounds to even: away from max) the exact value rounds to
    # inf, so that infinity is right and anything else wrong; just below, max is right.
    limit = (2.0**24 - 0.5) * 2.0**104
    below = float(np.nextafter(limit, 0.0))
    big = float(np.finfo(np.float32).max)
    got = np.array([np.inf, big, -np.inf, np.nan, -np.inf, np.inf, big])
    exact = np.array([limit, 4e38, 4e38, 4e38, -1e300, below, below])
    err = u.fractional_error(got, exact, u.FLOAT32)
    half = float((Fraction(below) - Fraction(big)) / 2**104)
    assert err.tolist() == [0.0, math.inf, math.inf, math.inf, 0.0, math.inf, half]
    assert half < 0.5


def test_mpmath_rounding_to_float64_edges() -> None:
    c = mp.MPContext()
    c.dps = 40
    t = c.ldexp(1, -1074)
    half_over = c.ldexp(2**53 - 1, 971)  # max + ulp/2: a tie, rounds to even = overflow
    cases = [(2.5 * t, 1e-323), (3.5 * t, 2e-323), (0.5 * t, 0.0), (half_over, math.inf),
             (half_over - c.ldexp(1, 900), 1.7976931348623157e308), (c.mpf(1) + c.ldexp(1, -53), 1.0),
             (c.mpf(1) + c.ldexp(3, -53), 1.0000000000000004), (-half_over, -math.inf)]
    for v, want in cases:
        assert round_mpf(v, c) == want, (v, want)
    assert ulp_error(1.0, c.mpf(1) + c.ldexp(1, -54), c) == 0.25
    assert ulp_error(5e-324, c.mpf(0), c) == 1.0
    assert ulp_error(math.inf, half_over, c) == 0.0
