"""Turning a request (task, layer, depth, output range, framework) into a Recommendation.

Reads the rules table (``rules.py``), asks ``reasons.py`` for the numbers and ``snippets.py`` for the
code. Bad requests raise :class:`AdviceError` (a usage error for the CLI).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actviz.advice import reasons, rules, snippets
from actviz.catalog.frameworks import resolve_framework
from actviz.core.jsonsafe import clean
from actviz.core.params import ParamError, param


class AdviceError(ParamError):
    """A request the rules cannot answer (unknown task, depth out of range, …)."""


@dataclass(frozen=True)
class HiddenAdvice:
    recommended: rules.HiddenChoice
    alternatives: tuple[rules.HiddenChoice, ...]
    avoid: tuple[rules.HiddenChoice, ...]
    reasons: tuple[reasons.Reason, ...]

    def to_json(self) -> dict:
        return {
            "recommended": self.recommended.activation,
            "alternatives": [{"activation": c.activation, "when": c.when} for c in self.alternatives],
            "avoid": [{"activation": c.activation, "why": c.when} for c in self.avoid],
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True)
class OutputAdvice:
    activation: str
    units: int | None  # None: one per class/label, number not given
    unit_word: str
    loss: str
    logits_note: str
    from_logits: bool

    def to_json(self) -> dict:
        return {
            "activation": self.activation,
            "units": self.units,  # a whole number, or null: one per class/label, not given
            "loss": self.loss,
            "logits_note": self.logits_note,
        }


@dataclass(frozen=True)
class Recommendation:
    task: str
    depth: int
    layer: str
    framework: str
    output_range: str
    hidden: HiddenAdvice | None
    output: OutputAdvice | None
    warnings: tuple[str, ...]
    snippet: str
    context: str = "mlp"  # or "transformer": the hidden layers are a Transformer's feed-forward blocks

    def __repr__(self) -> str:
        parts = [f"task={self.task!r}", f"depth={self.depth}", f"framework={self.framework!r}"]
        if self.hidden is not None:
            parts.append(f"hidden={self.hidden.recommended.activation!r}")
        if self.output is not None:
            parts.append(f"output={self.output.activation!r}")
        return f"Recommendation({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (``hidden``/``output`` are null when not asked for)."""
        doc = clean({
            "task": self.task,
            "depth": self.depth,
            "hidden": self.hidden.to_json() if self.hidden else None,
            "output": self.output.to_json() if self.output else None,
            "warnings": list(self.warnings),
            "snippet": {"framework": self.framework, "code": self.snippet},
        })
        if self.context != "mlp":
            doc["context"] = self.context  # the default shape stays as documented
        return doc

    def __rich__(self) -> Any:
        from actviz.render.display import Printed
        from actviz.render.recommend_view import render

        return Printed(lambda console: render(self, console))

    def _repr_html_(self) -> str:
        from actviz.render.recommend_view import html

        return html(self)


def _task(name: str) -> rules.TaskRule:
    try:
        return rules.task(name)
    except KeyError:
        raise AdviceError(
            f"unknown task '{name}'; choose from {', '.join(rules.task_names())}"
        ) from None


def check_depth(depth: int) -> int:
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= rules.MAX_DEPTH:
        raise AdviceError(
            f"{param('depth')} must be a whole number of hidden layers from 1 to {rules.MAX_DEPTH}, "
            f"got {depth}"
        )
    return depth


def _units(row: rules.TaskRule, units: int | None) -> int | None:
    if units is None:
        return row.default_units
    if row.fixed_units is not None and units != row.fixed_units:
        raise AdviceError(
            f"{param('task', row.name)} has exactly {row.fixed_units} output unit, got "
            f"{param('units', str(units))}; "
            f"{row.units_hint}"
        )
    if units < row.min_units:
        hint = f"; {row.units_hint}" if row.units_hint else ""
        raise AdviceError(f"{param('task', row.name)} needs {param('units')} ≥ {row.min_units}, "
                          f"got {units}{hint}")
    return units


def _output_rule(row: rules.TaskRule, output_range: str) -> rules.OutputRule:
    if output_range not in row.outputs:
        raise AdviceError(
            f"{param('output_range', output_range)} does not apply to {param('task', row.name)} "
            f"(choose from: {', '.join(row.outputs)})"
        )
    return row.outputs[output_range]


def _hidden(depth: int, framework: str) -> HiddenAdvice:
    alternatives = tuple(c for c in rules.HIDDEN_ALTERNATIVES if c.applies(depth))
    avoid = tuple(c for c in rules.HIDDEN_AVOID if c.applies(depth))
    names: list[str] = []
    for choice in (rules.HIDDEN_RECOMMENDED, *alternatives, *avoid):
        if choice.activation not in names:
            names.append(choice.activation)
    why = tuple(reasons.hidden_reason(n, depth, framework) for n in names)
    return HiddenAdvice(rules.HIDDEN_RECOMMENDED, alternatives, avoid, why)


