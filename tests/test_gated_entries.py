"""The gated entries (glu, swiglu, geglu, reglu, bilinear, gpt-oss's clamped SwiGLU) against
mpmath, the golden values of the reference, and the half conventions of each framework.

The reference is h(g, u) = a(g)·u with a(g), a′(g) from tests/mpref.py (textbook definitions in
mpmath), so ∂h/∂g = a′(g)·u and ∂h/∂u = a(g); gpt-oss's unit is written out from HF's
``GptOssMLP._apply_gate``.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import actviz
from actviz.core.gated import join
from tests.accuracy_grid import grid, ulp
from tests.mpref import value

# (entry, its params, gate function in mpref, gate params)
CASES = [
    ("glu", {}, "sigmoid", {}),
    ("swiglu", {}, "silu", {"beta": 1.0}),
    ("geglu", {}, "gelu", {"approximate": False}),
    ("geglu", {"approximate": True}, "gelu", {"approximate": True}),
    ("reglu", {}, "relu", {}),
    ("bilinear", {}, "identity", {}),
]
VALUES = [1.0, -2.5, 3e-5, 7.0, -1e-300, 1e300]


def _gates(name: str) -> np.ndarray:
    xs = grid([0.0])
    return xs[::3] if name != "reglu" else xs[xs != 0]  # reglu's ∂/∂g at 0 is a convention


@pytest.mark.parametrize("case", CASES, ids=[c[0] + ("-tanh" if c[1] else "") for c in CASES])
def test_matches_mpmath(case):
    name, params, gate_fn, gate_params = case
    act = actviz.get(name, **params)
    g = _gates(name)
    failures = []
    for u in VALUES:
        uu = np.full_like(g, u)
        h = act(g, uu)
        dg, du = act.partials(g, uu)
        for x, hv, dgv, duv in zip(g.tolist(), h.tolist(), dg.tolist(), du.tolist(), strict=True):
            mx = mp.mpf(x)
            a0, a1, a2 = (value(gate_fn, gate_params, mx, k) for k in (0, 1, 2))
            for label, got, true, slope, factor in (("h", hv, a0 * u, a1 * u, a0),
                                                    ("dg", dgv, a1 * u, a2 * u, a1),
                                                    ("du", duv, a0, a1, a0)):
                if abs(true) > 1.7976931348623157e308:
                    if not (math.isinf(got) and (got > 0) == (true > 0)):
                        failures.append((label, x, u, got))
                    continue
                if true == 0:
                    if got != 0:
                        failures.append((label, x, u, got, "true 0"))
                    continue
                kappa = float(abs(mx * slope / true)) if x != 0 else 0.0
                # ULP of the product, or of the gate factor times |u| where that factor is
                # subnormal (a(g) < 2.2e−308 has only an absolute accuracy of 5e−324)
                unit = max(ulp(float(true)), ulp(float(factor)) * abs(u))
                err = float(abs(mp.mpf(got) - true) / mp.mpf(unit))
                if err > 4 * max(1.0, kappa):
                    failures.append((label, x, u, got, float(true), round(err, 2), kappa))
    assert not failures, failures[:10]


def test_golden_glu_value_from_the_reference():
    assert actviz.get("glu")([1.0, 2.0, 0.0, 0.0]).tolist() == [0.5, 1.0]
    # vLLM's order reads the same array as gate = [1, 2], value = [0, 0]
    assert actviz.get("glu", framework="vllm")([1.0, 2.0, 0.0, 0.0]).tolist() == [0.0, 0.0]


def test_gpt_oss_unit_matches_its_definition():
    act = actviz.get("gpt_oss_swiglu")
    assert act.gate == "interleaved" and act.params == {"alpha": 1.702, "limit": 7.0}
    gates = [-30.0, -1.0, 0.0, 0.5, 6.999, 7.0, 7.5, 100.0]
    values = [-9.0, -7.0, -1.0, 0.0, 2.0, 6.5, 7.0, 40.0]
    for gv in gates:
        for uv in values:
            with mp.workdps(40):
                gc, uc = min(mp.mpf(gv), 7), min(max(mp.mpf(uv), -7), 7)
                want = (uc + 1) * gc / (1 + mp.exp(-mp.mpf(1.702) * gc))
            got = float(act(np.array([gv, uv]))[0])
            if want == 0:
                assert got == 0
            else:
                assert abs(mp.mpf(got) - want) <= 4 * ulp(float(want)) * max(1, abs(gc) * 2), (gv, uv)
    # interleaved pairs (gate, value): (7, 2), (6, 7), (1, −7)
    dg, du = act.partials(np.array([7.0, 2.0, 6.0, 7.0, 1.0, -7.0]))
    silu = actviz.get("silu", beta=1.702)
    assert dg.tolist()[0] == 0.0  # torch 2.14's autograd at exactly the limit
    assert dg.tolist()[1] == 8.0 * float(silu.grad(6.0))
    assert du.tolist() == [float(silu(7.0)), 0.0, 0.0]  # value at exactly ±L: 0


def test_huge_products_overflow_cleanly_and_nan_propagates():
    sw = actviz.get("swiglu")
    assert sw(np.array([1e200]), np.array([1e200])).tolist() == [math.inf]
    assert sw(np.array([-1e200]), np.array([1e200])).tolist()[0] <= 0
    assert np.isnan(sw(np.array([np.nan]), np.array([1.0]))).all()
    assert np.isnan(sw(np.array([1.0]), np.array([np.nan]))).all()
    assert np.isnan(sw.partials(np.array([1.0]), np.array([np.nan]))[1]).all()
    assert sw(np.array([np.inf]), np.array([2.0])).tolist() == [math.inf]


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu", "reglu", "bilinear", "gpt_oss_swiglu"])
def test_odd_length_names_the_axis_length(name):
    with pytest.raises(ValueError, match="got 3"):
        actviz.get(name)(np.zeros(3))
    with pytest.raises(ValueError, match="axis 0 .* got 5"):
        actviz.get(name)(np.zeros((5, 4)), axis=0)
    with pytest.raises(ValueError, match="out of range"):
        actviz.get(name)(np.zeros(4), axis=2)
    with pytest.raises(ValueError, match="even"):
        actviz.get(name)(np.zeros(0))


def test_presets_choose_the_gate_half():
    assert actviz.get("glu").gate == "last"
    for fw in ("pytorch", "keras", "jax", "tensorflow"):
        assert actviz.get("swiglu", framework=fw).gate == "last"
    for fw in ("vllm", "phi3", "timm"):
        assert actviz.get("swiglu", framework=fw).gate == "first"
    assert actviz.get("swiglu", framework="gpt-oss").gate == "interleaved"
    assert actviz.get("gpt_oss_swiglu", framework="pytorch").gate == "interleaved"
    assert actviz.get("swiglu", framework="vllm", gate="last").gate == "last"
    with pytest.raises(ValueError, match="unknown gate order"):
        actviz.get("glu", gate="middle")
    with pytest.raises(ValueError, match="unknown framework"):
        actviz.get("glu", framework="caffe")


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 8)), elements=st.floats(-50, 50)),
       st.data())
def test_conventions_agree_under_reordering(g, data):
    u = data.draw(arrays(np.float64, g.shape, elements=st.floats(-50, 50)))
    for name in ("glu", "swiglu", "geglu", "gpt_oss_swiglu"):
        want = actviz.get(name)(g, u)
        for order in ("last", "first", "interleaved"):
            act = actviz.get(name, gate=order)
            np.testing.assert_array_equal(act(join(g, u, order)), want)
            np.testing.assert_array_equal(act(join(g, u, order).T, axis=0), want.T)
            dg, du = act.partials(join(g, u, order))
            wg, wu = actviz.get(name).partials(g, u)
            np.testing.assert_array_equal(dg, wg)
            np.testing.assert_array_equal(du, wu)


def test_gate_view_is_the_unit_at_a_fixed_value():
    act = actviz.parse_spec("swiglu:value=2")
    view = act.at_value()
    g = np.linspace(-6, 6, 13)
    np.testing.assert_array_equal(view(g), act(g, np.full_like(g, 2.0)))
    np.testing.assert_array_equal(view.grad(g), act.partials(g, np.full_like(g, 2.0))[0])
    assert view.spec == "swiglu:value=2" and view.label == "swiglu (value=2) [gate: second half]"
    assert view.properties.sup_abs_grad == pytest.approx(2 * actviz.get("silu").properties.sup_abs_grad)
    reglu = actviz.parse_spec("reglu:value=3").at_value()
    (kink,) = reglu.kinks
    assert (kink.x, kink.left, kink.right, kink.value) == (0.0, 0.0, 3.0, 0.0)
    oss = actviz.get("gpt_oss_swiglu").at_value(2.0)
    (kink,) = oss.kinks
    assert kink.x == 7.0 and kink.right == 0.0 and kink.value == 0.0
    assert kink.left == pytest.approx(3.0 * float(actviz.get("silu", beta=1.702).grad(7.0)))


def test_jvp_combines_both_partials():
    act = actviz.get("swiglu")
    x = np.array([0.3, -1.2, 2.0, 0.7])
    v = np.array([1.0, 0.5, -2.0, 3.0])
    dg, du = act.partials(x)
    g_t, u_t = act.split(v)
    np.testing.assert_allclose(act.jvp(x, v), dg * g_t + du * u_t, rtol=0, atol=0)


def test_geglu_exact_and_tanh_gates_differ_by_at_most_the_reference_gap():
    # catalog-gap.md B2: exact vs tanh gate differ by ≤ 4.73e−4 per element (at value 1)
    g = np.linspace(-6, 6, 200_001)
    ones = np.ones_like(g)
    gap = np.abs(actviz.get("geglu")(g, ones) - actviz.get("geglu", approximate=True)(g, ones))
    assert 4.72e-4 < gap.max() < 4.74e-4
