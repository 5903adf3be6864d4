"""``actviz flow``: watch gradients vanish (or not) through a deep network.

This module reads and checks the options, asks :func:`actviz.flow.report.run` for the report
(simulation and verdicts) and hands it to the renderers.
"""

from __future__ import annotations

import click

from actviz.cli.common import (
    ACTIVATION,
    OUTPUT_FILE,
    Number,
    activation,
    digits_option,
    figure_output,
    format_option,
    framework_option,
    say,
    threshold_option,
)
from actviz.cli.errors import ActvizUsageError

DEFAULT_NAMES = ("sigmoid", "tanh", "relu")

HELP = """\
Watch gradients vanish (or not) through a deep network.

Builds a plain MLP of DEPTH dense layers of WIDTH units for each activation, pushes a random
batch (N(0, input-std²)) forward and a random unit-norm gradient backward, exactly, with the
catalog's analytic f′ (no autodiff). Per layer it reports the mean and std of pre-activations
z and activations f(z), the share of f′ values that are saturated (abs(f′) < threshold), the
share of units that are dead (f′ = 0 for the whole batch), and the gradient ‖dL/dz‖ reaching
the layer relative to the last layer. The verdict compares layer 1 with the last layer:
vanishing below 0.01, exploding above 100, stable in between.

Weights are N(0, std²) with std from --init; by default each activation gets the one that suits
it (He for the ReLU family, Glorot for sigmoid/tanh and other saturating functions, LeCun for
selu) and the table says which. The same --seed gives the same inputs and the same underlying
random weights for every activation, so the comparison is fair. Without NAME: sigmoid tanh relu.

\b
Examples:
  actviz flow                                 sigmoid, tanh and relu over 10 layers
  actviz flow sigmoid relu --depth 20         sigmoid's gradient vanishes, relu's does not
  actviz flow selu --depth 50                 self-normalising: mean 0, std 1 at every layer
  actviz flow "x*sigmoid(b*x); b=1.5" --depth 20   a formula with a parameter
  actviz flow relu --bias -3                  a large negative bias: dead units, no gradient
  actviz flow tanh -d 30 --init normal:0.2    weights too large: tanh saturates, gradient explodes
  actviz flow tanh -d 30 --init normal:0.02   weights too small: the gradient vanishes
  actviz flow leaky_relu:alpha=0.1 gelu --plot flow.png
  actviz flow relu -f json | jq '.results[0].verdict'

\b
Limits (memory and run time): depth <= 1000, width <= 4096, batch <= 4096,
depth x width x batch <= 16,777,216, depth x width^2 <= 67,108,864 and
depth x width^2 x batch <= 4,294,967,296.
"""


@click.command("flow", help=HELP, short_help="Watch gradients vanish (or not) through a deep network.")
@click.argument("names", nargs=-1, type=ACTIVATION, metavar="[NAME[:k=v,...]]...")
@click.option("--depth", "-d", type=int, default=10, show_default=True, help="Number of dense layers.")
@click.option("--width", "-w", type=int, default=256, show_default=True, help="Units per layer.")
@click.option("--batch", "-b", type=int, default=256, show_default=True, help="Inputs per batch.")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed (inputs, weights, gradient); >= 0.")
@click.option("--init", "init_text", type=str, default=None, metavar="he|glorot|lecun|normal:STD",
              shell_complete=lambda ctx, param, incomplete: [
                  w for w in ("he", "glorot", "lecun", "normal:") if w.startswith(incomplete.lower())],
              help="Weight initialiser for every activation  [default: the one that suits each]")
@click.option("--input-std", type=Number("input std"), default="1", show_default=True,
              help="Std of the random inputs.")
@click.option("--bias", type=Number("bias"), default="0", show_default=True,
              help="Constant bias added to every pre-activation.")
@threshold_option
@framework_option
@click.option("--plot", "-p", "plot_path", type=OUTPUT_FILE, default=None, metavar="FILE",
              help="Also draw gradient norm and activation std vs layer (.png, .svg or .pdf).")
@format_option(("table", "json"))
@digits_option(help="Significant digits of the layer means and stds in tables (1–17; default 3, "
                    "2 below 0.01: they are sample estimates). JSON keeps full precision.")
def command(names: tuple[str, ...], depth: int, width: int, batch: int, seed: int, init_text: str | None,
            input_std: float, bias: float, threshold: float, framework: str, plot_path: str | None,
            fmt: str, digits: int | None = None) -> None:
    from actviz.flow.init import parse_init
    from actviz.flow.report import run
    from actviz.flow.simulate import FlowConfig

    acts = [activation(spec, framework) for spec in (names or DEFAULT_NAMES)]
    for act in acts:
        if getattr(act, "unit", None) is not None:
            raise ActvizUsageError(f"flow simulates elementwise layers; {act.name} is a gated unit")
    config = FlowConfig(depth=depth, width=width, batch=batch, seed=seed,
                        input_std=input_std, bias=bias, threshold=threshold)
    try:
        config.check()
        init = parse_init(init_text) if init_text is not None else None
    except ValueError as exc:
        raise ActvizUsageError(str(exc)) from None
    if plot_path is not None:
        figure_output(plot_path, "--plot")

    report = run(acts, config, init, framework)
    if plot_path is not None:
        from actviz.render.flow_chart import draw

        draw(report, plot_path)
    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(report.to_dict()))
    else:
        from actviz.cli.common import console
        from actviz.render.flow_view import print_tables

        print_tables(report, console(), digits)
    if plot_path is not None:
        say(f"Wrote {plot_path}")
