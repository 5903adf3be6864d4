"""Formulas are evaluated as accurately as their own rounding allows: f, f′, f″ of random
expression trees against an independent mpmath reading (values, and ``mpmath.diff`` for the
derivatives), within 4·max(1, κ) ULP, κ the formula's condition number (tests/expr_mpref.py)."""

from __future__ import annotations

import io
import json
import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import actviz
from actviz.expr import printer
from actviz.expr import tree as t
from actviz.expr.activation import from_text
from actviz.expr.parser import number_text, parse
from tests import expr_mpref as ref
from tests.accuracy_grid import grid, ulp
from tests.test_cli_behaviour import invoke

SMOOTH_UNARY = ("exp", "expm1", "log1p", "sin", "cos", "tanh", "sigmoid", "softplus", "erf", "erfc", "Phi")
SMOOTH_CATALOG = ("gelu", "silu", "mish", "tanh_shrink", "squareplus")
NUMBERS = (0.5, 2.0, 3.0, 1.702, -1.5, 0.1, math.pi)


def _num(v: float) -> t.Node:
    return t.Num(v, number_text(v))


def _neg(node: t.Node) -> t.Node:
    return _num(-node.value) if isinstance(node, t.Num) else t.Neg(node)  # the parser folds −2


leaves = st.one_of(st.just(t.X()), st.sampled_from(NUMBERS).map(_num))


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from("+-*/"), children, children).map(lambda p: t.Bin(*p)),
        st.tuples(st.sampled_from(SMOOTH_UNARY), children).map(lambda p: t.Fn(p[0], (p[1],))),
        st.tuples(children, st.sampled_from((2.0, 3.0))).map(lambda p: t.Bin("**", p[0], _num(p[1]))),
        st.tuples(st.sampled_from(SMOOTH_CATALOG), children).map(lambda p: t.Cat(p[0], p[1])),
        children.map(_neg),
    )


smooth_trees = st.recursive(leaves, _extend, max_leaves=5).filter(t.depends_on_x)


def _allowed(tree: t.Node, order: int, kappa: float, exact) -> float:
    """The tolerance in ULP: 4·max(1, κ); for f″ of a formula with a catalog call, the catalog's
    own f″ contract (1e−12·max(1, κ) relative, tests/test_accuracy.py) as well, since the catalog
    keeps its accuracy inside a formula (silu″ near its zero at 2.399 is 27 ULP off, κ = 2)."""
    allowed = 4 * max(1.0, kappa)
    if order == 2 and any(isinstance(n, t.Cat) for n in t.walk(tree)):
        allowed = max(allowed, 1e-12 * max(1.0, kappa) * abs(float(exact)) / ulp(float(exact)))
    return allowed


def _check(act, tree, x0: float, order: int) -> None:
    got = float([act, act.grad, act.grad2][order](x0))
    try:
        exact = ref.reliable(tree, x0, {}, order)
    except (ValueError, ZeroDivisionError, OverflowError):
        exact = None
    assume(isinstance(exact, mp.mpf) and mp.isfinite(exact) and abs(exact) < 1e300)
    assume(abs(exact) > 1e-250 or exact == 0)
    assume(math.isfinite(got))
    if exact == 0:
        assert abs(got) < 1e-280, (printer.text(tree), x0, order, got)
        return
    kappa = float(ref.condition(tree, x0, {}, order, exact))
    err = float(abs(mp.mpf(got) - exact)) / ulp(float(exact))
    assert err <= _allowed(tree, order, kappa, exact), (printer.text(tree), x0, order, got, err, kappa)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                 HealthCheck.too_slow])
@given(tree=smooth_trees, x0=st.floats(-12, 12), order=st.sampled_from((0, 1, 2)))
def test_random_trees_match_mpmath_within_their_condition(tree, x0, order):
    act = from_text(printer.text(tree))
    assert act.expr.tree == tree  # the canonical text parses back to the same tree
    _check(act, act.expr.tree, x0, order)


