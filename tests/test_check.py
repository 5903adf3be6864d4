"""``check`` measures exactly the error put into an implementation.

Implementations with known errors — the correctly rounded value moved by 3 floats, naive
σ′ = σ(1 − σ) with its false zeros, GELU as 0.5·x·(1 + erf(x/√2)) in float32, float32 results
computed through float16 — are audited in every dtype, and each point's measured error is compared
with the truth computed here independently: the exact value from mpmath (tests/mpref.py, the
textbook formulas) and its correct rounding by rational arithmetic (tests/ulpref.py).
"""

from __future__ import annotations

import math

import ml_dtypes
import mpmath as mp
import numpy as np
import pytest

import actviz
from actviz.check import audit as audit_mod
from actviz.check.audit import audit
from actviz.core import ulp as u
from tests.mpref import value
from tests.ulpref import exact_fraction, round_exact

FMTS = [u.FLOAT64, u.FLOAT32, u.FLOAT16, u.BFLOAT16]


def encode(values: list[float] | np.ndarray, fmt: u.FloatFormat) -> np.ndarray:
    """Bit patterns of values that are numbers of fmt (by NumPy/ml_dtypes, not by actviz)."""
    v = np.asarray(values, dtype=np.float64)
    if fmt is u.FLOAT64:
        return v.view(np.uint64)
    dt = {"float32": np.float32, "float16": np.float16, "bfloat16": ml_dtypes.bfloat16}[fmt.name]
    out = v.astype(np.float32).astype(dt)  # exact: the values are numbers of fmt
    assert (out.astype(np.float64) == v).all() or np.isnan(v).any()
    return out.view(fmt.uint)


def truth(name: str, xs: np.ndarray, order: int, fmt: u.FloatFormat, params: dict | None = None):
    """(exact mpf values, correctly rounded floats) at float inputs xs."""
    act = actviz.get(name, **(params or {}))
    ex = [value(name, act.params, mp.mpf(float(x)), order) for x in xs]
    return ex, np.array([round_exact(exact_fraction(v), fmt) for v in ex])


def true_ulps(got: np.ndarray, ex: list, fmt: u.FloatFormat) -> np.ndarray:
    """|got − exact| / ulp(exact) in mpmath."""
    out = []
    for g, v in zip(got.tolist(), ex, strict=True):
        a = abs(v)
        e = fmt.emin if a == 0 else min(max(int(mp.floor(mp.log(a, 2))), fmt.emin), fmt.emax)
        if a != 0 and mp.ldexp(1, e) > a:
            e -= 1
        if a != 0 and mp.ldexp(1, e + 1) <= a:
            e += 1
        out.append(float(abs(mp.mpf(g) - v) / mp.ldexp(1, max(e, fmt.emin) - fmt.frac_bits)))
    return np.array(out)


def inputs(fmt: u.FloatFormat, lo: float, hi: float, n: int) -> np.ndarray:
    """n numbers of fmt spread over [lo, hi] (as float64)."""
    bits = u.round_to(np.linspace(lo, hi, n), fmt)
    return np.unique(u.widen(bits, fmt).astype(np.float64))


def run(name: str, xs: np.ndarray, fmt: u.FloatFormat, f_vals, df_vals=None, params=None, **kw):
    act = actviz.get(name, **(params or {}))
    res = {"f": encode(f_vals, fmt)}
    if df_vals is not None:
        res["df"] = encode(df_vals, fmt)
    return audit(act, xs, fmt, res, implementation="test", x_fmt=u.FLOAT64, **kw)


def assert_errors_match(result, quantity: str, want: np.ndarray, rel: float) -> None:
    """Every point's measured ULP error (the plot sample holds all points of a small input)."""
    s = result.samples[quantity]
    assert s.ulp.size == want.size
    np.testing.assert_allclose(s.ulp.astype(np.float64), want, rtol=rel, atol=1e-6)
    q = next(q for q in result.quantities if q.quantity == quantity)
    assert q.max_ulp == pytest.approx(float(want.max()), rel=rel, abs=1e-6)


