"""Pieces every subcommand shares: options, spec parsing, number parsing, the console."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import Any

import click
from click.shell_completion import CompletionItem

from actviz.catalog.frameworks import DEFAULT_FRAMEWORK, FRAMEWORKS
from actviz.cli.errors import ActvizUsageError

FORMATS = ("table", "json", "csv")


class ActivationSpec(click.ParamType):
    """``NAME[:k=v,...]``, kept as text (parsed once the framework is known); completes names."""

    name = "NAME[:k=v,...]"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        from actviz.catalog.registry import all_spellings
        from actviz.expr.resolve import user_names

        names = [*all_spellings(), *user_names()]
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


def activation(spec: str, framework: str | None = None):
    """Parse ``spec`` (a name, ``NAME:k=v``, a user-defined name or a formula) into an Activation;
    a bad name, parameter or formula is a usage error (exit 2; a formula error shows a caret)."""
    from actviz.expr.resolve import parse_spec

    try:
        return parse_spec(spec, framework=framework)
    except ValueError as exc:
        caret = getattr(exc, "caret_lines", None)
        raise ActvizUsageError(str(exc), detail=caret() if caret else ()) from None


FRAMEWORK_HELP = "Parameter defaults and f′ at kinks as this framework's autodiff gives them."


def framework_option(func: Callable | None = None, *, help: str = FRAMEWORK_HELP) -> Callable:
    """``--framework/-F``; use bare (``@framework_option``) or with a help text of its own."""
    option = click.option(
        "--framework",
        "-F",
        type=click.Choice(FRAMEWORKS, case_sensitive=False),
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


def threshold_option(func: Callable) -> Callable:
    return click.option(
        "--threshold",
        "-t",
        type=str,
        default="0.01",
        show_default=True,
        help="abs(f′) below this counts as a vanishing gradient.",
    )(func)


def parse_number(token: str, what: str = "value") -> float:
    """A float from user text; one clear usage error if it is not a number."""
    text = token.strip()
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        raise ActvizUsageError(f"{what} '{token}' is not a number") from None
    return value


def parse_threshold(token: str) -> float:
    t = parse_number(token, "threshold")
    if not (t > 0 and math.isfinite(t)):
        raise ActvizUsageError(f"threshold must be a finite number > 0, got {token}")
    return t


def parse_range(pair: tuple[str, str] | None, what: str) -> tuple[float, float] | None:
    """``--xlim A B``: two finite numbers with A < B."""
    if pair is None:
        return None
    lo, hi = (parse_number(v, what) for v in pair)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ActvizUsageError(f"{what} needs finite numbers, got {pair[0]} {pair[1]}")
    if lo >= hi:
        raise ActvizUsageError(f"{what} needs min < max, got {pair[0]} {pair[1]}")
    return lo, hi


def figure_output(path: str, option: str) -> str:
    """Check a figure file name before any work: its format (usage error naming the formats, exit
    2) and that it can be written (missing folder, a folder in the way: exit 1). '-' means PNG on
    stdout. Returns ``png``, ``svg`` or ``pdf``."""
    from actviz.render.figure_file import FORMAT_NAMES, format_of

    if path == "-":
        return "png"
    fmt = format_of(path)
    if fmt is None:
        raise ActvizUsageError(
            f"{option} {path}: cannot tell the format; the name must end in {FORMAT_NAMES}"
        )
    from actviz.render.atomic import check_target

    check_target(path)
    return fmt


def color_enabled() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (or --no-color)."""
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def console(stderr: bool = False) -> Any:
    """A rich Console that follows the colour rules and the terminal width (COLUMNS too)."""
    from rich.console import Console

    class PipeAwareConsole(Console):
        """Rich exits with status 1 on a closed pipe; actviz ends quietly (see errors.run)."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError()

    enabled = color_enabled()
    return PipeAwareConsole(
        stderr=stderr,
        no_color=not enabled,
        color_system="auto" if enabled else None,
        highlight=False,
        emoji=False,
    )


def say(message: str) -> None:
    """One status line on stderr (what was written, notes), never on stdout."""
    click.echo(message, err=True)
