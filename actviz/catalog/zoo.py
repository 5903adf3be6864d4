"""Catalog entries beyond the original 23: the frameworks' remaining elementwise functions and
the model-zoo ones (CLIP's quick_gelu, Primer's squared ReLU, Gemma 2's soft-cap, …).

Facts (defaults per library, autodiff values at kinks, golden values) are from
``shared/reference/catalog-gap.md``; kernels are in ``actviz.core.zoo``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from actviz.catalog.entries import leaky_zero_centred
from actviz.catalog.model import (
    ZERO_CENTRED_TOL,
    Definition,
    Formula,
    KinkSpec,
    Param,
    ParamValues,
    Properties,
)
from actviz.core import zoo as z
from actviz.core.numtext import number

INF = math.inf
C_INF, C1, C0, JUMPS = "C∞", "C¹", "C⁰", "discontinuous"

# Extremes with no closed form (mpmath, 30 digits; tests/test_zoo.py re-derives them).
TANHEXP_MIN = -0.35328577784821127
TANHEXP_SUP_GRAD = 1.0619753087179160
SQRT_SOFTPLUS_SUP_GRAD = 0.31908634316947574
SILU_MIN_TIMES_BETA = -0.27846454276107374  # as in entries.py
SILU_SUP_GRAD = 1.0998393201288668
GELU_MIN = -0.16997120747990363
GELU_SUP_GRAD = 1.128904145185155
QUICK_GELU_GAP = 0.020334872209239230  # max |quick_gelu − gelu|, at x = ±2.2703977
STAR_RELU_PAPER = {"scale": 0.8944271909999159, "bias": -0.4472135954999579}  # 1/√(5/4), −s/2


def _fw(tf: str | None = None, keras: str | None = None, torch: str | None = None,
        jax: str | None = None, **more: str | None) -> dict[str, str | None]:
    """API names per preset; ``flax``/``mlx`` as keywords (flax defaults to jax's)."""
    return {"tensorflow": tf, "keras": keras, "pytorch": torch, "jax": jax, **more}


def _fixed(p: Properties) -> Callable[[ParamValues], Properties]:
    return lambda _params: p


def _g(x: float) -> str:
    return number(x, 4)


def _f(tex: str, text: str) -> Formula:
    return Formula(tex, text)


ALL_LEFT = {"tensorflow": "left"}
ALL_RIGHT = {"tensorflow": "right"}


def _scan_min(kernel, params: ParamValues, lo: float, hi: float) -> float:
    """The minimum of ``kernel`` on [lo, hi]: a dense scan, then golden-section refinement."""
    grid = np.linspace(lo, hi, 4001)
    values = kernel(grid, **params)
    i = int(np.argmin(values))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    gold = (math.sqrt(5.0) - 1.0) / 2.0
    for _ in range(60):
        c, d = b - gold * (b - a), a + gold * (b - a)
        fc, fd = kernel(np.array([c, d]), **params)
        if fc < fd:
            b = d
        else:
            a = c
    return float(min(kernel(np.array([0.5 * (a + b)]), **params)[0], values[i]))


# --- parameters -----------------------------------------------------------------------------
T_THRESHOLD = Param("threshold", 0.0, "t", "the input at which f switches to x (no default "
                    "in PyTorch or Keras: both are required)", low=-1e300, high=1e300,
                    low_open=False, high_open=False)
T_VALUE = Param("value", 0.0, "v", "the output below the threshold (Keras: default_value)",
                low=-1e300, high=1e300, low_open=False, high_open=False,
                aliases=("default_value",))
STEP_T = Param("threshold", 0.0, "t", "where the step happens (f(t) = 1)", low=-1e300,
               high=1e300, low_open=False, high_open=False)
PRELU_A = Param(
    "alpha", 0.0, "a", "learned slope for x < 0 (its initial value per framework: Keras zeros, "
    "PyTorch/MLX/timm 0.25, Flax 0.01)", low=-1e6, high=1e6, low_open=False, high_open=False,
    framework_defaults={"pytorch": 0.25, "jax": 0.01, "flax": 0.01, "mlx": 0.25},
    aliases=("init", "negative_slope_init", "weight"),
)
RRELU_LOWER = Param("lower", 0.125, "l", "lower end of the training-time slope band",
                    low=0.0, high=1.0, low_open=False, high_open=False)
RRELU_UPPER = Param("upper", 1.0 / 3.0, "u", "upper end of the training-time slope band",
                    low=0.0, high=1.0, low_open=False, high_open=False)
STAR_SCALE = Param("scale", 1.0, "s", "learned scale (timm init 1; paper 1/√(5/4) = 0.8944)",
                   low=-1e6, high=1e6, low_open=False, high_open=False, aliases=("scale_value",))
STAR_BIAS = Param("bias", 0.0, "b", "learned bias (timm init 0; paper −0.4472)", low=-1e6,
                  high=1e6, low_open=False, high_open=False, aliases=("bias_value",))
XIELU_AP = Param("alpha_p", 0.8, "αp", "curvature of the positive branch (softplus of a learned "
                 "value; HF init 0.8)", low=0.0, high=1e6, high_open=False)
XIELU_AN = Param("alpha_n", 0.8, "αn", "scale of the negative branch (β + softplus of a learned "
                 "value; HF init 0.8)", low=0.0, high=1e6, high_open=False)
XIELU_BETA = Param("beta", 0.5, "β", "slope at 0 (HF 0.5, fixed)", low=-1e6, high=1e6,
                   low_open=False, high_open=False)
XIELU_EPS = Param("eps", -1e-6, "ε", "clamp of the exponential's argument (HF −1e−6: f′ is "
                  "β − αn on (ε, 0], and f(0) = αn·expm1(ε))", low=-1.0, high=0.0,
                  low_open=False, high_open=False)
SNAKE_ALPHA = Param("alpha", 1.0, "α", "learned frequency (BigVGAN init 1)", low=1e-6, high=1e6,
                    low_open=False, high_open=False)
SNAKE_BETA = Param("beta", 1.0, "β", "learned inverse magnitude (BigVGAN init 1)", low=1e-6,
                   high=1e6, low_open=False, high_open=False)
SOFTCAP_C = Param("cap", 30.0, "c", "the bound (Gemma 2: 30 for final logits, 50 for attention "
                  "logits)", low=1e-3, high=1e6, low_open=False, high_open=False,
                  aliases=("softcap", "softcapping"))
CLIP_MIN = Param("min_val", -10.0, "min", "lower clip; gelu ≥ −0.17, so below that it never "
                 "binds (HF gelu_10: −10)", low=-1e300, high=-0.17, low_open=False,
                 high_open=False, aliases=("min",))
CLIP_MAX = Param("max_val", 10.0, "max", "upper clip, ≥ 9 (there gelu(max) = max in float64, "
                 "so the clip starts exactly at x = max; HF gelu_10: 10)", low=9.0, high=1e300,
                 low_open=False, high_open=False, aliases=("max",))
LAPLACE_MU = Param("mu", z.LAPLACE_MU, "μ", "centre (HF 0.707107 ≈ 1/√2)", low=-1e6, high=1e6,
                   low_open=False, high_open=False)
LAPLACE_SIGMA = Param("sigma", z.LAPLACE_SIGMA, "σ", "width (HF 0.282095 ≈ 1/(2√π))",
                      low=1e-6, high=1e6, low_open=False, high_open=False)


# --- parameter-dependent facts --------------------------------------------------------------
def _prelu_props(p: ParamValues) -> Properties:
    a = p["alpha"]
    if a < 0:
        return Properties(0.0, INF, "[0, ∞)", False, False, C0 if a != 1 else C_INF, (), max(1.0, -a))
    if a == 0:
        return Properties(0.0, INF, "[0, ∞)", False, True, C0, ("left",), 1.0)
    return Properties(-INF, INF, "(−∞, ∞)", leaky_zero_centred(a), True, C0 if a != 1 else C_INF, (),
                      max(1.0, a))


def _rrelu_props(p: ParamValues) -> Properties:
    a = z.rrelu_slope(p["lower"], p["upper"])
    if a == 0:
        return Properties(0.0, INF, "[0, ∞)", False, True, C0, ("left",), 1.0)
    return Properties(-INF, INF, "(−∞, ∞)", leaky_zero_centred(a), True, C0 if a != 1 else C_INF, (),
                      max(1.0, a))


def _lower_not_above_upper(p: ParamValues) -> None:
    if p["lower"] > p["upper"]:
        raise ValueError(f"parameter lower={p['lower']:g} must not exceed upper={p['upper']:g}")


def _rrelu_band(p: ParamValues) -> str:
    lo, hi = _g(p["lower"]), _g(p["upper"])
    return (f"rrelu: inference slope {_g(z.rrelu_slope(p['lower'], p['upper']))} drawn; shaded: "
            f"the training-time band, slopes from U({lo}, {hi}) for x < 0")


def _rrelu_slopes(p: ParamValues) -> tuple[float, float]:
    return p["lower"], p["upper"]


def _threshold_zero_centred(t: float, v: float) -> bool:
    """x if x > t else v, for z ~ N(0, 1): E = φ(t) + v·Φ(t), E[f²] = t·φ(t) + Φ(−t) + v²·Φ(t)."""
    pdf = math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi) if abs(t) < 40 else 0.0
    below, above = 0.5 * math.erfc(t / math.sqrt(2)), 0.5 * math.erfc(-t / math.sqrt(2))
    k = max(1.0, abs(t), abs(v))  # divide both by k (and k²): no overflow near 1e300
    mean, square = pdf / k + (v / k) * above, (t / k) * pdf / k + below / k / k + (v / k) ** 2 * above
    return abs(mean) <= ZERO_CENTRED_TOL * math.sqrt(square)


