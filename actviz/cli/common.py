"""Pieces every subcommand shares: options, spec parsing, number parsing, the console."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click
from click.shell_completion import CompletionItem

from actviz.catalog.frameworks import DEFAULT_FRAMEWORK, FRAMEWORKS
from actviz.cli.errors import ActvizUsageError
from actviz.core.checks import grid_range, positive, shortest, user_float

FORMATS = ("table", "json", "csv")


class ActivationSpec(click.ParamType):
    """``NAME[:k=v,...]``, kept as text (parsed once the framework is known); completes names."""

    name = "NAME[:k=v,...]"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        from actviz.catalog.spellings import SPELLINGS  # the generated table: no NumPy per Tab
        from actviz.expr.user import entries  # NumPy only when an activations file exists

        names = [*SPELLINGS, *(e.name for e in entries().values())]
        return [CompletionItem(n) for n in names if n.lower().startswith(incomplete.lower())]


ACTIVATION = ActivationSpec()


class FilePath(click.ParamType):
    """A file name kept as text (the command checks it); the shell completes file names."""

    name = "FILE"

    def __init__(self, metavar: str = "FILE"):
        self.metavar = metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        return value if isinstance(value, str) else str(value)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        return [CompletionItem(incomplete, type="file")]


INPUT_FILE = FilePath("FILE|-")  # --input: a file or '-' for stdin
OUTPUT_FILE = FilePath("FILE")  # -o / --plot


def activation(spec: str, framework: str | None = None, elementwise: bool = True):
    """Parse ``spec`` (a name, ``NAME:k=v``, a user-defined name or a formula) into an Activation;
    a bad name, parameter or formula is a usage error (exit 2; a formula error shows a caret).

    With ``elementwise`` (plot, derive, flow), a gated unit becomes the function of its gate at
    its ``value`` (``swiglu:value=2``, default 1) and a vector entry is a usage error.
    """
    from actviz.expr.resolve import parse_spec

    try:
        act = parse_spec(spec, framework=framework)
        if elementwise and getattr(act, "kind", "elementwise") == "gated":
            return act.at_value()
    except ValueError as exc:
        caret = getattr(exc, "caret_lines", None)
        raise ActvizUsageError(str(exc), detail=caret() if caret else ()) from None
    if elementwise and getattr(act, "kind", "elementwise") == "vector":
        raise ActvizUsageError(
            f"{act.name} is a vector function (it needs the whole vector); see 'actviz info {act.name}'"
            + (" or 'actviz softmax --fn " + act.name + "'" if act.name in SOFTMAX_FNS else "")
        )
    return act


SOFTMAX_FNS = ("softmax", "log_softmax", "softmin", "sparsemax")  # softmax --fn (core: VECTOR_FNS)


FRAMEWORK_HELP = ("Parameter defaults and f′ at kinks as this framework's autodiff gives them "
                  "(keras is Keras 3 on TensorFlow; keras:jax and keras:torch the other backends).")


class FrameworkChoice(click.Choice):
    """A framework preset: the canonical names, and the spellings people use (``torch``,
    ``tf``, ``tensorflow``, ``pytorch``, ``keras-jax``), converted to the canonical name."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from actviz.catalog.frameworks import resolve_framework

        try:
            name = resolve_framework(str(value))
        except ValueError:
            name = str(value)
        if name in self.choices:
            return name
        return super().convert(value, param, ctx)  # click's "'x' is not one of …"


def framework_option(func: Callable | None = None, *, help: str = FRAMEWORK_HELP,
                     choices: tuple[str, ...] = FRAMEWORKS) -> Callable:
    """``--framework/-F``; use bare (``@framework_option``) or with a help text (and a narrower
    set of presets) of its own. Aliases (``torch``, ``tf``) give the canonical preset."""
    option = click.option(
        "--framework",
        "-F",
        type=FrameworkChoice(choices, case_sensitive=False),
        default=DEFAULT_FRAMEWORK,
        show_default=True,
        help=help,
    )
    return option if func is None else option(func)


def format_option(choices: tuple[str, ...] = FORMATS) -> Callable[[Callable], Callable]:
    machine = "/".join(c for c in choices if c != "table")
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(choices, case_sensitive=False),
        default=choices[0],
        show_default=True,
        help=f"Output format: a table for people, {machine} for pipes.",
    )


DIGITS_HELP = ("Significant digits of the numbers in tables (1–17); by default every number is "
               "shown in full (the shortest text that reads back as the same float64). JSON and CSV "
               "always keep full precision.")


