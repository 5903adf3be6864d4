"""Rich rendering of ``actviz derive``: formulas, the value table, saturation, kinks, summaries.

Only formatting lives here; every number comes from :mod:`actviz.derive_report`.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text

from actviz.catalog.frameworks import FRAMEWORKS
from actviz.derive_report import QUANTILES, Point, Report, Summary
from actviz.render.fit import fit, natural_width

FRAMEWORK_TITLES = {"tensorflow": "TensorFlow", "keras": "Keras (TF)", "keras:jax": "Keras (JAX)",
                    "keras:torch": "Keras (torch)", "pytorch": "PyTorch", "jax": "JAX",
                    "flax": "Flax", "mlx": "MLX"}
REGION_STYLES = {"active": "", "vanishing": "yellow", "dead": "red", "nan": "magenta"}


def num(v: float | None) -> str:
    """Shortest round-trip text of a float; ±∞ and NaN spelled out, "-6.0" shown as "-6"."""
    if v is None:
        return ""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def _end(v: float) -> str:
    """An interval end: ±∞ for an unbounded one."""
    return ("+∞" if v > 0 else "−∞") if math.isinf(v) else num(v)


def render(console: Any, report: Report) -> None:
    """Print the whole report for people.

    Numbers are printed in full (shortest round-trip form) and never wrapped or cut: a table too
    wide for the terminal (or for ``COLUMNS`` in a pipe) is stacked, one row below the other.
    Into a pipe or file without ``COLUMNS`` the output is as wide as the widest table.
    """
    act = report.act
    if report.summary is not None:
        main = summary_table(report.summary, report.source, report.threshold)
    else:
        main = points_table(report.points or [], report.order, report.threshold)
    blocks = [main, saturation_table(report)] + ([kinks_table(report)] if act.kinks else [])
    blocks = fit_blocks(console, blocks)
    console.print(Text.assemble((act.label, "bold"), f"  ({FRAMEWORK_TITLES[act.framework]} conventions)"))
    console.print(f"  {act.formula.text}")
    console.print(f"  {act.dformula.text}")
    if report.order == 2:
        console.print(f"  {act.d2formula.text}")
    for block in blocks:
        console.print()
        console.print(block)


def fit_blocks(console: Any, blocks: list[Any]) -> list[Any]:
    """``blocks`` fitted to the console (:func:`actviz.render.fit.fit`); into a pipe or file
    without ``COLUMNS`` the console first grows to the widest block."""
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = max(console.width, *(natural_width(b) for b in blocks))
    return [fit(b, console.width) if isinstance(b, Table) else b for b in blocks]


def points_table(points: list[Point], order: int, threshold: float) -> Table:
    """x, f, f′ (f″) and the region of each row; vanishing and dead rows are marked."""
    table = Table(title=f"Values (vanishing: abs(f′) < {num(threshold)})", title_justify="left")
    for title in ("x", "f(x)", "f′(x)", "f″(x)")[: 4 if order == 2 else 3]:
        table.add_column(title, justify="right")
    table.add_column("region")
    for p in points:
        mark = p.region if p.region != "active" else ""
        if p.kink:
            mark = f"{mark}, kink" if mark else "kink"
        cells = [num(p.x), num(p.f), num(p.df)] + ([num(p.d2f)] if order == 2 else [])
        table.add_row(*cells, Text(mark, style=REGION_STYLES[p.region]))
    return table


def saturation_table(report: Report) -> Table | Text:
    """The intervals where abs(f′) < threshold, with their kind."""
    t = num(report.threshold)
    if not report.regions:
        return Text(f"Saturation: none — abs(f′) ≥ {t} everywhere.")
    table = Table(title=f"Saturation: abs(f′) < {t}", title_justify="left")
    table.add_column("from", justify="right")
    table.add_column("to", justify="right")
    table.add_column("kind")
    table.add_column("meaning")
    for r in report.regions:
        style = "red" if r.kind == "dead" else "yellow"
        table.add_row(_end(r.start), _end(r.end), Text(r.kind, style=style), r.label)
    return table


def kinks_table(report: Report) -> Table:
    """At each kink: both one-sided derivatives and what each framework's autodiff returns."""
    act = report.act
    table = Table(title="Kinks: f′ jumps here; autodiff picks one value", title_justify="left")
    table.add_column("x", justify="right")
    jumps = any(k.f_jumps for k in act.kinks)
    if jumps:  # f itself is discontinuous somewhere: its one-sided limits too
        table.add_column("f(x⁻)", justify="right")
        table.add_column("f(x⁺)", justify="right")
    table.add_column("f′(x⁻)", justify="right")
    table.add_column("f′(x⁺)", justify="right")
    for fw in FRAMEWORKS:
        title = FRAMEWORK_TITLES[fw] + (" ◂" if fw == act.framework else "")
        table.add_column(title, justify="right")
    for k in act.kinks:
        values = [num(k.framework_values[fw]) for fw in FRAMEWORKS]
        sides = []
        if jumps:
            below, above = act(np.nextafter(k.x, -np.inf)), act(np.nextafter(k.x, np.inf))
            sides = [f"{float(below):.6g}", f"{float(above):.6g}"] if k.f_jumps else ["", ""]
        table.add_row(num(k.x), *sides, num(k.left), num(k.right), *values)
    return table


def summary_table(s: Summary, source: str | None, threshold: float) -> Table:
    """Count, share of each region, abs(f′) statistics and the x range of a large input."""
    title = f"Summary of {source}" if source else "Summary"
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_column("note")
    table.add_row("values", f"{s.count:,}", f"{s.nan:,} NaN left out" if s.nan else "")
    t = num(threshold)
    notes = {"dead": "f′ = 0 exactly", "vanishing": f"abs(f′) < {t}", "active": f"abs(f′) ≥ {t}"}
    for name in ("dead", "vanishing", "active"):
        share = f"{100 * s.fraction(name):.2f}%"
        table.add_row(Text(name, style=REGION_STYLES[name]), share, f"{s.counts[name]:,} — {notes[name]}")
    table.add_row("mean abs(f′)", num(s.abs_df_mean), "exact")
    table.add_row("min abs(f′)", num(s.abs_df_min), "exact")
    for key, q in QUANTILES:
        table.add_row(f"{key} abs(f′)", f"{s.quantiles[key]:.4g}", f"quantile {q:g} (±0.4%, histogram)")
    table.add_row("max abs(f′)", num(s.abs_df_max), "exact")
    table.add_row("min x", num(s.x_min), "")
    table.add_row("max x", num(s.x_max), "")
    return table
