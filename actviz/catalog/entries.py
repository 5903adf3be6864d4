"""The catalog: every activation actviz knows, each defined exactly once.

Kernels live in ``actviz.core``; this module adds the facts around them: names, aliases,
formulas, parameters, properties, kinks, framework names and a description.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from actviz.catalog.formulas import (
    _gelu_formulas,
    _hard_sigmoid_formulas,
    _hard_tanh_formulas,
    _relu_formulas,
    _softplus_formulas,
)
from actviz.catalog.model import (
    ZERO_CENTRED_TOL,
    Definition,
    Formula,
    KinkSpec,
    Param,
    ParamValues,
    Properties,
)
from actviz.core import piecewise as pw
from actviz.core import smooth as sm
from actviz.core.numtext import number

# MLX's gelu_approx is the tanh form since v0.11.0 (ml-explore/mlx 107ba2891, 2024-04-15, #989;
# python/mlx/nn/layers/activations.py); before, it was x·σ(1.60033x·(1 + 0.0433603x²)).
GELU_TANH_NAMES = ("gelu_new", "gelu_fast", "gelu_pytorch_tanh", "gelu_accurate",
                   "gelu_python_tanh", "gelu_tanh", "gelu_approx")

INF = math.inf
C_INF, C1, C0, JUMPS = "C∞", "C¹", "C⁰", "discontinuous"


def _props(
    lo: float,
    hi: float,
    text: str,
    *,
    zero_centred: bool,
    monotonic: bool,
    smoothness: str,
    saturates: tuple[str, ...],
    sup: float,
) -> Callable[[ParamValues], Properties]:
    """Properties that do not depend on the parameters."""
    fixed = Properties(lo, hi, text, zero_centred, monotonic, smoothness, saturates, sup)
    return lambda _params: fixed


def _names(tf: str | None, keras: str | None, torch: str | None, jax: str | None,
           mlx: str | None = None) -> dict:
    """API names per preset (Keras backends and Flax inherit; see frameworks.py)."""
    return {"tensorflow": tf, "keras": keras, "pytorch": torch, "jax": jax, "mlx": mlx}


ALL_LEFT = {"tensorflow": "left"}
ALL_RIGHT = {"tensorflow": "right"}


def _g(x: float) -> str:
    return number(x, 4)


# --- parameter-dependent properties ---------------------------------------------------------
# Where a parameter makes f zero-centred (model.ZERO_CENTRED_TOL: abs(E[f(z)]) ≤ 0.05·√E[f(z)²],
# z ~ N(0, 1)); tests/test_properties_measured.py re-derives the ends from mpmath's closed forms.
# A leaky slope a: E = (1 − a)/√(2π), E[f²] = (1 + a²)/2.
LEAKY_ZERO_CENTRED = (0.8818408780557203, 1.1339914318837164)
# elu's α: E = 1/√(2π) + α(√e·Φ(−1) − 1/2) is 0 at α = 1.6733 (selu's α).
ELU_ZERO_CENTRED = (1.4834783943520108, 1.8845177168650966)
# celu's α: the ratio falls like 0.24/α; above this α the mean is under 5 % of the output's size.
CELU_ZERO_CENTRED_MIN = 4.833513563502115


def leaky_zero_centred(slope: float) -> bool:
    """Whether max(x, 0) + slope·min(x, 0) is zero-centred."""
    return LEAKY_ZERO_CENTRED[0] <= slope <= LEAKY_ZERO_CENTRED[1]


def _leaky_props(p: ParamValues) -> Properties:
    a = p["alpha"]
    smooth = C_INF if a == 1 else C0
    if a < 0:  # V-shaped: both sides positive
        return Properties(0.0, INF, "[0, ∞)", False, False, smooth, (), max(1.0, -a))
    if a == 0:
        return Properties(0.0, INF, "[0, ∞)", False, True, C0, ("left",), 1.0)
    return Properties(-INF, INF, "(−∞, ∞)", leaky_zero_centred(a), True, smooth, (), max(1.0, a))


def _elu_props(p: ParamValues) -> Properties:
    a = p["alpha"]
    zc = ELU_ZERO_CENTRED[0] <= a <= ELU_ZERO_CENTRED[1]
    return Properties(-a, INF, f"({_g(-a)}, ∞)", zc, True, C1 if a == 1 else C0, ("left",), max(1.0, a))


def _celu_props(p: ParamValues) -> Properties:
    a = p["alpha"]
    return Properties(-a, INF, f"({_g(-a)}, ∞)", a >= CELU_ZERO_CENTRED_MIN, True, C1, ("left",), 1.0)


# Extremes with no closed form, to full double precision (tests/test_catalog.py re-derives them
# numerically from the kernels). Kept as constants so that ``list`` never needs scipy.
GELU_MIN = {False: -0.16997120747990363, True: -0.17004075057125403}
GELU_SUP_GRAD = {False: 1.128904145185155, True: 1.1289930686587717}
SILU_MIN_TIMES_BETA = -0.27846454276107374  # min of x·σ(βx) is this / β
SILU_SUP_GRAD = 1.0998393201288668  # silu′(x) = g(βx): the supremum does not depend on β
MISH_MIN = -0.3088434130172504
MISH_SUP_GRAD = 1.0884981612517277


def _gelu_props(p: ParamValues) -> Properties:
    approx = bool(p["approximate"])
    lo = GELU_MIN[approx]
    return Properties(lo, INF, f"[{_g(lo)}, ∞)", False, False, C_INF, ("left",), GELU_SUP_GRAD[approx])


def _silu_props(p: ParamValues) -> Properties:
    lo = SILU_MIN_TIMES_BETA / p["beta"]
    return Properties(lo, INF, f"[{_g(lo)}, ∞)", False, False, C_INF, ("left",), SILU_SUP_GRAD)


def _mish_props(_p: ParamValues) -> Properties:
    return Properties(MISH_MIN, INF, f"[{_g(MISH_MIN)}, ∞)", False, False, C_INF, ("left",), MISH_SUP_GRAD)


def _shrink_props(smoothness: str) -> Callable[[ParamValues], Properties]:
    def props(_p: ParamValues) -> Properties:
        return Properties(-INF, INF, "(−∞, ∞)", True, True, smoothness, (), 1.0)

    return props


def _relu_props(p: ParamValues) -> Properties:
    s, m, t = p["negative_slope"], p["max_value"], p["threshold"]
    lo, lo_text = (-INF, "(−∞") if s > 0 else (0.0, "[0")
    hi_text = "∞)" if m == INF else f"{_g(m)}]"
    # zero-centred: a leaky slope near 1 with no threshold and a far cap (E[f] changes < 4e−4)
    zc = t == 0 and m >= 3.0 and leaky_zero_centred(s)
    sides = (("left",) if s == 0 else ()) + (("right",) if m != INF else ())
    return Properties(lo, m, f"{lo_text}, {hi_text}", zc, True, JUMPS if t > 0 else C0, sides,
                      max(1.0, abs(s)))


def _relu_kinks() -> tuple[KinkSpec, ...]:
    """Kinks of Keras's relu: at the threshold and at max_value (NaN: that kink is absent)."""
    def leaky_path(p: ParamValues) -> bool:  # Keras calls leaky_relu for this case
        return p["threshold"] == 0 and p["negative_slope"] != 0 and p["max_value"] == INF

    return (
        KinkSpec(lambda p: math.nan if leaky_path(p) else p["threshold"],
                 lambda p: p["negative_slope"], lambda p: 1.0 if p["max_value"] > p["threshold"]
                 else 0.0, {"tensorflow": "zero"}, f_jumps=lambda p: p["threshold"] != 0,
                 note="0 at x = t in every backend"),
        KinkSpec(lambda p: 0.0 if leaky_path(p) else math.nan, lambda p: p["negative_slope"],
                 lambda p: 1.0, {"tensorflow": "left", "keras:jax": "right", "jax": "right",
                                 "mlx": "right"}, note="Keras uses leaky_relu here"),
        KinkSpec(lambda p: p["max_value"] if p["max_value"] > p["threshold"] else math.nan,
                 lambda p: 1.0, lambda p: 0.0,
                 {"tensorflow": "left", "keras:jax": "mean", "keras:torch": "mean",
                  "pytorch": "right", "jax": "right"},
                 note="Keras: TF 1 (0 when max_value = 6 and t = 0: tf.nn.relu6), JAX and torch "
                      "0.5"),
    )


