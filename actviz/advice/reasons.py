"""Reasons with numbers, every number computed from the catalog for the depth and framework asked.

Nothing here is typed in: sup abs(f′) comes from ``act.properties.sup_abs_grad``, slopes from
``act.grad``, saturation edges and dead regions from :func:`actviz.analysis.saturation_regions`,
ranges from ``act.properties``. ``--depth`` enters through powers such as sup abs(σ′)**depth, so the
numbers move when the depth does.

gelu's properties need SciPy (erfc); ``recommend`` is a table command and must start without it,
so gelu's reason quotes only its parameter defaults.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from actviz.advice import rules
from actviz.analysis import Region, saturation_regions
from actviz.catalog.activation import Activation
from actviz.catalog.frameworks import BASE_FRAMEWORKS as FRAMEWORKS  # recommend's four
from actviz.catalog.frameworks import DISPLAY_NAMES
from actviz.catalog.registry import get
from actviz.core.numtext import short

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Reason:
    """One quantified reason about one activation; ``values`` holds the numbers quoted in ``text``."""

    activation: str
    text: str
    values: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"activation": self.activation, "text": self.text, "values": dict(self.values)}


# --- formatting ---------------------------------------------------------------------------------
def fmt(v: float) -> str:
    """Short text for a number: 3 significant digits, scientific (2 digits) outside [1e−3, 1e5)
    (:func:`actviz.core.numtext.short`)."""
    return short(v)


def power(base: float, exponent: int) -> str:
    """``0.25¹⁰`` — a power as people write it."""
    return f"{fmt(base)}{str(exponent).translate(_SUPERSCRIPT)}"


def framework_label(framework: str) -> str:
    return DISPLAY_NAMES.get(framework, framework)


# --- catalog facts ------------------------------------------------------------------------------
def depth_factor(per_layer: float, depth: int) -> float:
    """The gradient factor through ``depth`` layers that each scale it by at most ``per_layer``."""
    return math.pow(per_layer, depth)


def vanishing_depth(per_layer: float, vanished: float = rules.VANISHED) -> int | None:
    """The fewest layers whose factor per_layer**depth drops below ``vanished`` (None: not within
    ``rules.MAX_DEPTH``)."""
    for depth in range(1, rules.MAX_DEPTH + 1):
        if depth_factor(per_layer, depth) < vanished:
            return depth
    return None


@functools.lru_cache(maxsize=64)
def _regions(spec: str, framework: str, threshold: float) -> tuple[Region, ...]:
    return tuple(saturation_regions(get(spec.partition(":")[0], framework), threshold))


def regions(act: Activation, threshold: float = rules.SATURATION_THRESHOLD) -> tuple[Region, ...]:
    """``saturation_regions`` of a default-parameter activation, computed once per run."""
    if act.spec != act.name:  # non-default parameters: not cached
        return tuple(saturation_regions(act, threshold))
    return _regions(act.spec, act.framework, threshold)


def saturation_edge(act: Activation, threshold: float = rules.SATURATION_THRESHOLD) -> float | None:
    """Where abs(f′) drops below ``threshold`` for good: the start of a region reaching +∞ (sigmoid:
    4.585), else the end of one reaching −∞ (elu: −4.605); None if f′ never vanishes at the ends."""
    unbounded = [r for r in regions(act, threshold) if r.kind == "vanishing"]
    for region in unbounded:
        if region.end == math.inf:
            return region.start
    for region in unbounded:
        if region.start == -math.inf:
            return region.end
    return None


def dead_region(act: Activation) -> Region | None:
    """The region where f′ is exactly 0 (relu's x ≤ 0), if any."""
    for region in regions(act):
        if region.kind == "dead":
            return region
    return None


def normal_cdf(x: float) -> float:
    """P(Z ≤ x) for a standard normal Z (the share of unit-variance pre-activations below x)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _interval(region: Region) -> str:
    lo = "(−∞" if region.start == -math.inf else f"[{fmt(region.start)}"
    hi = "∞)" if region.end == math.inf else f"{fmt(region.end)}]"
    return f"{lo}, {hi}"


# --- hidden-layer reasons -----------------------------------------------------------------------
def _relu(depth: int, framework: str) -> Reason:
    act = get("relu", framework)
    slope = float(act.grad(rules.TYPICAL_PREACTIVATION))
    sup = act.properties.sup_abs_grad
    factor = depth_factor(sup, depth)
    dead = dead_region(act)
    assert dead is not None, "relu has a dead region"
    off = normal_cdf(dead.end) if dead.start == -math.inf else 0.0
    text = (
        f"relu: f′ = {fmt(slope)} for every active unit and sup|f′| = {fmt(sup)}, so an active path "
        f"keeps its gradient through {depth} layers ({power(sup, depth)} = {fmt(factor)}). "
        f"But f′ = 0 on {_interval(dead)}: for zero-mean unit-variance pre-activations "
        f"{fmt(100 * off)}% of units pass no gradient for a given input."
    )
    return Reason("relu", text, {"sup_abs_grad": sup, "gradient_factor": factor,
                                 "dead_below": dead.end, "inactive_share": off})


def _leaky_relu(depth: int, framework: str) -> Reason:
    slope = float(get("leaky_relu", framework).grad(-rules.TYPICAL_PREACTIVATION))
    by_slope: dict[float, list[str]] = {}
    for fw in FRAMEWORKS:
        a = float(get("leaky_relu", fw).grad(-rules.TYPICAL_PREACTIVATION))
        by_slope.setdefault(a, []).append(framework_label(fw))
    defaults = "; ".join(f"{' and '.join(fws)} {fmt(a)}" for a, fws in by_slope.items())
    text = (
        f"leaky_relu: f′ = α = {fmt(slope)} for x < 0 ({framework_label(framework)}'s default α) "
        f"instead of 0, so no unit can die. Default α: {defaults}."
    )
    return Reason("leaky_relu", text, {"negative_slope": slope})


def _elu(depth: int, framework: str) -> Reason:
    act = get("elu", framework)
    low = act.properties.range_low
    edge = saturation_edge(act)
    tail = f"; f′ < {fmt(rules.SATURATION_THRESHOLD)} only below x = {fmt(edge)}" if edge is not None else ""
    text = (
        f"elu: outputs reach down to {fmt(low)}, pulling mean activations toward 0, and "
        f"f′ = α·eˣ > 0 for x < 0: no dead region{tail}."
    )
    values = {"range_low": low}
    if edge is not None:
        values["saturates_below"] = edge
    return Reason("elu", text, values)


def _selu(depth: int, framework: str) -> Reason:
    act = get("selu", framework)
    scale = float(act.grad(rules.TYPICAL_PREACTIVATION))
    sup = act.properties.sup_abs_grad
    text = (
        f"selu: f′ = λ = {fmt(scale)} for x > 0 and up to λα = {fmt(sup)} just below 0; these "
        f"constants keep activations near mean 0 and variance 1 through a plain stack of "
        f"{depth} dense layers with LeCun-normal weights (no normalisation layers needed)."
    )
    return Reason("selu", text, {"scale": scale, "sup_abs_grad": sup})


def _gelu(depth: int, framework: str) -> Reason:
    approx = {fw: bool(get("gelu", fw).params["approximate"]) for fw in FRAMEWORKS}
    tanh_form = [framework_label(fw) for fw, a in approx.items() if a]
    exact = [framework_label(fw) for fw, a in approx.items() if not a]
    text = (
        "gelu: smooth everywhere, close to relu for large abs(x), with a small negative dip. "
        f"Default form: exact erf in {', '.join(exact)}; tanh approximation in {', '.join(tanh_form)}. "
        "Loading pretrained weights: use the checkpoint's own function (CLIP and OpenCLIP "
        "-quickgelu models need quick_gelu, x·σ(1.702x), up to 0.0203 away from gelu; "
        "gelu_new / gelu_pytorch_tanh configs mean the tanh form)."
    )
    return Reason("gelu", text)


def _silu(depth: int, framework: str) -> Reason:
    props = get("silu", framework).properties
    text = (
        f"silu: x·σ(x), smooth, dips to {fmt(props.range_low)} below 0 and f′ peaks at "
        f"{fmt(props.sup_abs_grad)}, a little above relu's 1."
    )
    return Reason("silu", text, {"range_low": props.range_low, "sup_abs_grad": props.sup_abs_grad})


def _sigmoid(depth: int, framework: str) -> Reason:
    act = get("sigmoid", framework)
    sup = act.properties.sup_abs_grad
    factor = depth_factor(sup, depth)
    edge = saturation_edge(act)
    centre = float(act(0.0))
    vanishes = vanishing_depth(sup)
    when = f"below {fmt(rules.VANISHED)} from {vanishes} layers on" if vanishes else "never vanishing"
    text = (
        f"sigmoid: σ′ ≤ {fmt(sup)}, so {depth} sigmoid layers multiply the gradient by at most "
        f"{power(sup, depth)} = {fmt(factor)} ({when}); σ′ < {fmt(rules.SATURATION_THRESHOLD)} for "
        f"abs(x) > {fmt(edge or math.inf)}; outputs centre on σ(0) = {fmt(centre)}, not 0."
    )
    values = {"sup_abs_grad": sup, "gradient_factor_bound": factor, "output_at_zero": centre}
    if edge is not None:
        values["saturates_beyond"] = edge
    if vanishes is not None:
        values["vanishes_from_depth"] = float(vanishes)
    return Reason("sigmoid", text, values)


def _tanh(depth: int, framework: str) -> Reason:
    act = get("tanh", framework)
    sup = act.properties.sup_abs_grad
    x = rules.TYPICAL_PREACTIVATION
    typical = float(act.grad(x))
    factor = depth_factor(typical, depth)
    edge = saturation_edge(act)
    text = (
        f"tanh: zero-centred and f′ ≤ {fmt(sup)}, but f′ = {fmt(sup)} only at x = 0: at a typical "
        f"pre-activation of ±{fmt(x)}, tanh′ = {fmt(typical)}, so {depth} layers give "
        f"{power(typical, depth)} = {fmt(factor)}; f′ < {fmt(rules.SATURATION_THRESHOLD)} once "
        f"abs(x) > {fmt(edge or math.inf)} (saturated)."
    )
    values = {"sup_abs_grad": sup, "typical_grad": typical, "gradient_factor_typical": factor}
    if edge is not None:
        values["saturates_beyond"] = edge
    return Reason("tanh", text, values)


HIDDEN_REASONS: dict[str, Callable[[int, str], Reason]] = {
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "elu": _elu,
    "selu": _selu,
    "gelu": _gelu,
    "silu": _silu,
    "sigmoid": _sigmoid,
    "tanh": _tanh,
}


def hidden_reason(name: str, depth: int, framework: str) -> Reason:
    """The quantified reason for using (or avoiding) ``name`` in ``depth`` hidden layers."""
    builder = HIDDEN_REASONS.get(name)
    if builder is not None:
        return builder(depth, framework)
    act = get(name, framework)  # a rule naming an activation without its own reason
    props = act.properties
    return Reason(name, f"{name}: range {props.range_text}, sup|f′| = {fmt(props.sup_abs_grad)}.",
                  {"sup_abs_grad": props.sup_abs_grad})


# --- output-layer reasons -----------------------------------------------------------------------
def output_reason(rule: rules.OutputRule, framework: str) -> str:
    """Why ``rule.activation`` fits the output, with its range (and traps) from the catalog."""
    if rule.activation == "softmax":
        return f"{rule.why}."
    act = get(rule.activation, framework)
    text = f"{rule.why} in {act.properties.range_text}."
    if rule.activation == "softplus":
        relu_dead = dead_region(get("relu", framework))
        own_dead = dead_region(act)
        edge = saturation_edge(act)
        if own_dead is None and relu_dead is not None:
            text += (
                f" Its f′ = σ(x) > 0 everywhere (no dead region; f′ < {fmt(rules.SATURATION_THRESHOLD)} "
                f"only below x = {fmt(edge or -math.inf)}). relu would also keep outputs ≥ 0, but its "
                f"f′ = 0 on {_interval(relu_dead)}: an output unit that lands there stops learning."
            )
    elif rule.activation == "sigmoid" and not rule.from_logits:
        edge = saturation_edge(act)
        if edge is not None:
            text += (
                f" σ′ < {fmt(rules.SATURATION_THRESHOLD)} beyond abs(x) > {fmt(edge)}: targets of exactly "
                "0 or 1 need huge pre-activations, so keep targets strictly inside."
            )
    return text


def deep_stack_warning(depth: int, framework: str) -> str:
    """The strong warning for a deep plain stack, with sigmoid's and tanh's factors at ``depth``."""
    sig, tanh = _sigmoid(depth, framework), _tanh(depth, framework)
    sig_sup, tanh_typ = sig.values["sup_abs_grad"], tanh.values["typical_grad"]
    return (
        f"Do not use sigmoid or tanh in the hidden layers of a plain {depth}-layer stack: the "
        f"gradient reaching the first layer is scaled by at most {power(sig_sup, depth)} = "
        f"{fmt(sig.values['gradient_factor_bound'])} (sigmoid) and by about {power(tanh_typ, depth)} = "
        f"{fmt(tanh.values['gradient_factor_typical'])} (tanh at ±{fmt(rules.TYPICAL_PREACTIVATION)})."
    )


def sigmoid_vanished_warning(depth: int, framework: str) -> str | None:
    """Sigmoid's bound has dropped below ``rules.VANISHED`` at this depth (None: not yet)."""
    sig = _sigmoid(depth, framework)
    factor = sig.values["gradient_factor_bound"]
    if factor >= rules.VANISHED:
        return None
    bound = power(sig.values["sup_abs_grad"], depth)
    return (
        f"Sigmoid hidden layers would scale the gradient by at most {bound}"
        f" = {fmt(factor)} < {fmt(rules.VANISHED)} over {depth} layers: the first layers would barely learn."
    )


def dead_relu_warning(framework: str) -> str:
    """The seed's dead-ReLU warning, with the dead region from the analysis."""
    dead = dead_region(get("relu", framework))
    where = _interval(dead) if dead is not None else "x ≤ 0"
    return (
        f"Dead ReLU: relu's f′ = 0 on {where}. A large update (too high a learning rate) can push a "
        "unit there for every input, and it never recovers. Watch for units that output 0 on a whole "
        "batch; lower the learning rate, or switch to leaky_relu."
    )