def _logits_note(rule: rules.OutputRule, framework: str) -> str:
    loss = rule.loss.for_framework(framework)
    why = reasons.output_reason(rule, framework)
    if rule.from_logits:
        note = rules.LOGITS_NOTE[framework].format(
            loss=loss,
            activation=rule.activation,
            inference=rules.INFERENCE[framework][rule.activation],
            module=rules.TORCH_MODULES.get(rule.activation, ""),
        )
    else:
        after = "" if rule.activation == "identity" else f" (after {rule.activation})"
        note = rules.DIRECT_NOTE.format(after=after, loss=loss)
    return f"{why} {note}"


def _hidden_warnings(depth: int, framework: str) -> list[str]:
    out = [reasons.dead_relu_warning(framework)]
    if depth >= rules.DEEP_STACK:
        out.append(reasons.deep_stack_warning(depth, framework))
        out.append(rules.DEEP_STACK_ADVICE.format(depth=depth, selu_init=rules.SELU_INIT[framework]))
    else:
        vanished = reasons.sigmoid_vanished_warning(depth, framework)
        if vanished:
            out.append(vanished)
    return out


def recommend(
    task: str,
    layer: str = "both",
    depth: int = rules.DEFAULT_DEPTH,
    output_range: str = "any",
    framework: str | None = None,
    units: int | None = None,
    context: str = "mlp",
) -> Recommendation:
    """The advice for ``task``; AdviceError for a request the rules cannot answer.

    ``context="transformer"``: the hidden layers are a Transformer's feed-forward blocks, so the
    advice is SwiGLU (GeGLU as the alternative), with the half-order warning and a SwiGLU block.
    """
    if context not in CONTEXTS:
        raise AdviceError(f"unknown context '{context}'; choose from {', '.join(CONTEXTS)}")
    row = _task(task)
    if layer not in rules.LAYERS:
        raise AdviceError(f"unknown layer '{layer}'; choose from {', '.join(rules.LAYERS)}")
    depth = check_depth(depth)
    try:
        fw = resolve_framework(framework)
    except ValueError as exc:
        raise AdviceError(str(exc)) from None
    rule = _output_rule(row, output_range)
    n_units = _units(row, units)

    hidden = _hidden(depth, fw) if layer in ("hidden", "both") else None
    output = None
    if layer in ("output", "both"):
        output = OutputAdvice(
            activation=rule.activation,
            units=n_units,
            unit_word=row.unit_word,
            loss=rule.loss.for_framework(fw),
            logits_note=_logits_note(rule, fw),
            from_logits=rule.from_logits,
        )
    warnings = _hidden_warnings(depth, fw) if hidden else []
    head = snippets.Head(row, rule, n_units) if output else None
    if context == "transformer" and hidden is not None:
        hidden, warnings, code = _transformer(hidden, warnings, fw, layer, depth, head)
    else:
        code = snippets.snippet(fw, layer, depth, rules.HIDDEN_RECOMMENDED.activation, head)
    return Recommendation(row.name, depth, layer, fw, output_range, hidden, output, tuple(warnings), code,
                          context)


CONTEXTS = ("mlp", "transformer")


def _transformer(hidden: HiddenAdvice, warnings: list[str], fw: str, layer: str, depth: int,
                 head: snippets.Head | None) -> tuple[HiddenAdvice, list[str], str]:
    """SwiGLU first, GeGLU and the usual alternatives next; the half-order warning; the block."""
    from actviz.advice import gated_ffn

    best, *rest = gated_ffn.FFN_CHOICES
    why = tuple(gated_ffn.gated_reason(c.activation, fw) for c in gated_ffn.FFN_CHOICES)
    shown = {c.activation for c in (*hidden.alternatives, *hidden.avoid)}
    kept = tuple(r for r in hidden.reasons if r.activation in shown)  # relu is no longer the pick
    advice = HiddenAdvice(best, (*rest, *hidden.alternatives), hidden.avoid, why + kept)
    code = gated_ffn.ffn_snippet(fw)
    if layer != "hidden" and head is not None:
        code += "\n\n\n" + snippets.snippet(fw, "output", depth, rules.HIDDEN_RECOMMENDED.activation, head)
    dead_relu = reasons.dead_relu_warning(fw)
    return advice, [gated_ffn.HALF_ORDER_WARNING, *(w for w in warnings if w != dead_relu)], code
