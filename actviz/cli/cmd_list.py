"""``actviz list``: the catalog as a table, JSON or CSV."""

from __future__ import annotations

import csv
import sys

import click

from actviz.cli.common import console, digits_option, format_option, framework_option


@click.command(
    "list",
    epilog="""\b
Examples:
  actviz list
  actviz list --framework pytorch        defaults as PyTorch has them
  actviz list --digits 8                 sup|f′| to 8 significant digits (default 4)
  actviz list --format json | jq '.[].name'
  actviz list --format csv > catalog.csv""",
)
@framework_option
@format_option()
@digits_option(help="Significant digits of sup|f′| in the table (1–17; default 4, a compact "
                    "overview; info shows every digit). JSON and CSV keep full precision.")
def command(framework: str, fmt: str, digits: int | None = None) -> None:
    """List every activation in the catalog: aliases, parameters, range and key properties; then
    the vector entries (softmax, sparsemax, ...) and the gated ones (glu, swiglu, ...) with their
    gate half and the models that use them."""
    from actviz.api import Catalog

    report = Catalog(framework)
    rows = report.rows()
    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(report.to_dict()))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["name", "aliases", "params", "range", "monotonic", "zero_centred",
                         "smoothness", "saturates", "sup_abs_grad", "kind"])
        for r in rows:
            sup = "" if r["sup_abs_grad"] is None else repr(r["sup_abs_grad"])  # vector/gated: none
            writer.writerow([
                r["name"], " ".join(r["aliases"]),
                " ".join(f"{k}={v}" for k, v in r["params"].items()), r["range"],
                "" if r["monotonic"] is None else r["monotonic"],
                "" if r["zero_centred"] is None else r["zero_centred"], r["smoothness"],
                " ".join(r["saturates"]), sup, r["kind"],
            ])
    else:
        from actviz.render.catalog_view import render_list

        render_list(rows, console(), digits)
