"""The vector entries (softmax, log_softmax, softmin, sparsemax, crelu, softmax2d, gumbel_softmax)
against mpmath at 50 digits, published golden values and their defining properties.

References are the textbook definitions evaluated in mpmath: softmax with the maximum subtracted
and the rest summed as log1p (so a 1 − 4e−18 probability is kept), sparsemax by sorting and the
threshold τ from its definition, the Jacobians from s_i·(δ_ij − s_j) and Σ_{j≠i} s_j.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import actviz
from actviz.core import vector_family as vf

DPS = 50
TOL = 4.0  # "a few ULP"

ADVERSARIAL = [
    [0.2, 0.02, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75],
    [1000.0, 1001.0, 1002.0],
    [0.0, -40.0],
    [-1000.0, 0.0],
    [0.0, 745.0],
    [1e300, -1e300, 0.0],
    [1e-300, -1e-300, 0.0],
    [1.0, 1.0, 1.0],
    [3.0, 3.0, -1.0],
    [5.0],
    [-5.5, 1e6, 1e6 - 1e-9],
    [700.0, -700.0, 0.5],
    [1e17, 1e17 + 16, 1e17 - 16],
]


def mp_softmax(z: list[float], t: float = 1.0) -> list:
    with mp.workdps(DPS):
        zs = [mp.mpf(v) / mp.mpf(t) for v in z]
        k = max(range(len(zs)), key=lambda i: zs[i])
        rest = mp.fsum(mp.exp(v - zs[k]) for i, v in enumerate(zs) if i != k)
        return [mp.exp((v - zs[k]) - mp.log1p(rest)) for v in zs]


def mp_rest(s: list, i: int) -> mp.mpf:
    """Σ_{j≠i} s_j."""
    with mp.workdps(DPS):
        return mp.fsum(v for j, v in enumerate(s) if j != i)


def mp_sparsemax(z: list[float]) -> tuple[list, mp.mpf]:
    """Exact: in rational arithmetic (every float is a fraction), then as 50-digit mpf."""
    zs = [Fraction(v) for v in z]
    srt = sorted(zs, reverse=True)
    k, csum, total_k = 0, Fraction(0), Fraction(0)
    for i, v in enumerate(srt, start=1):
        csum += v
        if 1 + i * v > csum:
            k, total_k = i, csum
    tau = (total_k - 1) / k
    with mp.workdps(DPS):
        as_mp = [mp.mpf(f.numerator) / f.denominator for f in (max(v - tau, Fraction(0)) for v in zs)]
        return as_mp, mp.mpf(tau.numerator) / tau.denominator


def ulp(v: float) -> float:
    return math.ulp(abs(v)) if v != 0 else 5e-324


def ulps(got: float, want, scale=None) -> float:
    """|got − want| in ULP of ``scale`` (default: of the true value)."""
    with mp.workdps(DPS):
        ref = float(want) if scale is None else float(scale)
        return float(abs(mp.mpf(got) - want) / mp.mpf(ulp(ref)))


# --- golden values (catalog-gap.md A13, A14, A17) -------------------------------------------

def test_sparsemax_golden_values_from_the_reference():
    sp = actviz.get("sparsemax")
    np.testing.assert_allclose(sp([1.0, 1.1, 0.0]), [0.45, 0.55, 0.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(sp([0.0, 0.5, 1.0]), [0.0, 0.25, 0.75], rtol=0, atol=1e-15)
    assert sp([0.2, 1.3, 3.75]).tolist() == [0.0, 0.0, 1.0]
    assert sp([0.0, 0.0]).tolist() == [0.5, 0.5]


def test_log_softmax_and_softmin_golden_values():
    np.testing.assert_allclose(actviz.get("log_softmax")([0.2, 1.3, 3.75]),
                               [-3.658871, -2.558871, -0.108871], atol=5e-7)
    np.testing.assert_allclose(actviz.get("softmin")([1.0, 2.0, 3.0]), [0.665241, 0.244728, 0.090031],
                               atol=5e-7)


def test_crelu_doubles_the_axis():
    c = actviz.get("crelu")
    assert c([1.0, -2.0, 0.0]).tolist() == [1.0, 0.0, 0.0, 0.0, 2.0, 0.0]
    x = np.arange(6.0).reshape(2, 3) - 2
    assert c(x, axis=0).shape == (4, 3)
    np.testing.assert_array_equal(c(x, axis=0), np.concatenate([np.maximum(x, 0), np.maximum(-x, 0)]))
    assert np.isnan(c([np.nan])).all()


# --- accuracy against mpmath ----------------------------------------------------------------

@pytest.mark.parametrize("z", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_sparsemax_matches_mpmath(z):
    got = actviz.get("sparsemax")(np.array(z)).tolist()
    want, tau = mp_sparsemax(z)
    m = max(z)
    for g, w, zi in zip(got, want, z, strict=True):
        # p_i = z_i − τ: ULP of the two terms it is the difference of, after the exact shift by max
        with mp.workdps(DPS):
            scale = max(abs(mp.mpf(zi) - m) + abs(tau - m), abs(w))
        assert ulps(g, w, scale) <= TOL, (z, got)


@pytest.mark.parametrize("z", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
@pytest.mark.parametrize("t", [1.0, 0.5, 3.0])
def test_softmax_jacobian_matches_mpmath(z, t):
    jac = actviz.get("softmax", temperature=t).jacobian(np.array(z))
    s = mp_softmax(z, t)
    n = len(z)
    assert jac.shape == (n, n)
    for i in range(n):
        for j in range(n):
            with mp.workdps(DPS):
                want = (s[i] * mp_rest(s, i) if i == j else -s[i] * s[j]) / t
            assert ulps(jac[i, j], want) <= 2 * TOL, (z, t, i, j, jac[i, j], want)


def test_softmax_jacobian_diagonal_keeps_the_tiny_value_next_to_one():
    # s = [1 − 4.2e−18, 4.2e−18]: s₀ − s₀² is 0 in float64, s₀·s₁ is the answer.
    jac = actviz.get("softmax").jacobian([0.0, -40.0])
    want = float(mp_softmax([0.0, -40.0])[1])
    assert jac[0, 0] == pytest.approx(want, rel=1e-15) and jac[0, 0] > 0
    jv = actviz.get("softmax").jvp([0.0, -40.0], [1.0, 0.0])
    assert jv[0] == pytest.approx(want, rel=1e-15)
    lj = actviz.get("log_softmax").jacobian([0.0, -40.0])
    assert lj[0, 0] == pytest.approx(want, rel=1e-15)


@pytest.mark.parametrize("z", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_jvp_matches_mpmath(z, name):
    rng = np.random.default_rng(len(z))
    v = rng.normal(size=len(z))
    neg = name == "softmin"
    s = mp_softmax([-x for x in z] if neg else z)
    got = actviz.get(name).jvp(np.array(z), v)
    for i in range(len(z)):
        with mp.workdps(DPS):
            vs = [mp.mpf(x) for x in v.tolist()]
            terms = [s[j] * (vs[i] - vs[j]) for j in range(len(z))]
            inner = mp.fsum(terms)  # v_i − ⟨s, v⟩
            scale = mp.fsum(abs(x) for x in terms)  # its magnitude without cancellation
            if name == "log_softmax":
                want, mag = inner, scale
            else:
                want, mag = s[i] * inner, s[i] * scale
            want = -want if neg else want
        assert ulps(got[i], want, max(mag, abs(want))) <= 2 * TOL, (name, z, i, got[i], want)


def test_log_softmax_jacobian_matches_mpmath():
    z = ADVERSARIAL[0]
    jac = actviz.get("log_softmax").jacobian(np.array(z))
    s = mp_softmax(z)
    for i in range(len(z)):
        for j in range(len(z)):
            with mp.workdps(DPS):
                want = mp_rest(s, i) if i == j else -s[j]
            assert ulps(jac[i, j], want) <= 2 * TOL


def test_random_vectors_match_mpmath():
    rng = np.random.default_rng(20261201)
    sm, sp = actviz.get("softmax"), actviz.get("sparsemax")
    worst_s = worst_p = 0.0
    for trial in range(60):
        n = int(rng.integers(1, 40))
        z = rng.normal(0, [0.5, 3, 30][trial % 3], size=n)
        got = sm(z).tolist()
        for g, w in zip(got, mp_softmax(z.tolist()), strict=True):
            worst_s = max(worst_s, ulps(g, w))
        want, tau = mp_sparsemax(z.tolist())
        m = z.max()
        for g, w, zi in zip(sp(z).tolist(), want, z.tolist(), strict=True):
            with mp.workdps(DPS):
                scale = max(abs(mp.mpf(zi) - m) + abs(tau - m), abs(w))
            worst_p = max(worst_p, ulps(g, w, scale))
    assert worst_s <= TOL and worst_p <= TOL, (worst_s, worst_p)


def test_hundred_thousand_entries():
    rng = np.random.default_rng(7)
    z = rng.normal(0, 2, size=100_000)
    p = actviz.get("sparsemax")(z)
    assert math.fsum(p.tolist()) == pytest.approx(1.0, abs=1e-12)
    want, tau = mp_sparsemax(z.tolist())
    support = np.flatnonzero(p)
    m = z.max()
    for i in support.tolist():
        with mp.workdps(DPS):
            scale = max(abs(mp.mpf(z[i]) - m) + abs(tau - m), abs(want[i]))
        assert ulps(p[i], want[i], scale) <= TOL
    s = actviz.get("softmax")(z)
    assert math.fsum(s.tolist()) == pytest.approx(1.0, abs=1e-12)
    jv = actviz.get("softmax").jvp(z, np.ones_like(z))  # J·1 = 0: softmax is shift invariant
    assert np.abs(jv).max() < 1e-20


# --- non-finite input, bad input --------------------------------------------------------------

def test_infinities_follow_softmax_conventions():
    sp = actviz.get("sparsemax")
    assert sp([np.inf, 1.0, np.inf]).tolist() == [0.5, 0.0, 0.5]
    assert sp([-np.inf, 1.0, 2.0]).tolist() == [0.0, 0.0, 1.0]
    assert np.isnan(sp([-np.inf, -np.inf])).all()
    assert actviz.get("softmin")([np.inf, 0.0]).tolist() == [0.0, 1.0]
    # the core gives a NaN row, like actviz.softmax; the catalog entry refuses NaN
    rows = vf.sparsemax(np.array([[np.nan, 1.0], [0.0, 0.0]]))
    assert np.isnan(rows[0]).all() and rows[1].tolist() == [0.5, 0.5]


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin", "sparsemax", "softmax2d"])
def test_nan_is_a_value_error(name):
    x = np.ones((2, 2, 2))
    x[1, 0, 1] = np.nan
    with pytest.raises(ValueError, match=f"entry 5 .* is NaN: {name} is undefined"):
        actviz.get(name)(x)
    if name != "softmax2d":
        with pytest.raises(ValueError, match="NaN"):
            actviz.get(name).jvp(x, x)
    assert np.isnan(actviz.get("crelu")([np.nan, 1.0])).tolist() == [True, False, True, False]


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin", "sparsemax", "crelu"])
def test_empty_and_wrong_axis_are_value_errors(name):
    act = actviz.get(name)
    with pytest.raises(ValueError, match="at least one"):
        act(np.zeros((2, 0)))
    with pytest.raises(ValueError, match="axis 3"):
        act(np.zeros((2, 2)), axis=3)


def test_softmax2d_uses_the_channel_axis():
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 5))
    out = actviz.get("softmax2d")(x)
    np.testing.assert_array_equal(out, actviz.softmax(x, axis=-3))
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        actviz.get("softmax2d")(np.zeros((3, 4)))


def test_gumbel_softmax_is_seeded_and_stochastic():
    g = actviz.get("gumbel_softmax", seed=3)
    a, b = g([1.0, 2.0, 3.0]), g([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(a, b)
    c = actviz.get("gumbel_softmax", seed=4)([1.0, 2.0, 3.0])
    assert not np.array_equal(a, c)
    assert math.fsum(a.tolist()) == pytest.approx(1.0)
    hard = actviz.get("gumbel_softmax", seed=3, hard=True)([1.0, 2.0, 3.0])
    assert sorted(hard.tolist()) == [0.0, 0.0, 1.0] and int(np.argmax(hard)) == int(np.argmax(a))
    with pytest.raises(ValueError, match="stochastic"):
        g.jacobian([1.0, 2.0])


def test_float32_stays_float32():
    for name in ("softmax", "softmin", "sparsemax", "log_softmax"):
        assert actviz.get(name)(np.array([1, 2, 3], dtype=np.float32)).dtype == np.float32


# --- properties ---------------------------------------------------------------------------------

VECTORS = arrays(np.float64, st.integers(1, 30),
                 elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@settings(max_examples=200, deadline=None)
@given(VECTORS)
def test_sparsemax_is_the_euclidean_projection_onto_the_simplex(z):
    p = actviz.get("sparsemax")(z)
    assert (p >= 0).all()
    assert abs(math.fsum(p.tolist()) - 1.0) <= z.size * 1e-15  # each p_i within ~2 ULP of 1
    # KKT conditions of min |p − z|² over the simplex: z_i − p_i = τ on the support, z_i ≤ τ off it.
    tau = z - p
    on = p > 0
    scale = 8 * np.spacing(np.abs(z).max() + 1.0)
    assert np.ptp(tau[on]) <= scale
    t = tau[on].mean()
    assert (z[~on] <= t + scale).all()


@settings(max_examples=100, deadline=None)
@given(VECTORS, st.integers(0, 2**31))
def test_sparsemax_beats_any_other_point_of_the_simplex(z, seed):
    p = actviz.get("sparsemax")(z)
    q = np.random.default_rng(seed).dirichlet(np.ones(z.size))
    assert np.sum((p - z) ** 2) <= np.sum((q - z) ** 2) * (1 + 1e-12) + 1e-12


@settings(max_examples=200, deadline=None)
@given(VECTORS)
def test_softmin_is_softmax_of_the_negation(z):
    np.testing.assert_array_equal(actviz.get("softmin")(z), actviz.get("softmax")(-z))


@settings(max_examples=200, deadline=None)
@given(VECTORS)
def test_log_softmax_is_log_of_softmax_where_representable(z):
    s = actviz.get("softmax")(z)
    ls = actviz.get("log_softmax")(z)
    ok = s > 1e-300
    np.testing.assert_allclose(ls[ok], np.log(s[ok]), rtol=1e-14, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(1, 12), elements=st.floats(-30, 30)),
       arrays(np.float64, 12, elements=st.floats(-10, 10)))
def test_jvp_equals_jacobian_times_v(z, v):
    v = v[: z.size]
    for name in ("softmax", "log_softmax", "softmin", "sparsemax", "crelu"):
        act = actviz.get(name)
        np.testing.assert_allclose(act.jvp(z, v), act.jacobian(z) @ v, rtol=1e-12, atol=1e-14)


def test_jacobian_of_a_batch_along_another_axis():
    z = np.random.default_rng(3).normal(size=(3, 4))
    jac = actviz.get("softmax").jacobian(z, axis=0)
    assert jac.shape == (4, 3, 3)
    np.testing.assert_allclose(jac[1], actviz.get("softmax").jacobian(z[:, 1]), rtol=0, atol=0)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin", "sparsemax"])
@pytest.mark.parametrize("z", [[np.inf, 0.0], [np.inf, np.inf, 1.0], [-np.inf, 1.0, 2.0], [1e308, -1e308]])
def test_derivatives_of_non_finite_and_huge_inputs_are_the_limits(name, z):
    # RuntimeWarnings are errors here; the derivatives are those at the limiting outputs.
    act = actviz.get(name)
    jac = act.jacobian(z)
    out = act(z)
    if name == "log_softmax":
        s = actviz.get("softmax")(z)
        want = np.eye(len(z)) - s[None, :]
    elif name == "sparsemax":
        support = (out > 0).astype(float)
        want = np.diag(support) - np.outer(support, support) / support.sum()
    else:
        want = np.diag(out) - np.outer(out, out)
        want = -want if name == "softmin" else want
    np.testing.assert_allclose(jac, want, rtol=0, atol=0)
    np.testing.assert_allclose(act.jvp(z, np.ones(len(z))), jac @ np.ones(len(z)), rtol=0, atol=0)
