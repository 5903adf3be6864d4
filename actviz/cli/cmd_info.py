"""``actviz info NAME[:k=v,...]``: everything the catalog knows about one activation."""

from __future__ import annotations

import click

from actviz.cli.common import (
    ACTIVATION,
    OUTPUT_FILE,
    activation,
    console,
    digits_option,
    figure_output,
    format_option,
    framework_option,
    say,
    threshold_option,
)
from actviz.cli.errors import ActvizUsageError


@click.command(
    "info",
    epilog="""\b
Examples:
  actviz info gelu
  actviz info leaky_relu:alpha=0.1
  actviz info swiglu                     gated: which half gates, per framework
  actviz info sparsemax -f json          vector: axis, Jacobian, conventions
  actviz info elu --framework pytorch    kink values as PyTorch's autodiff gives them
  actviz info selu --digits 6            parameters and bounds to 6 significant digits
  actviz info sigmoid --threshold 0.001 --format json
  actviz info "x*sigmoid(b*x); b=1.702"   a formula with a parameter (README: Formulas)
  actviz info "log(1+exp(x))" --accuracy  ULP error of the formula as written, and its stable form
  actviz info "exp(x)-1" --accuracy --plot err.png""",
)
@click.argument("spec", type=ACTIVATION)
@framework_option
@threshold_option
@click.option("--accuracy", is_flag=True,
              help="For a formula: its ULP error in float64 and float32 as written and in actviz, by region.")
@click.option("--plot", "-p", "plot_path", type=OUTPUT_FILE, default=None, metavar="FILE",
              help="With --accuracy: also draw the error against x (.png, .svg or .pdf).")
@format_option(("table", "json"))
@digits_option
def command(spec: str, framework: str, threshold: float, accuracy: bool, plot_path: str | None,
            fmt: str, digits: int | None = None) -> None:
    """Formulas for f, f′ and f″, parameters, properties, kinks with both one-sided derivatives
    and each framework's value there, saturation regions, and a description. Numbers are shown in
    full (the shortest text that reads back as the same float64, as derive shows them); --digits N
    rounds them to N significant digits."""
    from actviz.api import Info

    act = activation(spec, framework, elementwise=False)
    if plot_path is not None and not accuracy:
        raise ActvizUsageError("--plot needs --accuracy")
    if accuracy:
        _accuracy(act, plot_path, fmt)
        return
    if getattr(act, "kind", "elementwise") != "elementwise":  # a vector or gated entry
        from actviz.catalog.describe_vector import structured_document

        doc = structured_document(act)
        if fmt == "json":
            from actviz.render.jsonout import dumps

            click.echo(dumps(doc))
        else:
            from actviz.render.catalog_view import render_structured_info

            render_structured_info(doc, console(), digits)
        return
    report = Info(act, threshold)
    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(report.to_dict()))
    else:
        from actviz.render.catalog_view import render_info

        render_info(report.document(), console(), digits)


def _accuracy(act, plot_path: str | None, fmt: str) -> None:
    from actviz.expr.activation import ExprActivation

    if not isinstance(act, ExprActivation):
        raise ActvizUsageError(f"--accuracy is for formulas; '{act.name}' is a catalog activation "
                               "(its accuracy is in README's Accuracy section)")
    plot_fmt = figure_output(plot_path, "--plot") if plot_path is not None else None
    from actviz.expr.accuracy import measure, to_json

    report = measure(act)
    if plot_path is not None and plot_fmt is not None:
        from actviz.render.accuracy_chart import draw

        draw(report, plot_path, plot_fmt)
    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(to_json(report)))
    else:
        from actviz.render.accuracy_view import render

        render(console(), report)
    if plot_path is not None:
        say(f"Wrote {plot_path}")