@pytest.mark.parametrize("fmt", FMTS, ids=lambda f: f.name)
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "gelu"])
def test_a_three_ulp_perturbation_measures_three(fmt: u.FloatFormat, name: str) -> None:
    xs = inputs(fmt, -9.0, 9.0, 160 if fmt is u.FLOAT64 else 400)
    ex, cr = truth(name, xs, 0, fmt)
    keep = (np.abs(cr) > 8 * fmt.min_subnormal) & (np.abs(cr) < fmt.max_finite / 2)
    xs, cr, ex = xs[keep], cr[keep], [v for v, k in zip(ex, keep, strict=True) if k]
    # 3 floats farther from zero: +3 on the magnitude bits (independent of actviz's ordering)
    moved = (encode(cr, fmt).astype(np.uint64) + np.uint64(3)).astype(fmt.uint)
    got = u.widen(moved, fmt).astype(np.float64)
    result = run(name, xs, fmt, got)
    q = result.quantities[0]
    assert q.max_distance == 3 and q.correctly_rounded == 0.0
    assert dict(q.histogram)["≤4"] == xs.size and q.mismatches == 0
    assert 2.5 <= q.max_ulp <= 6.5  # 6.5 where the exact value is just below a power of 2
    assert_errors_match(result, "f", true_ulps(got, ex, fmt), rel=1e-6)


@pytest.mark.parametrize("fmt", [u.FLOAT32, u.FLOAT16, u.BFLOAT16], ids=lambda f: f.name)
def test_naive_sigmoid_derivative_false_zeros(fmt: u.FloatFormat) -> None:
    """σ′ = σ(1 − σ) in the target dtype: 0 once σ rounds to 1, while the truth is e^{−x}."""
    xs = inputs(fmt, -30.0, 40.0, 1500)
    s = encode(truth("sigmoid", xs, 0, fmt)[1], fmt)
    dt = {"float32": np.float32, "float16": np.float16, "bfloat16": ml_dtypes.bfloat16}[fmt.name]
    sv = s.view(dt)
    naive = (sv * (dt(1) - sv)).astype(np.float64)  # rounded in the target dtype, as a kernel would
    ex, cr = truth("sigmoid", xs, 1, fmt)
    result = run("sigmoid", xs, fmt, truth("sigmoid", xs, 0, fmt)[1], naive)
    q = result.quantities[1]
    false_zeros = int(np.count_nonzero((naive == 0) & (cr != 0)))
    assert false_zeros > 10
    assert dict(q.histogram)[">16"] >= false_zeros
    assert q.worst[0].got == 0.0 and q.worst[0].exact > 0
    assert_errors_match(result, "df", true_ulps(naive, ex, fmt), rel=1e-6)
    f = result.quantities[0]
    assert f.max_distance == 0 and f.correctly_rounded == 1.0 and f.max_ulp <= 0.5


def test_one_plus_erf_gelu_in_float32() -> None:
    """0.5·x·(1 + erf(x/√2)) in float32 arithmetic (erf correctly rounded): the sum cancels for
    x < −2 and is exactly 0 from about −5.5 on, where the truth is −x·Φ(x) ≈ 1e−8."""
    xs = inputs(u.FLOAT32, -8.0, 4.0, 1200)
    x32 = xs.astype(np.float32)
    erf = np.array([math.erf(float(v)) for v in (x32 / np.float32(math.sqrt(2))).astype(np.float64)],
                   dtype=np.float32)
    got = (np.float32(0.5) * x32 * (np.float32(1) + erf)).astype(np.float64)
    ex, _ = truth("gelu", xs, 0, u.FLOAT32)
    result = run("gelu", xs, u.FLOAT32, got)
    q = result.quantities[0]
    assert q.max_ulp > 1e6  # the false zeros
    assert_errors_match(result, "f", true_ulps(got, ex, u.FLOAT32), rel=1e-6)
    tail = next(r for r in q.regions if r.name == "centre")
    assert tail.max_ulp == q.max_ulp


