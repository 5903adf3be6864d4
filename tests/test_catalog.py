"""The catalog's API, lookup, parameters, framework presets, kinks and declared properties."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actviz
from actviz.catalog.registry import parse_spec
from tests import extremes

REQUIRED = [
    "identity", "sigmoid", "tanh", "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu",
    "silu", "mish", "softplus", "softsign", "log_sigmoid", "hard_sigmoid", "hard_tanh",
    "hard_swish", "squareplus", "tanh_shrink", "soft_shrink", "hard_shrink", "exponential",
]


def test_catalog_has_every_required_function():
    assert set(REQUIRED) <= set(actviz.names())


@pytest.mark.parametrize(
    "spelling, canonical",
    [("LeakyReLU", "leaky_relu"), ("leaky-relu", "leaky_relu"), ("leakyrelu", "leaky_relu"),
     ("swish", "silu"), ("hard_silu", "hard_swish"), ("logistic", "sigmoid"), ("expit", "sigmoid"),
     ("linear", "identity"), ("SOFT_SIGN", "softsign"), ("logsigmoid", "log_sigmoid"),
     ("hardtanh", "hard_tanh")],
)
def test_lookup_is_case_and_dash_insensitive_and_knows_aliases(spelling, canonical):
    assert actviz.get(spelling).name == canonical


def test_unknown_name_suggests_closest():
    with pytest.raises(ValueError, match=r"unknown activation 'relux'; did you mean 'relu'"):
        actviz.get("relux")


def test_unknown_and_out_of_range_parameters_are_named():
    with pytest.raises(ValueError, match="has no parameter 'beta'"):
        actviz.get("leaky_relu", beta=1)
    with pytest.raises(ValueError, match="alpha=−1 is out of range"):
        actviz.get("celu", alpha=-1)
    assert actviz.get("leaky_relu", alpha=-1)(-2.0) == 2.0  # any real α is legal (PyTorch, TF, JAX)
    with pytest.raises(ValueError, match="must be a number"):
        actviz.get("elu", alpha="abc")
    with pytest.raises(ValueError, match="out of range"):
        actviz.get("squareplus", b=0)
    with pytest.raises(ValueError, match="unknown framework"):
        actviz.get("relu", framework="caffe")


def test_spec_parsing():
    act = parse_spec("leaky_relu:alpha=0.1")
    assert act.params == {"alpha": 0.1} and act.label == "leaky_relu (α=0.1)"
    assert parse_spec("leaky_relu:0.3").params == {"alpha": 0.3}
    assert parse_spec("gelu:approximate=true").params == {"approximate": True}
    assert parse_spec("elu:α=2").params == {"alpha": 2.0}
    assert parse_spec(act.spec).params == act.params
    for bad in ("leaky_relu:alpha", "leaky_relu:alpha=1,alpha=2", ":alpha=1", "relu:x=1"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_framework_presets_switch_defaults():
    assert actviz.get("leaky_relu").params["alpha"] == 0.2
    assert actviz.get("leaky_relu", framework="keras").params["alpha"] == 0.2
    assert actviz.get("leaky_relu", framework="pytorch").params["alpha"] == 0.01
    assert actviz.get("leaky_relu", framework="jax").params["alpha"] == 0.01
    assert actviz.get("gelu").params["approximate"] is False
    assert actviz.get("gelu", framework="jax").params["approximate"] is True


# f′ at kinks, as each framework's autodiff returns it (shared/reference/frameworks.md).
LAMBDA, LAMBDA_ALPHA = 1.0507009873554805, 1.7580993408473766
KINK_VALUES = [
    ("relu", {}, 0.0, {"tensorflow": 0, "pytorch": 0, "jax": 0}),
    ("relu6", {}, 0.0, {"tensorflow": 0, "pytorch": 0, "jax": 0}),
    ("relu6", {}, 6.0, {"tensorflow": 0, "pytorch": 0, "jax": 0}),
    ("leaky_relu", {"alpha": 0.1}, 0.0, {"tensorflow": 0.1, "pytorch": 0.1, "jax": 1.0}),
    ("elu", {"alpha": 0.5}, 0.0, {"pytorch": 0.5, "jax": 0.5}),
    ("selu", {}, 0.0, {"tensorflow": LAMBDA, "pytorch": LAMBDA_ALPHA, "jax": LAMBDA_ALPHA}),
    ("hard_tanh", {}, 1.0, {"pytorch": 0.0, "jax": 1.0}),
    ("hard_tanh", {}, -1.0, {"pytorch": 0.0, "jax": 1.0}),
    ("hard_sigmoid", {}, 3.0, {"pytorch": 0.0, "jax": 0.0}),
    ("hard_sigmoid", {}, -3.0, {"pytorch": 0.0, "jax": 0.0}),
    ("hard_swish", {}, -3.0, {"pytorch": 0.0, "jax": 0.0}),
    ("hard_swish", {}, 3.0, {"pytorch": 1.0, "jax": 1.0}),
]


@pytest.mark.parametrize("name, params, at, expected", KINK_VALUES)
def test_gradient_at_kinks_follows_the_framework(name, params, at, expected):
    for framework, value in expected.items():
        act = actviz.get(name, framework=framework, **params)
        assert act.grad(at) == pytest.approx(value, rel=1e-15), framework
        assert act.grad(np.array([at - 1.0, at, at + 1.0]))[1] == pytest.approx(value, rel=1e-15)
        kink = next(k for k in act.kinks if k.x == at)
        assert kink.value == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("name", actviz.names())
def test_kinks_one_sided_derivatives_match_the_function(name):
    act = actviz.get(name)
    for k in act.kinks:
        below, above = np.nextafter(k.x, -np.inf), np.nextafter(k.x, np.inf)
        assert act.grad(below) == pytest.approx(k.left, rel=1e-9, abs=1e-12)
        assert act.grad(above) == pytest.approx(k.right, rel=1e-9, abs=1e-12)
        # a kink is a jump of f′, of f (step), or a point where frameworks disagree (celu at 0)
        assert k.left != k.right or k.f_jumps or len(set(k.framework_values.values())) > 1


def test_elu_with_alpha_one_has_no_kink_but_other_alphas_do():
    assert actviz.get("elu").kinks == ()
    assert len(actviz.get("elu", alpha=0.5).kinks) == 1


SAMPLES = np.sort(np.concatenate([np.linspace(-30, 30, 6001), [-1e6, -700, 700, 1e6]]))


@pytest.mark.parametrize("name", actviz.names())
def test_declared_properties_hold_on_samples(name):
    act = actviz.get(name)
    pr = act.properties
    y, dy = act(SAMPLES), act.grad(SAMPLES)
    finite = np.isfinite(y)
    assert np.all(y[finite] >= pr.range_low - 1e-12)
    assert np.all(y[finite] <= pr.range_high + 1e-12)
    dy = dy[~np.isnan(dy)]  # outside the domain (log1mexp for x < 0)
    assert np.all(np.abs(dy) <= pr.sup_abs_grad * (1 + 1e-9))
    if math.isfinite(pr.sup_abs_grad):
        assert np.max(np.abs(dy)) >= pr.sup_abs_grad * 0.99  # the supremum is (nearly) reached
    if pr.monotonic:
        assert np.all(np.diff(y[finite]) >= 0)
    else:
        assert np.any(np.diff(y) < 0)
    if pr.zero_centred:
        assert act(0.0) == 0 and np.any(y < 0) and np.any(y > 0)
    for side in pr.saturates:
        far = -1e6 if side == "left" else 1e6
        assert abs(act.grad(far)) < 1e-6


def test_dtypes_and_shapes():
    act = actviz.get("sigmoid")
    x32 = np.linspace(-5, 5, 7, dtype=np.float32)
    assert act(x32).dtype == np.float32 and act.grad(x32).dtype == np.float32
    assert act([1, 2, 3]).dtype == np.float64
    assert isinstance(act(0.5), np.floating) and np.ndim(act(0.5)) == 0
    assert act(np.zeros((2, 3))).shape == (2, 3)
    assert actviz.get("exponential")(np.float32(100)) == np.inf  # overflows float32, no warning
    with pytest.raises(ValueError):
        act(np.array(["a"]))


def test_softmax_api_shapes_axis_and_temperature():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    p = actviz.softmax(z)
    assert p.shape == (2, 3) and np.allclose(p.sum(axis=-1), 1.0)
    pt = actviz.softmax(z, axis=0)
    assert np.allclose(pt.sum(axis=0), 1.0)
    hot = actviz.softmax([1.0, 2.0], temperature=0.01)
    assert hot[1] > 0.9999
    assert actviz.softmax(np.float32([1, 2])).dtype == np.float32
    with pytest.raises(ValueError, match="temperature"):
        actviz.softmax([1.0, 2.0], temperature=0)
    assert float(actviz.softmax(3.0)) == 1.0
    assert actviz.log_softmax([0.0, -40.0])[0] == pytest.approx(-4.248354255291589e-18, rel=1e-15)


@pytest.mark.parametrize(
    "spec", ["gelu", "gelu:approximate=true", "silu", "silu:beta=2.5", "mish"]
)
def test_extremes_without_closed_form_match_a_numerical_search(spec):
    act = parse_spec(spec)
    pr = act.properties
    assert pr.range_low == pytest.approx(extremes.minimum(act), rel=1e-13)
    assert pr.sup_abs_grad == pytest.approx(extremes.maximum(lambda x: np.abs(act.grad(x))), rel=1e-13)


def test_list_and_properties_do_not_need_scipy():
    import subprocess
    import sys

    code = ("import sys, actviz\n"
            "from actviz.catalog.describe import catalog_rows\n"
            "catalog_rows()\n"
            "assert 'scipy' not in sys.modules and 'matplotlib' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", actviz.names())
def test_formulas_are_valid_mathtext_and_text(name):
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    d = actviz.get(name).definition
    for formula in (d.formula, d.dformula, d.d2formula):
        assert formula.tex.startswith("$") and formula.tex.endswith("$")
        parser.parse(formula.tex)  # raises ValueError on anything Matplotlib cannot typeset
        assert formula.text and "\\" not in formula.text
    assert len(d.description) > 80


@pytest.mark.parametrize("case", [(n, {}) for n in actviz.names()] + [("leaky_relu", {"alpha": 0.1}),
                                                                       ("leaky_relu", {"alpha": 3.0})])
def test_float32_results_are_the_float64_values_rounded_once(case):
    name, params = case
    act = actviz.get(name, **params)
    rng = np.random.default_rng(7)
    specials = [0, -0.0, 1, -1, 3, -3, 6, 0.5, -0.5, 1e38, -1e38, 3e38, np.inf, -np.inf, np.nan]
    x = np.concatenate([rng.normal(0, 6, 20000), rng.normal(0, 1e-3, 2000), specials]).astype(np.float32)
    for fn in (act, act.grad, act.grad2):
        got = fn(x)
        with np.errstate(over="ignore"):
            want = fn(x.astype(np.float64)).astype(np.float32)
        assert got.dtype == np.float32
        same = (got == want) | (np.isnan(got) & np.isnan(want))
        assert same.all(), (name, x[~same][:5], got[~same][:5], want[~same][:5])


@pytest.mark.parametrize("name", actviz.names())
def test_inputs_are_never_modified_or_aliased(name):
    act = actviz.get(name)
    for dtype in (np.float64, np.float32):
        for size in (5, 100_000):  # one call, and the block-by-block path
            x = np.linspace(-7, 7, size).astype(dtype)
            before = x.copy()
            for fn in (act, act.grad, act.grad2):
                y = fn(x)
                assert np.array_equal(x, before) and not np.shares_memory(x, y)


@pytest.mark.parametrize("name", actviz.names())
def test_spec_recreates_every_parameter_exactly(name):
    """``act.spec`` reads back to the same parameter values, to the last bit (a 6-digit spec
    once turned alpha=0.123456789 into 0.123457, and train's output head was built from it)."""
    from actviz.catalog.registry import lookup

    d = lookup(name)
    numeric = [p for p in d.params if not p.is_bool]
    if not numeric:
        pytest.skip(f"{name} has no numeric parameter")
    rng = np.random.default_rng(7)
    for _ in range(20):
        given = {}
        for p in numeric:
            v = float(p.default) * (1.0 + rng.uniform(-1e-3, 1e-3)) + rng.uniform(-1e-9, 1e-9)
            if math.isfinite(p.low) and v <= p.low or math.isfinite(p.high) and v >= p.high:
                v = float(p.default)
            given[p.name] = v
        try:
            act = actviz.get(name, **given)
        except ValueError:
            continue  # a cross-parameter rule (rrelu's lower ≤ upper)
        again = parse_spec(act.spec)
        assert again.params == act.params, act.spec
        assert again.spec == act.spec and act.spec.isascii()


def test_vector_and_gated_specs_recreate_their_parameters():
    for text in ("softmax:temperature=0.3333333333333333", "swiglu:value=0.1234567891",
                 "leaky_relu:alpha=-0.123456789", "leaky_relu:alpha=1e-7"):
        act = actviz.parse_spec(text)
        assert actviz.parse_spec(act.spec).spec == act.spec
        assert act.spec == text