def _softplus_props(p: ParamValues) -> Properties:
    jumps = p["threshold"] != INF
    return Properties(0.0, INF, "(0, ∞)", False, not jumps, JUMPS if jumps else C_INF,
                      ("left",), 1.0)


def _lower_below_upper(lo: str, hi: str) -> Callable[[ParamValues], None]:
    def check(p: ParamValues) -> None:
        if not p[lo] < p[hi]:
            raise ValueError(f"parameter {lo}={p[lo]:g} must be below {hi}={p[hi]:g}")

    return check


def _clip_zero_centred(a: float, b: float) -> bool:
    """Whether clip(z, a, b) is zero-centred, from its closed-form moments for z ~ N(0, 1):
    E = a·Φ(a) + φ(a) − φ(b) + b·(1 − Φ(b)),
    E[f²] = a²·Φ(a) + Φ(b) − Φ(a) + a·φ(a) − b·φ(b) + b²·(1 − Φ(b)),
    both divided by s = max(1, |a|, |b|) (and s²) so that bounds near 1e300 do not overflow."""
    s = max(1.0, abs(a), abs(b))

    def cdf(x: float) -> float:
        return 0.5 * math.erfc(-x / math.sqrt(2.0))

    def pdf(x: float) -> float:
        return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi) if abs(x) < 40 else 0.0

    mean = (a / s) * cdf(a) + (pdf(a) - pdf(b)) / s + (b / s) * cdf(-b)
    square = ((a / s) ** 2 * cdf(a) + (cdf(b) - cdf(a)) / s / s + ((a / s) * pdf(a) - (b / s) * pdf(b)) / s
              + (b / s) ** 2 * cdf(-b))
    return abs(mean) <= ZERO_CENTRED_TOL * math.sqrt(square)


def _hard_tanh_props(p: ParamValues) -> Properties:
    lo, hi = p["min_val"], p["max_val"]
    return Properties(lo, hi, f"[{_g(lo)}, {_g(hi)}]", _clip_zero_centred(lo, hi), True, C0,
                      ("left", "right"), 1.0)


# --- parameters -----------------------------------------------------------------------------
ALPHA_LEAKY = Param(
    "alpha", 0.2, "α", "slope for x < 0 (any real: PyTorch, TF and JAX accept α < 0 and α > 1; "
    "the Keras LeakyReLU layer defaults to 0.3 and rejects α < 0)", low=-1e6, high=1e6,
    low_open=False, high_open=False,
    framework_defaults={"pytorch": 0.01, "jax": 0.01}, aliases=("negative_slope",),
)
ALPHA_ELU = Param("alpha", 1.0, "α", "scale of the negative branch (tf.nn.elu has none: fixed at 1)",
                  low=0.0, high=INF, low_open=False, fixed_in=("tensorflow",))
ALPHA_CELU = Param("alpha", 1.0, "α", "scale and stretch of the negative branch", low=1e-6, high=1e6,
                   low_open=False, high_open=False)
