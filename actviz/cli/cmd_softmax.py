"""``actviz softmax``: exact softmax probabilities from logits, as a table, JSON, CSV or a chart.

This module reads the logits and the options; :mod:`actviz.softmax_result` checks them and asks
the core for the numbers, and the renderers draw the :class:`SoftmaxResult` it returns.
"""

from __future__ import annotations

import re
import sys

import click
import numpy as np

from actviz.cli.common import (
    INPUT_FILE,
    OUTPUT_FILE,
    Number,
    digits_option,
    figure_output,
    format_option,
    say,
)
from actviz.cli.common import SOFTMAX_FNS as FNS
from actviz.cli.errors import ActvizError, ActvizUsageError
from actviz.core.checks import user_float
from actviz.softmax_result import LogitError, SoftmaxResult, SoftmaxRow, arrange
from actviz.softmax_result import as_batch as _as_batch
from actviz.softmax_result import check_logits as _check_logits
from actviz.softmax_result import compute as _compute

__all__ = ["SoftmaxResult", "SoftmaxRow", "arrange", "as_batch", "check_logits", "command", "compute"]

HELP = """\
Exact softmax probabilities from logits: p_i = e^(z_i/T) / sum_j e^(z_j/T).

Probabilities and log-probabilities are within a few ULP of the exact values, also for huge or
widely spread logits ([1000, 1001, 1002], [-1000, 0]); a log-probability stays exact where its
probability underflows to 0. Numbers are printed in full (shortest round-trip form), so 0.99999…
is never shown as 1 (--digits N rounds the table to N significant digits). The sum row is the
exact sum of the float64 probabilities: 1, or its distance from 1 (1 − 1.1e−16 is float64
rounding of the probabilities, explained under the table). A table shows
at most 200 entries per softmax (the most probable, with a note) and tables for at most 50 rows
of a batch, a chart 100 bars; json and csv always give everything.

\b
Examples:
  actviz softmax 0.2 0.02 0.15 1.3 0.5 0.06 1.1 0.05 3.75
  actviz softmax -1 -2.5 3                   negative logits are plain arguments
  actviz softmax -- -1 2                     '--' works too
  actviz softmax 0.2,1.3,3.75                a comma list is fine too
  actviz softmax 1 2 3 --temperature 0.5     T < 1 sharpens, T > 1 flattens
  actviz softmax 1 2 3 --digits 3            3 significant digits in the table
  actviz softmax 2.1 0.3 -1 --labels cat,dog,bird --sort
  actviz softmax --input logits.npy --top 3  a 2-D array is a batch: softmax per row
  echo "1 2 3" | actviz softmax -f json      logits from stdin (or: actviz softmax -)
  actviz softmax 1 2 3 --plot probs.svg      bar chart (png, svg or pdf)
  actviz softmax 1 1.1 0 --fn sparsemax      exact zeros; a note says how many
  actviz softmax 1 2 3 --fn softmin          softmax(-z): the smallest wins

\b
Non-finite logits:
  -inf   probability 0 and log-probability -inf (a masked class)
  +inf   the +inf logits share the probability equally, all others get 0
         (the limit as they grow together); a note says so on stderr
  NaN, or a row of only -inf: an error (softmax is undefined)

\b
JSON (--format json): {"logits", "temperature", "labels" (with --labels),
"probabilities", "log_probabilities", "argmax"} per row, a list of these for a
batch, plus "ranking" (indices, best first) with --sort or --top. With --fn other than
softmax the same keys hold that function's values (log_probabilities: their logs) and
"function" names it; sparsemax adds "zeros", the number of outputs that are exactly 0.
"""

# A leading '-' followed by a digit, '.digit', inf or nan is a negative logit, never an option.
_NEGATIVE_NUMBER = re.compile(r"^-(?:\.?\d|inf|nan)", re.IGNORECASE)
MAX_PLOT_ROWS = 12  # softmaxes (batch rows) in one chart
MAX_PLOT_BARS = 100  # bars per chart without --top
MAX_TABLE_ROWS = 200  # table lines per softmax without --top (json/csv: all)
MAX_TABLES = 50  # batch rows shown as tables (json/csv: all)


