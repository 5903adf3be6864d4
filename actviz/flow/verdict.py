"""One-line verdicts on a flow simulation: does the gradient vanish, explode, or stay put?

The verdict compares ‖δ₁‖, the gradient reaching the first layer, with ‖δ_L‖ at the last:

- ``vanishing``  ratio < 1e-2  (the first layer learns 100× slower than the last, or worse)
- ``exploding``  ratio > 1e2
- ``stable``     in between
- ``dead``       the gradient is exactly 0 from some layer down (f′ = 0 for every unit there)
- ``diverged``   activations overflowed (non-finite values), so nothing is meaningful
- ``single``     a one-layer network: nothing to compare

A note is added when at least half the units of some layer are dead, or else when three quarters
of some layer's f′ values are saturated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from actviz.core.numtext import INFINITY, MINUS, number, percent
from actviz.flow.simulate import FlowResult, LayerStats

VANISHING_BELOW = 1e-2
EXPLODING_ABOVE = 1e2
DEAD_NOTE_FROM = 0.5  # share of dead units in a layer worth mentioning
SATURATED_NOTE_FROM = 0.75  # share of saturated f′ values worth mentioning (relu has ≈ 0.5)


@dataclass(frozen=True)
class Verdict:
    """``kind`` is one of the names above; ``text`` is the line shown to people."""

    kind: str
    text: str


def ratio_text(log10: float) -> str:
    """A ratio given by its log10, as short text: ``0.91``, ``120``, ``3.1e−6``, ``2.0e−630``
    (beyond float64's range too; the table rules of :mod:`actviz.core.numtext`)."""
    if log10 == -math.inf:
        return "0"
    if log10 == math.inf:
        return INFINITY
    if -3.0 <= log10 < 3.0:
        return number(10.0**log10, 3)
    exponent = math.floor(log10)
    mantissa = round(10.0 ** (log10 - exponent), 1)
    if mantissa >= 10.0:
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.1f}e{exponent:d}".replace("-", MINUS)


def verdict(result: FlowResult) -> Verdict:
    """The verdict for one simulated activation."""
    layers = result.layers
    depth = len(layers)
    broken = next((s.layer for s in layers if not _finite(s)), None)
    if broken is not None:
        return Verdict("diverged", f"diverged: activations overflow at layer {broken} (non-finite values)")
    if result.last_grad_zero:
        since = depth
        while since > 1 and layers[since - 2].dead == 1.0:
            since -= 1
        where = f"at layer {depth}" if since == depth else f"from layer {since} on"
        return Verdict("dead", f"dead: f′ = 0 for every unit {where}, so no gradient flows back")
    if depth == 1:
        return Verdict("single", "one layer only: nothing to compare (try a depth of 2 or more)")
    zero_from = next((s.layer for s in reversed(layers) if s.grad_log10 == -math.inf), None)
    if zero_from is not None:
        return Verdict(
            "dead", f"dead: the gradient is exactly 0 from layer {zero_from} down (f′ = 0 for every unit)"
        )
    r = layers[0].grad_log10
    if r < math.log10(VANISHING_BELOW):
        kind, rule = "vanishing", f"below {VANISHING_BELOW:g}"
    elif r > math.log10(EXPLODING_ABOVE):
        kind, rule = "exploding", f"above {EXPLODING_ABOVE:g}"
    else:
        kind, rule = "stable", f"within {VANISHING_BELOW:g}..{EXPLODING_ABOVE:g}"
    text = f"gradient at layer 1 is {ratio_text(r)} of layer {depth}: {kind} ({rule})"
    return Verdict(kind, text + _note(layers))


def _finite(s: LayerStats) -> bool:
    return all(math.isfinite(v) for v in (s.pre_mean, s.pre_std, s.act_mean, s.act_std))


def _note(layers: tuple[LayerStats, ...]) -> str:
    worst_dead = max(layers, key=lambda s: s.dead)
    if worst_dead.dead >= DEAD_NOTE_FROM:
        return f"; {percent(worst_dead.dead, 0)} of units dead at layer {worst_dead.layer}"
    worst_sat = max(layers, key=lambda s: s.saturated)
    if worst_sat.saturated >= SATURATED_NOTE_FROM:
        return f"; {percent(worst_sat.saturated, 0)} of f′ values saturated at layer {worst_sat.layer}"
    return ""