class Digits(click.ParamType):
    """``--digits N``: a whole number of significant digits, 1 to 17 (17: full precision)."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from actviz.core.numtext import MAX_DIGITS

        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        else:
            try:
                n = int(str(value).strip())
            except ValueError:
                raise ActvizUsageError(f"--digits must be a whole number from 1 to {MAX_DIGITS}, "
                                       f"got '{value}'") from None
        if not 1 <= n <= MAX_DIGITS:
            raise ActvizUsageError(f"--digits must be a whole number from 1 to {MAX_DIGITS}, got {n}")
        return n


def digits_option(func: Callable | None = None, *, help: str = DIGITS_HELP) -> Any:
    """``--digits N`` for a command that prints numbers in tables (``None`` when not given)."""
    option = click.option("--digits", "digits", type=Digits(), default=None, metavar="N", help=help)
    return option if func is None else option(func)


class Number(click.ParamType):
    """A float typed by the user (a Unicode minus is fine); ``positive``: finite and > 0.

    Errors are one usage line naming the value (``threshold 'abc' is not a number``), the same
    text the commands printed when they converted the values themselves.
    """

    name = "FLOAT"

    def __init__(self, what: str, positive: bool = False):
        self.what = what
        self.positive = positive

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            number = value
        else:
            number = parse_number(str(value), self.what)
        if self.positive:
            try:
                positive(number, self.what, value)
            except ValueError as exc:
                raise ActvizUsageError(str(exc)) from None
        return number


class WholeNumber(click.ParamType):
    """A whole number (``3``, ``+3``; ``3.0`` is refused: layers and units are counted)."""

    name = "N"

    def __init__(self, what: str):
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise ActvizUsageError(f"{self.what} must be a whole number, got '{value}'") from None


THRESHOLD = Number("threshold", positive=True)


def threshold_option(func: Callable) -> Callable:
    return click.option(
        "--threshold",
        "-t",
        type=THRESHOLD,
        metavar="NUMBER",
        default="0.01",
        show_default=True,
        help="abs(f′) below this counts as a vanishing gradient.",
    )(func)


def parse_number(token: str, what: str = "value") -> float:
    """A float from user text; one clear usage error if it is not a number."""
    text = token.strip()
    try:
        value = user_float(text)
    except ValueError:
        raise ActvizUsageError(f"{what} '{token}' is not a number") from None
    return value


def parse_threshold(token: str | float) -> float:
    """A threshold (finite, > 0); an already converted one (``--threshold``'s type) as it is."""
    return THRESHOLD.convert(token, None, None)


def parse_range(pair: tuple[str, str] | None, what: str, *, points: int | None = None,
                drawable: bool = False) -> tuple[float, float] | None:
    """``--xlim A B``: two finite numbers with A < B (core.checks.grid_range, the check every
    command and the API share; ``points``: that many distinct grid points; ``drawable``: a plot
    can show it). A usage error otherwise."""
    if pair is None:
        return None
    lo, hi = (parse_number(v, what) for v in pair)
    try:
        return grid_range(lo, hi, what, points=points, drawable=drawable, shown=pair)
    except ValueError as exc:
        raise ActvizUsageError(str(exc)) from None


class Range(click.types.CompositeParamType):
    """``--xlim A B`` / ``--ylim A B``: a range checked by core.checks.grid_range (finite, A < B;
    ``drawable`` for plots), converted to two floats. The text typed is kept in ``shown`` errors."""

    arity = 2

    def __init__(self, drawable: bool = False, metavar: str = "MIN MAX"):
        self.drawable = drawable
        self.metavar = metavar
        self.name = metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        pair = tuple(value)
        if all(isinstance(v, float) for v in pair):  # a default, already numbers
            pair = tuple(shortest(v) for v in pair)
        what = f"--{param.name}" if param is not None and param.name else "range"
        return parse_range((str(pair[0]), str(pair[1])), what, drawable=self.drawable)


def check_grid(xlim: tuple[float, float], points: int, what: str = "--xlim",
               shown: tuple[str, str] | None = None) -> None:
    """A usage error unless ``points`` evenly spaced floats over ``xlim`` are all distinct."""
    if shown is None:
        shown = (shortest(xlim[0]), shortest(xlim[1]))
    try:
        grid_range(*xlim, what, points=points, shown=shown)
    except ValueError as exc:
        raise ActvizUsageError(str(exc)) from None


def figure_output(path: str, option: str, stdout: bool = False) -> str:
    """Check a figure file name before any work: its format (usage error naming the formats, exit
    2) and that it can be written (missing folder, a folder in the way: exit 1). With ``stdout``,
    '-' means PNG on stdout; elsewhere (stdout carries the table) it is a usage error. Returns
    ``png``, ``svg`` or ``pdf``."""
    from actviz.render.figure_file import FORMAT_NAMES, format_of

    if path == "-":
        if stdout:
            return "png"
        raise ActvizUsageError(f"{option} needs a file name: stdout carries the table, not the picture")
    fmt = format_of(path)
    if fmt is None:
        raise ActvizUsageError(
            f"{option} {path}: cannot tell the format; the name must end in {FORMAT_NAMES}"
        )
    from actviz.render.atomic import check_target

    check_target(path)
    return fmt


def color_forced() -> bool:
    """FORCE_COLOR (non-empty, as rich and many CLIs read it) asks for colour off a terminal too;
    NO_COLOR (or --no-color) wins when both are set."""
    return bool(os.environ.get("FORCE_COLOR")) and not os.environ.get("NO_COLOR")


def color_enabled() -> bool:
    """Colour only on a terminal or with FORCE_COLOR, and never with NO_COLOR set (or --no-color)."""
    if os.environ.get("NO_COLOR"):
        return False
    return color_forced() or sys.stdout.isatty()


def console(stderr: bool = False) -> Any:
    """A rich Console that follows the colour rules and the terminal width (COLUMNS too)."""
    from rich.console import Console

    class PipeAwareConsole(Console):
        """Rich exits with status 1 on a closed pipe; actviz ends quietly (see errors.run)."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError()

    enabled = color_enabled()
    forced = color_forced()
    stream = sys.stderr if stderr else sys.stdout
    return PipeAwareConsole(
        stderr=stderr,
        # rich alone takes FORCE_COLOR for "a terminal" (width, layout); here it means colour only
        force_terminal=stream.isatty() if forced else None,
        no_color=not enabled,
        color_system=("standard" if forced and not stream.isatty() else "auto") if enabled else None,
        highlight=False,
        emoji=False,
    )


def say(message: str) -> None:
    """One status line on stderr (what was written, notes), never on stdout."""
    click.echo(message, err=True)