# The rest of the grammar: log and sqrt (where defined), abs, min, max, clip, where / if-else and
# catalog entries with kinks, compared away from their switching points (at a kink f′ is the
# convention value and mpmath.diff the mean of both sides), with a named parameter among the leaves.
KINKED_CATALOG = ("relu", "leaky_relu", "elu", "hard_tanh", "celu")


def _extend_all(children):
    return st.one_of(
        _extend(children),
        st.tuples(st.sampled_from(("log", "sqrt", "abs")), children).map(lambda p: t.Fn(p[0], (p[1],))),
        st.tuples(st.sampled_from(("min", "max")), children, children).map(lambda p: t.Fn(p[0], p[1:])),
        st.tuples(children, st.sampled_from(NUMBERS)).map(
            lambda p: t.Fn("clip", (p[0], _num(-abs(p[1])), _num(abs(p[1]))))),
        st.tuples(st.sampled_from(t.COMPARISONS[:4]), children, children, children, children).map(
            lambda p: t.Where(t.Cmp(p[0], p[1], p[2]), p[3], p[4])),
        st.tuples(st.sampled_from(KINKED_CATALOG), children).map(lambda p: t.Cat(p[0], p[1])),
    )


all_trees = st.recursive(st.one_of(leaves, st.just(t.Par("b"))), _extend_all,
                         max_leaves=6).filter(t.depends_on_x)


@settings(max_examples=100, deadline=None)
@given(tree=all_trees)
def test_a_tree_without_decisions_has_no_switches(tree):
    # found_kinks skips the kink search (and its module) when may_switch says there is no decision
    from actviz.expr.jet import Context
    from actviz.expr.kinks import switches

    if switches(tree, Context({"b": 1.0}, "tensorflow")):
        assert t.may_switch(tree)


def _switching_values(tree: t.Node, x0: float, env: dict) -> list:
    """What each branch decision compares, minus what it is compared with, at x0 (mpmath)."""
    out = []
    for n in t.walk(tree):
        pairs = []
        if isinstance(n, t.Fn) and n.name == "abs":
            pairs = [(n.args[0], _num(0.0))]
        elif isinstance(n, t.Fn) and n.name in ("min", "max"):
            pairs = [(n.args[0], n.args[1])]
        elif isinstance(n, t.Fn) and n.name == "clip":
            pairs = [(n.args[0], n.args[1]), (n.args[0], n.args[2])]
        elif isinstance(n, t.Where):
            pairs = [(n.cond.a, n.cond.b)]
        elif isinstance(n, t.Cat):
            pairs = [(n.arg, _num(k.x)) for k in actviz.get(n.name).kinks]
        for a, b in pairs:
            out.append(ref.evaluate(a, mp.mpf(x0), env) - ref.evaluate(b, mp.mpf(x0), env))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                 HealthCheck.too_slow])
@given(tree=all_trees, x0=st.floats(-12, 12), b=st.sampled_from((0.5, 1.702, 3.0)),
       order=st.sampled_from((0, 1, 2)))
def test_random_trees_of_the_whole_grammar_match_mpmath(tree, x0, b, order):
    env = {"b": b} if any(isinstance(n, t.Par) for n in t.walk(tree)) else {}
    text = printer.text(tree) + "".join(f"; {k}={number_text(v)}" for k, v in env.items())
    act = from_text(text)
    assert act.expr.tree == tree
    try:
        switches = _switching_values(tree, x0, env)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        switches = None  # complex or undefined on the way: the formula is not defined at x0
    assume(switches is not None and all(isinstance(s, mp.mpf) and abs(s) > 1e-9 for s in switches))
    got = float([act, act.grad, act.grad2][order](x0))
    try:
        exact = ref.reliable(tree, x0, env, order)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        exact = None
    assume(isinstance(exact, mp.mpf) and mp.isfinite(exact) and 1e-250 < abs(exact) < 1e300)
    assume(math.isfinite(got))
    err = float(abs(mp.mpf(got) - exact)) / ulp(float(exact))
    if err <= 4:
        return  # within 4 ULP whatever κ is
    try:
        kappa = float(ref.condition(tree, x0, env, order, exact))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        kappa = None  # a branch not taken at x0 is undefined there (where(x > b, b, b/x) at 0)
    assume(kappa is not None)
    assert err <= _allowed(tree, order, kappa, exact), (text, x0, order, got, float(exact), err, kappa)


