"""Catalog facts as plain data (dicts of numbers and text) for ``list`` and ``info``.

The same dicts feed the rich tables and ``--format json``, so the two can never disagree. Only
what the catalog defines is here; what is computed from it (saturation regions) is added one
floor up, by :mod:`actviz.info_report`.
"""

from __future__ import annotations

from typing import Any

from actviz.catalog.activation import Activation
from actviz.catalog.frameworks import FRAMEWORKS
from actviz.catalog.model import Kink
from actviz.catalog.registry import definitions, get
from actviz.core.numtext import number


def _params(act: Activation) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "symbol": p.symbol,
            "value": act.params[p.name],
            "default": p.default_for(act.framework),
            "range": p.range_text(),
            "description": p.description,
            "framework_defaults": {fw: p.default_for(fw) for fw in FRAMEWORKS},
            "fixed_in": [fw for fw in FRAMEWORKS if fw in p.fixed_in],
        }
        for p in act.definition.params
    ]


def _properties(act: Activation) -> dict[str, Any]:
    from actviz.catalog.normal_moments import normal_moments

    pr = act.properties
    return {
        "range": pr.range_text,
        "range_low": pr.range_low,
        "range_high": pr.range_high,
        "bounded_below": pr.bounded_below,
        "bounded_above": pr.bounded_above,
        "zero_centred": pr.zero_centred,
        # the number behind it: E[f(z)], √E[f(z)²] for z ~ N(0, 1) and the tolerance
        "normal_moments": normal_moments(act).to_dict(),
        "monotonic": pr.monotonic,
        "smoothness": pr.smoothness,
        "saturates": list(pr.saturates),
        "sup_abs_grad": pr.sup_abs_grad,
    }


def kink_record(k: Kink) -> dict[str, Any]:
    """One kink as data: location, both one-sided derivatives, the framework values."""
    return {
        "x": k.x,
        "left": k.left,
        "right": k.right,
        "value": k.value,
        "frameworks": {fw: k.framework_values.get(fw) for fw in FRAMEWORKS},  # None: not claimed (formulas)
        "f_jumps": k.f_jumps,
        "note": k.note,
    }


def catalog_rows(framework: str | None = None) -> list[dict[str, Any]]:
    """One row per activation, with the defaults of ``framework`` (then the vector and gated
    entries, whose elementwise-only columns are null)."""
    rows = []
    for d in definitions():
        act = get(d.name, framework=framework)
        pr = act.properties
        rows.append(
            {
                "name": d.name,
                "aliases": list(d.aliases),
                "params": {p.name: act.params[p.name] for p in d.params},
                "params_text": act.label[len(d.name) + 2 : -1] if act.shown_params else "",
                "label": act.label,
                "formula": d.formula.text,
                "range": pr.range_text,
                "monotonic": pr.monotonic,
                "zero_centred": pr.zero_centred,
                "smoothness": pr.smoothness,
                "saturates": list(pr.saturates),
                "sup_abs_grad": pr.sup_abs_grad,
                "kinks": [k.x for k in act.kinks],
                "framework_names": {fw: d.framework_name(fw) for fw in FRAMEWORKS},
                "kind": "elementwise",
            }
        )
    from actviz.catalog.describe_vector import structured_rows

    return rows + structured_rows(framework)


def facts(act: Activation) -> dict[str, Any]:
    """Everything the catalog knows about ``act``: names, parameters, formulas, properties, kinks."""
    d = act.definition
    return {
        "function": act.name,
        "kind": "elementwise",
        "resolved_from": None if act.alias is None else {"alias": act.alias, "spec": act.spec},
        "aliases": list(d.aliases),
        "spec": act.spec,
        "label": act.label,
        "framework": act.framework,
        "params": _params(act),
        "formula": {
            "f": act.formula.text,
            "df": act.dformula.text,
            "d2f": act.d2formula.text,
            "f_tex": act.formula.tex,
            "df_tex": act.dformula.tex,
        },
        "properties": _properties(act),
        "kinks": [kink_record(k) for k in act.kinks],
        "framework_names": {fw: d.framework_name(fw) for fw in FRAMEWORKS},
        "description": d.description,
        "notes": list(d.notes),
        "training_band": _training_band(act),
    }


def _training_band(act: Activation) -> dict[str, Any] | None:
    """Where f and f′ may lie while training (rrelu: a slope per element from U(l, u) for
    x < 0), or None for a deterministic entry."""
    band = act.definition.training_band
    if band is None:
        return None
    lo, hi = band(act.params)
    a, b = number(lo, 4), number(hi, 4)  # as the plot's note writes them; "slopes" keeps every digit
    return {
        "region": "x < 0",
        "slopes": [lo, hi],
        "f": f"{b}·x ≤ f(x) ≤ {a}·x",
        "df": f"{a} ≤ f′(x) ≤ {b}",
        "distribution": f"U({a}, {b}), one slope per element",
    }