def test_float32_through_float16() -> None:
    """A float32 kernel that computes in float16: up to 2^12 float32 ULP, measured exactly."""
    xs = inputs(u.FLOAT32, -6.0, 6.0, 900)
    _, cr32 = truth("sigmoid", xs, 0, u.FLOAT32)
    got = cr32.astype(np.float16).astype(np.float64)
    ex, _ = truth("sigmoid", xs, 0, u.FLOAT32)
    result = run("sigmoid", xs, u.FLOAT32, got)
    q = result.quantities[0]
    want_dist = np.abs(encode(got, u.FLOAT32).astype(np.int64) - encode(cr32, u.FLOAT32).astype(np.int64))
    assert q.max_distance == int(want_dist.max()) > 1000
    assert q.correctly_rounded == pytest.approx(float(np.mean(want_dist == 0)))
    assert_errors_match(result, "f", true_ulps(got, ex, u.FLOAT32), rel=1e-6)


@pytest.mark.parametrize("fmt", [u.FLOAT16, u.BFLOAT16], ids=lambda f: f.name)
def test_exhaustive_correctly_rounded_scores_zero(fmt: u.FloatFormat) -> None:
    """The correctly rounded values of every finite input: distance 0, error ≤ 0.5 everywhere."""
    bits = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    with np.errstate(invalid="ignore"):
        xs = bits.view(np.float16 if fmt is u.FLOAT16 else ml_dtypes.bfloat16).astype(np.float64)
    xs = xs[np.isfinite(xs)][::7]
    _, cr = truth("tanh", xs, 0, fmt)
    q = run("tanh", xs, fmt, cr).quantities[0]
    assert q.max_distance == 0 and q.correctly_rounded == 1.0 and q.max_ulp <= 0.5


def test_nan_and_inf_mismatches_are_counted_apart() -> None:
    xs = np.array([1.0, 2.0, 89.0, 89.0, np.nan, np.nan, np.inf, -np.inf, -0.0, 3.0])
    # exponential in float32: e^89 overflows (correctly rounded: inf)
    f32 = np.float32
    good = [float(f32(math.e)), float(f32(math.exp(2)))]
    got = [np.nan, good[1], float(np.finfo(f32).max), np.inf, np.nan, 1.0, np.inf, 0.0, 1.0, np.inf]
    result = run("exponential", xs, u.FLOAT32, got)
    q = result.quantities[0]
    assert q.nan_mismatches == 2  # NaN for e^1; 1.0 for e^NaN
    assert q.inf_mismatches == 2  # max finite where e^89 rounds to inf; inf for e^3
    assert q.compared == 6
    names = {r.name: r.count for r in q.regions}
    assert names["NaN"] == 1 and names["±inf"] == 2 and names["±0"] == 1
    assert not result.passed or result.max_ulp is None
    assert not run("exponential", xs, u.FLOAT32, got, max_ulp=1e9).passed


def test_signed_zero_is_zero_distance() -> None:
    xs = np.array([-0.0, 0.0, -1.0, -5.0])
    q = run("relu", xs, u.FLOAT32, [-0.0, -0.0, 0.0, -0.0]).quantities[0]
    assert q.max_distance == 0 and q.max_ulp == 0.0 and q.correctly_rounded == 1.0


def test_chunking_does_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    xs = rng.normal(0, 6, 3000).astype(np.float32).astype(np.float64)
    got = (1 / (1 + np.exp(-xs))).astype(np.float32).astype(np.float64)
    whole = run("sigmoid", xs, u.FLOAT32, got).to_dict()
    monkeypatch.setattr(audit_mod, "CHUNK", 37)
    assert run("sigmoid", xs, u.FLOAT32, got).to_dict() == whole


def test_float64_sample_finds_the_planted_error() -> None:
    """A float64 input larger than the mpmath sample: the prescreen keeps the worst point."""
    xs = np.linspace(-8, 8, 4001)
    act = actviz.get("silu")
    got = act(xs).copy()
    got[1234] = u.widen(u.step(got[1234:1235].view(np.uint64), 1000, u.FLOAT64), u.FLOAT64)[0]
    result = run("silu", xs, u.FLOAT64, got, mp_sample=200)
    q = result.quantities[0]
    assert q.count <= 200
    assert q.max_distance in (999, 1000, 1001)  # the planted point (actviz's own value is ≤ 1 off)
    assert q.worst[0].x == xs[1234]
    assert any("mpmath" in n and "not audited" in n for n in result.notes)