def _threshold_props(p: ParamValues) -> Properties:
    t, v = p["threshold"], p["value"]
    lo = min(v, t)
    jump = v != t
    smooth = JUMPS if jump else C0
    return Properties(lo, INF, f"[{_g(lo)}, ∞)" if v <= t else f"[{_g(t)}, ∞)",
                      _threshold_zero_centred(t, v), v <= t,
                      smooth, ("left",), 1.0)


def _star_props(p: ParamValues) -> Properties:
    s, b = p["scale"], p["bias"]
    if s >= 0:
        return Properties(b, INF, f"[{_g(b)}, ∞)", _star_zero_centred(s, b), True,
                          C1 if s else C_INF, ("left",), INF if s else 0.0)
    return Properties(-INF, b, f"(−∞, {_g(b)}]", _star_zero_centred(s, b), True, C1, ("left",), INF)


def _star_zero_centred(s: float, b: float) -> bool:
    """s·relu(z)² + b for z ~ N(0, 1): E = s/2 + b, E[f²] = 3s²/2 + s·b + b² (E[relu⁴] = 3/2)."""
    k = max(abs(s), abs(b), 1e-300)  # scaled by k: no overflow
    s, b = s / k, b / k
    return abs(s / 2 + b) <= ZERO_CENTRED_TOL * math.sqrt(1.5 * s * s + s * b + b * b)