APPROXIMATE = Param(
    "approximate", False, "approx", "use the tanh approximation instead of the exact erf form "
    "(also PyTorch's strings none / tanh; keras.ops.gelu defaults to true, keras.activations.gelu "
    "to false)", is_bool=True, framework_defaults={"jax": True},
)
_NOT_TF = ("keras", "keras:jax", "keras:torch", "pytorch", "jax", "flax", "mlx")
BETA = Param("beta", 1.0, "β", "steepness of the gate σ(βx) (only tf.nn.silu has it; β = 1.702 is "
             "quick_gelu)", low=0.0, high=1000.0, high_open=False, fixed_in=_NOT_TF)
SQUAREPLUS_B = Param("b", 4.0, "b", "curvature near 0 (b → 0 gives relu)", low=0.0, high=1e300,
                     high_open=False)
SHRINK = Param("threshold", 0.5, "λ", "half-width of the zero band (PyTorch and MLX: lambd)",
               low=0.0, high=1e300, low_open=False, high_open=False, aliases=("lambd", "lambda"))
_KERAS_ONLY = ("tensorflow", "pytorch", "jax", "flax", "mlx")
RELU_SLOPE = Param("negative_slope", 0.0, "s", "slope below the threshold (Keras; tf_keras calls "
                   "it alpha)", low=0.0, high=1e6, low_open=False, high_open=False,
                   fixed_in=_KERAS_ONLY, extra=True)
RELU_MAX = Param("max_value", INF, "max", "upper clip (Keras; none by default)", low=0.0, high=INF,
                 high_open=False, fixed_in=_KERAS_ONLY, extra=True)
RELU_T = Param("threshold", 0.0, "t", "below it f is s·(x − t); f jumps by t at x = t (Keras)",
               low=0.0, high=1e300, low_open=False, high_open=False, fixed_in=_KERAS_ONLY, extra=True)
SP_BETA = Param("beta", 1.0, "β", "sharpness: log(1 + e^(βx))/β (PyTorch)", low=0.0, high=1e6,
                high_open=False, fixed_in=("tensorflow", "keras", "keras:jax", "keras:torch", "jax",
                                           "flax", "mlx"), extra=True)
SP_THRESHOLD = Param("threshold", INF, "thr", "above βx = thr, f is x: a jump of "
                     "log1p(e^(−thr))/β (PyTorch 20; none elsewhere)", low=0.0, high=INF,
                     low_open=False, high_open=False, framework_defaults={"pytorch": 20.0,
                                                                          "mlx": INF},
                     fixed_in=("tensorflow", "keras", "keras:jax", "keras:torch", "jax", "flax",
                               "mlx"), extra=True)
HT_MIN = Param("min_val", -1.0, "min", "lower bound (PyTorch, MLX)", low=-1e300, high=1e300,
               low_open=False, high_open=False, fixed_in=("tensorflow", "keras", "keras:jax",
                                                         "keras:torch", "jax", "flax"),
               aliases=("min_value",), extra=True)
HT_MAX = Param("max_val", 1.0, "max", "upper bound (PyTorch, MLX)", low=-1e300, high=1e300,
               low_open=False, high_open=False, fixed_in=("tensorflow", "keras", "keras:jax",
                                                         "keras:torch", "jax", "flax"),
               aliases=("max_value",), extra=True)
HS_SLOPE = Param("slope", 1.0 / 6.0, "a", "slope (1/6 in Keras 3, PyTorch, JAX; 0.2 in Keras 2 and "
                 "ONNX's HardSigmoid alpha)", low=0.0, high=1e6, high_open=False,
                 aliases=("alpha",), extra=True)
HS_OFFSET = Param("offset", 0.5, "b", "value at 0 (ONNX's beta)", low=-1e6, high=1e6,
                  low_open=False, high_open=False, aliases=("beta",), extra=True)


