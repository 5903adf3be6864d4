"""Running the CLI so that every failure is one ``Error: …`` line and a clear exit code.

Exit codes: 0 success, 1 runtime error (bad file, unwritable folder, …), 2 usage error (bad option,
unknown activation, bad number), 130 interrupted (Ctrl-C). ``--debug`` or ``ACTVIZ_DEBUG=1`` shows
the traceback instead. A closed pipe (``actviz list | head -1``) ends quietly with exit 0.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from actviz.core.params import ParamError

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# Environment variables the group options set for the commands; restored after each run so an
# in-process caller (tests) never inherits one run's --debug or --no-color.
_RUN_ENV = ("ACTVIZ_DEBUG", "NO_COLOR")


# The library names parameters as the API does (``depth``, ``output_range``); the CLI names the
# options. An option is ``--`` and the parameter with dashes unless this table says otherwise.
OPTION_NAMES = {
    "x": "--input",  # actviz.check(activation, x, values): check --input FILE --values FILE
}


def option_name(name: str, value: str | None = None) -> str:
    """The option for API parameter ``name`` (``output_range`` → ``--output-range``), with ``value``
    after it as it is typed (``--task multiclass``)."""
    option = OPTION_NAMES.get(name, "--" + name.replace("_", "-"))
    return option if value is None else f"{option} {value}"


def cli_message(exc: BaseException) -> str:
    """The message of a library error in the CLI's terms (option names for parameter names)."""
    return exc.say(option_name) if isinstance(exc, ParamError) else str(exc)


class ActvizError(click.ClickException):
    """A runtime failure the user can act on (exit 1)."""

    exit_code = EXIT_RUNTIME

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message + (f" ({hint})" if hint else ""))


class ActvizUsageError(click.UsageError):
    """Bad input on the command line (exit 2), printed as one line without the usage block.

    ``detail`` lines (a formula with a caret under the offending token) come just before that line,
    so the ``Error:`` line stays the last one."""

    def __init__(self, message: str, ctx: click.Context | None = None,
                 detail: tuple[str, ...] | list[str] = ()):
        super().__init__(message, ctx)
        self.detail = tuple(detail)

    def show(self, file: Any = None) -> None:
        for line in self.detail:
            click.echo(line, file=file or sys.stderr, err=True)
        click.echo(f"Error: {self.format_message()}", file=file or sys.stderr, err=True)


class PipeClosed(Exception):
    """The reader of stdout went away (``| head``). Not an OSError, so Click lets it through."""


class Interrupted(Exception):
    """Ctrl-C (SIGINT). Not a KeyboardInterrupt, so Click does not turn it into ``Aborted!``."""


@contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """Turn a closed pipe and Ctrl-C into :class:`PipeClosed` / :class:`Interrupted`.

    Click itself catches ``EPIPE`` (and exits 1) and ``KeyboardInterrupt`` (and prints
    ``Aborted!``); the group wraps its parsing and its subcommand in this so :func:`run` decides.
    """
    try:
        yield
    except BrokenPipeError as exc:
        raise PipeClosed() from exc
    except KeyboardInterrupt as exc:
        raise Interrupted() from exc


