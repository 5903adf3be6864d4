"""Rich rendering of ``actviz derive``: formulas, the value table, saturation, kinks, summaries.

Only formatting lives here; every number comes from :mod:`actviz.derive_report`.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text

from actviz.catalog.frameworks import FRAMEWORKS
from actviz.core.numtext import count, number, percent
from actviz.derive_report import QUANTILES, Point, Report, Summary
from actviz.render.fit import fit, natural_width

FRAMEWORK_TITLES = {"tensorflow": "TensorFlow", "keras": "Keras (TF)", "keras:jax": "Keras (JAX)",
                    "keras:torch": "Keras (torch)", "pytorch": "PyTorch", "jax": "JAX",
                    "flax": "Flax", "mlx": "MLX"}
ESTIMATE_DIGITS = 4  # histogram quantiles are good to ±0.4%: more digits would be noise
REGION_STYLES = {"active": "", "vanishing": "yellow", "dead": "red", "nan": "magenta"}


def num(v: float | None, digits: int | None = None) -> str:
    """A table number (:func:`actviz.core.numtext.number`); an absent one is an empty cell."""
    return "" if v is None else number(v, digits)


def render(console: Any, report: Report, digits: int | None = None) -> None:
    """Print the whole report for people.

    Numbers are printed in full (shortest round-trip form), or to at most ``digits`` significant
    digits, and never wrapped or cut: a table too wide for the terminal (or for ``COLUMNS`` in a
    pipe) is stacked, one row below the other. Into a pipe or file without ``COLUMNS`` the output
    is as wide as the widest table.
    """
    act = report.act
    if report.summary is not None:
        main = summary_table(report.summary, report.source, report.threshold, digits)
    else:
        main = points_table(report.points or [], report.order, report.threshold, digits)
    blocks = [main, saturation_table(report, digits)] + ([kinks_table(report, digits)] if act.kinks else [])
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


def points_table(points: list[Point], order: int, threshold: float, digits: int | None = None) -> Table:
    """x, f, f′ (f″) and the region of each row; vanishing and dead rows are marked."""
    table = Table(title=f"Values (vanishing: abs(f′) < {num(threshold)})", title_justify="left")
    for title in ("x", "f(x)", "f′(x)", "f″(x)")[: 4 if order == 2 else 3]:
        table.add_column(title, justify="right")
    table.add_column("region")
    for p in points:
        mark = p.region if p.region != "active" else ""
        if p.kink:
            mark = f"{mark}, kink" if mark else "kink"
        values = [p.x, p.f, p.df] + ([p.d2f] if order == 2 else [])
        cells = [num(v, digits) for v in values]
        table.add_row(*cells, Text(mark, style=REGION_STYLES[p.region]))
    return table


def saturation_table(report: Report, digits: int | None = None) -> Table | Text:
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
        table.add_row(num(r.start, digits), num(r.end, digits), Text(r.kind, style=style), r.label)
    return table


def kinks_table(report: Report, digits: int | None = None) -> Table:
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
        values = [num(k.framework_values[fw], digits) if fw in k.framework_values else "—"
                  for fw in FRAMEWORKS]
        sides = []
        if jumps:
            below, above = act(np.nextafter(k.x, -np.inf)), act(np.nextafter(k.x, np.inf))
            sides = [num(below, digits), num(above, digits)] if k.f_jumps else ["", ""]
        table.add_row(num(k.x, digits), *sides, num(k.left, digits), num(k.right, digits), *values)
    unclaimed = next((k.note for k in act.kinks if not k.framework_values), None)
    if unclaimed:
        table.caption, table.caption_justify = f"—: {unclaimed}", "left"
    return table


def summary_table(s: Summary, source: str | None, threshold: float, digits: int | None = None) -> Table:
    """Count, share of each region, abs(f′) statistics and the x range of a large input.

    Exact values follow ``digits``; the histogram quantiles are estimates and show 4 digits at most.
    """
    title = f"Summary of {source}" if source else "Summary"
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_column("note")
    table.add_row("values", count(s.count), f"{count(s.nan)} NaN left out" if s.nan else "")
    t = num(threshold)
    notes = {"dead": "f′ = 0 exactly", "vanishing": f"abs(f′) < {t}", "active": f"abs(f′) ≥ {t}"}
    for name in ("dead", "vanishing", "active"):
        share = percent(s.fraction(name))
        how_many = f"{count(s.counts[name])} — {notes[name]}"
        table.add_row(Text(name, style=REGION_STYLES[name]), share, how_many)
    table.add_row("mean abs(f′)", num(s.abs_df_mean, digits), "exact")
    table.add_row("min abs(f′)", num(s.abs_df_min, digits), "exact")
    estimate = min(digits or ESTIMATE_DIGITS, ESTIMATE_DIGITS)
    for key, q in QUANTILES:
        table.add_row(f"{key} abs(f′)", num(s.quantiles[key], estimate),
                      f"quantile {number(q)} (±0.4%, histogram)")
    table.add_row("max abs(f′)", num(s.abs_df_max, digits), "exact")
    table.add_row("min x", num(s.x_min, digits), "")
    table.add_row("max x", num(s.x_max, digits), "")
    return table
