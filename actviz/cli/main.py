"""The ``actviz`` command: a Click group whose subcommands are imported only when used."""

from __future__ import annotations

import importlib
import os
import sys

import click

from actviz._version import __version__
from actviz.cli.errors import signals_as_exceptions

# name → (module, one-line help). Modules are imported only when their command runs, so
# ``actviz --help`` and every table command start without Matplotlib.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("actviz.cli.cmd_list", "List every activation in the catalog."),
    "info": ("actviz.cli.cmd_info", "Formulas, properties, kinks and saturation of one activation."),
    "plot": ("actviz.cli.cmd_plot", "Plot activations and their derivatives (PNG, SVG, PDF, terminal)."),
    "derive": ("actviz.cli.cmd_derive", "Derivative tables, saturation regions, inspect real inputs."),
    "softmax": ("actviz.cli.cmd_softmax", "Exact softmax probabilities from logits."),
    "recommend": ("actviz.cli.cmd_recommend", "Which activation to use for a task, with reasons."),
    "flow": ("actviz.cli.cmd_flow", "Watch gradients vanish (or not) through a deep network."),
    "train": ("actviz.cli.cmd_train", "Train a small network per activation: loss, dead units, gradients."),
    "check": ("actviz.cli.cmd_check", "ULP audit of an implementation or a framework against exact values."),
}

OVERVIEW = """\
See and check neural-network activation functions.

\b
Examples:
  actviz list                          the catalog
  actviz info gelu                     formulas, properties, kinks
  actviz plot relu --grad              relu and its gradient → relu_grad.png
  actviz derive sigmoid --at 4.6       f, f′ at a point, saturation regions
  actviz softmax 0.2 1.3 3.75          exact probabilities
  actviz recommend --task multiclass   what to use, and why
  actviz flow sigmoid relu             gradients through a 10-layer network
  actviz train relu leaky_relu         train on two moons: loss, dead units
  actviz check gelu -i x.npy --values y.npy   how many ULP off is this implementation?
  actviz derive "x*sigmoid(x)" --at 1  a formula works wherever a name does

\b
Parameters go after a colon: leaky_relu:alpha=0.1. Run 'actviz help COMMAND'
for more. --no-color and --debug may also follow the command.
Exit status: 0 ok, 1 runtime error, 2 usage error, 130 interrupted.
"""


# Group options that may also follow the subcommand: ``actviz list --no-color``.
GLOBAL_FLAGS = {"--no-color": "NO_COLOR", "--debug": "ACTVIZ_DEBUG"}


def _closest_command(name: str) -> str:
    """`` Did you mean 'plot'?`` for a misspelt command name, or nothing."""
    import difflib

    close = difflib.get_close_matches(name.lower(), [*COMMANDS, "help"], n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def no_such_command(name: str) -> str:
    return f"No such command '{name}'.{_closest_command(name)} Commands: {', '.join(COMMANDS)}."


def take_global_flags(args: list[str]) -> list[str]:
    """Remove ``--no-color``/``--debug`` given after the subcommand (before any ``--``), applying them."""
    out: list[str] = []
    for i, token in enumerate(args):
        if token == "--":
            return out + args[i:]
        if token in GLOBAL_FLAGS:
            os.environ[GLOBAL_FLAGS[token]] = "1"
        else:
            out.append(token)
    return out


class LazyGroup(click.Group):
    """A group that imports a subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, "help"]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "help":
            return help_command
        if name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[name][0])
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in COMMANDS.items()]
        rows.append(("help", "Show help for a command."))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except click.UsageError:
            raise click.UsageError(no_such_command(args[0] if args else ""), ctx) from None
        return name, command, take_global_flags(rest)

    def make_context(self, *args, **kwargs) -> click.Context:
        # Parsing the group's own options may print help (--help) into a closed pipe.
        with signals_as_exceptions():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        # Click would turn a closed pipe into exit 1 and Ctrl-C into "Aborted!"; errors.run decides.
        with signals_as_exceptions():
            return super().invoke(ctx)


@click.group(
    cls=LazyGroup,
    help=OVERVIEW,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="actviz")
@click.option("--no-color", is_flag=True, help="Plain output without colour (also: NO_COLOR=1).")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors (also: ACTVIZ_DEBUG=1).")
@click.pass_context
def cli(ctx: click.Context, no_color: bool, debug: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["no_color"] = no_color
    ctx.obj["debug"] = debug
    if debug:
        os.environ["ACTVIZ_DEBUG"] = "1"
    if no_color:
        os.environ["NO_COLOR"] = "1"
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


class CommandName(click.ParamType):
    """A subcommand name; completes the commands."""

    name = "COMMAND"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        return [CompletionItem(n) for n in COMMANDS if n.startswith(incomplete.lower())]


@click.command("help", context_settings={"ignore_unknown_options": True})
@click.argument("topic", required=False, type=CommandName())
@click.pass_context
def help_command(ctx: click.Context, topic: str | None) -> None:
    """Show help for a command.

    \b
    Examples:
      actviz help            the overview
      actviz help plot       the same as: actviz plot --help
    """
    group_ctx = ctx.parent
    assert group_ctx is not None
    if topic is None:
        click.echo(group_ctx.get_help())
        return
    command = cli.get_command(group_ctx, topic)
    if command is None:
        raise click.UsageError(no_such_command(topic))
    with click.Context(command, info_name=topic, parent=group_ctx) as sub:
        click.echo(command.get_help(sub))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into one line and an exit code."""
    from actviz.cli.errors import run

    # actviz's matrix products are small (flow: 256×256); BLAS threads only fight each other on
    # small machines. Set before NumPy is imported; a user's own setting wins.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

    try:
        code = run(cli, argv)
    except KeyboardInterrupt:  # Ctrl-C between two of run's checks
        code = 130
    sys.exit(code)
