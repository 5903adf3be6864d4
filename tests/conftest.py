"""What the whole suite shares: one way to run the CLI.

``actviz_cli(*args)`` runs ``actviz ARGS`` in-process exactly as the entry point does (through
``actviz.cli.errors.run``: one ``Error:`` line, exit codes 0/1/2/130) and returns a
:class:`CliResult` with ``code``, ``out``, ``err``, ``bytes`` (raw stdout) and ``json`` (stdout
parsed). An exit code other than ``expect`` (default 0) fails the test with the command's stderr,
so a failing command cannot pass a test by accident: pass ``expect=2`` for a usage error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner


@dataclass(frozen=True)
class CliResult:
    code: int
    bytes: bytes
    err: str

    @property
    def out(self) -> str:
        return self.bytes.decode(errors="replace")

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    # The names of click.testing.Result, so tests written against CliRunner read the same.
    @property
    def exit_code(self) -> int:
        return self.code

    @property
    def stdout(self) -> str:
        return self.out

    @property
    def stdout_bytes(self) -> bytes:
        return self.bytes

    @property
    def stderr(self) -> str:
        return self.err

    @property
    def output(self) -> str:
        """stdout and stderr, as a terminal shows them (stdout first)."""
        return self.out + self.err


def run_cli(*args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None,
            expect: int | None = 0, columns: int | None = 200) -> CliResult:
    """Run ``actviz ARGS``; ``expect=None`` accepts any exit code; ``columns=None`` leaves the
    terminal width to the environment (no ``COLUMNS``)."""
    from actviz.cli.errors import run
    from actviz.cli.main import cli

    width = None if columns is None else str(columns)
    environment = {"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": width, "ACTVIZ_DEBUG": None,
                   **(env or {})}
    with CliRunner().isolation(input=input, env=environment) as streams:
        code = run(cli, list(args))
        result = CliResult(code, streams[0].getvalue(), streams[1].getvalue().decode(errors="replace"))
    if expect is not None and code != expect:
        raise AssertionError(f"actviz {' '.join(args)} exited {code}, expected {expect}:\n{result.err}")
    return result


@pytest.fixture
def actviz_cli() -> Callable[..., CliResult]:
    """The CLI runner as a fixture (see :func:`run_cli`)."""
    return run_cli


@pytest.fixture(autouse=True)
def _keep_mpmath_precision():
    """mpmath's precision is global: a test that sets ``mp.mp.dps`` would otherwise lower the
    "truth" of every test after it (a 30-digit reference once made a 1e−33 value read as 0)."""
    import sys

    mp = sys.modules.get("mpmath")
    before = mp.mp.prec if mp is not None else None
    yield
    mp = sys.modules.get("mpmath")
    if mp is not None and before is not None:
        mp.mp.prec = before
