"""The vector and gated catalog entries, each defined once (facts: catalog-gap.md A11–A18, B1–B5).

Vector entries act on a whole axis (default −1): softmax, log_softmax, softmin, sparsemax, crelu,
softmax2d, gumbel_softmax. Gated entries split their input into a gate half g and a value half u
and compute h = a(g)·u: glu (a = σ), swiglu (silu), geglu (gelu), reglu (relu), bilinear
(identity), and gpt-oss's clamped, interleaved SwiGLU.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from actviz.catalog.model import Formula, KinkSpec, Param, ParamValues, Properties
from actviz.catalog.vector_model import GatedDefinition, VectorDefinition, scaled_properties
from actviz.core import gated as cg
from actviz.core import piecewise as pw
from actviz.core import smooth as sm
from actviz.core import vector as cv
from actviz.core import vector_family as vf
from actviz.core.numtext import number

TEMPERATURE = Param("temperature", 1.0, "T", "divide the inputs by T > 0 first", low=0.0, high=math.inf)
TAU = Param("tau", 1.0, "τ", "temperature of the relaxed sample", low=0.0, high=math.inf)
SEED = Param("seed", 0.0, "seed", "seed of the Gumbel noise (same seed, same sample)", low=0.0,
             high=2.0**63, low_open=False)
HARD = Param("hard", False, "hard", "one-hot forward value (PyTorch's straight-through trick)",
             is_bool=True)
APPROXIMATE = Param("approximate", False, "approx", "tanh-approximated gelu gate (Gemma, vLLM 'tanh')",
                    is_bool=True)
ALPHA_OSS = Param("alpha", 1.702, "α", "gate steepness: g·σ(αg)", low=0.0, high=1000.0, high_open=False)
LIMIT_OSS = Param("limit", 7.0, "L", "clamp: gate ≤ L, −L ≤ value ≤ L", low=0.0, high=1e300, high_open=False)

_SOFTMAX_CONVENTIONS = {
    "tensorflow": "tf.nn.softmax(logits, axis=None): None means the last axis",
    "keras": "softmax(x, axis=-1); the Softmax layer's mask adds −1e9 to masked logits (−3e4 in float16)",
    "pytorch": ("dim=None is deprecated and picks dim 0 for 0-, 1- and 3-D inputs, else dim 1: "
                "a (1, 2, 2) input gives all ones — always pass dim"),
    "jax": "jax.nn.softmax(x, axis=-1, where=None): where= masks entries",
    "mlx": "mlx.nn.softmax(x, axis=-1)",
}


def _gumbel(x: Any, axis: int = -1, tau: float = 1.0, seed: float = 0.0, hard: bool = False) -> Any:
    if seed != int(seed):
        raise ValueError(f"parameter seed must be a whole number, got {seed:g}")
    return vf.gumbel_softmax(x, tau=tau, seed=int(seed), axis=axis, hard=hard)


VECTOR_DEFINITIONS: tuple[VectorDefinition, ...] = (
    VectorDefinition(
        name="softmax", aliases=(),
        f=lambda x, axis=-1, temperature=1.0: cv.softmax(x, temperature, axis),
        jacobian=lambda x, axis=-1, temperature=1.0: vf.softmax_jacobian(x, temperature, axis),
        jvp=lambda x, v, axis=-1, temperature=1.0: vf.softmax_jvp(x, v, temperature, axis),
        params=(TEMPERATURE,),
        formula=Formula(r"$s_i = e^{z_i/T} / \sum_j e^{z_j/T}$", "s_i = e^(z_i/T) / Σ_j e^(z_j/T)"),
        dformula=Formula(r"$\partial s_i/\partial z_j = s_i(\delta_{ij} - s_j)/T$",
                         "∂s_i/∂z_j = s_i·(δ_ij − s_j)/T; diagonal s_i·Σ_{j≠i} s_j/T"),
        description=(
            "Turns a vector of logits into probabilities that sum to 1; the output layer of every "
            "classifier and the weights of every attention head. Shift invariant; computed with the "
            "maximum subtracted exactly, so huge or widely spread logits are exact to a few ULP."
        ),
        framework_names={"tensorflow": "tf.nn.softmax", "keras": "keras.activations.softmax",
                         "pytorch": "torch.nn.Softmax", "jax": "jax.nn.softmax", "mlx": "mlx.nn.softmax"},
        conventions=_SOFTMAX_CONVENTIONS,
        models=("every multi-class classifier (output layer)", "attention weights in every Transformer"),
    ),
    VectorDefinition(
        name="log_softmax", aliases=(),
        f=lambda x, axis=-1, temperature=1.0: cv.log_softmax(x, temperature, axis),
        jacobian=lambda x, axis=-1, temperature=1.0: vf.log_softmax_jacobian(x, temperature, axis),
        jvp=lambda x, v, axis=-1, temperature=1.0: vf.log_softmax_jvp(x, v, temperature, axis),
        params=(TEMPERATURE,),
        formula=Formula(r"$z_i/T - \log\sum_j e^{z_j/T}$", "log s_i = z_i/T − log Σ_j e^(z_j/T)"),
        dformula=Formula(r"$(\delta_{ij} - s_j)/T$", "∂/∂z_j = (δ_ij − s_j)/T; diagonal Σ_{j≠i} s_j/T"),
        description=(
            "The logarithm of softmax, computed directly: exact where the probability itself "
            "underflows (log_softmax([0, −40])[0] = −4.2e−18, not 0). What cross-entropy losses "
            "and language-model training use."
        ),
        framework_names={"tensorflow": "tf.nn.log_softmax", "keras": "keras.activations.log_softmax",
                         "pytorch": "torch.nn.LogSoftmax", "jax": "jax.nn.log_softmax",
                         "mlx": "mlx.nn.log_softmax"},
        conventions={**_SOFTMAX_CONVENTIONS,
                     "pytorch": "LogSoftmax(dim=None): the same legacy dim rule as softmax"},
        models=("cross-entropy / negative log-likelihood losses", "language-model token log-probabilities"),
        range_text="(−∞, 0], log-sum-exp 0 along the axis",
    ),
    VectorDefinition(
        name="softmin", aliases=(),
        f=lambda x, axis=-1, temperature=1.0: vf.softmin(x, temperature, axis),
        jacobian=lambda x, axis=-1, temperature=1.0: vf.softmin_jacobian(x, temperature, axis),
        jvp=lambda x, v, axis=-1, temperature=1.0: vf.softmin_jvp(x, v, temperature, axis),
        params=(TEMPERATURE,),
        formula=Formula(r"$\mathrm{softmax}(-z/T)_i$", "softmin(z)_i = softmax(−z/T)_i"),
        dformula=Formula(r"$-s_i(\delta_{ij} - s_j)/T$", "∂/∂z_j = −s_i·(δ_ij − s_j)/T, s = softmin(z)"),
        description="softmax of the negated inputs: the smallest input gets the largest probability.",
        framework_names={"tensorflow": None, "keras": None, "pytorch": "torch.nn.Softmin", "jax": None,
                         "mlx": "mlx.nn.softmin"},
        conventions={"pytorch": "Softmin(dim=None): the legacy dim rule of softmax",
                     "mlx": "softmin(x, axis=-1)"},
        models=("soft nearest-neighbour / soft-minimum selection over distances",),
    ),
    VectorDefinition(
        name="sparsemax", aliases=(),
        f=lambda x, axis=-1: vf.sparsemax(x, axis),
        jacobian=lambda x, axis=-1: vf.sparsemax_jacobian(x, axis),
        jvp=lambda x, v, axis=-1: vf.sparsemax_jvp(x, v, axis),
        formula=Formula(r"$\max(z_i - \tau, 0),\ \sum_i \max(z_i - \tau, 0) = 1$",
                        "sparsemax(z)_i = max(z_i − τ, 0), τ = (Σ_{j≤k} z₍j₎ − 1)/k, "
                        "k = max{k : 1 + k·z₍k₎ > Σ_{j≤k} z₍j₎} (z sorted decreasingly)"),
        dformula=Formula(r"$\mathrm{diag}(s) - s s^T/|S|$",
                         "J = diag(σ) − σσᵀ/|S|, σ_i = [output_i > 0] (piecewise linear)"),
        description=(
            "The Euclidean projection onto the probability simplex: like softmax it sums to 1, but "
            "small inputs get exactly 0. Keras ≤ 3.16's sparsemax is wrong whenever two or more "
            "outputs are non-zero ([1, 1.1, 0] gives [0, 1.2e−7, 0]; the answer is [0.45, 0.55, 0], "
            "keras-team/keras #23425); actviz uses the sort-based algorithm of Martins & Astudillo."
        ),
        framework_names={"tensorflow": None, "keras": "keras.activations.sparsemax", "pytorch": None,
                         "jax": None, "mlx": None},
        conventions={"keras": "sparsemax(x, axis=-1); wrong for a support of ≥ 2 entries (#23425)"},
        models=("sparse attention and multi-label classification (Martins & Astudillo 2016)",),
        smoothness="C⁰ (piecewise linear)",
    ),
    VectorDefinition(
        name="crelu", aliases=("concatenated_relu",),
        f=lambda x, axis=-1: vf.crelu(x, axis),
        jacobian=lambda x, axis=-1: vf.crelu_jacobian(x, axis),
        jvp=lambda x, v, axis=-1: vf.crelu_jvp(x, v, axis),
        formula=Formula(r"$[\mathrm{relu}(x), \mathrm{relu}(-x)]$", "crelu(x) = concat(relu(x), relu(−x))"),
        dformula=Formula(r"$[\mathrm{diag}(x>0); -\mathrm{diag}(x<0)]$",
                         "J = [diag(x > 0); −diag(x < 0)] (0 for both copies at x = 0)"),
        description=(
            "Concatenated ReLU: keeps the positive and the negative part as separate channels, so "
            "the output is twice as wide along the axis and no information is dropped."
        ),
        framework_names={"tensorflow": "tf.nn.crelu", "keras": None, "pytorch": None, "jax": None,
                         "mlx": None},
        conventions={"tensorflow": "tf.nn.crelu(features, axis=-1)",
                     "pytorch": "no built-in: torch.cat((relu(x), relu(-x)), dim)"},
        models=("CReLU CNNs (Shang et al. 2016)",),
        output="twice as wide along the axis",
        nan_is_error=False,
        smoothness="C⁰",
        range_text="[0, ∞)",
    ),
    VectorDefinition(
        name="softmax2d", aliases=(),
        f=lambda x, temperature=1.0: vf.softmax2d(x, temperature),
        jacobian=lambda x, temperature=1.0: vf.softmax_jacobian(_image(x), temperature, -3),
        jvp=lambda x, v, temperature=1.0: vf.softmax_jvp(_image(x), v, temperature, -3),
        params=(TEMPERATURE,),
        formula=Formula(r"$\mathrm{softmax}_{C}(z)$",
                        "softmax over the channel axis −3 of (C, H, W) or (N, C, H, W)"),
        dformula=Formula(r"$s_i(\delta_{ij} - s_j)/T$", "as softmax, along the channel axis"),
        description="softmax at every pixel over the channels: per-pixel class probabilities.",
        framework_names={"tensorflow": None, "keras": None, "pytorch": "torch.nn.Softmax2d", "jax": None,
                         "mlx": None},
        conventions={"pytorch": "Softmax2d(): dim −3 of a (C, H, W) or (N, C, H, W) input"},
        models=("semantic segmentation heads (per-pixel classes)",),
        fixed_axis=True,
    ),
    VectorDefinition(
        name="gumbel_softmax", aliases=(),
        f=_gumbel,
        params=(TAU, SEED, HARD),
        formula=Formula(r"$\mathrm{softmax}((z + g)/\tau),\ g_i = -\log(-\log U_i)$",
                        "softmax((z + g)/τ), g_i = −log(−log U_i), U_i ~ U(0, 1)"),
        dformula=Formula(r"$\mathrm{softmax\ Jacobian\ at\ (z + g)/\tau$",
                         "for fixed noise g: the softmax Jacobian at (z + g)/τ"),
        description=(
            "A differentiable relaxation of sampling from softmax(z): stochastic — every seed gives "
            "another sample; hard=true gives the one-hot argmax (PyTorch's straight-through forward)."
        ),
        framework_names={"tensorflow": None, "keras": None, "pytorch": "torch.nn.functional.gumbel_softmax",
                         "jax": None, "mlx": None},
        conventions={"pytorch": ("F.gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1); "
                                 "eps has no effect")},
        models=("categorical VAEs (Jang et al. 2016)", "differentiable architecture search (GDAS)"),
        stochastic=True,
    ),
)


def _image(x: Any) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim not in (3, 4):
        raise ValueError(f"softmax2d expects a (C, H, W) or (N, C, H, W) input, got shape {arr.shape}")
    return arr


# --- gated ------------------------------------------------------------------------------------

def _product(a: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """(g, u) ↦ a(g)·u (0·∞ is NaN: undefined)."""

    def kernel(g: np.ndarray, u: np.ndarray, **params: Any) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            out = a(g, **params) * u
            out += 0.0  # 0·(−u) is −0: show 0
            return out

    return kernel


def _gate_only(a: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """(g, u) ↦ a(g), with NaN where u is NaN (the value half's partial ∂h/∂u)."""

    def kernel(g: np.ndarray, u: np.ndarray, **params: Any) -> np.ndarray:
        out = a(g, **params)
        return np.where(np.isnan(u), np.nan, out)

    return kernel


@functools.lru_cache(maxsize=64)
def _gate_props(name: str, items: tuple[tuple[str, Any], ...]) -> Properties:
    from actviz.catalog.registry import get

    return get(name, **dict(items)).properties


def _view_props(gate_name: str, keys: tuple[str, ...] = ()) -> Callable[[ParamValues, float], Properties]:
    def props(p: ParamValues, u: float) -> Properties:
        return scaled_properties(_gate_props(gate_name, tuple((k, p[k]) for k in keys)), u)

    return props


def _oss_props(p: ParamValues, u: float) -> Properties:
    from actviz.catalog.entries import SILU_MIN_TIMES_BETA, SILU_SUP_GRAD

    a, lim = p["alpha"], p["limit"]
    c = min(max(u, -lim), lim) + 1.0
    top = float(sm.silu(np.array([lim]), a)[0])
    low = SILU_MIN_TIMES_BETA / a
    base = Properties(low, top, f"[{number(low, 4)}, {number(top, 4)}]",
                      False, False, "C⁰", ("left", "right"), SILU_SUP_GRAD)
    return scaled_properties(base, c)


def _oss_kinks(u: float) -> tuple[KinkSpec, ...]:
    def left(p: ParamValues) -> float:
        lim = p["limit"]
        c = min(max(p["value"], -lim), lim) + 1.0
        return c * float(sm.silu_grad(np.array([lim]), p["alpha"])[0])

    return (KinkSpec(lambda p: p["limit"], left, lambda p: 0.0, {"tensorflow": "right"},
                     note="gate clamp: torch 2.14's autograd gives 0 at exactly L"),)


def _reglu_kinks(u: float) -> tuple[KinkSpec, ...]:
    return (KinkSpec(lambda p: 0.0, lambda p: 0.0, lambda p: p["value"], {"tensorflow": "left"}),)


def _std_formulas(a: str, da: str, d2a: str) -> tuple[Formula, Formula, Formula, Formula]:
    return (Formula(f"$h = {a}(g)\\,u$", f"h(g, u) = {a}(g)·u"),
            Formula(f"$\\partial h/\\partial g = {da}(g)\\,u$", f"∂h/∂g = {da}(g)·u"),
            Formula(f"$\\partial h/\\partial u = {a}(g)$", f"∂h/∂u = {a}(g)"),
            Formula(f"$\\partial^2 h/\\partial g^2 = {d2a}(g)\\,u$", f"∂²h/∂g² = {d2a}(g)·u"))


def _gated(name: str, aliases: tuple[str, ...], a, da, d2a, symbols: tuple[str, str, str], gate_entry: str,
           keys: tuple[str, ...] = (), **rest: Any) -> GatedDefinition:
    f, df, vf_, d2f = _std_formulas(*symbols)
    return GatedDefinition(
        name=name, aliases=aliases, f=_product(a), dgate=_product(da), dgate2=_product(d2a),
        dvalue=_gate_only(a), formula=f, dformula=df, vformula=vf_, d2formula=d2f,
        view_properties=_view_props(gate_entry, keys), **rest,
    )


GATED_DEFINITIONS: tuple[GatedDefinition, ...] = (
    _gated(
        "glu", ("gated_linear_unit",), sm.sigmoid, sm.sigmoid_grad, sm.sigmoid_grad2,
        ("σ", "σ′", "σ″"), "sigmoid",
        description=(
            "Gated linear unit: half of the input, the value, scaled by the sigmoid of the other "
            "half, the gate. PyTorch, Keras, JAX and MLX gate with the second half: "
            "glu([1, 2, 0, 0]) = [0.5, 1.0]; an odd length along the axis is an error."
        ),
        framework_names={"tensorflow": None, "keras": "keras.activations.glu", "pytorch": "torch.nn.GLU",
                         "jax": "jax.nn.glu", "mlx": "mlx.nn.glu"},
        models=("gated convolutional language models (Dauphin et al. 2017)",
                "Conformer convolution module (speech)"),
    ),
    _gated(
        "swiglu", ("silu_and_mul",), sm.silu, sm.silu_grad, sm.silu_grad2,
        ("silu", "silu′", "silu″"), "silu",
        description=(
            "SwiGLU: the value scaled by silu of the gate. The feed-forward non-linearity of most "
            "current language models. Fused checkpoints differ in which half is the gate: vLLM's "
            "SiluAndMul, Phi-3 and timm's SwiGLUPacked gate with the first half, PyTorch-style glu "
            "with the second; loading weights with the wrong order is silent."
        ),
        framework_names={"tensorflow": None, "keras": None, "pytorch": None, "jax": None, "mlx": None,
                         "vllm": "SiluAndMul", "timm": "timm.layers.SwiGLUPacked"},
        models=("LLaMA 1–3", "Mistral / Mixtral", "Qwen", "PaLM", "Phi-3"),
    ),
    _gated(
        "geglu", ("gelu_and_mul",),
        sm.gelu, sm.gelu_grad, sm.gelu_grad2, ("gelu", "gelu′", "gelu″"), "gelu", ("approximate",),
        params=(APPROXIMATE,),
        description=(
            "GeGLU: the value scaled by gelu of the gate (exact erf gelu, or the tanh form with "
            "approximate=true, which Gemma uses; they differ by at most 4.73e−4 per element)."
        ),
        framework_names={"tensorflow": None, "keras": None, "pytorch": None, "jax": None, "mlx": None,
                         "vllm": "GeluAndMul"},
        models=("T5 v1.1 (feed_forward_proj='gated-gelu')", "Gemma (gelu_pytorch_tanh gate)"),
    ),
    _gated(
        "reglu", (), pw.relu, pw.relu_grad, pw.relu_grad2, ("relu", "relu′", "relu″"), "relu",
        description="ReGLU: the value scaled by relu of the gate; ∂h/∂g jumps from 0 to u at g = 0.",
        framework_names={"tensorflow": None, "keras": None, "pytorch": None, "jax": None, "mlx": None,
                         "timm": "GluMlp(act_layer=nn.ReLU)"},
        models=("GLU-variant feed-forward blocks (Shazeer 2020)",),
        view_kinks=_reglu_kinks,
        smoothness="C⁰ (kink at g = 0)",
    ),
    _gated(
        "bilinear", ("bilinear_glu",), sm.identity, sm.identity_grad, sm.identity_grad2, ("id", "id′", "id″"),
        "identity",
        description="Bilinear GLU: gate times value, no non-linearity (h = g·u).",
        framework_names={"tensorflow": None, "keras": None, "pytorch": None, "jax": None, "mlx": None},
        models=("GLU-variant feed-forward blocks (Shazeer 2020)",),
    ),
    GatedDefinition(
        name="gpt_oss_swiglu", aliases=("clamped_swiglu", "swiglu_oss"),
        f=cg.clamped_swiglu, dgate=cg.clamped_swiglu_dgate, dgate2=cg.clamped_swiglu_dgate2,
        dvalue=cg.clamped_swiglu_dvalue,
        formula=Formula(r"$h = (\mathrm{clamp}(u, -L, L) + 1)\,\tilde g\,\sigma(\alpha\tilde g),"
                        r"\ \tilde g = \min(g, L)$",
                        "h(g, u) = (clamp(u, −L, L) + 1)·g̃·σ(α·g̃), g̃ = min(g, L)"),
        dformula=Formula(r"$(\tilde u + 1)\,\mathrm{silu}_\alpha'(g)\ (g < L),\ 0\ (g \geq L)$",
                         "∂h/∂g = (ũ + 1)·silu_α′(g) for g < L, 0 for g ≥ L"),
        vformula=Formula(r"$\mathrm{silu}_\alpha(\tilde g)\ (|u| < L),\ 0$",
                         "∂h/∂u = silu_α(g̃) for |u| < L, 0 for |u| ≥ L"),
        d2formula=Formula(r"$(\tilde u + 1)\,\mathrm{silu}_\alpha''(g)$",
                          "∂²h/∂g² = (ũ + 1)·silu_α″(g) for g < L"),
        params=(ALPHA_OSS, LIMIT_OSS),
        description=(
            "gpt-oss's SwiGLU: a QuickGELU-style gate g·σ(1.702g) clamped at 7, times the value "
            "clamped to [−7, 7] plus 1. The input is interleaved: even entries gate, odd ones are "
            "the value."
        ),
        framework_names={"tensorflow": None, "keras": None, "pytorch": None, "jax": None, "mlx": None,
                         "gpt-oss": "GptOssMLP._apply_gate (HF transformers)"},
        models=("gpt-oss-20b", "gpt-oss-120b"),
        view_properties=_oss_props,
        view_kinks=_oss_kinks,
        default_gate="interleaved",
        follows_presets=False,
        smoothness="C⁰ (kinks at g = L, u = ±L)",
    ),
)
