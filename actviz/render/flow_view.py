"""Text views of ``actviz flow`` results: a rich table per activation and a summary.

No math here: every number comes from :mod:`actviz.flow.simulate` and every verdict from
:mod:`actviz.flow.verdict`, gathered in a :class:`~actviz.flow.report.FlowReport` (which also
owns the JSON document); this module only formats them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from actviz.core.numtext import number, percent
from actviz.flow.report import GRADIENT_NOTE
from actviz.flow.verdict import Verdict, ratio_text

if TYPE_CHECKING:
    from actviz.flow.report import FlowReport
    from actviz.flow.simulate import FlowResult, LayerStats

HEAD_ROWS = TAIL_ROWS = 10  # deeper networks show the first and last layers only
_KIND_STYLE = {"stable": "green", "vanishing": "red", "exploding": "red", "dead": "red",
               "diverged": "red", "single": "yellow"}

COLUMNS = ("layer", "pre mean", "pre std", "act mean", "act std", "saturated", "dead", "grad")


def _num(v: float, digits: int | None = None) -> str:
    """A layer statistic (a sample estimate): 3 significant digits (2 below 0.01) unless
    ``digits`` asks for another number."""
    if digits is None:
        digits = 2 if 0 < abs(v) < 0.01 else 3
    return number(v + 0.0, digits)


def _pct(v: float) -> str:
    return percent(v, 1)


def _grad(s: LayerStats) -> str:
    return "—" if math.isnan(s.grad_log10) else ratio_text(s.grad_log10)


def init_text(result: FlowResult) -> str:
    """``he (default: a rectifier …), weight std 0.0884``."""
    choice = result.init
    how = f"default: {choice.reason}" if choice.default else "--init"
    return f"{choice.init.spec} ({how}), weight std {number(result.weight_std, 3)}"


def table(result: FlowResult, verdict: Verdict, digits: int | None = None) -> Any:
    """One rich Table with a row per layer (the first and last ones for deep networks); the
    means and standard deviations to ``digits`` significant digits (default 3)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    layers = result.layers
    hidden = len(layers) - HEAD_ROWS - TAIL_ROWS
    caption = Text(verdict.text, style=_KIND_STYLE.get(verdict.kind, ""))
    if hidden > 1:
        first, last = HEAD_ROWS + 1, len(layers) - TAIL_ROWS
        caption.append(f"\n(layers {first}–{last} not shown; --format json has every layer)", style="dim")
    tab = Table(
        title=f"{result.act.label} · init {init_text(result)}",
        title_justify="left",
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for name in COLUMNS:
        tab.add_column(name, justify="right", no_wrap=True)
    shown = layers if hidden <= 1 else (*layers[:HEAD_ROWS], None, *layers[-TAIL_ROWS:])
    for s in shown:
        if s is None:
            tab.add_row("…", *([""] * 7), style="dim")
            continue
        tab.add_row(str(s.layer), _num(s.pre_mean, digits), _num(s.pre_std, digits), _num(s.act_mean, digits),
                    _num(s.act_std, digits), _pct(s.saturated), _pct(s.dead), _grad(s))
    return tab


def summary(results: list[FlowResult], verdicts: list[Verdict]) -> Any:
    """One row per activation: its initialiser and verdict, for side-by-side comparison."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    tab = Table(title="Summary", title_justify="left", box=box.SIMPLE_HEAD)
    tab.add_column("function", no_wrap=True)
    tab.add_column("init", no_wrap=True)
    tab.add_column("verdict")
    for result, v in zip(results, verdicts, strict=True):
        tab.add_row(result.act.label, result.init.init.spec,
                    Text(v.text, style=_KIND_STYLE.get(v.kind, "")))
    return tab


def header(report: FlowReport) -> str:
    """The configuration and what each column means."""
    config = report.config
    return (
        f"{config.depth} layers × {config.width} units, batch {config.batch}, seed {config.seed}, "
        f"input std {number(config.input_std)}, bias {number(config.bias)}.\npre = z = a·W + b, act = f(z); "
        f"saturated: share of abs(f′) < {number(config.threshold)}; dead: share of units with f′ = 0 "
        f"for the whole batch; grad: ‖dL/dz‖ at the layer / at the last layer ({GRADIENT_NOTE})."
    )


def renderables(report: FlowReport, spaced: bool = True, digits: int | None = None,
                width: int | None = None) -> list[Any]:
    """The header, one table per activation and (for several) the summary; blank lines between
    them when ``spaced``. With ``width`` a layer table too wide for it is stacked
    (:func:`actviz.render.fit.fit`), so no number is cut."""
    from rich.text import Text

    from actviz.render.fit import fit

    parts: list[Any] = [Text(header(report))]
    blocks = [table(r, v, digits) for r, v in zip(report.results, report.verdicts, strict=True)]
    if width is not None:
        blocks = [fit(b, width) for b in blocks]
    if len(report.results) > 1:
        blocks.append(summary(list(report.results), list(report.verdicts)))
    for block in blocks:
        if spaced:
            parts.append(Text(""))
        parts.append(block)
    return parts


def print_tables(report: FlowReport, console: Any, digits: int | None = None) -> None:
    """Print every table on ``console`` (the CLI's follows the colour rules)."""
    for part in renderables(report, digits=digits, width=console.width):
        console.print(part)
