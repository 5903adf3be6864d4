"""Rich tables for summaries of real inputs (:mod:`actviz.summary`): one array, several, or a
comparison of activations on the same input. Only formatting; every number comes from the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from actviz.core.numtext import count, number, percent
from actviz.derive_report import QUANTILES, Report
from actviz.render.derive_view import (
    ESTIMATE_DIGITS,
    FRAMEWORK_TITLES,
    REGION_STYLES,
    fit_blocks,
    kinks_table,
    num,
    saturation_table,
)
from actviz.render.fit import natural_width
from actviz.summary import ArraySummary, InputSummary

COMPACT_DIGITS = 4  # the one-row-per-array tables: 4 digits unless --digits says otherwise


def pct(v: float | None) -> str:
    return "—" if v is None else percent(v)


def _g(v: float | None, digits: int | None = None) -> str:
    """A number in a compact table: ``digits`` (default 4) significant digits at most."""
    return "—" if v is None else number(v, digits or COMPACT_DIGITS)


def _q(v: float | None, digits: int | None = None) -> str:
    """A histogram quantile (an estimate): never more than 4 digits."""
    return "—" if v is None else number(v, min(digits or ESTIMATE_DIGITS, ESTIMATE_DIGITS))


def render_one(console: Any, s: InputSummary, note: str | None = None, digits: int | None = None) -> None:
    """A single array through one activation: the vertical summary, saturation and kinks.

    Tables are fitted to the console as ``derive`` fits its own (:func:`fit_blocks`: never a
    wrapped number; a table too wide is stacked); the vertical summary, too wide, becomes one
    ``name  value`` line per row with its note below (:func:`narrow`).
    """
    act = s.act
    report = Report(act, 1, s.threshold, list(s.regions), None, None, s.source)
    summary = one_table(s.arrays[0], s, digits)
    blocks = [summary, saturation_table(report, digits)]
    blocks += [kinks_table(report, digits)] if act.kinks else []
    blocks = fit_blocks(console, blocks)
    if natural_width(summary) > console.width:
        blocks[0] = narrow(summary, console.width)
    console.print(Text.assemble((act.label, "bold"), f"  ({FRAMEWORK_TITLES[act.framework]} conventions)"))
    console.print(f"  {act.formula.text}")
    console.print(f"  {act.dformula.text}")
    for block in blocks:
        console.print()
        console.print(block)


def one_table(a: ArraySummary, s: InputSummary, digits: int | None = None) -> Table:
    """Count, shares by region and side, f and abs(f′) statistics and the x range of one array."""
    table = Table(title=f"Summary of {s.source}", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_column("note")
    notes = [f"{count(a.nan)} NaN left out"] if a.nan else []
    if a.note:
        notes.append(a.note)
    table.add_row("values", count(a.count), "; ".join(notes))
    t = num(s.threshold)
    meaning = {"dead": "f′ = 0 exactly", "vanishing": f"abs(f′) < {t}", "active": f"abs(f′) ≥ {t}"}
    for name in ("dead", "vanishing", "active"):
        table.add_row(Text(name, style=REGION_STYLES[name]), pct(a.fraction(name)),
                      f"{count(a.counts[name])} — {meaning[name]}")
    labels = s.side_labels()
    for side in ("low", "middle", "high"):
        n = sum(a.sides[side].values())
        if n or (side != "middle" and any(_side_of(r) == side for r in s.regions)):
            table.add_row(f"  saturated, {side}", pct(a.side_fraction(side)), f"{count(n)} — {labels[side]}")
    if a.f is not None and a.abs_df is not None and a.x is not None:
        table.add_row("mean f", num(a.f["mean"], digits), "exact")
        table.add_row("min f", num(a.f["min"], digits), "")
        table.add_row("max f", num(a.f["max"], digits), "")
        table.add_row("mean abs(f′)", num(a.abs_df["mean"], digits), "pairwise sum (within ~17 ε)")
        table.add_row("min abs(f′)", num(a.abs_df["min"], digits), "exact")
        for key, q in QUANTILES:
            table.add_row(f"{key} abs(f′)", _q(a.abs_df["quantiles"][key], digits),
                          f"quantile {number(q)} (±0.4%, histogram)")
        table.add_row("max abs(f′)", num(a.abs_df["max"], digits), "exact")
        table.add_row("min x", num(a.x["min"], digits), "")
        table.add_row("max x", num(a.x["max"], digits), "")
    return table


def narrow(table: Table, width: int) -> Group:
    """A header-less ``what | value | note`` table as lines: ``what  value`` (values lined up
    when that fits in ``width``), the note indented below it (words wrap, numbers never split)."""
    whats, values, notes = (list(c.cells) for c in table.columns)
    labels = [w if isinstance(w, Text) else Text(str(w)) for w in whats]
    pad = max(len(label.plain) for label in labels)
    if pad + 2 + max(len(str(v)) for v in values) > width:
        pad = 0  # not lined up: each value two spaces after its name
    lines: list[Any] = [Text(str(table.title))] if table.title else []
    for label, value, note in zip(labels, values, notes, strict=True):
        lines.append(Text.assemble(label, " " * max(2, pad - len(label.plain) + 2), value))
        if str(note):
            lines.append(Text("    " + str(note)))
    return Group(*lines)


def _side_of(r: Any) -> str:
    import math

    if r.start == -math.inf:
        return "low"
    return "high" if r.end == math.inf else "middle"


def render_arrays(console: Any, s: InputSummary, digits: int | None = None) -> None:
    """Several arrays through one activation: one row per array and a total row."""
    table = fit_blocks(console, [arrays_table(s, digits)])[0]
    act = s.act
    console.print(Text.assemble((act.label, "bold"), f"  ({FRAMEWORK_TITLES[act.framework]} conventions)"))
    console.print(f"  {act.dformula.text}")
    console.print()
    console.print(table)
    grouped: dict[str, list[str]] = {}
    for a in s.arrays:  # one line per kind of note, naming its arrays
        if a.note:
            key = "more than one axis, flattened" if a.note.endswith("flattened") else a.note
            grouped.setdefault(key, []).append(a.name)
    for note, names in grouped.items():
        console.print(f"  {', '.join(names)}: {note}", style="dim")


def arrays_table(s: InputSummary, digits: int | None = None) -> Table:
    labels = s.side_labels()
    t = num(s.threshold)
    arrays = f"{len(s.arrays)} array" + ("s" if len(s.arrays) != 1 else "")
    title = f"{s.source}: {arrays} through {s.act.label} (vanishing: abs(f′) < {t})"
    table = Table(title=title, title_justify="left")
    for title in ("array", "values", "dead", "vanishing", f"low ({labels['low']})",
                  f"high ({labels['high']})", "active", "mean f", "mean abs(f′)", "p5 abs(f′)",
                  "p50 abs(f′)", "p95 abs(f′)"):
        table.add_column(title, justify="left" if title == "array" else "right")
    for a in (*s.arrays, s.total):
        style = "bold" if a is s.total else ""
        table.add_row(*_row(a, digits), style=style, end_section=a is s.arrays[-1])
    return table


def _row(a: ArraySummary, digits: int | None = None) -> list[str]:
    q = a.abs_df["quantiles"] if a.abs_df else {}
    return [a.name, count(a.count), pct(a.fraction("dead")), pct(a.fraction("vanishing")),
            pct(a.side_fraction("low")), pct(a.side_fraction("high")), pct(a.fraction("active")),
            _g(a.f["mean"], digits) if a.f else "—", _g(a.abs_df["mean"], digits) if a.abs_df else "—",
            _q(q.get("p5"), digits), _q(q.get("p50"), digits), _q(q.get("p95"), digits)]


def render_comparison(console: Any, summaries: Sequence[InputSummary], digits: int | None = None) -> None:
    """Several activations on the same input: which one saturates least (totals over all arrays)."""
    first = summaries[0]
    t = num(first.threshold)
    table = Table(title=f"{first.source}: {count(first.total.count)} values through "
                        f"{len(summaries)} activations (vanishing: abs(f′) < {t})", title_justify="left")
    for title in ("activation", "dead", "vanishing", "low side", "high side", "active", "mean f",
                  "mean abs(f′)", "p5 abs(f′)", "p50 abs(f′)"):
        table.add_column(title, justify="left" if title == "activation" else "right")
    best = max(summaries, key=lambda s: s.total.fraction("active") or 0.0)
    for s in summaries:
        a = s.total
        labels = s.side_labels()
        q = a.abs_df["quantiles"] if a.abs_df else {}
        low, high = (f"{pct(a.side_fraction(side))} {labels[side]}" if sum(a.sides[side].values())
                     else pct(0.0) for side in ("low", "high"))
        name = s.act.label + (" ◂ least saturated" if s is best and len(summaries) > 1 else "")
        table.add_row(name, pct(a.fraction("dead")), pct(a.fraction("vanishing")), low, high,
                      pct(a.fraction("active")), _g(a.f["mean"], digits) if a.f else "—",
                      _g(a.abs_df["mean"], digits) if a.abs_df else "—", _q(q.get("p5"), digits),
                      _q(q.get("p50"), digits))
    console.print(fit_blocks(console, [table])[0])