def test_assert_close_tolerance_is_the_smallest_that_passes() -> None:
    rng = np.random.default_rng(4)
    xs = rng.normal(0, 4, 500).astype(np.float32).astype(np.float64)
    _, cr = truth("tanh", xs, 0, u.FLOAT32)
    got = cr * (1 + rng.normal(0, 3e-5, xs.size))
    got = got.astype(np.float32).astype(np.float64)
    t = run("tanh", xs, u.FLOAT32, got).quantities[0].tolerance
    diff, mag = np.abs(got - cr), np.abs(cr)
    assert t.rtol > t.default_rtol and not t.passes_defaults
    assert (diff <= t.default_atol + t.rtol * mag * (1 + 1e-12)).all()
    assert not (diff <= t.default_atol + t.rtol * (1 - 1e-6) * mag).all()
    assert (diff <= t.atol * (1 + 1e-12) + t.default_rtol * mag).all()
    assert t.passes_defaults == bool((diff <= t.default_atol + t.default_rtol * mag).all())


@pytest.mark.parametrize("fmt", [u.FLOAT64, u.FLOAT32], ids=lambda f: f.name)
@pytest.mark.parametrize("name, want", [("identity", [-np.inf, np.inf]), ("sigmoid", [0.0, 1.0]),
                                        ("tanh_shrink", [-np.inf, np.inf]), ("softplus", [0.0, np.inf])])
def test_the_limits_at_infinity(fmt: u.FloatFormat, name: str, want: list[float]) -> None:
    xs = np.array([-np.inf, np.inf])
    right = run(name, xs, fmt, want).quantities[0]
    assert right.mismatches == 0 and right.max_ulp == 0
    wrong = run(name, xs, fmt, [1.0, 2.0**100]).quantities[0]
    assert wrong.mismatches + wrong.compared == 2 and (wrong.mismatches or wrong.max_ulp > 1)


def test_hard_grid_covers_binades_subnormals_and_saturation_edges() -> None:
    from actviz.check.grid import hard_grid

    act = actviz.get("sigmoid")
    bits = hard_grid(act, u.FLOAT32)
    assert (np.diff(bits[:-1].astype(np.int64)) > 0).all() and u.is_nan(bits, u.FLOAT32).sum() == 1
    exps = (bits.astype(np.uint32) >> 23) & 0xFF
    for sign in (0, 1):
        mine = exps[(bits >> 31) == sign]
        assert set(range(0, 256)) <= set(mine.tolist())  # every binade, subnormals (0) and inf/NaN (255)
    # σ(x) rounds to 1 in float32 from x = log(2^25 − 1) on (1 − 2^−25 is the midpoint below 1)
    edge = float(mp.log(mp.mpf(2) ** 25 - 1))
    below = np.float32(edge)
    below = below if float(below) < edge else np.nextafter(below, np.float32(0))
    values = set(u.widen(bits, u.FLOAT32).tolist())
    for k in range(-3, 4):
        v = below
        for _ in range(abs(k)):
            v = np.nextafter(v, np.float32(np.sign(k) * np.inf))
        assert float(v) in values, k
    assert hard_grid(act, u.BFLOAT16).size == 65536 and hard_grid(act, u.FLOAT16).size == 65536


@pytest.mark.parametrize("framework, ok", [("pytorch", True), ("jax", False)])
def test_kink_values_follow_the_framework_preset(framework: str, ok: bool) -> None:
    """leaky_relu′(0) is α in PyTorch and 1 in JAX: an implementation returning α at 0 is exact
    under the first convention and off under the second, in the kinks region."""
    act = actviz.get("leaky_relu", framework=framework, alpha=0.25)
    xs = np.array([-2.0, -0.0, 0.0, 3.0])
    grads = [0.25, 0.25, 0.25, 1.0]
    q = audit(act, xs, u.FLOAT32, {"df": encode(grads, u.FLOAT32)}, implementation="t").quantities[0]
    kinks = next(r for r in q.regions if r.name in ("±0", "kinks"))
    assert (q.max_distance == 0) == ok and (kinks.max_distance == 0) == ok