class LogitCommand(click.Command):
    """A command whose positional arguments may be negative numbers: ``softmax -1 -2.5 3``.

    Click would read ``-1`` as an option. Before Click parses, negative numbers are moved behind a
    ``--`` while real options (and the values they take, even negative ones) stay in front.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for opt in (*param.opts, *param.secondary_opts):
                    takes_value[opt] = not (param.is_flag or param.count)
        strict = not ctx.resilient_parsing  # shell completion must never fail
        return super().parse_args(ctx, separate_negative_numbers(args, takes_value, strict))


def _value_follows(token: str, takes_value: dict[str, bool]) -> bool:
    """Whether option token ``token`` consumes the next argument as its value."""
    if token.startswith("--"):
        return "=" not in token and takes_value.get(token, False)
    # A cluster of short options, e.g. -k or -lk: the first that takes a value ends it.
    for pos, char in enumerate(token[1:], start=1):
        if takes_value.get("-" + char, False):
            return pos == len(token) - 1
    return False


def separate_negative_numbers(
    args: list[str], takes_value: dict[str, bool], strict: bool = True
) -> list[str]:
    """Reorder ``args`` as options first, then ``--`` and the positional arguments.

    With ``strict``, an option missing its value at the end is a usage error (otherwise Click
    would take the ``--`` added here as that value).
    """
    options: list[str] = []
    positional: list[str] = []
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            positional.extend(args[i + 1 :])
            break
        if token == "-" or not token.startswith("-") or _NEGATIVE_NUMBER.match(token):
            positional.append(token)
        else:
            options.append(token)
            if _value_follows(token, takes_value):
                if i + 1 == len(args):
                    if strict:
                        raise ActvizUsageError(f"option '{token}' needs a value")
                    break
                options.append(args[i + 1])
                i += 1
        i += 1
    return options + (["--", *positional] if positional else [])


def _stdin_is_tty() -> bool:
    """True when nobody pipes into us (stdin is a terminal or closed)."""
    stream = sys.stdin
    if stream is None:
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return True


def parse_logit_tokens(tokens: tuple[str, ...]) -> np.ndarray:
    """Logits from command-line tokens; a token may hold several, comma-separated (``1,2,3``)."""
    values: list[float] = []
    for token in tokens:
        pieces = token.split(",")
        for piece in pieces:
            if "," in token and not piece.strip():
                raise ActvizUsageError(f"logit list '{token}' has an empty entry")
            try:
                values.append(user_float(piece))
            except ValueError:
                where = f"logit '{piece}' in '{token}'" if "," in token else f"logit '{token}'"
                raise ActvizUsageError(f"{where} is not a number") from None
    return np.array(values, dtype=np.float64)


def gather_logits(tokens: tuple[str, ...], source: str | None) -> tuple[np.ndarray, bool]:
    """The logits (1-D, or 2-D for a batch) and whether they came from the command line."""
    from actviz.inputs import read_numbers

    if source is not None:
        if tokens:
            raise ActvizUsageError("give logits as arguments or with --input, not both")
        return read_numbers(source), False
    if tokens == ("-",):
        return read_numbers("-"), False
    if "-" in tokens:
        raise ActvizUsageError("'-' (read stdin) cannot be mixed with logits on the command line")
    if tokens:
        return parse_logit_tokens(tokens), True
    if _stdin_is_tty():
        raise ActvizUsageError(
            "no logits: give them as arguments (actviz softmax 0.2 1.3 3.75), with --input FILE, or on stdin"
        )
    text = sys.stdin.read()
    if not text.strip():
        raise ActvizUsageError("no logits: stdin is empty (give logits as arguments or with --input)")
    from actviz.inputs import parse_text

    return parse_text(text, "stdin"), False


def as_batch(raw: np.ndarray) -> tuple[np.ndarray, bool]:
    """float64 logits as a 2-D array (one softmax per row) and whether the input was a batch."""
    try:
        return _as_batch(raw)
    except LogitError as exc:
        raise ActvizError(str(exc)) from None


TEMPERATURE = Number("temperature", positive=True)


def parse_temperature(token: str | float) -> float:
    """A temperature (finite, > 0); an already converted one (``--temperature``'s type) as it is."""
    return TEMPERATURE.convert(token, None, None)


def parse_labels(text: str | None, count: int) -> list[str] | None:
    if text is None:
        return None
    labels = [label.strip() for label in text.split(",")]
    if any(not label for label in labels):
        raise ActvizUsageError(f"--labels '{text}' has an empty label")
    if len(labels) != count:
        raise ActvizUsageError(
            f"--labels gives {len(labels)} label{'s' * (len(labels) != 1)} "
            f"for {count} logit{'s' * (count != 1)}; the counts must match"
        )
    return labels


def check_logits(z: np.ndarray, temperature: float, batch: bool, usage: bool, fn: str = "softmax") -> None:
    """Reject what has no defined ``fn``: a usage error for logits typed on the command line."""
    try:
        _check_logits(z, batch, fn)
    except LogitError as exc:
        raise (ActvizUsageError if usage else ActvizError)(str(exc)) from None


def compute(z: np.ndarray, temperature: float, fn: str = "softmax") -> list[SoftmaxRow]:
    try:
        return _compute(z, temperature, fn)
    except LogitError as exc:
        raise ActvizError(str(exc)) from None


def _cap(top: int | None, n: int, limit: int, what: str) -> int | None:
    """``top``, or ``limit`` with a note when the user gave no --top and there are too many."""
    if top is None and n > limit:
        say(f"note: the {what} shows the {limit} most probable of {n} logits (choose with --top K)")
        return limit
    return top


def _notes(z: np.ndarray, fn: str = "softmax") -> None:
    if z.shape[1] == 1:
        say(f"note: {fn} of one value is always {'0' if fn == 'log_softmax' else '1'}"
            + (" (did you mean sigmoid?)" if fn == "softmax" else ""))
    best = -np.inf if fn == "softmin" else np.inf
    if (z == best).any():
        say(f"note: {'-' if best < 0 else '+'}inf logits share the probability equally and all others "
            "get 0 (the limit)")


def _zeros_note(rows: list[SoftmaxRow]) -> None:
    """sparsemax: how many outputs are exactly 0 (per row for a batch)."""
    for r, row in enumerate(rows):
        zeros = int(np.count_nonzero(row.probabilities == 0))
        where = f"row {r}: " if len(rows) > 1 else ""
        say(f"note: {where}sparsemax gives exactly 0 to {zeros} of {row.probabilities.size} entries")


@click.command(
    "softmax",
    cls=LogitCommand,
    help=HELP,
    short_help="Exact softmax probabilities from logits.",
    context_settings={"max_content_width": 100},
)
@click.argument("logits", nargs=-1, metavar="[LOGIT]...")
@click.option(
    "--input", "-i", "source", type=INPUT_FILE, metavar="FILE",
    help="Read logits from FILE (.npy, .txt, .csv) or - for stdin."
)
@click.option(
    "--temperature", type=TEMPERATURE, default="1", metavar="T", show_default=True,
    help="Divide the logits by T > 0."
)
@click.option(
    "--fn", "fn", type=click.Choice(FNS, case_sensitive=False), default="softmax", show_default=True,
    help="softmin = softmax(−z); sparsemax projects onto the simplex (exact zeros)."
)
@click.option("--labels", "-l", metavar="A,B,C", help="Class names, one per logit, comma-separated.")
@click.option("--sort", "sort_rows", is_flag=True, help="Most probable first.")
@click.option(
    "--top", "-k", type=click.IntRange(min=1), metavar="K", help="Show only the K most probable (sorted)."
)
@format_option()
@digits_option
@click.option(
    "--plot", "-p", "plot_path", type=OUTPUT_FILE, metavar="FILE",
    help="Also draw a bar chart to FILE (.png, .svg, .pdf)."
)
def command(
    logits: tuple[str, ...],
    source: str | None,
    temperature: float,
    fn: str,
    labels: str | None,
    sort_rows: bool,
    top: int | None,
    fmt: str,
    plot_path: str | None,
    digits: int | None = None,
) -> None:
    t = parse_temperature(temperature)
    if plot_path is not None:
        figure_output(plot_path, "--plot")
    raw, from_args = gather_logits(logits, source)
    z, batch = as_batch(raw)
    names = parse_labels(labels, z.shape[1])
    if plot_path is not None and z.shape[0] > MAX_PLOT_ROWS:
        raise ActvizUsageError(
            f"--plot draws at most {MAX_PLOT_ROWS} rows, the batch has {z.shape[0]} (use a smaller input)"
        )
    fn = fn.lower()
    check_logits(z, t, batch, usage=from_args, fn=fn)
    _notes(z, fn)
    rows = compute(z, t, fn)
    if fn == "sparsemax" and len(rows) <= MAX_TABLES:
        _zeros_note(rows)
    n = z.shape[1]

    if plot_path is not None:
        from actviz.render.softmax_chart import write_chart

        bars = _cap(top, n, MAX_PLOT_BARS, "chart")
        chart_rows = [arrange(row, bars, sort_rows or bars is not None) for row in rows]
        write_chart(SoftmaxResult(chart_rows, t, names, batch, False, fn), plot_path)
        say(f"Wrote {plot_path}")

    if fmt == "table":
        top = _cap(top, n, MAX_TABLE_ROWS, "table")
        if len(rows) > MAX_TABLES:
            say(f"note: tables for the first {MAX_TABLES} of {len(rows)} rows (--format csv or json: all)")
            rows = rows[:MAX_TABLES]
    ranked = sort_rows or top is not None
    result = SoftmaxResult([arrange(row, top, ranked) for row in rows], t, names, batch, ranked, fn)

    from actviz.render import softmax_view

    if fmt == "json":
        click.echo(softmax_view.to_json(result))
    elif fmt == "csv":
        click.echo(softmax_view.to_csv(result), nl=False)
    else:
        from actviz.cli.common import console

        softmax_view.print_tables(result, console(), digits)
