"""Every command shown in README.md runs and succeeds.

The commands are the lines starting with ``$ `` inside ```console blocks. They run one by one,
in README order, with bash in one scratch folder (a later line may read a file an earlier one
wrote), with the installed ``actviz`` and ``python`` (this interpreter's bin folder) first on PATH.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BIN = Path(sys.executable).parent


def console_commands(text: str) -> list[str]:
    """The ``$ `` lines of every ```console block, in order."""
    commands = []
    for block in re.findall(r"^```console\n(.*?)^```", text, flags=re.M | re.S):
        commands += [line[2:] for line in block.splitlines() if line.startswith("$ ")]
    return commands


def test_extracts_console_blocks_only() -> None:
    text = "```console\n$ actviz list\noutput\n$ actviz info relu\n```\n```sh\n$ rm -rf /\n```\n"
    assert console_commands(text) == ["actviz list", "actviz info relu"]


def test_every_readme_command_succeeds(tmp_path: Path) -> None:
    commands = console_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 20, commands
    assert all(c.split()[0] in ("actviz", "python", "printf", "echo", "cat") for c in commands), commands
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACTVIZ", "_ACTVIZ"))}
    env |= {"PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "MPLBACKEND": "Agg", "COLUMNS": "100"}
    failures = []
    for command in commands:
        result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        output = result.stdout + result.stderr
        if result.returncode != 0 or "Traceback" in output or "Error:" in result.stderr:
            failures.append(f"$ {command}\n  exit {result.returncode}: {result.stderr.strip()[-500:]}")
        elif not output.strip() and not any(tmp_path.iterdir()):
            failures.append(f"$ {command}\n  printed and wrote nothing")
    assert not failures, "\n".join(failures)
