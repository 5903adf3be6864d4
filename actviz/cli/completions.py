"""Shell completion scripts for bash, zsh and fish, generated from Click's completion support.

The scripts are committed in ``completions/``; regenerate them after changing a command::

    python -m actviz.cli.completions            # writes completions/actviz.bash, _actviz, actviz.fish
    python -m actviz.cli.completions --check    # exit 1 if a committed script is stale

Each script only asks ``actviz`` itself (``_ACTVIZ_COMPLETE=bash_complete actviz …``), so the
words it offers (activation names, tasks, frameworks, files) always match the installed version.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.shell_completion import get_completion_class

PROG = "actviz"
COMPLETE_VAR = "_ACTVIZ_COMPLETE"
# shell → file name: bash-completion's completions/actviz, zsh's fpath _actviz, fish's actviz.fish
FILES = {"bash": "actviz.bash", "zsh": "_actviz", "fish": "actviz.fish"}


def script(shell: str) -> str:
    """The script for ``shell``, exactly as ``_ACTVIZ_COMPLETE={shell}_source actviz`` prints it."""
    from actviz.cli.main import cli

    cls = get_completion_class(shell)
    if cls is None:
        raise ValueError(f"no completion support for shell '{shell}'")
    source = cls(cli, {}, PROG, COMPLETE_VAR).source()
    return source if source.endswith("\n") else source + "\n"


def stale(folder: Path) -> list[str]:
    """Names of the scripts in ``folder`` that are missing or differ from freshly generated ones."""
    out = []
    for shell, name in FILES.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != script(shell):
            out.append(name)
    return out


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="completions")
@click.option("--check", is_flag=True, help="Only check that the scripts are up to date (exit 1 if not).")
def generate(folder: Path, check: bool) -> None:
    """Write the bash, zsh and fish completion scripts into FOLDER (default: completions)."""
    if check:
        names = stale(folder)
        if names:
            click.echo(f"stale completion scripts in {folder}: {', '.join(names)} "
                       "(run: python -m actviz.cli.completions)", err=True)
            sys.exit(1)
        click.echo(f"completion scripts in {folder} are up to date", err=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    for shell, name in FILES.items():
        (folder / name).write_text(script(shell), encoding="utf-8")
        click.echo(f"Wrote {folder / name}", err=True)


if __name__ == "__main__":
    generate()
