"""``actviz derive``: f and its derivatives in numbers, saturation regions, kinks, real inputs."""

from __future__ import annotations

import re

import click

from actviz.cli.common import (
    ACTIVATION,
    INPUT_FILE,
    OUTPUT_FILE,
    Range,
    activation,
    check_grid,
    console,
    digits_option,
    format_option,
    framework_option,
    parse_number,
    parse_threshold,
    threshold_option,
)
from actviz.cli.errors import ActvizUsageError

HELP = """\
f and f′ (and f″) of an activation: formulas, a table of values, where the gradient vanishes
(saturation regions) and what each framework returns at kinks.

\b
Examples:
  actviz derive sigmoid                        teaching table, σ′ vanishes for abs(x) > 4.5848…
  actviz derive relu --at -2 0 3               chosen points (several after one --at)
  actviz derive sigmoid --at 4.6 --digits 4    4 significant digits (tables show every digit by default)
  actviz derive tanh --xlim -4 4 --points 9    a grid
  actviz derive gelu --order 2 -f json         f″ too, as JSON
  actviz derive leaky_relu:alpha=0.1 -F jax    parameters and a framework's kink convention
  actviz derive "max(x, 0.1*x)" --at 0         a formula: both one-sided f′ at its kink
  actviz derive "x*tanh(softplus(x))" --at -1 0 2 --order 2
  actviz derive sigmoid --input preact.npy     which share of real pre-activations saturates
  actviz derive relu gelu silu --input preact.npy   which activation saturates least here
  actviz derive sigmoid --input layers.npz --only 'fc*'   one row per array, and a total
  actviz derive tanh --input preact.npy --plot hist.png   histogram under f and f′, regions shaded
  cat x.txt | actviz derive relu --input - -f csv > rows.csv

\b
--input reads .npy (memory-mapped), .npz (one summary row per array), .safetensors (the same;
needs the extra: pip install 'actviz[safetensors]'), or text: .txt/.csv or '-' for stdin, numbers
separated by commas, semicolons, spaces or newlines, read in chunks (any length, bounded memory).
Every text row must have the same number of values (a ragged row is an error naming its line);
a first row that is not numbers is a CSV header, and --column NAME|INDEX (1 = first) picks a
column (needed when there are several numeric ones). Binary data and object arrays are refused.

\b
Up to 50 values of one array: one row each. More: a summary — count, share dead / vanishing /
active, the saturated share on each side (sigmoid: σ → 0 and σ → 1), mean/min/max of f, mean and
quantiles of abs(f′) (from a fixed log-spaced histogram, within 0.4%), min/max x; counts and
shares are exact. Several arrays: one row each and a total; 2-D arrays are flattened (said so).
Several NAMEs: one comparison table. -f csv of one array through one activation streams every row
(x,f,df[,d2f],region); otherwise it gives the summary records (the JSON keys joined with dots).
On a terminal, a progress bar on stderr shows for long inputs.

\b
Tables show every number in full, the shortest text that reads back as the same float64, as
info does (−4.584863339122356 in both), with − for minus and ∞ for infinity; --digits N rounds
them to N significant digits. JSON is strict: floats round-trip exactly, unbounded region ends
are null, and any other non-finite number is the string "Infinity", "-Infinity" or "NaN". CSV
writes inf/-inf/nan.
"""

_NUMBER = re.compile(r"^[+\-−]?(\d+\.?\d*|\.\d+)([eE][+\-]?\d+)?$|^[+\-−]?(inf|infinity|nan)$", re.I)


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token.strip()))


def spread_at_values(args: list[str]) -> list[str]:
    """Let one ``--at`` take several values: ``--at -2 0 3`` → ``--at -2 --at 0 --at 3``.

    Numbers that follow an ``--at`` value belong to that ``--at`` (no positional argument of
    ``derive`` is a number); anything else ends the list. ``--`` stops the rewriting.
    """
    out: list[str] = []
    state = "normal"  # "value": the next token is --at's value; "more": numbers may follow
    for i, token in enumerate(args):
        if token == "--":
            return out + args[i:]
        if state == "value":
            out.append(token)
            state = "more"
            continue
        if state == "more" and _is_number(token):
            out += ["--at", token]
            continue
        out.append(token)
        state = "value" if token == "--at" else "more" if token.startswith("--at=") else "normal"
    return out


