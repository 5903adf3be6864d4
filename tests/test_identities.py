"""Property tests (Hypothesis): identities between activations, f′ and f″ against high-precision
numerical derivatives of the mpmath reference, and softmax invariants."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import actviz
from tests.mpref import value

EPS = np.finfo(np.float64).eps
finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite)
def test_sigmoid_symmetry(x):
    s = actviz.get("sigmoid")
    assert abs(s(x) + s(-x) - 1.0) <= EPS


@given(finite)
def test_odd_functions_are_exactly_odd(x):
    for name in ("tanh", "softsign", "tanh_shrink", "hard_tanh", "soft_shrink", "hard_shrink", "identity"):
        f = actviz.get(name)
        assert f(-x) == -f(x), name


@given(finite)
def test_softplus_difference_is_x(x):
    sp = actviz.get("softplus")
    got = sp(x) - sp(-x)
    assert abs(got - x) <= 4 * EPS * max(abs(x), math.log(2))


@given(finite)
def test_relu_and_log_sigmoid_identities(x):
    relu = actviz.get("relu")
    assert relu(x) - relu(-x) == x
    ls, s = actviz.get("log_sigmoid"), actviz.get("sigmoid")
    if s(x) > 1e-300:
        assert math.isclose(ls(x), math.log(s(x)), rel_tol=1e-14, abs_tol=2 * EPS)  # log(σ) near 1: abs
    assert ls.grad(x) == s(-x)


@given(finite)
def test_hard_swish_is_x_times_hard_sigmoid(x):
    hs, hsig = actviz.get("hard_swish"), actviz.get("hard_sigmoid")
    assert math.isclose(hs(x), x * hsig(x), rel_tol=4 * EPS, abs_tol=0) or (hs(x) == 0 and hsig(x) == 0)


@given(st.floats(min_value=-700, max_value=700))
def test_tanh_is_rescaled_sigmoid(x):
    t, s = actviz.get("tanh"), actviz.get("sigmoid")
    assert math.isclose(t(x), 2 * s(2 * x) - 1, rel_tol=1e-12, abs_tol=4 * EPS)


CASES = [(n, {}) for n in actviz.names()] + [
    ("leaky_relu", {"alpha": 3.0}), ("elu", {"alpha": 0.5}), ("celu", {"alpha": 0.3}),
    ("gelu", {"approximate": True}), ("silu", {"beta": 2.0}), ("squareplus", {"b": 0.5}),
]


def _away_from_kinks(act, x: float) -> bool:
    return all(abs(x - k.x) > 1e-6 for k in act.kinks)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CASES), st.floats(min_value=-12, max_value=12), st.sampled_from([1, 2]))
def test_derivatives_match_high_precision_numerical_derivative(case, x, order):
    name, params = case
    act = actviz.get(name, **params)
    assume(_away_from_kinks(act, x))
    assume(abs(x) > 1e-6)  # tiny |x| is covered by the analytic mpmath grid in test_accuracy
    if name in ("soft_shrink", "hard_shrink"):
        assume(abs(abs(x) - act.params["threshold"]) > 1e-6)
    if name == "log1mexp":
        assume(x > 1e-3)  # defined for x > 0 only (NaN below, checked in test_zoo)
    if name == "tanhexp":
        assume(x < 3)  # beyond, f′ is within e^(−2eˣ) of 1: more digits than mp.diff can carry
    got = float([act.grad, act.grad2][order - 1](x))
    # f′ may sit within e^{−x²/2} of a constant (gelu): carry enough digits to see its variation.
    # laplace is Φ((x − μ)/σ): the same for its z.
    zz = ((x - act.params["mu"]) / act.params["sigma"]) ** 2 if name == "laplace" else x * x
    with mp.workdps(60 + int(zz / 4) + int(abs(x))):
        true = mp.diff(lambda t: value(name, act.params, t, order - 1), mp.mpf(x))
        third = mp.diff(lambda t: value(name, act.params, t, order), mp.mpf(x))
    # Relative 1e−12, widened by the condition number of the derivative being checked.
    kappa = float(abs(mp.mpf(x) * third / true)) if true != 0 and x != 0 else 1.0
    tol = 1e-12 * max(1.0, kappa) * abs(float(true)) + 1e-300
    assert abs(got - float(true)) <= tol, (name, params, x, order, got, float(true))


logits = st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=1, max_size=12)


@given(logits, st.floats(min_value=-50, max_value=50))
def test_softmax_sums_to_one_and_is_shift_invariant(z, c):
    p = actviz.softmax(z)
    assert abs(p.sum() - 1.0) <= len(z) * EPS
    assert np.all(p >= 0)
    shifted = actviz.softmax(np.asarray(z) + c)
    # z + c itself rounds: allow that perturbation (|z|·eps per logit) in the comparison.
    scale = 1e-12 + 4 * EPS * (np.max(np.abs(z)) + abs(c))
    assert np.all(np.abs(shifted - p) <= np.maximum(p, 1e-300) * scale * 50 + 1e-300)


@given(logits)
def test_log_softmax_agrees_with_softmax(z):
    p, lp = actviz.softmax(z), actviz.log_softmax(z)
    mask = p > 1e-200
    assert np.allclose(np.exp(lp[mask]), p[mask], rtol=1e-13, atol=0)
    assert np.all(lp <= 0)
    assert p[int(np.argmax(z))] == p.max()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-800, max_value=800), min_size=1, max_size=6),
       st.floats(min_value=0.05, max_value=20))
def test_softmax_matches_mpmath(z, temperature):
    p, lp = actviz.softmax(z, temperature=temperature), actviz.log_softmax(z, temperature=temperature)
    with mp.workdps(50):
        zs = [mp.mpf(v) / mp.mpf(temperature) for v in z]
        lse = mp.log(mp.fsum(mp.exp(v) for v in zs))
        for i, v in enumerate(zs):
            true_lp = v - lse
            true_p = mp.exp(true_lp)
            if true_p > mp.mpf("1e-300"):
                assert abs(mp.mpf(p[i]) - true_p) <= 4 * len(z) * EPS * true_p, (z, temperature, i)
            assert abs(mp.mpf(lp[i]) - true_lp) <= 4 * EPS * abs(true_lp) + 1e-45, (z, temperature, i)
