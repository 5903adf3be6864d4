"""Running the CLI so that every failure is one ``Error: …`` line and a clear exit code.

Exit codes: 0 success, 1 runtime error (bad file, unwritable folder, …), 2 usage error (bad option,
unknown activation, bad number), 130 interrupted. ``--debug`` or ``ACTVIZ_DEBUG=1`` shows the
traceback instead. A closed pipe (``actviz list | head -1``) ends quietly.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click


class ActvizError(click.ClickException):
    """A runtime failure the user can act on (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message + (f" ({hint})" if hint else ""))


class ActvizUsageError(click.UsageError):
    """Bad input on the command line (exit 2), printed as one line without the usage block."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file or sys.stderr, err=True)


def _debug() -> bool:
    return os.environ.get("ACTVIZ_DEBUG", "") not in ("", "0")


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _quiet_broken_pipe() -> int:
    # Point stdout at devnull so the interpreter's final flush cannot raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def run(command: click.Command, argv: list[str] | None = None) -> int:
    """Invoke ``command``; return the process exit code."""
    try:
        command.main(args=argv, prog_name="actviz", standalone_mode=False)
        sys.stdout.flush()
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except click.UsageError as exc:
        if _debug():
            raise
        hint = ""
        if exc.ctx is not None and not isinstance(exc, ActvizUsageError):
            hint = f" (see '{exc.ctx.command_path} --help')"
        click.echo(f"Error: {_one_line(exc.format_message())}{hint}", err=True)
        return 2
    except click.ClickException as exc:
        if _debug():
            raise
        click.echo(f"Error: {_one_line(exc.format_message())}", err=True)
        return exc.exit_code
    except (ValueError, OSError, MemoryError) as exc:
        if _debug():
            raise
        click.echo(f"Error: {_one_line(str(exc))}", err=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if _debug():
            raise
        click.echo(
            f"Error: internal error ({type(exc).__name__}: {_one_line(str(exc))}); "
            "rerun with --debug for the traceback",
            err=True,
        )
        return 1
