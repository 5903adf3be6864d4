"""Rich rendering of ``actviz check``: the verdict, histogram, regions, worst points, tolerances.

Only formatting lives here; every number comes from :class:`actviz.check.model.CheckResult`.
Several results (``--framework-run all``) get a league table first.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from actviz.check.model import HISTOGRAM_BINS, CheckResult, QuantityReport
from actviz.core.numtext import MAX_DIGITS, count, number, percent, scientific

QUANTITY = {"f": "f", "df": "f′"}


def num(v: float) -> str:
    return number(v)


DIGITS = {"float64": 17, "float32": 9, "float16": 5, "bfloat16": 4}  # enough to read back the value


def short(v: float, digits: int) -> str:
    """A value with ``digits`` significant digits (what identifies a number of the target dtype)."""
    return number(v, min(digits, MAX_DIGITS))


def ulps(v: float) -> str:
    """An error in ULP: 3 significant digits, scientific from 1000 on (``1.234e3``)."""
    return number(v, 3) if v < 1000 else scientific(v, 4)


def share(v: float) -> str:
    return percent(v) if v < 1 else "100%"


def render(console: Any, results: list[CheckResult], league: bool = False, digits: int | None = None) -> None:
    """Every result; the league table first when asked for (``--framework-run all``) or several.
    The worst inputs show enough digits to identify a number of the target dtype, or ``digits``."""
    for part in renderables(results, league, digits):
        console.print(part)


def renderables(results: list[CheckResult], league: bool = False, digits: int | None = None) -> list[Any]:
    """What :func:`render` prints, in order: rich renderables (for a console or for HTML)."""
    parts: list[Any] = []
    if league or len(results) > 1:
        parts.append(_league(results))
    for r in results:
        parts += _one(r, digits)
    return parts


def _line(markup: str, style: str | None = None) -> Text:
    """A line as ``console.print(markup)`` shows it (markup read, no emoji codes)."""
    text = Text.from_markup(markup, emoji=False)
    if style:
        text.stylize(style)
    return text


def _league(results: list[CheckResult]) -> Table:
    t = Table(title=f"{results[0].activation} in {results[0].dtype}: frameworks side by side",
              title_justify="left")
    t.add_column("framework")
    for q in results[0].quantities:
        name = QUANTITY[q.quantity]
        t.add_column(f"{name} max ulp", justify="right")
        t.add_column(f"{name} correctly rounded", justify="right")
        t.add_column(f"{name} NaN/inf off", justify="right")
    for r in results:
        cells = [r.implementation.split(":")[0]]
        for q in r.quantities:
            cells += [ulps(q.max_ulp), share(q.correctly_rounded), str(q.mismatches)]
        t.add_row(*cells)
    return t


def _one(r: CheckResult, digits: int | None = None) -> list[Any]:
    parts: list[Any] = [
        _line(f"[bold]check {r.label}[/bold] in {r.dtype}: {r.implementation}"),
        _line(f"reference: {r.reference}"),
        _line("metric: ulp = abs(got − exact)/ulp(exact) in the target dtype (≤ 0.5 is correctly "
              "rounded); distance = floats from the correctly rounded value"),
    ]
    summary = Table(title="summary", title_justify="left")
    for col in ("", "inputs", "max ulp", "max distance", "mean ulp", "correctly rounded",
                "NaN off", "inf off"):
        summary.add_column(col, justify="left" if not col else "right")
    for q in r.quantities:
        summary.add_row(QUANTITY[q.quantity], count(q.count), ulps(q.max_ulp), count(q.max_distance),
                        ulps(q.mean_ulp), share(q.correctly_rounded), str(q.nan_mismatches),
                        str(q.inf_mismatches))
    parts.append(summary)
    hist = Table(title="distance from the correctly rounded value (inputs)", title_justify="left")
    hist.add_column("")
    for label in HISTOGRAM_BINS:
        hist.add_column(label, justify="right")
    for q in r.quantities:
        hist.add_row(QUANTITY[q.quantity], *(count(n) for _, n in q.histogram))
    parts.append(hist)
    for q in r.quantities:
        parts.append(_regions(q))
        worst = _worst(q, digits or DIGITS.get(r.dtype, MAX_DIGITS), exact_extra=0 if digits else 3)
        if worst is not None:
            parts.append(worst)
    for q in r.quantities:
        t = q.tolerance
        verdict = "passes" if t.passes_defaults else "fails"
        parts.append(_line(f"{QUANTITY[q.quantity]}: torch.testing.assert_close needs rtol={t.rtol:.3g} "
                           f"(with atol={t.default_atol:g}) or atol={t.atol:.3g} (with "
                           f"rtol={t.default_rtol:g}); its {r.dtype} defaults {verdict}"))
    parts += [_line(f"context: {line}") for line in r.context]
    parts += [_line(f"note: {line}") for line in r.notes]
    if r.max_ulp is not None:
        worst_ulp = max(q.max_ulp for q in r.quantities)
        off = sum(q.mismatches for q in r.quantities)
        word = "within" if r.passed else "OVER"
        extra = f", {off} NaN/inf mismatches" if off else ""
        closing = f"verdict: {word} --max-ulp {number(r.max_ulp)} (max {ulps(worst_ulp)} ulp{extra})"
        parts.append(_line(closing, style=None if r.passed else "bold red"))
    parts.append(Text(""))
    return parts


def _regions(q: QuantityReport) -> Table:
    t = Table(title=f"{QUANTITY[q.quantity]} by region", title_justify="left")
    for col in ("region", "inputs", "max ulp", "mean ulp", "max distance", "correctly rounded"):
        t.add_column(col, justify="left" if col == "region" else "right")
    for g in q.regions:
        t.add_row(g.name, count(g.count), ulps(g.max_ulp), ulps(g.mean_ulp), count(g.max_distance),
                  share(g.correctly_rounded))
    return t


def _worst(q: QuantityReport, digits: int, exact_extra: int = 3) -> Table | None:
    if not q.worst:
        return None
    t = Table(title=f"{QUANTITY[q.quantity]}: worst inputs", title_justify="left")
    for col in ("x", "x (hex)", "got", "exact", "ulp", "distance", "region"):
        t.add_column(col, justify="right" if col in ("ulp", "distance") else "left")
    for w in q.worst:
        t.add_row(short(w.x, digits), float(w.x).hex(), short(w.got, digits),
                  short(w.exact, digits + exact_extra), ulps(w.ulp), count(w.distance), w.region)
    return t