FORMULAS = ["x*sigmoid(1.702*x)", "x*tanh(softplus(x))", "log(1+exp(x))", "x*Phi(x)",
            "x*(1+erf(x/sqrt(2)))/2", "1/(1+exp(-x))", "exp(x)-1", "1-tanh(x)**2", "x/(1+abs(x))",
            "x**3/(1+x**2)", "sqrt(x*x+4)", "silu(2*x)-mish(x)/4"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_classic_formulas_on_seeded_random_samples(formula):
    act = from_text(formula)
    xs = np.random.default_rng(14).normal(0, 8, 150)
    values = [act(xs), act.grad(xs), act.grad2(xs)]  # the whole sample at once, as commands do
    for i, x0 in enumerate(xs.tolist()):
        for order in (0, 1, 2):
            got = float(values[order][i])
            exact = ref.reliable(act.expr.tree, x0, {}, order)
            if exact is None:
                continue  # a zero of f^(order): mpmath.diff cannot tell its sign
            if exact == 0 or abs(exact) < 1e-290:
                assert abs(got) <= 1e-280
                continue
            err = float(abs(mp.mpf(got) - exact)) / ulp(float(exact))
            if err <= 4:
                continue  # within 4 ULP whatever κ is: no need to compute it
            kappa = float(ref.condition(act.expr.tree, x0, {}, order, exact))
            assert err <= 4 * max(1.0, kappa), (formula, x0, order, got, err, kappa)


# Those two overflow in x*x for abs(x) > 1e154 as any float64 program of them does (inf/inf, 0·inf).
SAFE = [f for f in FORMULAS if f not in ("x**3/(1+x**2)", "sqrt(x*x+4)")] + ["gelu(x)/2+silu(x)/2"]


@pytest.mark.parametrize("formula", SAFE + ["max(x, 0.1*x)", "abs(x-1)", "x if x > 1 else 0",
                                                "clip(x, -1, 1)", "relu(x-2)", "leaky_relu(x, alpha=0.3)",
                                                "2**x", "x**0.5", "log(x)", "sqrt(x)"])
def test_every_float64_input_is_safe(formula):
    """No warning, no NaN from finite input where the formula is defined, limits at ±inf, NaN in
    → NaN out, on the hard grid of the catalog's accuracy tests."""
    act = from_text(formula)
    xs = np.concatenate([grid([k.x for k in act.kinks]), [np.inf, -np.inf, np.nan]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [act(xs), act.grad(xs), act.grad2(xs)]
    for y in values:
        assert np.isnan(y[-1])
        domain = xs > 0 if formula in ("x**0.5", "log(x)", "sqrt(x)") else np.isfinite(xs)
        assert not np.isnan(y[domain & np.isfinite(xs)]).any(), formula


def test_infinite_inputs_give_the_limits():
    act = from_text("x*sigmoid(x)")
    assert act(-np.inf) == 0 and act(np.inf) == np.inf
    assert act.grad(-np.inf) == 0 and act.grad(np.inf) == 1
    assert from_text("log(1+exp(x))")(np.inf) == np.inf
    assert from_text("1/(1+exp(-x))")(-np.inf) == 0


def test_stable_rewrites_fix_the_classic_patterns():
    # Exact values: softplus(800) = 800 + log1p(e^−800) rounds to 800; σ(−800) = e^−800/(1+e^−800) ≈ 0.
    assert from_text("log(1+exp(x))")(800.0) == 800.0
    assert from_text("exp(x)-1")(1e-20) == 1e-20
    assert from_text("1-tanh(x)**2")(30.0) == pytest.approx(float(mp.sech(30) ** 2), rel=1e-15)
    g = float(from_text("x*(1+erf(x/sqrt(2)))/2")(-30.0))
    assert g == pytest.approx(float(-30 * mp.ncdf(-30)), rel=1e-14)


def test_catalog_calls_use_the_catalog_kernels():
    x = np.linspace(-10, 10, 2001)
    for name in ("gelu", "silu", "mish", "elu", "leaky_relu"):
        cat, expr = actviz.get(name), from_text(f"{name}(x)")
        for order in range(3):
            a = [cat, cat.grad, cat.grad2][order](x)
            b = [expr, expr.grad, expr.grad2][order](x)
            assert np.array_equal(a, b), (name, order)


def test_parameters_are_bound_and_overridable():
    act = actviz.get("x*sigmoid(b*x); b=1.702")
    assert act.params == {"b": 1.702} and "b=1.702" in act.label
    two = actviz.get("x*sigmoid(b*x); b=1.702", b=2)
    assert float(two(1.5)) == pytest.approx(float(1.5 / (1 + mp.exp(-3))), rel=1e-15)
    assert actviz.parse_spec(two.spec).params == {"b": 2.0}
    with pytest.raises(ValueError, match="no parameter 'c'"):
        actviz.get("x*sigmoid(b*x); b=1", c=1)


def test_literals_mean_the_nearest_float64():
    f = parse("1.702*x")
    assert f.tree.a == t.Num(1.702, "1.702")
    act = from_text("1.702*x")
    assert "1.701999999999999957367" in act.definition.description


# --- kinks --------------------------------------------------------------------------------------
def _kinks(formula: str) -> list[tuple[float, float, float, bool]]:
    return [(k.x, k.left, k.right, k.f_jumps) for k in from_text(formula).kinks]


def test_kinks_have_both_one_sided_derivatives():
    assert _kinks("max(x, 0.1*x)") == [(0.0, 0.1, 1.0, False)]
    assert _kinks("abs(x-1)") == [(1.0, -1.0, 1.0, False)]
    assert _kinks("clip(x, -1, 1)") == [(-1.0, 0.0, 1.0, False), (1.0, 1.0, 0.0, False)]
    assert _kinks("relu(x-2)") == [(2.0, 0.0, 1.0, False)]
    assert _kinks("leaky_relu(3*x, alpha=0.3)") == [(0.0, pytest.approx(0.9), 3.0, False)]


def test_kinks_far_out_are_found_too():
    # Wherever a command derives or plots: 2e6, 1e100 (the float where x*x − 1e200 changes sign), 1e300.
    assert _kinks("max(x, 2e6)") == [(2e6, 0.0, 1.0, False)]
    assert _kinks("clip(x, -1e7, 1e7)") == [(-1e7, 0.0, 1.0, False), (1e7, 1.0, 0.0, False)]
    assert _kinks("where(x > 1e300, 0, x)") == [(1e300, 1.0, 0.0, True)]
    (a, b) = from_text("abs(x*x - 1e200)").kinks
    assert b.x == -a.x == pytest.approx(1e100, rel=1e-15) and (b.left, b.right) == (-2e100, 2e100)
    assert np.nextafter(b.x, 0) ** 2 < 1e200 <= b.x**2  # the float where the decision flips
    code, out, err = invoke(["derive", "relu(x-3e6)", "--at", "3e6", "-f", "json"])
    assert code == 0, err
    assert [(k["x"], k["left"], k["right"]) for k in json.loads(out)["kinks"]] == [(3e6, 0.0, 1.0)]


def test_a_jump_of_f_is_reported():
    (k,) = from_text("x if x > 1 else 0").kinks
    assert (k.x, k.left, k.right, k.f_jumps) == (1.0, 0.0, 1.0, True)
    assert from_text("x if x > 1 else 0").properties.smoothness == "discontinuous"


def test_a_formula_of_the_leaky_relu_has_the_catalogs_kinks():
    cat = actviz.get("leaky_relu", alpha=0.2).kinks[0]
    (mine,) = from_text("where(x >= 0, x, 0.2*x)").kinks
    assert (mine.x, mine.left, mine.right) == (cat.x, cat.left, cat.right)


def test_a_smooth_join_is_not_a_kink():
    act = from_text("where(x > 0, x, expm1(x))")  # elu with α = 1: f′ continuous, f″ jumps
    assert act.kinks == () and act.properties.smoothness == "C¹"


def test_kinks_off_the_integers_are_bisected_to_the_switching_float():
    (k,) = from_text("max(x, 1/3)").kinks
    assert k.x == np.nextafter(1 / 3, 1) or k.x == 1 / 3
    assert (k.left, k.right) == (0.0, 1.0)


def test_measured_properties():
    pr = from_text("x*sigmoid(x)").properties
    ref_min = mp.findroot(lambda z: 1 / (1 + mp.exp(-z)) * (1 + z * (1 - 1 / (1 + mp.exp(-z)))), -1.28)
    true_min = float(ref_min / (1 + mp.exp(-ref_min)))
    assert pr.range_low == pytest.approx(true_min, rel=1e-6) and pr.range_high == math.inf
    assert not pr.monotonic and pr.saturates == ("left",) and pr.smoothness == "C∞"
    th = from_text("tanh(x)").properties
    assert (th.range_low, th.range_high, th.monotonic, th.saturates) == (-1, 1, True, ("left", "right"))
    assert th.sup_abs_grad == 1.0 and th.zero_centred


# --- the derivative shown as a formula ------------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                 HealthCheck.too_slow])
@given(tree=smooth_trees, x0=st.floats(-6, 6))
def test_the_displayed_derivatives_are_the_derivatives(tree, x0):
    """f′ and f″ printed by info/derive, read exactly by mpmath, equal mpmath.diff of f."""
    from actviz.expr import symbolic

    d1, d2 = symbolic.derivative(tree), symbolic.derivative(symbolic.derivative(tree))
    for order, shown in ((1, d1), (2, d2)):
        try:
            want = ref.reliable(tree, x0, {}, order)
            got = ref.derivative(shown, x0, {}, 0)  # its value, precision raised past cancellations
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if want is None or not (mp.isfinite(want) and mp.isfinite(got)):
            continue
        # 1e−14: the constants of the rules (π in erf′ and Φ′) are float64 numbers, as in a formula
        assert abs(got - want) <= mp.mpf("1e-14") * max(abs(want), 1e-300), (printer.text(tree), order)


def test_derivative_formulas_read_well():
    shown = from_text("x*sigmoid(1.702*x)").dformula.text
    assert shown == "f′(x) = σ(1.702·x) + 1.702·x·σ(1.702·x)·σ(−1.702·x)"
    assert from_text("max(x, 0.1*x)").dformula.text == "f′(x) = where(x ≥ 0.1·x, 1, 0.1)"
    assert from_text("gelu(2*x)+x**3").d2formula.text == "f″(x) = 4·gelu″(2·x) + 6·x"
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.mathtext import math_to_image

    for formula in ("x*sigmoid(b*x); b=1", "gelu(2*x)+x**3", "x*Phi(x)", "abs(x-1)"):
        act = from_text(formula)
        for f in (act.dformula, act.d2formula):
            math_to_image(f.tex, io.BytesIO(), format="png")  # raises if the mathtext is invalid


def test_periodic_switches_give_the_kinks_nearest_zero():
    kinks = from_text("abs(sin(100*x))").kinks
    assert len(kinks) == 64  # MAX_KINKS, the ones nearest 0
    steps = [k.x / (math.pi / 100) for k in kinks]
    assert all(abs(s - round(s)) < 1e-9 for s in steps) and 0.0 in [k.x for k in kinks]
    assert max(abs(round(s)) for s in steps) <= 33
