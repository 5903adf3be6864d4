"""``actviz info NAME[:k=v,...]``: everything the catalog knows about one activation."""

from __future__ import annotations

import click

from actviz.cli.common import (
    ACTIVATION,
    activation,
    console,
    format_option,
    framework_option,
    threshold_option,
)


@click.command(
    "info",
    epilog="""\b
Examples:
  actviz info gelu
  actviz info leaky_relu:alpha=0.1
  actviz info swiglu                     gated: which half gates, per framework
  actviz info sparsemax -f json          vector: axis, Jacobian, conventions
  actviz info elu --framework pytorch    kink values as PyTorch's autodiff gives them
  actviz info sigmoid --threshold 0.001 --format json""",
)
@click.argument("spec", type=ACTIVATION)
@framework_option
@threshold_option
@format_option(("table", "json"))
def command(spec: str, framework: str, threshold: float, fmt: str) -> None:
    """Formulas for f, f′ and f″, parameters, properties, kinks with both one-sided derivatives
    and each framework's value there, saturation regions, and a description."""
    from actviz.api import Info

    act = activation(spec, framework, elementwise=False)
    if getattr(act, "kind", "elementwise") != "elementwise":  # a vector or gated entry
        from actviz.catalog.describe_vector import structured_document

        doc = structured_document(act)
        if fmt == "json":
            from actviz.render.jsonout import dumps

            click.echo(dumps(doc))
        else:
            from actviz.render.catalog_view import render_structured_info

            render_structured_info(doc, console())
        return
    report = Info(act, threshold)
    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(report.to_dict()))
    else:
        from actviz.render.catalog_view import render_info

        render_info(report.document(), console())
