"""``actviz train``: train a small MLP per activation and watch loss, dead units and gradients.

Parses and checks the options, loads the data (:mod:`actviz.train.data`), calls
:func:`actviz.train.trainer.train` and hands the result to the renderers.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from actviz.cli.common import (
    ACTIVATION,
    INPUT_FILE,
    OUTPUT_FILE,
    Number,
    activation,
    console,
    digits_option,
    figure_output,
    format_option,
    framework_option,
    say,
)
from actviz.cli.errors import ActvizError, ActvizUsageError, cli_message
from actviz.core.params import ParamError

DEFAULT_NAMES = ("sigmoid", "tanh", "relu")
DATA_NAMES = ("moons", "circles", "spirals", "xor", "blobs", "sine")  # = train.data.BUILTINS (a test checks)
BAR_AFTER = 1.0  # seconds: shorter runs show no progress bar

HELP = """\
Train a small network per activation: loss, dead units and gradients as it learns.

Trains a plain MLP (DEPTH hidden layers of WIDTH units, then the output layer) on a data set for
each activation, in NumPy, with backpropagation written with the catalog's exact f′ (no
autodiff). The output layer and loss follow the task as 'actviz recommend' advises (binary:
sigmoid + binary cross-entropy; multiclass: softmax + cross-entropy; regression: identity + mean
squared error); --output puts another activation there, to show what goes wrong. Weights start
as in 'actviz flow' (each activation's default initialiser, or --init); every activation starts
from the same random matrices.

Every STEPS/50 steps it measures, on the whole training set, the loss, the accuracy, the share
of dead units per layer (f′ = 0 on every training input) and the gradient norm ‖∂L/∂W‖ per
layer, and the test loss and accuracy on the held-out part. The verdict says whether the
gradient vanishes on its way to the first layer, whether the loss moved, how many units died,
and "diverged at step N" when the loss stopped being finite (when every run diverges, that is
the error, exit status 1, and nothing is written). With --seeds N every number is the
mean over N seeds (± the standard deviation). Without NAME: sigmoid tanh relu.

Data: moons, circles, spirals, xor (binary), blobs (--classes K, multiclass), sine (regression),
generated from --seed; or a CSV file (or - for stdin) with a header row and a label column
(--label NAME, else a column named label, y, target or class). Features are standardised.

\b
Examples:
  actviz train                                         sigmoid, tanh, relu on two moons
  actviz train sigmoid tanh relu -d 6 --data spirals   sigmoid's gradient vanishes
  actviz train relu leaky_relu --lr 0.2 --steps 2000   relu units die; leaky_relu's do not
  actviz train tanh relu --data blobs --classes 4 --seeds 3
  actviz train relu --data sine --output sigmoid       a sigmoid output cannot reach y < 0
  actviz train relu tanh --data sine --plot fit.png
  actviz train tanh --optimizer adam --lr 0.01 -f csv
  actviz train relu --steps 200 -f json | jq '.results[0].verdict'

\b
Limits: depth <= 50, width <= 1024, steps <= 1,000,000, seeds <= 50, points <= 100,000,
CSV files <= 100,000 rows and 100 features, steps x batch x weights <= 2e11 per run.
"""


def _choice_complete(words: tuple[str, ...]):
    return lambda ctx, param, incomplete: [w for w in words if w.startswith(incomplete.lower())]


@click.command("train", help=HELP,
               short_help="Train a small network per activation: loss, dead units, gradients.")
@click.argument("names", nargs=-1, type=ACTIVATION, metavar="[NAME[:k=v,...]]...")
@click.option("--data", "data", type=INPUT_FILE, default="moons", show_default=True,
              metavar="NAME|FILE.csv|-", shell_complete=_choice_complete(DATA_NAMES),
              help="A built-in data set (moons, circles, spirals, xor, blobs, sine) or a CSV file.")
@click.option("--points", "-n", type=int, default=400, show_default=True,
              help="Points of a built-in data set (training and test together).")
@click.option("--classes", type=int, default=None, help="Classes of spirals or blobs  [default: 2, 3]")
@click.option("--label", type=str, default=None, help="The CSV column holding the labels.")
@click.option("--task", type=click.Choice(("binary", "multiclass", "regression"), case_sensitive=False),
              default=None, help="The task  [default: what the labels are]")
@click.option("--output", "output", type=str, default=None, metavar="NAME|softmax",
              help="Output activation  [default: as 'actviz recommend' advises]")
@click.option("--test-share", type=Number("--test-share"), default="0.25", show_default=True,
              help="Share of points held out.")
@click.option("--depth", "-d", type=int, default=3, show_default=True, help="Hidden layers.")
@click.option("--width", "-w", type=int, default=32, show_default=True, help="Units per hidden layer.")
@click.option("--steps", type=int, default=1000, show_default=True, help="Optimiser steps.")
@click.option("--lr", type=Number("--lr"), default="0.02", show_default=True, help="Learning rate.")
@click.option("--optimizer", type=click.Choice(("sgd", "adam"), case_sensitive=False), default="sgd",
              show_default=True, help="SGD with momentum, or Adam.")
@click.option("--momentum", type=Number("--momentum"), default="0.9", show_default=True,
              help="SGD momentum (0: plain SGD).")
@click.option("--batch", "-b", type=int, default=32, show_default=True,
              help="Rows per step; 0 for the whole training set.")
@click.option("--init", "init_text", type=str, default=None, metavar="he|glorot|lecun|normal:STD",
              shell_complete=_choice_complete(("he", "glorot", "lecun", "normal:")),
              help="Weight initialiser for every activation  [default: the one that suits each]")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed (data, weights, batches).")
@click.option("--seeds", type=int, default=1, show_default=True,
              help="Train with seeds SEED … SEED+N−1 (same data); show mean ± spread.")
@framework_option
@click.option("--plot", "-p", "plot_path", type=OUTPUT_FILE, default=None, metavar="FILE",
              help="Also draw loss curves, dead units, gradients and decision regions (.png, .svg, .pdf).")
@format_option()
@digits_option(help="Significant digits of losses and gradient ratios in the table (1–17; default 3: "
                    "they are measurements). JSON and CSV keep full precision.")
def command(names: tuple[str, ...], data: str, points: int, classes: int | None, label: str | None,
            task: str | None, output: str | None, test_share: float, depth: int, width: int, steps: int,
            lr: float, optimizer: str, momentum: float, batch: int, init_text: str | None, seed: int,
            seeds: int, framework: str, plot_path: str | None, fmt: str, digits: int | None = None) -> None:
    from actviz.api import train
    from actviz.flow.init import parse_init
    from actviz.train.data import DataError, DataUsageError

    acts = [activation(spec, framework) for spec in (names or DEFAULT_NAMES)]
    if output is not None:  # checked here for a usage error with a caret; the API parses it again
        output = "softmax" if output.strip().lower() == "softmax" else activation(output, framework).spec
    try:
        if init_text is not None:  # likewise: a bad --init is a usage error
            parse_init(init_text)
    except ValueError as exc:
        raise ActvizUsageError(str(exc)) from None
    if plot_path == "-":
        raise ActvizUsageError("--plot needs a file name (.png, .svg or .pdf): stdout carries the table")
    if plot_path is not None:
        figure_output(plot_path, "--plot")
    bar = _Bar(len(acts) * seeds * steps) if sys.stderr.isatty() else None
    try:
        result = train(acts, data=data, points=points if _given("points") else None, classes=classes,
                       label=label, task=task, output=output,
                       test_share=test_share, depth=depth, width=width,
                       steps=steps, lr=lr, optimizer=optimizer,
                       momentum=momentum if _given("momentum") else None,
                       batch=batch, init=init_text, seed=seed, seeds=seeds, framework=framework,
                       pictures=plot_path is not None, progress=bar)
    except DataUsageError as exc:
        raise ActvizUsageError(cli_message(exc)) from None
    except DataError as exc:  # a file that is missing or not a usable CSV
        raise ActvizError(cli_message(exc)) from None
    except ParamError as exc:  # out of range, or options that do not fit each other
        raise ActvizUsageError(cli_message(exc)) from None
    finally:
        if bar is not None:
            bar.close()
    if all(r.verdict.kind == "diverged" for r in result.results):
        first = min(step for r in result.results for step in r.diverged)
        hint = ("lower --lr" if first > 0 else
                "the activations overflow before training: use fewer layers or smaller weights (--init)")
        raise ActvizError(f"every run diverged: the loss stopped being finite (first at step {first})", hint)
    if plot_path is not None:
        from actviz.render.train_chart import draw

        draw(result, plot_path)
    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(result.to_dict()))
    elif fmt == "csv":
        from actviz.render.train_view import write_csv

        write_csv(result, sys.stdout)
    else:
        from actviz.render.train_view import print_report

        print_report(result, console(), digits)
    if plot_path is not None:
        say(f"Wrote {plot_path}")


def _given(name: str) -> bool:
    """Whether the option was on the command line (not its default)."""
    from click.core import ParameterSource

    return click.get_current_context().get_parameter_source(name) == ParameterSource.COMMANDLINE


class _Bar:
    """A rich progress bar on stderr, shown only once a run has taken more than a second."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, steps: int) -> None:
        self.done += steps
        if self.bar is None:
            if time.monotonic() - self.start < BAR_AFTER:
                return
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("training"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                                TimeRemainingColumn(), console=console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("training", total=self.total)
        self.bar.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