def _shrink_kinks() -> tuple[KinkSpec, ...]:
    # Every framework that has the shrink functions returns 0 at ±λ (the inner side).
    return (
        KinkSpec(lambda p: -p["threshold"], lambda p: 1.0, lambda p: 0.0, ALL_RIGHT),
        KinkSpec(lambda p: p["threshold"], lambda p: 0.0, lambda p: 1.0, ALL_LEFT),
    )


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        name="identity", aliases=("linear",),
        f=sm.identity, df=sm.identity_grad, d2f=sm.identity_grad2,
        formula=Formula(r"$f(x) = x$", "f(x) = x"),
        dformula=Formula(r"$f'(x) = 1$", "f′(x) = 1"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0"),
        properties=_props(-INF, INF, "(−∞, ∞)", zero_centred=True, monotonic=True,
                          smoothness=C_INF, saturates=(), sup=1.0),
        description=(
            "Passes its input through unchanged. It is the output activation for regression, "
            "and a network built only from identity layers collapses to one linear map, which is "
            "why hidden layers need a non-linearity."
        ),
        framework_names=_names(None, "keras.activations.linear", "torch.nn.Identity",
                               "jax.nn.identity"),
    ),
    Definition(
        name="sigmoid", aliases=("logistic", "expit"),
        f=sm.sigmoid, df=sm.sigmoid_grad, d2f=sm.sigmoid_grad2,
        formula=Formula(r"$\sigma(x) = \frac{1}{1 + e^{-x}}$", "σ(x) = 1/(1 + e^(−x))"),
        dformula=Formula(r"$\sigma'(x) = \sigma(x)\,\sigma(-x)$", "σ′(x) = σ(x)·σ(−x)"),
        d2formula=Formula(r"$\sigma''(x) = \sigma'(x)\,(1 - 2\sigma(x))$",
                          "σ″(x) = σ′(x)·(1 − 2σ(x))"),
        properties=_props(0.0, 1.0, "(0, 1)", zero_centred=False, monotonic=True,
                          smoothness=C_INF, saturates=("left", "right"), sup=0.25),
        description=(
            "Squashes any real number into (0, 1), so it reads as a probability: the natural "
            "output for binary classification. Its slope is at most 1/4 and decays exponentially "
            "on both sides, so stacks of sigmoid layers shrink gradients fast; outputs are not "
            "centred on zero. Prefer other functions in hidden layers."
        ),
        framework_names=_names("tf.nn.sigmoid", "keras.activations.sigmoid", "torch.nn.Sigmoid",
                               "jax.nn.sigmoid", "mlx.nn.sigmoid"),
    ),
    Definition(
        name="tanh", aliases=("hyperbolic_tangent",),
        f=sm.tanh, df=sm.tanh_grad, d2f=sm.tanh_grad2,
        formula=Formula(r"$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}$",
                        "tanh(x) = (eˣ − e^(−x))/(eˣ + e^(−x))"),
        dformula=Formula(r"$\tanh'(x) = \mathrm{sech}^2(x) = 1 - \tanh^2(x)$",
                         "tanh′(x) = sech²(x) = 1 − tanh²(x)"),
        d2formula=Formula(r"$\tanh''(x) = -2\tanh(x)\,\mathrm{sech}^2(x)$",
                          "tanh″(x) = −2·tanh(x)·sech²(x)"),
        properties=_props(-1.0, 1.0, "(−1, 1)", zero_centred=True, monotonic=True,
                          smoothness=C_INF, saturates=("left", "right"), sup=1.0),
        description=(
            "A rescaled sigmoid, 2σ(2x) − 1, with outputs in (−1, 1) centred on zero, which "
            "usually trains faster than sigmoid. It still saturates on both sides, so gradients "
            "vanish for large inputs; acceptable in hidden layers and common in recurrent nets."
        ),
        framework_names=_names("tf.nn.tanh", "keras.activations.tanh", "torch.nn.Tanh",
                               "jax.nn.tanh", "mlx.nn.tanh"),
    ),
    Definition(
        name="relu", aliases=("rectifier",),
        f=pw.relu, df=pw.relu_grad, d2f=pw.relu_grad2,
        params=(RELU_SLOPE, RELU_MAX, RELU_T),
        formula=Formula(r"$f(x) = \max(0, x)$", "f(x) = max(0, x)"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ 0$",
                         "f′(x) = 1 if x > 0 else 0"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ 0)"),
        formulas=_relu_formulas,
        properties=_relu_props,
        kinks=_relu_kinks(),
        description=(
            "The default for hidden layers: cheap, and its gradient is exactly 1 for every "
            "positive input, so it does not vanish with depth. For negative inputs the gradient "
            "is exactly 0; a unit pushed there for all inputs (often by a large update) stops "
            "learning: a dead ReLU. Keras adds negative_slope, max_value and threshold (relu with "
            "max_value=6 is relu6; a threshold t > 0 makes f jump from 0 to t at x = t)."
        ),
        framework_names=_names("tf.nn.relu", "keras.activations.relu", "torch.nn.ReLU",
                               "jax.nn.relu", "mlx.nn.relu"),
    ),
    Definition(
        name="relu6", aliases=(),
        f=pw.relu6, df=pw.relu6_grad, d2f=pw.relu6_grad2,
        formula=Formula(r"$f(x) = \min(\max(0, x), 6)$", "f(x) = min(max(0, x), 6)"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ 0 < x < 6\ \mathrm{else}\ 0$",
                         "f′(x) = 1 if 0 < x < 6 else 0"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ∉ {0, 6})"),
        properties=_props(0.0, 6.0, "[0, 6]", zero_centred=False, monotonic=True,
                          smoothness=C0, saturates=("left", "right"), sup=1.0),
        kinks=(
            KinkSpec(lambda p: 0.0, lambda p: 0.0, lambda p: 1.0, ALL_LEFT),
            KinkSpec(lambda p: 6.0, lambda p: 1.0, lambda p: 0.0, ALL_RIGHT),
        ),
        description=(
            "ReLU capped at 6, used in mobile networks (MobileNet) because the bounded range "
            "quantises well to low-precision integers. Its gradient is 0 on both sides of [0, 6]."
        ),
        framework_names=_names("tf.nn.relu6", "keras.activations.relu6", "torch.nn.ReLU6",
                               "jax.nn.relu6", "mlx.nn.relu6"),
    ),
    Definition(
        name="leaky_relu", aliases=("leakyrelu", "lrelu"),
        f=pw.leaky_relu, df=pw.leaky_relu_grad, d2f=pw.leaky_relu_grad2,
        params=(ALPHA_LEAKY,),
        formula=Formula(r"$f(x) = x\ \mathrm{if}\ x \geq 0\ \mathrm{else}\ \alpha x$",
                        "f(x) = x if x ≥ 0 else α·x"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ \alpha$",
                         "f′(x) = 1 if x > 0 else α"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ 0)"),
        properties=_leaky_props,
        kinks=(KinkSpec(lambda p: 0.0, lambda p: p["alpha"], lambda p: 1.0,
                        {"tensorflow": "left", "keras": "left", "keras:jax": "right",
                         "pytorch": "left", "jax": "right", "mlx": "right"}),),
        description=(
            "ReLU with a small slope α for negative inputs, so the gradient there is α instead "
            "of 0 and units cannot die. The default slope differs between frameworks: 0.2 in "
            "TensorFlow and Keras's function (the Keras LeakyReLU layer: 0.3), 0.01 in PyTorch, "
            "JAX and MLX. Any real α is legal (α < 0 gives a V shape); MLX computes max(αx, x), "
            "which is wrong for α > 1."
        ),
        framework_names=_names("tf.nn.leaky_relu", "keras.activations.leaky_relu",
                               "torch.nn.LeakyReLU", "jax.nn.leaky_relu", "mlx.nn.leaky_relu"),
    ),
    Definition(
        name="elu", aliases=(),
        f=pw.elu, df=pw.elu_grad, d2f=pw.elu_grad2,
        params=(ALPHA_ELU,),
        formula=Formula(r"$f(x) = x\ \mathrm{if}\ x > 0\ \mathrm{else}\ \alpha(e^{x} - 1)$",
                        "f(x) = x if x > 0 else α·(eˣ − 1)"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ \alpha e^{x}$",
                         "f′(x) = 1 if x > 0 else α·eˣ"),
        d2formula=Formula(r"$f''(x) = 0\ \mathrm{if}\ x > 0\ \mathrm{else}\ \alpha e^{x}$",
                          "f″(x) = 0 if x > 0 else α·eˣ"),
        properties=_elu_props,
        kinks=(KinkSpec(lambda p: 0.0, lambda p: p["alpha"], lambda p: 1.0, ALL_LEFT),),
        description=(
            "Exponential linear unit: identity for positive inputs, a smooth exponential curve "
            "down to −α for negative ones. Negative outputs pull mean activations toward zero "
            "and the gradient never becomes exactly 0; with α = 1 the function is C¹."
        ),
        framework_names=_names("tf.nn.elu", "keras.activations.elu", "torch.nn.ELU",
                               "jax.nn.elu", "mlx.nn.elu"),
    ),
    Definition(
        name="selu", aliases=(),
        f=pw.selu, df=pw.selu_grad, d2f=pw.selu_grad2,
        formula=Formula(
            r"$f(x) = \lambda x\ \mathrm{if}\ x > 0\ \mathrm{else}\ \lambda\alpha(e^{x} - 1)$",
            "f(x) = λ·x if x > 0 else λα·(eˣ − 1)   (λ ≈ 1.0507, α ≈ 1.6733)"),
        dformula=Formula(r"$f'(x) = \lambda\ \mathrm{if}\ x > 0\ \mathrm{else}\ \lambda\alpha e^{x}$",
                         "f′(x) = λ if x > 0 else λα·eˣ"),
        d2formula=Formula(r"$f''(x) = 0\ \mathrm{if}\ x > 0\ \mathrm{else}\ \lambda\alpha e^{x}$",
                          "f″(x) = 0 if x > 0 else λα·eˣ"),
        properties=_props(-pw.SELU_LAMBDA_ALPHA, INF, "(−1.758, ∞)", zero_centred=True,
                          monotonic=True, smoothness=C0, saturates=("left",),
                          sup=pw.SELU_LAMBDA_ALPHA),
        kinks=(KinkSpec(lambda p: 0.0, lambda p: pw.SELU_LAMBDA_ALPHA, lambda p: pw.SELU_LAMBDA,
                        {"tensorflow": "right", "keras": "right", "keras:jax": "left",
                         "keras:torch": "left", "pytorch": "left", "jax": "left"}),),
        description=(
            "Scaled ELU with constants λ and α chosen so that, with LeCun-normal initialisation "
            "and a plain stack of dense layers, activations keep mean 0 and variance 1 through "
            "depth (self-normalising networks)."
        ),
        framework_names=_names("tf.nn.selu", "keras.activations.selu", "torch.nn.SELU",
                               "jax.nn.selu", "mlx.nn.selu"),
    ),
    Definition(
        name="celu", aliases=(),
        f=pw.celu, df=pw.celu_grad, d2f=pw.celu_grad2,
        params=(ALPHA_CELU,),
        formula=Formula(r"$f(x) = \max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))$",
                        "f(x) = max(0, x) + min(0, α·(e^(x/α) − 1))"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ e^{x/\alpha}$",
                         "f′(x) = 1 if x > 0 else e^(x/α)"),
        d2formula=Formula(r"$f''(x) = 0\ \mathrm{if}\ x > 0\ \mathrm{else}\ e^{x/\alpha}/\alpha$",
                          "f″(x) = 0 if x > 0 else e^(x/α)/α"),
        properties=_celu_props,
        kinks=(KinkSpec(lambda p: 0.0, lambda p: 1.0, lambda p: 1.0,
                        {"tensorflow": "right", "keras": "sum", "keras:jax": "right",
                         "keras:torch": "right", "mlx": "zero"},
                        note="C¹ at 0, but Keras-TF returns 2 (tf.maximum and tf.minimum both "
                             "pass the tie) and MLX 0"),),
        description=(
            "Continuously differentiable ELU: the negative branch is stretched by α so that the "
            "slope at 0 is 1 from both sides for every α. Otherwise it behaves like ELU."
        ),
        framework_names=_names(None, "keras.activations.celu", "torch.nn.CELU", "jax.nn.celu", "mlx.nn.celu"),
    ),
    Definition(
        name="gelu", aliases=("gelu_python", *GELU_TANH_NAMES),
        alias_params={n: {"approximate": True} for n in GELU_TANH_NAMES},
        f=sm.gelu, df=sm.gelu_grad, d2f=sm.gelu_grad2,
        params=(APPROXIMATE,),
        formulas=_gelu_formulas,
        formula=Formula(r"$f(x) = x\,\Phi(x) = \frac{x}{2}\,\mathrm{erfc}(-x/\sqrt{2})$",
                        "f(x) = x·Φ(x) = (x/2)·erfc(−x/√2)"),
        dformula=Formula(r"$f'(x) = \Phi(x) + x\,\phi(x)$", "f′(x) = Φ(x) + x·φ(x)"),
        d2formula=Formula(r"$f''(x) = \phi(x)\,(2 - x^2)$", "f″(x) = φ(x)·(2 − x²)"),
        properties=_gelu_props,
        description=(
            "Gaussian error linear unit: the input weighted by the probability Φ(x) that a "
            "standard normal variable is below it. Smooth and slightly non-monotonic near −0.75; "
            "standard in Transformers (BERT, GPT). approximate=true selects the tanh formula "
            "(x/2)(1 + tanh(√(2/π)(x + 0.044715x³))), JAX's default, within 4.8e−4 of the exact one."
        ),
        framework_names=_names("tf.nn.gelu", "keras.activations.gelu", "torch.nn.GELU",
                               "jax.nn.gelu", "mlx.nn.gelu"),
    ),
    Definition(
        name="silu", aliases=("swish",),
        f=sm.silu, df=sm.silu_grad, d2f=sm.silu_grad2,
        params=(BETA,),
        formula=Formula(r"$f(x) = x\,\sigma(\beta x)$", "f(x) = x·σ(βx)"),
        dformula=Formula(r"$f'(x) = \sigma(\beta x) + \beta x\,\sigma'(\beta x)$",
                         "f′(x) = σ(βx) + βx·σ′(βx)"),
        d2formula=Formula(r"$f''(x) = \beta\,(2\sigma'(\beta x) + \beta x\,\sigma''(\beta x))$",
                          "f″(x) = β·(2σ′(βx) + βx·σ″(βx))"),
        properties=_silu_props,
        description=(
            "Sigmoid-weighted linear unit (swish): x gated by σ(βx). Smooth, unbounded above, "
            "with a small negative dip; found by automated search to beat ReLU on deep image "
            "models and used in EfficientNet and many LLM feed-forward blocks (as SwiGLU)."
        ),
        framework_names=_names("tf.nn.silu", "keras.activations.silu", "torch.nn.SiLU",
                               "jax.nn.silu", "mlx.nn.silu"),
    ),
    Definition(
        name="mish", aliases=(),
        f=sm.mish, df=sm.mish_grad, d2f=sm.mish_grad2,
        formula=Formula(r"$f(x) = x\,\tanh(\mathrm{softplus}(x))$", "f(x) = x·tanh(softplus(x))"),
        dformula=Formula(
            r"$f'(x) = \tanh(\mathrm{sp}(x)) + x\,\mathrm{sech}^2(\mathrm{sp}(x))\,\sigma(x)$",
            "f′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x)"),
        d2formula=Formula(r"$f''(x) = 2t'(x) + x\,t''(x),\ t = \tanh(\mathrm{sp}(x))$",
                          "f″(x) = 2t′(x) + x·t″(x), t = tanh(sp(x))"),
        properties=_mish_props,
        description=(
            "A smooth, self-gated function close to swish, with a slightly deeper negative dip; "
            "used in YOLOv4. More expensive than ReLU for a small and task-dependent gain."
        ),
        framework_names=_names(None, "keras.activations.mish", "torch.nn.Mish", "jax.nn.mish", "mlx.nn.mish"),
    ),
    Definition(
        name="softplus", aliases=("smooth_relu",),
        f=sm.softplus, df=sm.softplus_grad, d2f=sm.softplus_grad2,
        params=(SP_BETA, SP_THRESHOLD),
        formulas=_softplus_formulas,
        kinks=(KinkSpec(lambda p: p["threshold"] / p["beta"],
                        lambda p: 1.0 / (1.0 + math.exp(-p["threshold"])), lambda p: 1.0,
                        ALL_LEFT, f_jumps=lambda p: True,
                        note="PyTorch's switch to x: f drops by log1p(e^(−thr))/β"),),
        formula=Formula(r"$f(x) = \log(1 + e^{x})$", "f(x) = log(1 + eˣ)"),
        dformula=Formula(r"$f'(x) = \sigma(x)$", "f′(x) = σ(x)"),
        d2formula=Formula(r"$f''(x) = \sigma'(x)$", "f″(x) = σ′(x)"),
        properties=_softplus_props,
        description=(
            "A smooth ReLU whose derivative is the sigmoid. Always positive, so it suits "
            "outputs that must be positive (a variance, a rate). PyTorch's Softplus(beta, "
            "threshold=20) switches to x where βx > threshold: a real jump (2e−9 at the defaults, "
            "0.0513 at β = 10, threshold = 0.4)."
        ),
        framework_names=_names("tf.nn.softplus", "keras.activations.softplus",
                               "torch.nn.Softplus", "jax.nn.softplus", "mlx.nn.softplus"),
    ),
    Definition(
        name="softsign", aliases=("soft_sign",),
        f=sm.softsign, df=sm.softsign_grad, d2f=sm.softsign_grad2,
        formula=Formula(r"$f(x) = \frac{x}{1 + |x|}$", "f(x) = x/(1 + |x|)"),
        dformula=Formula(r"$f'(x) = \frac{1}{(1 + |x|)^2}$", "f′(x) = 1/(1 + |x|)²"),
        d2formula=Formula(r"$f''(x) = \frac{-2\,\mathrm{sign}(x)}{(1 + |x|)^3}$",
                          "f″(x) = −2·sign(x)/(1 + |x|)³"),
        properties=_props(-1.0, 1.0, "(−1, 1)", zero_centred=True, monotonic=True,
                          smoothness=C1, saturates=("left", "right"), sup=1.0),
        description=(
            "A tanh-like squashing function whose tails approach ±1 polynomially rather than "
            "exponentially, so its gradient vanishes more slowly."
        ),
        framework_names=_names("tf.nn.softsign", "keras.activations.softsign",
                               "torch.nn.Softsign", "jax.nn.soft_sign", "mlx.nn.softsign"),
    ),
    Definition(
        name="log_sigmoid", aliases=("logsigmoid",),
        f=sm.log_sigmoid, df=sm.log_sigmoid_grad, d2f=sm.log_sigmoid_grad2,
        formula=Formula(r"$f(x) = \log\sigma(x) = -\mathrm{softplus}(-x)$",
                        "f(x) = log σ(x) = −softplus(−x)"),
        dformula=Formula(r"$f'(x) = \sigma(-x)$", "f′(x) = σ(−x)"),
        d2formula=Formula(r"$f''(x) = -\sigma'(x)$", "f″(x) = −σ′(x)"),
        properties=_props(-INF, 0.0, "(−∞, 0)", zero_centred=False, monotonic=True,
                          smoothness=C_INF, saturates=("right",), sup=1.0),
        description=(
            "The logarithm of the sigmoid, computed without forming σ(x): the stable building "
            "block of binary cross-entropy on logits."
        ),
        framework_names=_names("tf.math.log_sigmoid", "keras.activations.log_sigmoid",
                               "torch.nn.LogSigmoid", "jax.nn.log_sigmoid", "mlx.nn.log_sigmoid"),
    ),
    Definition(
        name="hard_sigmoid", aliases=("hardsigmoid", "hard_sigmoid_keras2", "hard_sigmoid_onnx"),
        f=pw.hard_sigmoid, df=pw.hard_sigmoid_grad, d2f=pw.hard_sigmoid_grad2,
        params=(HS_SLOPE, HS_OFFSET),
        formulas=_hard_sigmoid_formulas,
        alias_params={"hard_sigmoid_keras2": {"slope": 0.2, "offset": 0.5},
                      "hard_sigmoid_onnx": {"slope": 0.2, "offset": 0.5}},
        formula=Formula(r"$f(x) = \mathrm{relu6}(x + 3)/6$", "f(x) = relu6(x + 3)/6"),
        dformula=Formula(r"$f'(x) = 1/6\ \mathrm{if}\ -3 < x < 3\ \mathrm{else}\ 0$",
                         "f′(x) = 1/6 if −3 < x < 3 else 0"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ ±3)"),
        properties=lambda p: Properties(0.0, 1.0, "[0, 1]", False, True, C0, ("left", "right"),
                                        p["slope"]),
        kinks=(
            KinkSpec(lambda p: pw.hard_sigmoid_knees(p["slope"], p["offset"])[0], lambda p: 0.0,
                     lambda p: p["slope"], ALL_LEFT),
            KinkSpec(lambda p: pw.hard_sigmoid_knees(p["slope"], p["offset"])[1],
                     lambda p: p["slope"], lambda p: 0.0, ALL_RIGHT),
        ),
        description=(
            "A piecewise-linear sigmoid for cheap hardware: relu6(x + 3)/6 as in Keras 3, "
            "PyTorch and JAX (Keras 2 and ONNX use clip(0.2x + 0.5, 0, 1), with knees at ±2.5: "
            "hard_sigmoid_keras2, or slope=0.2). tf_keras's autodiff returns 0.2 at ±2.5."
        ),
        framework_names=_names(None, "keras.activations.hard_sigmoid", "torch.nn.Hardsigmoid",
                               "jax.nn.hard_sigmoid"),
    ),
    Definition(
        name="hard_tanh", aliases=("hardtanh",),
        f=pw.hard_tanh, df=pw.hard_tanh_grad, d2f=pw.hard_tanh_grad2,
        params=(HT_MIN, HT_MAX),
        formulas=_hard_tanh_formulas,
        formula=Formula(r"$f(x) = \mathrm{clip}(x, -1, 1)$", "f(x) = clip(x, −1, 1)"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ |x| < 1\ \mathrm{else}\ 0$",
                         "f′(x) = 1 if |x| < 1 else 0"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ ±1)"),
        properties=_hard_tanh_props,
        validate=_lower_below_upper("min_val", "max_val"),
        kinks=(
            KinkSpec(lambda p: p["min_val"], lambda p: 0.0, lambda p: 1.0,
                     {"tensorflow": "right", "keras:torch": "left", "pytorch": "left"}),
            KinkSpec(lambda p: p["max_val"], lambda p: 1.0, lambda p: 0.0,
                     {"tensorflow": "left", "keras:torch": "right", "pytorch": "right"}),
        ),
        description=(
            "tanh replaced by its linear part clipped to [−1, 1] (PyTorch and MLX take the "
            "bounds min_val, max_val; relu6 is hard_tanh(0, 6)). The gradient is exactly 1 "
            "inside and exactly 0 outside; at the bounds PyTorch, MLX and Keras-on-torch give "
            "0, JAX and Keras on TF or JAX give 1."
        ),
        framework_names=_names(None, "keras.activations.hard_tanh", "torch.nn.Hardtanh",
                               "jax.nn.hard_tanh", "mlx.nn.hard_tanh"),
    ),
    Definition(
        name="hard_swish", aliases=("hard_silu", "hardswish"),
        f=pw.hard_swish, df=pw.hard_swish_grad, d2f=pw.hard_swish_grad2,
        formula=Formula(r"$f(x) = x\,\mathrm{relu6}(x + 3)/6$", "f(x) = x·relu6(x + 3)/6"),
        dformula=Formula(
            r"$f'(x) = 0\ (x \leq -3),\ (2x + 3)/6\ (|x| < 3),\ 1\ (x \geq 3)$",
            "f′(x) = 0 if x ≤ −3, (2x + 3)/6 if |x| < 3, 1 if x ≥ 3"),
        d2formula=Formula(r"$f''(x) = 1/3\ \mathrm{if}\ |x| < 3\ \mathrm{else}\ 0$",
                          "f″(x) = 1/3 if |x| < 3 else 0"),
        properties=_props(-0.375, INF, "[−0.375, ∞)", zero_centred=False, monotonic=False,
                          smoothness=C0, saturates=("left",), sup=1.5),
        kinks=(
            KinkSpec(lambda p: -3.0, lambda p: 0.0, lambda p: -0.5, ALL_LEFT),
            KinkSpec(lambda p: 3.0, lambda p: 1.5, lambda p: 1.0, ALL_RIGHT),
        ),
        description=(
            "swish with the sigmoid replaced by hard_sigmoid: nearly the same shape, no "
            "exponential, so it is fast on phones (MobileNetV3)."
        ),
        framework_names=_names(None, "keras.activations.hard_silu", "torch.nn.Hardswish",
                               "jax.nn.hard_swish", "mlx.nn.hardswish"),
    ),
    Definition(
        name="squareplus", aliases=(),
        f=sm.squareplus, df=sm.squareplus_grad, d2f=sm.squareplus_grad2,
        params=(SQUAREPLUS_B,),
        formula=Formula(r"$f(x) = \frac{x + \sqrt{x^2 + b}}{2}$", "f(x) = (x + √(x² + b))/2"),
        dformula=Formula(r"$f'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)$",
                         "f′(x) = (1 + x/√(x² + b))/2"),
        d2formula=Formula(r"$f''(x) = \frac{b}{2(x^2 + b)^{3/2}}$",
                          "f″(x) = b/(2·(x² + b)^(3/2))"),
        properties=_props(0.0, INF, "(0, ∞)", zero_centred=False, monotonic=True,
                          smoothness=C_INF, saturates=("left",), sup=1.0),
        description=(
            "A softplus look-alike built from a square root instead of exp and log: smooth, "
            "positive, cheap. b sets how round the corner at 0 is."
        ),
        framework_names=_names(None, "keras.activations.squareplus", None, "jax.nn.squareplus"),
    ),
    Definition(
        name="tanh_shrink", aliases=("tanhshrink",),
        f=sm.tanh_shrink, df=sm.tanh_shrink_grad, d2f=sm.tanh_shrink_grad2,
        formula=Formula(r"$f(x) = x - \tanh(x)$", "f(x) = x − tanh(x)"),
        dformula=Formula(r"$f'(x) = \tanh^2(x)$", "f′(x) = tanh²(x)"),
        d2formula=Formula(r"$f''(x) = 2\tanh(x)\,\mathrm{sech}^2(x)$",
                          "f″(x) = 2·tanh(x)·sech²(x)"),
        properties=_props(-INF, INF, "(−∞, ∞)", zero_centred=True, monotonic=True,
                          smoothness=C_INF, saturates=(), sup=1.0),
        description=(
            "The input minus its tanh: flat (cubic) near 0 and linear far away. Used in sparse "
            "coding rather than as a general hidden activation; its gradient is small near 0."
        ),
        framework_names=_names(None, "keras.activations.tanh_shrink", "torch.nn.Tanhshrink",
                               None),
    ),
    Definition(
        name="soft_shrink", aliases=("softshrink",),
        f=pw.soft_shrink, df=pw.soft_shrink_grad, d2f=pw.soft_shrink_grad2,
        params=(SHRINK,),
        formula=Formula(r"$f(x) = \mathrm{sign}(x)\max(|x| - \lambda, 0)$",
                        "f(x) = sign(x)·max(|x| − λ, 0)"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ |x| > \lambda\ \mathrm{else}\ 0$",
                         "f′(x) = 1 if |x| > λ else 0"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ ±λ)"),
        properties=_shrink_props(C0),
        kinks=_shrink_kinks(),
        description=(
            "Soft thresholding: moves every input λ toward zero and zeroes the band [−λ, λ]. "
            "The proximal operator of the L1 norm, used in sparse coding and denoising."
        ),
        framework_names=_names(None, "keras.activations.soft_shrink", "torch.nn.Softshrink",
                               None, "mlx.nn.softshrink"),
    ),
    Definition(
        name="hard_shrink", aliases=("hardshrink",),
        f=pw.hard_shrink, df=pw.hard_shrink_grad, d2f=pw.hard_shrink_grad2,
        params=(SHRINK,),
        formula=Formula(r"$f(x) = x\ \mathrm{if}\ |x| > \lambda\ \mathrm{else}\ 0$",
                        "f(x) = x if |x| > λ else 0"),
        dformula=Formula(r"$f'(x) = 1\ \mathrm{if}\ |x| > \lambda\ \mathrm{else}\ 0$",
                         "f′(x) = 1 if |x| > λ else 0"),
        d2formula=Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ ±λ)"),
        properties=_shrink_props(JUMPS),
        kinks=_shrink_kinks(),
        f_jumps_at_kinks=True,
        description=(
            "Hard thresholding: keeps inputs larger than λ in magnitude and zeroes the rest. "
            "f itself jumps at ±λ; the gradient is 0 in the band."
        ),
        framework_names=_names(None, "keras.activations.hard_shrink", "torch.nn.Hardshrink",
                               None, "mlx.nn.hard_shrink"),
    ),
    Definition(
        name="exponential", aliases=("exp",),
        f=sm.exponential, df=sm.exponential_grad, d2f=sm.exponential_grad2,
        formula=Formula(r"$f(x) = e^{x}$", "f(x) = eˣ"),
        dformula=Formula(r"$f'(x) = e^{x}$", "f′(x) = eˣ"),
        d2formula=Formula(r"$f''(x) = e^{x}$", "f″(x) = eˣ"),
        properties=_props(0.0, INF, "(0, ∞)", zero_centred=False, monotonic=True,
                          smoothness=C_INF, saturates=("left",), sup=INF),
        description=(
            "eˣ: positive and unbounded, with a gradient equal to itself. Useful as an output "
            "for strictly positive quantities (a Poisson rate); it overflows float64 beyond "
            "x ≈ 709.78."
        ),
        framework_names=_names("tf.math.exp", "keras.activations.exponential", "torch.exp",
                               "jnp.exp", "mlx.core.exp"),
    ),
)