def _xielu_props(p: ParamValues) -> Properties:
    slope = p["beta"] - p["alpha_n"]  # f′ as x → −∞
    if slope > 0:
        lo = -INF
    else:
        lo = _scan_min(z.xielu, p, -60.0, 0.0)
    text = "(−∞, ∞)" if lo == -INF else f"[{_g(lo)}, ∞)"
    smooth = JUMPS if p["eps"] < 0 else C1
    # the jump at 0 (eps < 0: from α_n·expm1(eps) < 0 up to 0) goes up: still monotonic
    return Properties(lo, INF, text, False, slope >= 0 and p["beta"] >= 0 and p["eps"] <= 0,
                      smooth, (), INF)


def _snake_zero_centred(a: float, b: float) -> bool:
    """x + sin²(αx)/β for z ~ N(0, 1): E = (1 − e^(−2α²))/(2β) and, z·sin²(αz) being odd,
    E[f²] = 1 + (3/8 − e^(−2α²)/2 + e^(−8α²)/8)/β² (sin⁴ = 3/8 − cos 2θ/2 + cos 4θ/8)."""
    mean = -math.expm1(-2 * a * a) / (2 * b)
    square = 1.0 + (0.375 - 0.5 * math.exp(-2 * a * a) + 0.125 * math.exp(-8 * a * a)) / (b * b)
    return abs(mean) <= ZERO_CENTRED_TOL * math.sqrt(square)


def _snake_beta_props(p: ParamValues) -> Properties:
    r = p["alpha"] / p["beta"]
    zc = _snake_zero_centred(p["alpha"], p["beta"])
    return Properties(-INF, INF, "(−∞, ∞)", zc, r <= 1.0, C_INF, (), 1.0 + r)


def _softcap_props(p: ParamValues) -> Properties:
    c = p["cap"]
    return Properties(-c, c, f"(−{_g(c)}, {_g(c)})", True, True, C_INF, ("left", "right"), 1.0)


def _clipped_gelu_props(p: ParamValues) -> Properties:
    m = p["max_val"]
    return Properties(GELU_MIN, m, f"[{_g(GELU_MIN)}, {_g(m)}]", False, False, C0,
                      ("left", "right"), GELU_SUP_GRAD)


def _laplace_props(p: ParamValues) -> Properties:
    return Properties(0.0, 1.0, "(0, 1)", False, True, C_INF, ("left", "right"),
                      1.0 / (p["sigma"] * math.sqrt(2.0 * math.pi)))


def _clipped_left(p: ParamValues) -> float:
    m = p["max_val"]  # gelu′(m) = Φ(m) + m·φ(m)
    return 0.5 * math.erfc(-m / math.sqrt(2.0)) + m * math.exp(-0.5 * m * m) / math.sqrt(2 * math.pi)


def _xielu_eps_left(p: ParamValues) -> float:
    return p["alpha_n"] * math.expm1(p["eps"]) + p["beta"]


def _xielu_zero_left(p: ParamValues) -> float:
    return p["beta"] - p["alpha_n"] if p["eps"] < 0 else p["beta"]


