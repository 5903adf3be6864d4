"""The second partial derivative of a gated unit in ``derive``: ∂h/∂value next to ∂h/∂gate.

``derive swiglu:value=2`` tabulates h and ∂h/∂gate like any function of the gate; this adds
∂h/∂value = a(gate) (from the catalog, never recomputed here) to the JSON points and as a table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.table import Table

from actviz.render.derive_view import num


def value_partials(act: Any, xs: list[float]) -> list[float]:
    """∂h/∂value at the gates ``xs`` (the value half held at ``act.value``)."""
    with np.errstate(all="ignore"):
        return np.asarray(act.dvalue(np.asarray(xs, dtype=np.float64)), dtype=np.float64).tolist()


def add_to_json(doc: dict[str, Any], act: Any) -> None:
    """Add the gate layout, the held value and ∂h/∂value to a ``derive`` JSON document."""
    doc["gated"] = {"value": act.value, "gate": act.unit.gate, "gate_half": act.unit.gate_half_text(),
                    "d_value_formula": act.vformula.text}
    points = doc.get("points")
    if points:
        for row, dv in zip(points, value_partials(act, [p["x"] for p in points]), strict=True):
            row["d_value"] = dv


def heading(act: Any) -> str:
    return f"The other partial, {act.vformula.text}, at value = {num(act.value)}:"


def table(act: Any, xs: list[float]) -> Table:
    """x (the gate), ∂h/∂gate's partner ∂h/∂value, at the table's points."""
    t = Table()
    t.add_column("gate", justify="right")
    t.add_column("∂h/∂value", justify="right")
    for x, dv in zip(xs, value_partials(act, xs), strict=True):
        t.add_row(num(x), num(dv))
    return t