def debug_enabled() -> bool:
    """``--debug`` or ``ACTVIZ_DEBUG=1``: let tracebacks through."""
    return os.environ.get("ACTVIZ_DEBUG", "") not in ("", "0")


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _silence_stdout() -> None:
    """Point stdout at /dev/null so no later flush can fail (closed pipe) or block (full pipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _closest_choice(exc: click.UsageError) -> str:
    """`` Did you mean 'pytorch'?`` for a misspelt choice (--framework pytroch), or nothing."""
    param = getattr(exc, "param", None)
    if param is None or not isinstance(param.type, click.Choice):
        return ""
    given = re.match(r"'(.*)' is not one of", getattr(exc, "message", ""))
    if not given:
        return ""
    import difflib

    choices = [str(c) for c in param.type.choices]
    close = difflib.get_close_matches(given.group(1).lower(), choices, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


# Short letters retired for one vocabulary across commands (#18): command → letter → long option.
RETIRED_LETTERS = {
    "softmax": {"-T": "--temperature", "-s": "--sort"},
    "flow": {"-i": "--init"},
    "train": {"-i": "--init"},
}


def _retired_letter(exc: click.UsageError) -> str:
    """`` -T is now spelled --temperature`` for a short option that this command no longer has."""
    if not isinstance(exc, click.NoSuchOption) or exc.ctx is None:
        return ""
    long = RETIRED_LETTERS.get(exc.ctx.command.name or "", {}).get(exc.option_name)
    if not long:
        return ""
    return f" {exc.option_name} is now spelled {long} (one letter, one meaning in every command)."


def _usage_hint(exc: click.UsageError) -> str:
    if exc.ctx is None or isinstance(exc, ActvizUsageError):
        return ""
    return f"{_closest_choice(exc)}{_retired_letter(exc)} (see '{exc.ctx.command_path} --help')"


class WarningLines:
    """Python warnings (Matplotlib's missing glyphs, say) as one ``warning: …`` line each, not the
    interpreter's two-line format with a source line. Repeats are dropped; missing glyphs are
    gathered into one line."""

    _GLYPH = re.compile(r"Glyph (\d+) .*missing from font\(s\) (.+?)\.?$")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.glyphs: dict[str, list[str]] = {}  # font → characters

    def add(self, message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        text = _one_line(str(message))
        glyph = self._GLYPH.match(text)
        if glyph:
            chars = self.glyphs.setdefault(glyph.group(2), [])
            char = chr(int(glyph.group(1)))
            if char not in chars:
                chars.append(char)
        elif f"warning: {text}" not in self.lines:
            self.lines.append(f"warning: {text}")

    def flush(self) -> None:
        for font, chars in self.glyphs.items():
            click.echo(f"warning: the font ({font}) has no glyph for {' '.join(chars)}; "
                       "they are drawn as boxes", err=True)
        for line in self.lines:
            click.echo(line, err=True)
        self.lines, self.glyphs = [], {}


def run(command: click.Command, argv: list[str] | None = None) -> int:
    """Invoke ``command`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Everything the user sees on stderr besides the command's own notes comes from here: the
    warnings (one line each), then, on failure, the one ``Error: …`` line.
    """
    saved = {name: os.environ.get(name) for name in _RUN_ENV}
    notes = WarningLines()
    try:
        with warnings.catch_warnings():
            warnings.showwarning = notes.add  # the filters stay as they are
            code, message = _invoke(command, argv)
        notes.flush()
        if message:
            click.echo(message, err=True)
        return code
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _invoke(command: click.Command, argv: list[str] | None) -> tuple[int, str | None]:
    """The exit code and the line to print last (None: nothing)."""
    try:
        with signals_as_exceptions():
            rv = command.main(args=argv, prog_name="actviz", standalone_mode=False)
            sys.stdout.flush()
        # Without standalone mode Click returns the code of ``ctx.exit(code)`` (0 for --help).
        return (rv if isinstance(rv, int) else EXIT_OK), None
    except click.exceptions.Exit as exc:
        return exc.exit_code, None
    except PipeClosed:
        _silence_stdout()
        return EXIT_OK, None
    except (Interrupted, click.exceptions.Abort):
        _silence_stdout()
        return EXIT_INTERRUPTED, "Interrupted."
    except click.UsageError as exc:
        if debug_enabled():
            raise
        detail = "".join(line + "\n" for line in getattr(exc, "detail", ()))
        return EXIT_USAGE, f"{detail}Error: {_one_line(exc.format_message())}{_usage_hint(exc)}"
    except click.ClickException as exc:
        if debug_enabled():
            raise
        return exc.exit_code, f"Error: {_one_line(exc.format_message())}"
    except (ValueError, OSError, MemoryError, OverflowError) as exc:
        if debug_enabled():
            raise
        return EXIT_RUNTIME, f"Error: {_one_line(cli_message(exc)) or type(exc).__name__}"
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if debug_enabled():
            raise
        return EXIT_RUNTIME, (f"Error: internal error ({type(exc).__name__}: {_one_line(str(exc))}); "
                              "rerun with --debug for the traceback")
