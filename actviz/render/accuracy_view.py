"""Rich rendering of ``actviz info FORMULA --accuracy``: ULP error by region, the stable form.

Every number comes from :mod:`actviz.expr.accuracy`.
"""

from __future__ import annotations

import math
from typing import Any

from rich.table import Table
from rich.text import Text

from actviz.core.numtext import number, scientific
from actviz.expr.accuracy import PROGRAMS, AccuracyReport


def ulp_text(v: float) -> str:
    if math.isinf(v):
        return "overflow/NaN"
    if v >= 1e6:
        return scientific(v, 2)
    return number(v, 3) if v >= 0.01 else ("0" if v == 0 else "<0.01")


def render(console: Any, report: AccuracyReport) -> None:
    console.print(Text.assemble(("accuracy of ", ""), (report.formula, "bold")))
    console.print(f"metric: {report.metric}")
    table = Table(title="max ULP error (median) by region", title_justify="left")
    table.add_column("region")
    for program in PROGRAMS:
        table.add_column(program, justify="right")
    for row in [*report.regions, report.overall]:
        cells = [f"{ulp_text(row.max_ulp[i])} ({ulp_text(row.median_ulp[i])})" for i in range(len(PROGRAMS))]
        table.add_row(row.region, *cells, style="bold" if row is report.overall else "")
    console.print(table)
    worst = report.overall
    console.print(f"worst x as written (float64): {worst.worst_x[0]!r}; actviz: {worst.worst_x[2]!r}")
    if report.rewrites:
        console.print("stable form (what actviz evaluates): " + (report.stable or ""))
        for before, after, why in report.rewrites:
            console.print(f"  {before}  →  {after}   ({why})")
    else:
        console.print("no classic unstable pattern found; actviz evaluates the formula as written, "
                      "with stable rules per primitive")
