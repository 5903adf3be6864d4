"""Vector and gated entries as plain data for ``list`` and ``info`` (like ``describe.py``)."""

from __future__ import annotations

from typing import Any

from actviz.catalog.vector_model import (
    GATE_HALF_TEXT,
    GATE_PRESET_NOTES,
    GATE_PRESETS,
    GatedActivation,
    GatedDefinition,
    VectorActivation,
)
from actviz.core.numtext import number


def _params(act: Any) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "symbol": p.symbol, "value": act.params[p.name], "default": p.default,
         "range": p.range_text(), "description": p.description}
        for p in act.definition.params
    ]


def _gate_conventions(d: GatedDefinition) -> dict[str, str]:
    if not d.follows_presets:
        return {"all": f"always {GATE_HALF_TEXT[d.default_gate]}"}
    return {fw: f"{GATE_HALF_TEXT[order].split(' (')[0]}: {GATE_PRESET_NOTES[fw]}"
            for fw, order in GATE_PRESETS.items()}


def structured_row(act: VectorActivation | GatedActivation) -> dict[str, Any]:
    """One ``list`` row; the elementwise-only columns are null."""
    d = act.definition
    gated = isinstance(act, GatedActivation)
    return {
        "name": d.name,
        "kind": d.kind,
        "aliases": list(d.aliases),
        "params": {p.name: act.params[p.name] for p in d.params},
        "params_text": ", ".join(f"{p.symbol}={_fmt(act.params[p.name])}" for p in d.params),
        "label": act.label,
        "formula": d.formula.text,
        "range": "a(g)·u: depends on the value half" if gated else d.range_text,
        "monotonic": None,
        "zero_centred": None,
        "smoothness": d.smoothness,
        "saturates": [],
        "sup_abs_grad": None,
        "kinks": [],
        "framework_names": dict(d.framework_names),
        "gate": act.gate if gated else None,
        "models": list(d.models),
    }


def structured_rows(framework: str | None = None) -> list[dict[str, Any]]:
    from actviz.catalog.registry import get
    from actviz.catalog.vector_registry import definitions

    return [structured_row(get(d.name, framework=framework)) for d in definitions()]


def structured_document(act: VectorActivation | GatedActivation) -> dict[str, Any]:
    """Everything the catalog knows about a vector or gated entry (``info``)."""
    d = act.definition
    doc: dict[str, Any] = {
        "function": d.name,
        "kind": d.kind,
        "aliases": list(d.aliases),
        "spec": act.spec,
        "label": act.label,
        "framework": act.framework,
        "params": _params(act),
        "description": d.description,
        "smoothness": d.smoothness,
        "framework_names": dict(d.framework_names),
        "models": list(d.models),
    }
    if isinstance(act, GatedActivation):
        doc["formula"] = {"f": d.formula.text, "d_gate": d.dformula.text, "d_value": d.vformula.text,
                          "d2_gate": d.d2formula.text}
        doc["gate"] = {"order": act.gate, "half": act.gate_half_text(),
                       "conventions": _gate_conventions(d)}
        doc["warning"] = ("the half order differs between libraries: mapping a fused checkpoint with "
                          "the wrong order is silent (PyTorch-style glu gates with the second half, "
                          "vLLM / Phi-3 / timm SwiGLUPacked with the first, gpt-oss interleaves)")
    else:
        doc["formula"] = {"f": d.formula.text, "jacobian": d.dformula.text}
        doc["axis"] = "−3 (channels), fixed" if d.fixed_axis else d.default_axis
        doc["output"] = d.output
        doc["range"] = d.range_text
        doc["conventions"] = dict(d.conventions)
        doc["stochastic"] = d.stochastic
        doc["derivatives"] = ("exact Jacobian and Jacobian-vector product" if d.jacobian is not None
                              else "none (stochastic)")
    return doc


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return number(v, 6)
