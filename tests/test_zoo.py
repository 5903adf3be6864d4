"""The zoo entries, the new presets and the new parameters: golden values from
shared/reference/catalog-gap.md (mpmath, 40 digits, and measured framework autodiff), mpmath on
seeded random samples, aliases, formulas per parameter case, and every command on every entry."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import actviz
from actviz.catalog import zoo
from actviz.catalog.frameworks import FRAMEWORKS, resolve_framework
from actviz.catalog.registry import parse_spec
from tests import extremes
from tests.accuracy_grid import ulp
from tests.conftest import run_cli
from tests.mpref import value

NEW = ["threshold", "step", "prelu", "rrelu", "sparse_plus", "sparse_sigmoid", "log1mexp", "relu2",
       "quick_gelu", "hard_mish", "star_relu", "xielu", "snake", "snake_beta", "softcap",
       "clipped_gelu", "laplace", "sqrt_softplus", "tanhexp"]

# (spec, x, f, f′) from the reference's golden table (§4), 7 significant digits there.
GOLDEN = [
    ("prelu:alpha=0.25", -1.0, -0.25, 0.25),
    ("rrelu", -1.0, -0.2291667, 0.2291667),
    ("sparse_plus", -0.5, 0.0625, 0.25), ("sparse_plus", 0.0, 0.25, 0.5),
    ("sparse_plus", 0.5, 0.5625, 0.75),
    ("sparse_sigmoid", 0.0, 0.5, 0.5),
    ("log1mexp", 0.5, -0.9327521, 1.5414941), ("log1mexp", math.log(2), -0.6931472, 1.0),
    ("log1mexp", 1.0, -0.4586751, 0.5819767),
    ("relu2", 1.0, 1.0, 2.0), ("relu2", 2.0, 4.0, 4.0),
    ("quick_gelu", -1.0, -0.1542042, -0.0677796), ("quick_gelu", 0.0, 0.0, 0.5),
    ("quick_gelu", 1.0, 0.8457958, 1.0677796),
    ("hard_mish", -1.5, -0.375, -0.5), ("hard_mish", -1.0, -0.5, 0.0),
    ("hard_mish", -0.5, -0.375, 0.5),
    ("laplace", 0.0, 0.00609446, 0.0611138), ("laplace", 0.707107, 0.5, 1.4142125),
    ("laplace", 1.0, 0.8504296, 0.8249458),
    ("sqrt_softplus", -1.0, 0.5596979, 0.2402559), ("sqrt_softplus", 0.0, 0.8325546, 0.3002806),
    ("sqrt_softplus", 1.0, 1.1459763, 0.3189676),
    ("xielu", -1.0, -0.2056964, -0.0056964), ("xielu", 1.0, 1.3, 2.1),
    ("star_relu_paper", -1.0, -0.4472136, 0.0), ("star_relu_paper", 1.0, 0.4472136, 1.7888544),
    ("snake", -1.0, -0.2919266, 0.0907026), ("snake", 1.0, 1.7080734, 1.9092974),
    ("snake_beta:alpha=1,beta=2", 1.0, 1.3540367, 1.4546487),
    ("tanhexp", -1.0, -0.3521355, 0.0298729), ("tanhexp", 0.0, 0.0, 0.7615942),
    ("tanhexp", 1.0, 0.9913289, 1.0382654),
    ("softcap", 10.0, 9.6453821, 0.8966296), ("softcap", 30.0, 22.8478247, 0.4199743),
    ("clipped_gelu", 1.0, 0.8413447, 1.0833155),
]


@pytest.mark.parametrize("spec, x, f, df", GOLDEN)
def test_golden_values_from_the_reference(spec, x, f, df):
    act = parse_spec(spec)
    assert float(act(x)) == pytest.approx(f, rel=1e-6, abs=1e-7)
    assert float(act.grad(x)) == pytest.approx(df, rel=1e-6, abs=1e-7)


def test_catalog_has_the_new_entries_and_their_count():
    assert set(NEW) <= set(actviz.names())
    assert len(actviz.names()) >= 42


# --- mpmath on large seeded random samples ------------------------------------------------
def _samples(seed: int, n: int = 150) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mags = 10.0 ** rng.uniform(-300, 300, n // 3)
    return np.concatenate([rng.normal(0, 3, n // 3), rng.uniform(-40, 40, n // 3),
                           mags * rng.choice([-1.0, 1.0], n // 3)])


@pytest.mark.parametrize("name", NEW)
def test_random_samples_within_the_contract(name):
    act = actviz.get(name)
    xs = _samples(abs(hash(name)) % 2**32)
    kinks = {k.x for k in act.kinks}
    for order, fn in enumerate([act, act.grad]):
        got = fn(xs)
        for x, y in zip(xs.tolist(), got.tolist(), strict=True):
            if x in kinks:
                continue
            true = value(name, act.params, mp.mpf(x), order)
            if mp.isnan(true):
                assert math.isnan(y), (name, order, x)
                continue
            if abs(true) > 1.7976931348623157e308:
                assert math.isinf(y), (name, order, x)
                continue
            assert math.isfinite(y), (name, order, x, y)
            if true == 0:
                assert y == 0, (name, order, x, y)
                continue
            slope = value(name, act.params, mp.mpf(x), order + 1)
            kappa = float(abs(mp.mpf(x) * slope / true))
            err = float(abs(mp.mpf(y) - true)) / ulp(float(true))
            assert err <= 4 * max(1.0, kappa), (name, order, x, y, float(true), err, kappa)


# --- constants and extremes ----------------------------------------------------------------
def test_declared_extremes_match_a_numerical_search():
    assert extremes.minimum(actviz.get("tanhexp")) == pytest.approx(zoo.TANHEXP_MIN, rel=1e-12)
    assert extremes.maximum(actviz.get("tanhexp").grad) == pytest.approx(zoo.TANHEXP_SUP_GRAD,
                                                                        rel=1e-12)
    assert extremes.maximum(actviz.get("sqrt_softplus").grad) == pytest.approx(
        zoo.SQRT_SOFTPLUS_SUP_GRAD, rel=1e-12)
    assert actviz.get("xielu").properties.range_low == pytest.approx(-0.205751224096482, rel=1e-9)
    assert actviz.get("hard_mish").properties.range_low == extremes.minimum(actviz.get("hard_mish"))


def test_quick_gelu_distance_to_gelu_is_as_stated():
    # mpmath: the largest |x·σ(1.702x) − x·Φ(x)| (reference: 0.020335 at ±2.2704).
    def gap(x):
        return x * (1 / (1 + mp.exp(-mp.mpf("1.702") * x))) - x * mp.ncdf(x)

    at = mp.findroot(lambda x: mp.diff(gap, x), 2.27)
    assert float(abs(gap(at))) == pytest.approx(zoo.QUICK_GELU_GAP, rel=1e-12)
    assert float(at) == pytest.approx(2.2703977, abs=1e-6)
    x = np.linspace(-8, 8, 160001)
    measured = np.max(np.abs(actviz.get("quick_gelu")(x) - actviz.get("gelu")(x)))
    assert measured == pytest.approx(zoo.QUICK_GELU_GAP, rel=1e-6)
    assert "0.0203" in actviz.get("quick_gelu").definition.description


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_quick_gelu_is_silu_with_beta_1702_and_prelu_is_leaky_relu(x):
    assert actviz.get("quick_gelu")(x) == actviz.get("silu", beta=1.702)(x)
    assert actviz.get("prelu", alpha=0.3)(x) == actviz.get("leaky_relu", alpha=0.3)(x)
    assert actviz.get("sparse_plus").grad(x) == actviz.get("sparse_sigmoid")(x)
    assert actviz.get("snake", alpha=1.7).grad(x) >= 0  # snake is monotonic


# --- domain, jumps and oscillation -----------------------------------------------------------
def test_log1mexp_outside_its_domain_is_nan_without_warning():
    act = actviz.get("log1mexp")
    x = np.array([-1.0, -0.0, 0.0, 5e-324])
    assert np.isnan(act(x[:1])).all() and np.isnan(act.grad(x[:1])).all()
    assert act(0.0) == -np.inf and act.grad(0.0) == np.inf and act.grad(-0.0) == np.inf
    assert act.grad(5e-324) == np.inf  # 1/expm1(5e−324) overflows in truth
    assert "NaN" in actviz.get("log1mexp").definition.notes[0]


def test_softplus_threshold_is_a_real_jump():
    act = parse_spec("softplus:beta=10,threshold=0.4")
    (kink,) = act.kinks
    assert kink.x == pytest.approx(0.04) and kink.f_jumps
    below, above = act(np.nextafter(0.04, -1)), act(np.nextafter(0.04, 1))
    assert below - above == pytest.approx(math.log1p(math.exp(-0.4)) / 10, rel=1e-9)
    assert below - above == pytest.approx(0.0513, abs=5e-5)  # the number
    assert float(act.grad(0.04)) == pytest.approx(0.598688, abs=1e-6)  # PyTorch: βx > t is false
    assert act.grad(0.041) == 1.0
    assert actviz.get("softplus", framework="pytorch").params["threshold"] == 20.0
    assert actviz.get("softplus").params["threshold"] == math.inf


def test_relu_keras_parameters():
    act = actviz.get("relu", threshold=1.0)
    assert act(0.999) == 0 and act(1.001) == 1.001  # reference (m): Keras relu(thr=1)
    (kink,) = act.kinks
    assert kink.x == 1.0 and kink.f_jumps and kink.value == 0.0
    act = actviz.get("relu", negative_slope=0.1, max_value=6.0, threshold=0.5)
    assert act(-1.5) == pytest.approx(-0.2) and act(7.0) == 6.0 and act(3.0) == 3.0
    at_max = next(k for k in act.kinks if k.x == 6.0)
    assert at_max.framework_values["keras"] == 1.0
    assert at_max.framework_values["keras:jax"] == 0.5 == at_max.framework_values["keras:torch"]
    assert actviz.get("relu").label == "relu" and actviz.get("relu").spec == "relu"


def test_hard_tanh_and_hard_sigmoid_parameters():
    act = parse_spec("hard_tanh:min_val=0,max_val=6")
    assert np.array_equal(act(np.array([-1.0, 3.0, 7.0])), actviz.get("relu6")(np.array([-1.0, 3.0, 7.0])))
    with pytest.raises(ValueError, match="below"):
        parse_spec("hard_tanh:min_val=2,max_val=1")
    legacy = actviz.get("hard_sigmoid_keras2")
    assert legacy.params == {"slope": 0.2, "offset": 0.5}
    assert [k.x for k in legacy.kinks] == [-2.5, 2.5]
    assert legacy(1.0) == pytest.approx(0.7)


# --- presets and kink values (reference §2, §5, §6; measured) --------------------------------
KINKS = [
    ("prelu", {"alpha": 0.25}, 0.0, {"pytorch": 0.25, "keras": 0.0, "keras:jax": 0.0,
                                     "keras:torch": 0.0, "flax": 1.0, "mlx": 1.25}),
    ("sparse_sigmoid", {}, 1.0, {"jax": 0.25, "keras:jax": 0.25, "keras": 0.0, "keras:torch": 0.0}),
    ("sparse_sigmoid", {}, -1.0, {"jax": 0.25, "keras:jax": 0.25, "keras": 0.0}),
    ("celu", {}, 0.0, {"keras": 2.0, "mlx": 0.0, "pytorch": 1.0, "jax": 1.0, "keras:jax": 1.0,
                       "keras:torch": 1.0}),
    ("leaky_relu", {"alpha": 0.2}, 0.0, {"keras": 0.2, "keras:jax": 1.0, "keras:torch": 0.2,
                                         "mlx": 1.0, "flax": 1.0}),
    ("selu", {}, 0.0, {"keras": 1.0507009873554805, "keras:jax": 1.7580993408473766,
                       "keras:torch": 1.7580993408473766}),
    ("hard_tanh", {}, 1.0, {"pytorch": 0.0, "mlx": 0.0, "jax": 1.0, "keras": 1.0,
                            "keras:jax": 1.0, "keras:torch": 0.0}),
    ("rrelu", {}, 0.0, {"pytorch": 11 / 48}),
    ("hard_mish", {}, -2.0, {"pytorch": -1.0}),
    ("threshold", {"threshold": 1.0, "value": 0.0}, 1.0, {"pytorch": 0.0, "keras": 0.0}),
    ("step", {}, 0.0, {"mlx": 0.0}),
    ("clipped_gelu", {}, 10.0, {"pytorch": 0.0}),
    ("xielu", {}, 0.0, {"pytorch": -0.3}),
]


@pytest.mark.parametrize("name, params, at, expected", KINKS)
def test_autodiff_values_at_kinks_per_preset(name, params, at, expected):
    for fw, v in expected.items():
        act = actviz.get(name, framework=fw, **params)
        assert float(act.grad(at)) == pytest.approx(v, rel=1e-12, abs=1e-15), fw
        kink = next(k for k in act.kinks if k.x == at)
        assert kink.framework_values[fw] == pytest.approx(v, rel=1e-12, abs=1e-15), fw


def test_presets_and_their_defaults():
    assert resolve_framework("keras-jax") == "keras:jax" and resolve_framework("MLX") == "mlx"
    assert {"mlx", "flax", "keras:jax", "keras:torch"} <= set(FRAMEWORKS)
    defaults = {fw: actviz.get("prelu", framework=fw).params["alpha"] for fw in FRAMEWORKS}
    assert defaults["pytorch"] == 0.25 and defaults["keras"] == 0.0 and defaults["flax"] == 0.01
    assert defaults["mlx"] == 0.25
    assert actviz.get("leaky_relu", framework="mlx").params["alpha"] == 0.01
    assert actviz.get("gelu", framework="flax").params["approximate"] is True
    assert actviz.get("gelu", framework="mlx").params["approximate"] is False
    assert actviz.get("relu").framework_name("mlx") == "mlx.nn.relu"
    assert actviz.get("relu").framework_name("flax") == "flax.nnx.relu"
    assert actviz.get("relu").framework_name("keras:jax") == "keras.activations.relu"
    assert actviz.get("elu").definition.params[0].fixed_in == ("tensorflow",)


# --- names, aliases and formulas -----------------------------------------------------------
@pytest.mark.parametrize("alias", ["gelu_new", "gelu_fast", "gelu_pytorch_tanh", "gelu_accurate",
                                   "gelu_python_tanh", "gelu_tanh", "gelu_approx"])
def test_model_config_gelu_names_are_the_tanh_form(alias):
    act = actviz.get(alias)
    assert act.name == "gelu" and act.params["approximate"] is True and act.alias == alias
    assert "tanh" in act.formula.text


def test_other_aliases_resolve():
    assert actviz.get("gelu_fast_approx").name == "quick_gelu"
    assert actviz.get("gelu_python").params["approximate"] is False
    for name in ("squared_relu", "relu_squared", "relu²"):
        assert actviz.get(name).name == "relu2"
    assert parse_spec("gelu:approximate=none").params["approximate"] is False
    assert parse_spec("gelu:approximate=tanh").params["approximate"] is True
    with pytest.raises(ValueError, match="quick_gelu"):
        parse_spec("gelu:approximate=fast")
    assert parse_spec("soft_shrink:lambd=0.3").params == {"threshold": 0.3}
    assert parse_spec("hard_shrink:λ=0.3").params == {"threshold": 0.3}
    assert parse_spec("gelu_new:approximate=false").params["approximate"] is False


FORMULA_CASES = [
    ("gelu", "x·Φ(x)"), ("gelu:approximate=true", "tanh u"),
    ("softplus", "log(1 + eˣ)"), ("softplus:beta=10", "e^(10x))/10"),
    ("softplus:beta=10,threshold=0.4", "if x ≤ 0.04 else x"),
    ("relu", "max(0, x)"), ("relu:threshold=1", "x if x > 1 else 0"),
    ("relu:negative_slope=0.1,max_value=6", "min(x, 6) if x > 0 else 0.1·x"),
    ("hard_tanh:min_val=0,max_val=6", "clip(x, 0, 6)"),
    ("hard_sigmoid:slope=0.2", "clip(0.2x + 0.5, 0, 1)"), ("hard_sigmoid", "relu6(x + 3)/6"),
]


@pytest.mark.parametrize("spec, fragment", FORMULA_CASES)
def test_the_formula_is_the_one_of_the_parameters(spec, fragment):
    act = parse_spec(spec)
    assert fragment in act.formula.text
    assert fragment in run_cli("info", spec, "--format", "json").out


def test_tanh_gelu_formula_evaluates_to_the_kernel():
    # The shown tanh formula, evaluated in mpmath, gives the numbers next to it.
    act = actviz.get("gelu", approximate=True)
    for x in (-3.0, -0.5, 0.7, 2.0):
        u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
        assert float(act(x)) == pytest.approx(float(x / 2 * (1 + mp.tanh(u))), rel=1e-14)


# --- every command takes every new entry ----------------------------------------------------
@pytest.mark.parametrize("name", NEW)
def test_every_command_takes_the_entry(name, tmp_path):
    for args in (["info", name], ["info", name, "-F", "mlx", "--format", "json"],
                 ["derive", name, "--at", "0.5"], ["flow", name, "--format", "json"],
                 ["plot", name, "--grad", "-o", str(tmp_path / f"{name}.png")]):
        run_cli(*args)  # exit 0, or the test fails with the error line
    assert name in run_cli("list", "--format", "json").out


def test_info_of_an_alias_says_what_it_resolves_to():
    out = run_cli("info", "gelu_pytorch_tanh").out
    assert "gelu_pytorch_tanh is an alias of gelu: it resolves to gelu:approximate=true" in out
    doc = run_cli("info", "gelu_fast_approx", "--format", "json").out
    assert '"alias": "gelu_fast_approx"' in doc and '"function": "quick_gelu"' in doc


@pytest.mark.parametrize("spec", ["threshold", "threshold:threshold=0.1,value=0.3",
                                  "threshold:threshold=-0.0,value=-0.0", "step:threshold=0.1",
                                  "step:threshold=-2"])
def test_threshold_and_step_in_float32_are_the_float64_values_rounded(spec):
    # float32 runs directly when t is a float32 number, through float64 when it is not (0.1):
    # both must give the float64 result rounded once, values right next to t included.
    act = parse_spec(spec)
    t = np.float64(act.params["threshold"])
    near = [np.nextafter(np.float32(t), np.float32(s * np.inf)) for s in (-1, 1)]
    x = np.concatenate([np.random.default_rng(3).normal(0, 2, 70000), [t, -0.0, 0.0, np.inf, -np.inf,
                                                                         np.nan], near])
    x32 = x.astype(np.float32)
    for fn in (act, act.grad):
        got, want = fn(x32), fn(x32.astype(np.float64)).astype(np.float32)
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)
        assert np.array_equal(np.signbit(got), np.signbit(want))


def test_info_states_rrelu_training_band():
    import json

    from tests.conftest import run_cli

    doc = json.loads(run_cli("info", "rrelu:lower=0.1,upper=0.5", "-f", "json").out)
    band = doc["training_band"]
    assert band["region"] == "x < 0" and band["slopes"] == [0.1, 0.5]
    assert band["f"] == "0.5·x ≤ f(x) ≤ 0.1·x" and band["df"] == "0.1 ≤ f′(x) ≤ 0.5"
    # The inference curve (slope (l + u)/2 = 0.3) lies inside the band it states.
    act = actviz.get("rrelu", lower=0.1, upper=0.5)
    x = np.linspace(-10, -0.1, 50)
    assert np.all((0.5 * x <= act(x)) & (act(x) <= 0.1 * x))
    table = run_cli("info", "rrelu").out
    assert "training band" in table and "0.3333·x ≤ f(x) ≤ 0.125·x" in table  # as the plot's note
    assert json.loads(run_cli("info", "leaky_relu", "-f", "json").out)["training_band"] is None


def test_flax_names_exist_in_flax_nnx_or_are_jax_nn():
    # flax.nnx re-exports only part of jax.nn (frameworks.FLAX_NNX_REEXPORTS, from its source):
    # a function it lacks keeps its jax.nn name instead of an invented flax.nnx one.
    from actviz.catalog.frameworks import FLAX_NNX_REEXPORTS

    assert actviz.get("relu").framework_name("flax") == "flax.nnx.relu"
    assert actviz.get("mish").framework_name("flax") == "jax.nn.mish"
    assert actviz.get("prelu").framework_name("flax") == "flax.nnx.PReLU"
    for name in actviz.names():
        got = actviz.get(name).framework_name("flax")
        if got and got.startswith("flax.nnx."):
            assert got.removeprefix("flax.nnx.") in FLAX_NNX_REEXPORTS | {"PReLU"}, name


@pytest.mark.parametrize("columns", [100, 80, 60, 40])
def test_info_parameter_table_never_splits_a_number(columns):
    # rrelu's upper default 1/3 prints as 18 characters; a folded cell once split it over lines.
    from tests.conftest import run_cli

    out = run_cli("info", "rrelu", columns=columns).out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= columns
    assert out.count("0.3333333333333333") >= 2  # its value and its preset default, whole
    assert "0.125 (every preset)" in " ".join(out.split())
    leaky = " ".join(run_cli("info", "leaky_relu", columns=columns).out.split())
    assert "0.2:" in leaky and "0.01:" in leaky  # one line per distinct default, the value first


def test_smu1_reference_facts():
    """catalog-gap.md B17: α = 0.25, μ = 4.352665993287951e−9; f(0) = μ/2, f′(0) = (1 + α)/2,
    f″(0) = (1 − α)²/(2μ) ≈ 6.5e7, and leaky_relu(0.25) a corner's width away from 0."""
    act = actviz.get("smu1")
    mu = 4.352665993287951e-9
    assert act.params == {"alpha": 0.25, "mu": mu}
    assert float(act(0.0)) == mu / 2 and float(act.grad(0.0)) == 0.625
    assert float(act.grad2(0.0)) == pytest.approx(0.75**2 / (2 * mu), rel=1e-15)
    assert float(act.grad2(0.0)) == pytest.approx(6.5e7, rel=0.01)
    np.testing.assert_allclose(act(np.array([-3.0, -1.0, 1.0, 3.0])), [-0.75, -0.25, 1.0, 3.0],
                               rtol=1e-15)
    # α = 0 is a squareplus of width μ: (x + √(x² + μ²))/2, positive everywhere, → 0 at −∞
    sq = actviz.get("smu1", alpha=0.0, mu=2.0)
    assert float(sq(-1e308)) == pytest.approx(1.0 / 1e308, rel=1e-15)
    np.testing.assert_allclose(sq(np.array([-1.0, 0.0, 1.0])), actviz.get("squareplus", b=4.0)(
        np.array([-1.0, 0.0, 1.0])), rtol=1e-15)