class DeriveCommand(click.Command):
    """A click command whose ``--at`` accepts several numbers (see :func:`spread_at_values`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_at_values(list(args)))


def parse_at(values: tuple[str, ...]) -> list[float]:
    """Every number given with --at (each value may also hold a comma-separated list)."""
    out: list[float] = []
    for value in values:
        for token in re.split(r"[,\s]+", value.strip()):
            if token:
                out.append(parse_number(token, "--at value"))
    if values and not out:
        raise ActvizUsageError("--at needs a number")
    return out


@click.command("derive", cls=DeriveCommand, help=HELP, short_help="Derivative tables and saturation.")
@click.argument("specs", metavar="NAME[:k=v,...]...", type=ACTIVATION, nargs=-1, required=True)
@click.option("--at", "at", multiple=True, metavar="X...",
              help="Points to evaluate; several may follow one --at (--at -2 0 3) or be repeated.")
@click.option("--xlim", type=Range(metavar="A B"), metavar="A B", default=None,
              help="Grid from A to B (default −6 6).")
@click.option("--points", "-n", type=int, default=None, metavar="N",
              help="Number of grid points (2–10000, default 11).")
@click.option("--order", type=click.IntRange(1, 2), default=1, show_default=True, metavar="1|2",
              help="2 adds f″ (formula and column).")
@click.option("--grad2", is_flag=True, hidden=True, help="plot's spelling of --order 2.")
@threshold_option
@framework_option
@click.option("--input", "-i", "source", type=INPUT_FILE, metavar="FILE|-", default=None,
              help="Evaluate at real values from .npy, .npz, .safetensors, .txt/.csv or '-' (stdin).")
@click.option("--column", metavar="NAME|INDEX", default=None,
              help="CSV/text column to read (a header name, or 1 for the first column).")
@click.option("--only", "only", multiple=True, metavar="PATTERN",
              help="Arrays of a .npz/.safetensors to read (glob on names, e.g. 'layer*'); repeatable.")
@click.option("--plot", "-p", "plot", type=OUTPUT_FILE, metavar="FILE", default=None,
              help="Also draw the input's histogram under f and f′ (.png, .svg or .pdf).")
@format_option()
@digits_option
def command(specs: tuple[str, ...], at: tuple[str, ...], xlim: tuple[float, float] | None, points: int | None,
            order: int, grad2: bool, threshold: str, framework: str, source: str | None, column: str | None,
            only: tuple[str, ...], plot: str | None, fmt: str, digits: int | None = None) -> None:
    from actviz import derive_report as dr

    order = 2 if grad2 else order
    t = parse_threshold(threshold)
    acts = [activation(spec, framework) for spec in specs]
    at_values = parse_at(at)
    grid = xlim
    if points is not None and not 2 <= points <= dr.MAX_POINTS:
        raise ActvizUsageError(f"--points must be between 2 and {dr.MAX_POINTS}, got {points}")
    if grid is not None or points is not None:  # never fewer rows than asked
        check_grid(grid or dr.DEFAULT_XLIM, points or dr.DEFAULT_GRID_POINTS)
    if source is not None and (at_values or grid is not None or points is not None):
        raise ActvizUsageError("--input cannot be combined with --at, --xlim or --points")
    if source is None:
        for name, value in (("--column", column), ("--only", only), ("--plot", plot)):
            if value:
                raise ActvizUsageError(f"{name} needs --input")
        if len(acts) > 1:
            raise ActvizUsageError("several activations are compared on real data: add --input FILE")
    if source is not None:
        if plot is not None and len(acts) > 1:
            raise ActvizUsageError("--plot draws one activation; give one name")
        from actviz.cli.derive_input import run

        run(acts, source, order, t, fmt, column=column, only=only, plot=plot, digits=digits)
        return

    act = acts[0]
    data = dr.chosen_points(at_values, grid, points, act)
    if fmt == "csv":
        from actviz.analysis import saturation_regions

        regions = saturation_regions(act, t)
        for block in dr.csv_lines(act, data, order, regions, t):
            click.echo(block, nl=False)
        return

    report = dr.build(act, order, t, xs=data)

    gated = getattr(act, "unit", None) is not None  # a gated unit against its gate
    if fmt == "json":
        from actviz.render.jsonout import dumps

        doc = dr.to_json(report)
        if gated:
            from actviz.render import gated_view

            gated_view.add_to_json(doc, act)
        click.echo(dumps(doc))
        return

    from actviz.render.derive_view import render

    render(console(), report, digits)
    if gated and report.points:
        from actviz.render import gated_view

        console().print()
        console().print(gated_view.heading(act), highlight=False)
        console().print(gated_view.table(act, [p.x for p in report.points]))
