"""``actviz flow``: watch gradients vanish (or not) through a deep network.

This module reads and checks the options, runs :mod:`actviz.flow.simulate` for each activation,
asks :mod:`actviz.flow.verdict` for the verdicts and hands everything to the renderers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import click

from actviz.cli.common import (
    ACTIVATION,
    OUTPUT_FILE,
    activation,
    figure_output,
    format_option,
    framework_option,
    parse_number,
    parse_threshold,
    say,
    threshold_option,
)
from actviz.cli.errors import ActvizUsageError

if TYPE_CHECKING:
    from actviz.flow.simulate import FlowConfig, FlowResult

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
@click.option("--init", "-i", "init_text", type=str, default=None, metavar="he|glorot|lecun|normal:STD",
              shell_complete=lambda ctx, param, incomplete: [
                  w for w in ("he", "glorot", "lecun", "normal:") if w.startswith(incomplete.lower())],
              help="Weight initialiser for every activation  [default: the one that suits each]")
@click.option("--input-std", type=str, default="1", show_default=True, help="Std of the random inputs.")
@click.option("--bias", type=str, default="0", show_default=True,
              help="Constant bias added to every pre-activation.")
@threshold_option
@framework_option
@click.option("--plot", "-p", "plot_path", type=OUTPUT_FILE, default=None, metavar="FILE",
              help="Also draw gradient norm and activation std vs layer (.png, .svg or .pdf).")
@format_option(("table", "json"))
def command(names: tuple[str, ...], depth: int, width: int, batch: int, seed: int, init_text: str | None,
            input_std: str, bias: str, threshold: str, framework: str, plot_path: str | None,
            fmt: str) -> None:
    from actviz.flow.init import parse_init
    from actviz.flow.simulate import FlowConfig, simulate_all

    acts = [activation(spec, framework) for spec in (names or DEFAULT_NAMES)]
    config = FlowConfig(depth=depth, width=width, batch=batch, seed=seed,
                        input_std=parse_number(input_std, "input std"), bias=parse_number(bias, "bias"),
                        threshold=parse_threshold(threshold))
    try:
        config.check()
        init = parse_init(init_text) if init_text is not None else None
    except ValueError as exc:
        raise ActvizUsageError(str(exc)) from None
    if plot_path is not None:
        figure_output(plot_path, "--plot")

    results = simulate_all(acts, config, init)
    from actviz.flow.verdict import verdict

    verdicts = [verdict(r) for r in results]

    if plot_path is not None:
        _plot(config, results, plot_path)
    if fmt == "json":
        from actviz.render.flow_view import document
        from actviz.render.jsonout import dumps

        init_spec = init.spec if init is not None else "default"
        click.echo(dumps(document(config, framework, init_spec, results, verdicts)))
    else:
        from actviz.render.flow_view import print_tables

        print_tables(config, results, verdicts)
    if plot_path is not None:
        say(f"wrote {plot_path}")


def _plot(config: FlowConfig, results: list[FlowResult], path: str) -> None:
    from actviz.flow.verdict import EXPLODING_ABOVE, VANISHING_BELOW
    from actviz.render.flow_chart import draw

    draw(config, results, path, math.log10(VANISHING_BELOW), math.log10(EXPLODING_ABOVE))
