"""Text views of ``actviz train`` results: a summary table with verdicts, and CSV curves.

No math here beyond picking which measured steps to show: every number comes from
:mod:`actviz.train.result`.
"""

from __future__ import annotations

import csv
import math
from typing import IO, Any

from actviz.core.numtext import number, percent, scientific
from actviz.train.result import SCALARS, CurvePoint, TrainResult

_KIND_STYLE = {"learned": "green", "slow": "yellow", "stalled": "red", "diverged": "red"}
SHOWN = (0.0, 0.5)  # shares of the steps whose training loss the table shows (and the end)


def _num(v: float | None, digits: int | None = 3) -> str:
    """A measured number: ``digits`` (default 3) significant in [0.01, 1000), else scientific
    with one digit fewer (``2.4e−5``)."""
    if v is None:
        return "—"
    n = digits or 3
    if v == 0 or not math.isfinite(v) or 0.01 <= abs(v) < 1000:
        return number(v + 0.0, n)
    return scientific(v, max(n - 1, 1))


def _with_spread(p: CurvePoint, field: str, pct: bool = False, digits: int | None = None) -> str:
    """The mean, and the spread over seeds on a second line."""
    mean, std = p.mean[field], p.std[field]
    if mean is None:
        return "—"
    text = percent(mean, 0) if pct else _num(mean, digits)
    if p.seeds > 1 and std is not None:
        text += f"\n±{percent(std, 0)}" if pct else f"\n±{_num(std, 2 if digits is None else digits)}"
    return text


def _at(curve: list[CurvePoint], step: int) -> CurvePoint:
    return min(curve, key=lambda p: (abs(p.step - step), p.step))


def headline(result: TrainResult) -> str:
    """What was trained, in two sentences."""
    d, h, c = result.data, result.head, result.config
    advised = "as recommend advises" if h.output == h.recommended else f"recommend advises {h.recommended}"
    opt = f"sgd (momentum {number(c.momentum)})" if c.optimizer == "sgd" else "adam"
    batch = "the whole training set" if c.batch == 0 or c.batch >= d.train else f"{c.batch}"
    seeds = f"seed {c.seed}" if c.seeds == 1 else f"seeds {c.seed}–{c.seed + c.seeds - 1} (mean ± std)"
    return (f"{d.name}: {d.task}, {d.train} training and {d.test} test points, {len(d.features)} "
            f"feature{'s' if len(d.features) != 1 else ''}; output {h.output} with {h.loss} ({advised}).\n"
            f"{c.depth} hidden layer{'s' if c.depth != 1 else ''} × {c.width} units, {opt}, "
            f"lr {number(c.lr)}, "
            f"batch {batch}, {c.steps} steps, {seeds}. dead: share of units with f′ = 0 on every "
            f"training input (worst layer, at the end); test: loss and accuracy on the test points; "
            "grad: ‖∂L/∂W₁‖ / ‖∂L/∂W_out‖ (first layer / output layer). Under each function: its "
            "initialiser.")


def table(result: TrainResult, digits: int | None = None) -> Any:
    """One row per activation: loss over steps, test scores, dead units, gradient ratio; losses
    and ratios to ``digits`` (default 3) significant digits."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    steps = result.config.steps
    classify = result.data.task != "regression"
    tab = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    tab.add_column("function")  # may wrap: the numbers never do
    shown = sorted({int(round(s * steps)) for s in SHOWN})
    for i, s in enumerate(shown):
        tab.add_column(f"loss @{s}" if i == 0 else f"@{s}", justify="right", no_wrap=True)
    tab.add_column(f"@{steps}", justify="right", no_wrap=True)
    tab.add_column("test", justify="right", no_wrap=True)
    if classify:
        tab.add_column("acc", justify="right", no_wrap=True)
    tab.add_column("dead", justify="right", no_wrap=True)
    tab.add_column("grad @0", justify="right", no_wrap=True)
    tab.add_column(f"@{steps}", justify="right", no_wrap=True)
    for r in result.results:
        curve, final = r.curve(), r.final()
        params = ", ".join(f"{p.symbol}={_param(r.act.params[p.name])}" for p in r.act.definition.params)
        name = Text(r.act.name)  # Text, not markup: an expression may hold brackets
        name.append(f"\n{params + ' · ' if params else ''}{r.init.init.spec}", style="dim")
        cells: list[Any] = [name]
        cells += [_with_spread(_at(curve, s), "train_loss", digits=digits) if s <= curve[-1].step else "—"
                  for s in shown]
        if r.verdict.kind == "diverged":  # nothing finite to show after the divergence
            cells += ["—"] * (3 + classify) + [_ratio(curve[0], digits), "—"]
            tab.add_row(*cells)
            continue
        cells += [_with_spread(final, field, digits=digits) for field in ("train_loss", "test_loss")]
        if classify:
            cells.append(_with_spread(final, "test_acc", pct=True))
        cells.append(percent(max(final.dead), 0) if final.dead else "—")
        cells += [_ratio(curve[0], digits), _ratio(final, digits)]
        tab.add_row(*cells)
    return tab


def _param(v: Any) -> str:
    return number(v, 6) if isinstance(v, float) else str(v).lower()


def _ratio(p: CurvePoint, digits: int | None = None) -> str:
    g = p.grad_norm
    if len(g) < 2 or not (g[-1] > 0 and math.isfinite(g[-1]) and math.isfinite(g[0])):
        return "—"
    return _num(g[0] / g[-1], digits)


def print_report(result: TrainResult, out: Any, digits: int | None = None) -> None:
    """The headline, the table and one verdict line per activation, on the console ``out``."""
    for part in renderables(result, digits):
        out.print(part)


def renderables(result: TrainResult, digits: int | None = None) -> list[Any]:
    """What :func:`print_report` prints, as rich renderables (for a console or for HTML)."""
    from rich.text import Text

    parts: list[Any] = [Text.from_markup(headline(result), emoji=False), table(result, digits)]
    for r in result.results:
        line = Text(f"{r.act.label}: ", style="bold")
        line.append(r.verdict.text, style=_KIND_STYLE.get(r.verdict.kind, ""))
        parts.append(line)
    return parts


def csv_header(depth: int) -> list[str]:
    cols = ["function", "spec", "step", "seeds"]
    for field in SCALARS:
        cols += [field, field + "_std"]
    cols += [f"dead_{i}" for i in range(1, depth + 1)]
    cols += [f"grad_{i}" for i in range(1, depth + 1)] + ["grad_out"]
    return cols


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return repr(v) if isinstance(v, float) else str(v)


def write_csv(result: TrainResult, out: IO[str]) -> None:
    """Every measured step of every activation, one row each (means over seeds, and spreads)."""
    depth = result.config.depth
    w = csv.writer(out, lineterminator="\n")
    w.writerow(csv_header(depth))
    for r in result.results:
        for p in r.curve():
            row: list[Any] = [r.act.name, r.act.spec, p.step, p.seeds]
            for field in SCALARS:
                row += [p.mean[field], p.std[field]]
            dead = list(p.dead) or [None] * depth
            grads = list(p.grad_norm) or [None] * (depth + 1)
            w.writerow([_cell(v) for v in row + dead + grads])