ZOO: tuple[Definition, ...] = (
    Definition(
        name="threshold", aliases=("fatrelu",),
        f=z.threshold, df=z.threshold_grad, d2f=z.zero_grad2,
        params=(T_THRESHOLD, T_VALUE),
        formula=_f(r"$f(x) = x\ \mathrm{if}\ x > t\ \mathrm{else}\ v$", "f(x) = x if x > t else v"),
        dformula=_f(r"$f'(x) = 1\ \mathrm{if}\ x > t\ \mathrm{else}\ 0$",
                    "f′(x) = 1 if x > t else 0"),
        d2formula=_f(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ t)"),
        properties=_threshold_props,
        kinks=(KinkSpec(lambda p: p["threshold"], lambda p: 0.0, lambda p: 1.0, ALL_LEFT,
                        f_jumps=lambda p: p["value"] != p["threshold"]),),
        description=(
            "x above a threshold t, a constant v below it. f jumps by t − v at t unless v = t; "
            "threshold = value = 0 is relu (PyTorch's ReLU once was Threshold(0, 0)), and vLLM's "
            "FATReLU is threshold(x, t, 0). Every framework's autodiff returns 0 at t."
        ),
        framework_names=_fw(None, "keras.activations.threshold", "torch.nn.Threshold", None),
    ),
    Definition(
        name="step", aliases=("heaviside", "unit_step"),
        f=z.step, df=z.step_grad, d2f=z.zero_grad2,
        params=(STEP_T,),
        formula=_f(r"$f(x) = 1\ \mathrm{if}\ x \geq t\ \mathrm{else}\ 0$",
                   "f(x) = 1 if x ≥ t else 0"),
        dformula=_f(r"$f'(x) = 0$", "f′(x) = 0 (x ≠ t)"),
        d2formula=_f(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ t)"),
        properties=_fixed(Properties(0.0, 1.0, "{0, 1}", False, True, JUMPS, ("left", "right"),
                                     0.0)),
        kinks=(KinkSpec(lambda p: p["threshold"], lambda p: 0.0, lambda p: 0.0, ALL_LEFT,
                        f_jumps=lambda p: True),),
        description=(
            "The Heaviside step: 1 from t on, 0 below. Its gradient is 0 everywhere (MLX's "
            "autodiff has no surrogate at t), so nothing before it learns through it; f(t) = 1."
        ),
        # ml-explore/mlx python/mlx/nn/layers/activations.py: mx.where(x >= threshold, 1, 0)
        # since 9d6fb4859 (2026-06-17, #3694); before it x > threshold, i.e. step(t) = 0.
        notes=("MLX releases before June 2026 (ml-explore/mlx#3694) computed x > t: f(t) = 0 "
               "there; current MLX, as here, gives f(t) = 1",),
        framework_names=_fw(mlx="mlx.nn.step"),
    ),
    Definition(
        name="prelu", aliases=("parametric_relu",),
        f=z.prelu, df=z.prelu_grad, d2f=z.zero_grad2,
        params=(PRELU_A,),
        formula=_f(r"$f(x) = x\ \mathrm{if}\ x \geq 0\ \mathrm{else}\ a x$",
                   "f(x) = x if x ≥ 0 else a·x"),
        dformula=_f(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ a$",
                    "f′(x) = 1 if x > 0 else a"),
        d2formula=_f(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ 0)"),
        properties=_prelu_props,
        # TensorFlow's name is tf.keras.layers.PReLU: Keras 3, or with TF_USE_LEGACY_KERAS=1
        # tf_keras, whose PReLU.call is also relu(x) − a·relu(−x) (keras-team/tf-keras,
        # tf_keras/layers/activation/prelu.py): tf.nn.relu′(0) = 0 on both sides, so 0.
        kinks=(KinkSpec(lambda p: 0.0, lambda p: p["alpha"], lambda p: 1.0,
                        {"tensorflow": "zero", "keras": "zero", "pytorch": "left",
                         "jax": "right", "mlx": "sum"},
                        note="PyTorch a, Keras 0 (relu(x) − a·relu(−x)), Flax 1 (x ≥ 0), "
                             "MLX 1 + a (both max/min ties pass)"),),
        description=(
            "Leaky ReLU whose negative slope a is learned (one per channel or a single one; "
            "here one scalar). Its initial value differs: 0 in Keras (it starts as relu), 0.25 "
            "in PyTorch, MLX and timm, 0.01 in Flax; PyTorch's docs advise no weight decay on "
            "a. f′(0) has four answers: a (PyTorch), 0 (Keras), 1 (Flax), 1 + a (MLX)."
        ),
        framework_names=_fw("tf.keras.layers.PReLU", "keras.layers.PReLU", "torch.nn.PReLU",
                            None, flax="flax.nnx.PReLU", mlx="mlx.nn.PReLU"),
    ),
    Definition(
        name="rrelu", aliases=("randomized_relu",),
        f=z.rrelu, df=z.rrelu_grad, d2f=z.zero_grad2,
        params=(RRELU_LOWER, RRELU_UPPER),
        formula=_f(r"$f(x) = x\ \mathrm{if}\ x \geq 0\ \mathrm{else}\ \frac{l + u}{2} x$",
                   "f(x) = x if x ≥ 0 else ((l + u)/2)·x"),
        dformula=_f(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ \frac{l + u}{2}$",
                    "f′(x) = 1 if x > 0 else (l + u)/2"),
        d2formula=_f(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ 0)"),
        properties=_rrelu_props,
        validate=_lower_not_above_upper,
        plot_note=_rrelu_band,
        training_band=_rrelu_slopes,
        kinks=(KinkSpec(lambda p: 0.0, lambda p: z.rrelu_slope(p["lower"], p["upper"]),
                        lambda p: 1.0, ALL_LEFT),),
        description=(
            "Randomised leaky ReLU: while training, each negative input gets its own slope drawn "
            "from U(l, u) (PyTorch: l = 1/8, u = 1/3); at inference the slope is the mean "
            "(l + u)/2 = 11/48 ≈ 0.229, which is what is drawn here. Note that "
            "torch.nn.functional.rrelu defaults to training=False (deterministic) while the "
            "module follows model.train()."
        ),
        framework_names=_fw(torch="torch.nn.RReLU"),
    ),
    Definition(
        name="sparse_plus", aliases=("sparseplus",),
        f=z.sparse_plus, df=z.sparse_plus_grad, d2f=z.sparse_plus_grad2,
        formula=_f(r"$f(x) = 0\ (x \leq -1),\ \frac{(x+1)^2}{4}\ (|x| < 1),\ x\ (x \geq 1)$",
                   "f(x) = 0 if x ≤ −1, (x + 1)²/4 if |x| < 1, x if x ≥ 1"),
        dformula=_f(r"$f'(x) = \mathrm{clip}((x + 1)/2, 0, 1)$",
                    "f′(x) = clip((x + 1)/2, 0, 1)"),
        d2formula=_f(r"$f''(x) = 1/2\ \mathrm{if}\ |x| < 1\ \mathrm{else}\ 0$",
                     "f″(x) = 1/2 if |x| < 1 else 0"),
        properties=_fixed(Properties(0.0, INF, "[0, ∞)", False, True, C1, ("left",), 1.0)),
        description=(
            "A softplus made of a parabola and two lines: exactly 0 below −1, exactly x above 1. "
            "C¹; its second derivative steps 0 → ½ → 0 at ±1. Its derivative is sparse_sigmoid."
        ),
        framework_names=_fw(None, "keras.activations.sparse_plus", None, "jax.nn.sparse_plus"),
    ),
    Definition(
        name="sparse_sigmoid", aliases=("sparsesigmoid",),
        f=z.sparse_sigmoid, df=z.sparse_sigmoid_grad, d2f=z.zero_grad2,
        formula=_f(r"$f(x) = \mathrm{clip}((x + 1)/2, 0, 1)$", "f(x) = clip((x + 1)/2, 0, 1)"),
        dformula=_f(r"$f'(x) = 1/2\ \mathrm{if}\ |x| < 1\ \mathrm{else}\ 0$",
                    "f′(x) = 1/2 if |x| < 1 else 0"),
        d2formula=_f(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ ±1)"),
        properties=_fixed(Properties(0.0, 1.0, "[0, 1]", False, True, C0, ("left", "right"),
                                     0.5)),
        kinks=(
            KinkSpec(lambda p: -1.0, lambda p: 0.0, lambda p: 0.5,
                     {"tensorflow": "left", "keras:jax": "mean", "jax": "mean"},
                     note="JAX's clip splits the tie: 0.25"),
            KinkSpec(lambda p: 1.0, lambda p: 0.5, lambda p: 0.0,
                     {"tensorflow": "right", "keras:jax": "mean", "jax": "mean"},
                     note="JAX's clip splits the tie: 0.25"),
        ),
        description=(
            "A hard sigmoid with knees at ±1 and slope ½: the derivative of sparse_plus. "
            "The autodiff value at ±1 depends on the backend: 0.25 in JAX (and Keras on JAX), "
            "0 in Keras on TensorFlow or PyTorch."
        ),
        framework_names=_fw(None, "keras.activations.sparse_sigmoid", None,
                            "jax.nn.sparse_sigmoid"),
    ),
    Definition(
        name="log1mexp", aliases=(),
        f=z.log1mexp, df=z.log1mexp_grad, d2f=z.log1mexp_grad2,
        formula=_f(r"$f(x) = \log(1 - e^{-x}),\ x > 0$", "f(x) = log(1 − e^(−x)), x > 0"),
        dformula=_f(r"$f'(x) = 1/\mathrm{expm1}(x)$", "f′(x) = 1/(eˣ − 1)"),
        d2formula=_f(r"$f''(x) = -e^{x}/(e^{x} - 1)^2$", "f″(x) = −eˣ/(eˣ − 1)²"),
        properties=_fixed(Properties(-INF, 0.0, "(−∞, 0)", False, True, C_INF, ("right",), INF)),
        description=(
            "log(1 − e^(−x)), the log of a probability given as e^(−x) complemented; defined for "
            "x > 0 only: −∞ at 0 and NaN (by definition, not an error) for x < 0. Evaluated with "
            "Mächler's switch at ln 2 (log(−expm1(−x)) below, log1p(−e^(−x)) above)."
        ),
        framework_names=_fw(jax="jax.nn.log1mexp"),
        notes=("domain x > 0: f, f′ and f″ are NaN for x < 0; f(0) = −∞, f′(0) = +∞",),
    ),
    Definition(
        name="relu2", aliases=("squared_relu", "relu_squared", "relu²", "relusquared", "sqrelu"),
        f=z.relu2, df=z.relu2_grad, d2f=z.relu2_grad2,
        formula=_f(r"$f(x) = \max(0, x)^2$", "f(x) = max(0, x)²"),
        dformula=_f(r"$f'(x) = 2\max(0, x)$", "f′(x) = 2·max(0, x)"),
        d2formula=_f(r"$f''(x) = 2\ \mathrm{if}\ x > 0\ \mathrm{else}\ 0$",
                     "f″(x) = 2 if x > 0 else 0"),
        properties=_fixed(Properties(0.0, INF, "[0, ∞)", False, True, C1, ("left",), INF)),
        description=(
            "Squared ReLU (Primer; Nemotron's hidden_act=\"relu2\"; MetaFormer's SquaredReLU). "
            "C¹ at 0 (f″ steps 0 → 2), and its gradient grows without bound, so deep stacks "
            "explode without normalisation; in float16 it overflows for x > 255.9."
        ),
        framework_names=_fw(mlx="mlx.nn.relu2"),
    ),
    Definition(
        name="quick_gelu", aliases=("gelu_fast_approx", "quickgelu"),
        f=z.quick_gelu, df=z.quick_gelu_grad, d2f=z.quick_gelu_grad2,
        formula=_f(r"$f(x) = x\,\sigma(1.702x)$", "f(x) = x·σ(1.702x)"),
        dformula=_f(r"$f'(x) = \sigma(kx) + kx\,\sigma'(kx),\ k = 1.702$",
                    "f′(x) = σ(kx) + kx·σ′(kx), k = 1.702"),
        d2formula=_f(r"$f''(x) = k\,(2\sigma'(kx) + kx\,\sigma''(kx))$",
                     "f″(x) = k·(2σ′(kx) + kx·σ″(kx)), k = 1.702"),
        properties=_fixed(Properties(SILU_MIN_TIMES_BETA / z.QUICK_GELU_BETA, INF,
                                     f"[{_g(SILU_MIN_TIMES_BETA / z.QUICK_GELU_BETA)}, ∞)", False,
                                     False, C_INF, ("left",), SILU_SUP_GRAD)),
        description=(
            "The sigmoid approximation of GELU, x·σ(1.702x) (= silu with β = 1.702), used by "
            "OpenAI CLIP, OpenCLIP's -quickgelu models and the Qwen2-VL vision tower "
            "(hidden_act=\"quick_gelu\"). It differs from exact GELU by up to 0.0203 (at "
            "x = ±2.27): loading CLIP weights with plain GELU silently shifts every activation."
        ),
        framework_names=_fw(mlx="mlx.nn.gelu_fast_approx"),
    ),
    Definition(
        name="hard_mish", aliases=("hardmish",),
        f=z.hard_mish, df=z.hard_mish_grad, d2f=z.hard_mish_grad2,
        formula=_f(r"$f(x) = \frac{x}{2}\,\mathrm{clip}(x + 2, 0, 2)$",
                   "f(x) = (x/2)·clip(x + 2, 0, 2)"),
        dformula=_f(r"$f'(x) = 0\ (x < -2),\ x + 1\ (-2 \leq x < 0),\ 1\ (x \geq 0)$",
                    "f′(x) = 0 if x < −2, x + 1 if −2 ≤ x < 0, 1 if x ≥ 0"),
        d2formula=_f(r"$f''(x) = 1\ \mathrm{if}\ -2 \leq x < 0\ \mathrm{else}\ 0$",
                     "f″(x) = 1 if −2 ≤ x < 0 else 0"),
        properties=_fixed(Properties(-0.5, INF, "[−0.5, ∞)", False, False, C0, ("left",), 1.0)),
        kinks=(KinkSpec(lambda p: -2.0, lambda p: 0.0, lambda p: -1.0, ALL_RIGHT,
                        note="timm's default (memory-efficient) backward −1; plain torch "
                             "autograd 0 on torch 2.14"),),
        description=(
            "A piecewise-quadratic mish (timm's hard_mish): 0 below −2, x above 0, a parabola "
            "with minimum −0.5 at x = −1 between. f′ jumps from 0 to −1 at −2: timm's "
            "memory-efficient backward (its default) returns −1 there, plain autograd on "
            "torch 2.14 returns 0."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="star_relu", aliases=("starrelu", "star_relu_paper"),
        f=z.star_relu, df=z.star_relu_grad, d2f=z.star_relu_grad2,
        params=(STAR_SCALE, STAR_BIAS),
        alias_params={"star_relu_paper": STAR_RELU_PAPER},
        formula=_f(r"$f(x) = s\,\max(0, x)^2 + b$", "f(x) = s·max(0, x)² + b"),
        dformula=_f(r"$f'(x) = 2s\,\max(0, x)$", "f′(x) = 2s·max(0, x)"),
        d2formula=_f(r"$f''(x) = 2s\ \mathrm{if}\ x > 0\ \mathrm{else}\ 0$",
                     "f″(x) = 2s if x > 0 else 0"),
        properties=_star_props,
        description=(
            "Squared ReLU with a learned scale and bias (MetaFormer / CAFormer). timm initialises "
            "s = 1, b = 0 (the default here); the paper's constants s = 1/√(5/4) ≈ 0.8944, "
            "b = −s/2 ≈ −0.4472 normalise N(0, 1) inputs to mean 0 and variance 1: "
            "star_relu_paper selects them."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="xielu", aliases=(),
        f=z.xielu, df=z.xielu_grad, d2f=z.xielu_grad2,
        params=(XIELU_AP, XIELU_AN, XIELU_BETA, XIELU_EPS),
        formula=_f(r"$f(x) = \alpha_p x^2 + \beta x\ (x > 0),\ "
                   r"\alpha_n(\mathrm{expm1}(\min(x, \epsilon)) - x) + \beta x\ (x \leq 0)$",
                   "f(x) = αp·x² + β·x if x > 0 else αn·(expm1(min(x, ε)) − x) + β·x"),
        dformula=_f(r"$f'(x) = 2\alpha_p x + \beta\ (x > 0),\ \alpha_n(e^{x} - 1) + \beta\ "
                    r"(x < \epsilon),\ \beta - \alpha_n\ (\epsilon < x \leq 0)$",
                    "f′(x) = 2αp·x + β if x > 0, αn·(eˣ − 1) + β if x < ε, β − αn if ε < x ≤ 0"),
        d2formula=_f(r"$f''(x) = 2\alpha_p\ (x > 0),\ \alpha_n e^{x}\ (x < \epsilon),\ "
                     r"0\ (\epsilon < x \leq 0)$",
                     "f″(x) = 2αp if x > 0, αn·eˣ if x < ε, 0 if ε < x ≤ 0"),
        properties=_xielu_props,
        kinks=(
            KinkSpec(lambda p: p["eps"], _xielu_eps_left, lambda p: p["beta"] - p["alpha_n"],
                     # HF transformers activations.py XIELUActivation._xielu_python uses
                     # torch.min(x, self.eps); pytorch/pytorch tools/autograd/derivatives.yaml,
                     # minimum: grad / 2 to each side where self == other. The optional CUDA
                     # kernel has its own backward (see the entry's notes).
                     {"tensorflow": "mean"}, note="PyTorch's min(x, ε) splits the tie"),
            KinkSpec(lambda p: 0.0, _xielu_zero_left, lambda p: p["beta"], ALL_LEFT,
                     f_jumps=lambda p: p["eps"] < 0,
                     note="f(0) = αn·expm1(ε) ≈ −8e−7: f steps up to 0⁺"),
        ),
        description=(
            "Expanded integral of ELU (Apertus, hidden_act=\"xielu\"): a parabola for x > 0 and "
            "an exponential branch whose slope tends to β − αn for x → −∞, so with the HF "
            "defaults (αp = αn = 0.8, β = 0.5) it is non-monotonic and unbounded both ways up. "
            "As implemented (ε = −1e−6) the gradient on (ε, 0] is β − αn = −0.3, not β, and f(0) "
            "is −8e−7; set eps=0 for the exact C¹ function."
        ),
        notes=("The optional CUDA kernel (nickjbrowning/XIELU, xielu/cuda/src/xielu_impl.cu, "
               "compute_dx at 6856ca9) returns αn·expm1(min(x, ε)) + β for x ≤ 0: the left value "
               "at ε, and on (ε, 0] αn·expm1(ε) + β ≈ β rather than the forward's slope β − αn "
               "that autograd of the Python path (and this entry) gives.",),
        framework_names=_fw(),
    ),
    Definition(
        name="snake", aliases=(),
        f=z.snake, df=z.snake_grad, d2f=z.snake_grad2,
        params=(SNAKE_ALPHA,),
        formula=_f(r"$f(x) = x + \frac{\sin^2(\alpha x)}{\alpha}$", "f(x) = x + sin²(αx)/α"),
        dformula=_f(r"$f'(x) = 1 + \sin(2\alpha x)$", "f′(x) = 1 + sin(2αx)"),
        d2formula=_f(r"$f''(x) = 2\alpha\cos(2\alpha x)$", "f″(x) = 2α·cos(2αx)"),
        properties=lambda p: _snake_beta_props({"alpha": p["alpha"], "beta": p["alpha"]}),
        description=(
            "A periodic activation for audio (BigVGAN, DAC vocoders): the identity plus a "
            "ripple of height 1/α. Monotonic (f′ = 1 + sin(2αx) ∈ [0, 2]) and never saturates; "
            "f′ and f″ have no limit at ±∞ (NaN there). BigVGAN learns α per channel; with "
            "alpha_logscale it initialises log α = 0 whatever alpha says."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="snake_beta", aliases=("snakebeta",),
        f=z.snake_beta, df=z.snake_beta_grad, d2f=z.snake_beta_grad2,
        params=(SNAKE_ALPHA, SNAKE_BETA),
        formula=_f(r"$f(x) = x + \frac{\sin^2(\alpha x)}{\beta}$", "f(x) = x + sin²(αx)/β"),
        dformula=_f(r"$f'(x) = 1 + \frac{\alpha}{\beta}\sin(2\alpha x)$",
                    "f′(x) = 1 + (α/β)·sin(2αx)"),
        d2formula=_f(r"$f''(x) = \frac{2\alpha^2}{\beta}\cos(2\alpha x)$",
                     "f″(x) = (2α²/β)·cos(2αx)"),
        properties=_snake_beta_props,
        description=(
            "Snake with separate frequency α and magnitude 1/β (BigVGAN v2's \"snakebeta\"). "
            "Not monotonic when α > β; f′ and f″ have no limit at ±∞ (NaN there)."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="softcap", aliases=("soft_cap", "logit_softcap", "tanh_softcap"),
        f=z.softcap, df=z.softcap_grad, d2f=z.softcap_grad2,
        params=(SOFTCAP_C,),
        formula=_f(r"$f(x) = c\,\tanh(x/c)$", "f(x) = c·tanh(x/c)"),
        dformula=_f(r"$f'(x) = \mathrm{sech}^2(x/c)$", "f′(x) = sech²(x/c)"),
        d2formula=_f(r"$f''(x) = -\frac{2}{c}\tanh(x/c)\,\mathrm{sech}^2(x/c)$",
                     "f″(x) = −(2/c)·tanh(x/c)·sech²(x/c)"),
        properties=_softcap_props,
        description=(
            "Soft capping of logits (Gemma 2: c = 30 on the final logits, 50 on attention "
            "logits): the identity near 0 (f′(0) = 1), smoothly bounded to (−c, c). Applied to "
            "logits, not hidden units."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="clipped_gelu", aliases=("gelu_10", "clippedgelu"),
        f=z.clipped_gelu, df=z.clipped_gelu_grad, d2f=z.clipped_gelu_grad2,
        params=(CLIP_MIN, CLIP_MAX),
        formula=_f(r"$f(x) = \mathrm{clip}(x\,\Phi(x), \min, \max)$",
                   "f(x) = clip(x·Φ(x), min, max)"),
        dformula=_f(r"$f'(x) = \Phi(x) + x\,\phi(x)\ (x < \max),\ 0\ (x \geq \max)$",
                    "f′(x) = Φ(x) + x·φ(x) if x < max else 0"),
        d2formula=_f(r"$f''(x) = \phi(x)\,(2 - x^2)\ (x < \max),\ 0\ (x \geq \max)$",
                     "f″(x) = φ(x)·(2 − x²) if x < max else 0"),
        properties=_clipped_gelu_props,
        kinks=(KinkSpec(lambda p: p["max_val"], _clipped_left, lambda p: 0.0, ALL_RIGHT,
                        note="torch 2.14's clamp gives 0 at the bound"),),
        description=(
            "Exact GELU clipped to [min, max] (Hugging Face's ClippedGELUActivation; \"gelu_10\" "
            "clips to ±10) to keep activations quantisation-friendly. The lower clip never binds "
            "for min below GELU's minimum −0.17; the upper one makes f′ drop from ≈ 1 to 0 at "
            "x = max."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="laplace", aliases=("laplace_activation",),
        f=z.laplace, df=z.laplace_grad, d2f=z.laplace_grad2,
        params=(LAPLACE_MU, LAPLACE_SIGMA),
        formula=_f(r"$f(x) = \frac{1}{2}\left(1 + \mathrm{erf}\frac{x - \mu}{\sigma\sqrt{2}}\right)$",
                   "f(x) = (1 + erf((x − μ)/(σ√2)))/2"),
        dformula=_f(r"$f'(x) = \phi((x - \mu)/\sigma)/\sigma$", "f′(x) = φ((x − μ)/σ)/σ"),
        d2formula=_f(r"$f''(x) = -z\,\phi(z)/\sigma^2,\ z = (x - \mu)/\sigma$",
                     "f″(x) = −z·φ(z)/σ², z = (x − μ)/σ"),
        properties=_laplace_props,
        description=(
            "A Gaussian-CDF gate centred at μ ≈ 1/√2 with width σ ≈ 1/(2√π) (MEGA; Hugging "
            "Face's LaplaceActivation), chosen to approximate relu² on attention scores; output "
            "in (0, 1), f(0) ≈ 0.0061. In HF, μ and σ are forward() arguments."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="sqrt_softplus", aliases=("sqrtsoftplus",),
        f=z.sqrt_softplus, df=z.sqrt_softplus_grad, d2f=z.sqrt_softplus_grad2,
        formula=_f(r"$f(x) = \sqrt{\log(1 + e^{x})}$", "f(x) = √(log(1 + eˣ))"),
        dformula=_f(r"$f'(x) = \frac{\sigma(x)}{2\sqrt{\mathrm{softplus}(x)}}$",
                    "f′(x) = σ(x)/(2·√softplus(x))"),
        d2formula=_f(r"$f''(x) = \frac{\sigma'(x)/2 - f'(x)^2}{\sqrt{\mathrm{softplus}(x)}}$",
                     "f″(x) = (σ′(x)/2 − f′(x)²)/√softplus(x)"),
        properties=_fixed(Properties(0.0, INF, "(0, ∞)", False, True, C_INF, ("left",),
                                     SQRT_SOFTPLUS_SUP_GRAD)),
        description=(
            "The square root of softplus (Hugging Face \"sqrtsoftplus\", a router scoring "
            "function): positive, growing like √x, f(0) ≈ 0.8326. In float32 its gradient is "
            "NaN for x ≤ −104 when computed naively (softplus underflows to 0, then 0·∞); "
            "here the tail is e^(x/2)."
        ),
        framework_names=_fw(),
    ),
    Definition(
        name="tanhexp", aliases=("tanh_exp",),
        f=z.tanhexp, df=z.tanhexp_grad, d2f=z.tanhexp_grad2,
        formula=_f(r"$f(x) = x\,\tanh(e^{x})$", "f(x) = x·tanh(eˣ)"),
        dformula=_f(r"$f'(x) = \tanh(e^{x}) + x e^{x}\,\mathrm{sech}^2(e^{x})$",
                    "f′(x) = tanh(eˣ) + x·eˣ·sech²(eˣ)"),
        d2formula=_f(r"$f''(x) = e^{x}\mathrm{sech}^2(e^{x})\,(2 + x - 2x e^{x}\tanh(e^{x}))$",
                     "f″(x) = eˣ·sech²(eˣ)·(2 + x − 2x·eˣ·tanh(eˣ))"),
        properties=_fixed(Properties(TANHEXP_MIN, INF, f"[{_g(TANHEXP_MIN)}, ∞)", False, False,
                                     C_INF, ("left",), TANHEXP_SUP_GRAD)),
        description=(
            "x·tanh(eˣ) (Liu & Di 2020), a mish-like curve for real-time detectors with minimum "
            "−0.3533 at x = −1.079 and f′(0) = tanh 1. A naive gradient is NaN for x ≥ 88.7 in "
            "float32 (eˣ = ∞ times sech² = 0); not here."
        ),
        framework_names=_fw(),
    ),
)

