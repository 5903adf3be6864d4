"""``actviz derive``: f and its derivatives in numbers, saturation regions, kinks, real inputs."""

from __future__ import annotations

import re

import click

from actviz.cli.common import (
    ACTIVATION,
    INPUT_FILE,
    activation,
    console,
    format_option,
    framework_option,
    parse_number,
    parse_range,
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
  actviz derive tanh --xlim -4 4 --points 9    a grid
  actviz derive gelu --order 2 -f json         f″ too, as JSON
  actviz derive leaky_relu:alpha=0.1 -F jax    parameters and a framework's kink convention
  actviz derive "max(x, 0.1*x)" --at 0         a formula: both one-sided f′ at its kink
  actviz derive "x*tanh(softplus(x))" --at -1 0 2 --order 2
  actviz derive sigmoid --input preact.npy     which share of real pre-activations saturates
  cat x.txt | actviz derive relu --input - -f csv > rows.csv

\b
--input reads .npy (memory-mapped), .txt/.csv (numbers separated by commas, spaces or newlines) or
'-' for stdin. Up to 50 values: one row each. More: a summary (count, share dead / vanishing /
active, mean and quantiles of abs(f′), min/max x) computed chunk by chunk in bounded memory;
quantiles come from a fixed log-spaced histogram (within 0.4%). -f csv streams every row:
x,f,df[,d2f],region.

\b
JSON is strict: floats round-trip exactly, unbounded region ends are null, and any other
non-finite number is the string "Infinity", "-Infinity" or "NaN". CSV writes inf/-inf/nan.
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
@click.argument("spec", metavar="NAME[:k=v,...]", type=ACTIVATION)
@click.option("--at", "at", multiple=True, metavar="X...",
              help="Points to evaluate; several may follow one --at (--at -2 0 3) or be repeated.")
@click.option("--xlim", nargs=2, metavar="A B", default=None, help="Grid from A to B (default −6 6).")
@click.option("--points", "-n", type=int, default=None, metavar="N",
              help="Number of grid points (2–10000, default 11).")
@click.option("--order", type=click.IntRange(1, 2), default=1, show_default=True, metavar="1|2",
              help="2 adds f″ (formula and column).")
@threshold_option
@framework_option
@click.option("--input", "-i", "source", type=INPUT_FILE, metavar="FILE|-", default=None,
              help="Evaluate at real values from .npy, .txt/.csv or '-' (stdin).")
@format_option()
def command(spec: str, at: tuple[str, ...], xlim: tuple[str, str] | None, points: int | None,
            order: int, threshold: str, framework: str, source: str | None, fmt: str) -> None:
    from actviz import derive_report as dr

    t = parse_threshold(threshold)
    act = activation(spec, framework)
    at_values = parse_at(at)
    grid = parse_range(xlim, "--xlim")
    if points is not None and not 2 <= points <= dr.MAX_POINTS:
        raise ActvizUsageError(f"--points must be between 2 and {dr.MAX_POINTS}, got {points}")
    if source is not None and (at_values or grid is not None or points is not None):
        raise ActvizUsageError("--input cannot be combined with --at, --xlim or --points")
    if source is not None:
        from actviz.inputs import read_numbers

        data = read_numbers(source)
    else:
        data = dr.chosen_points(at_values, grid, points, act)

    if fmt == "csv":
        regions = dr.saturation_regions(act, t)
        for block in dr.csv_lines(act, data, order, regions, t):
            click.echo(block, nl=False)
        return

    if source is not None:
        report = dr.build(act, order, t, data=data, source="stdin" if source == "-" else source)
    else:
        report = dr.build(act, order, t, xs=data)

    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(dr.to_json(report)))
        return

    from actviz.render.derive_view import render

    render(console(), report)
