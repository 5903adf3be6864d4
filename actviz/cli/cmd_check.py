"""``actviz check``: how accurate is an implementation of an activation? A ULP audit."""

from __future__ import annotations

import math

import click

from actviz.cli.common import (
    ACTIVATION,
    INPUT_FILE,
    OUTPUT_FILE,
    activation,
    console,
    digits_option,
    figure_output,
    format_option,
    framework_option,
    parse_number,
    say,
)
from actviz.cli.errors import ActvizUsageError, cli_message

HELP = """\
Audit an implementation of an activation against the exact values: the error in ULP of the target
dtype, where it is, and the tolerance a test would need.

\b
Examples:
  actviz check gelu --input x.npy --values y.npy                 f of an implementation
  actviz check gelu --input x.npy --values y.npy --grads g.npy   and its f′
  actviz check gelu -i x.npy --values y.npy --max-ulp 2          exit 1 if over: for a CI
  actviz check gelu -i x.npy --values y.npy --plot err.png -f json
  actviz check gelu:approximate=true --framework-run jax         run an installed framework
  actviz check tanh --framework-run all --dtype bfloat16         league table, all 65,536 inputs

\b
The dtype of --values is the target dtype (.npy float64, float32, float16, or bfloat16 as
ml_dtypes saves it; uint16 bit patterns with --dtype bfloat16; text files and '-' are decimal
numbers, rounded once into --dtype, default float64). The exact value is rounded once into the
target dtype. Reference: actviz's float64 f and f′ for float32 and narrower (their float64 error
is below 1e-6 ULP of float32); mpmath for float64 targets, on at most 10,000 values.

\b
Metrics: ulp = abs(got − exact)/ulp(exact), fractional (≤ 0.5 when correctly rounded);
distance = floats between got and the correctly rounded value (0 = correctly rounded), the
number glibc and CUDA tables give. --max-ulp limits the first; NaN or inf where the exact value
is not (or the other way round) always fails. Exit status: 0 within --max-ulp (or no limit),
1 over, 2 usage errors.

\b
--framework-run jax|torch|tensorflow|mlx|all calls the framework's function and its autodiff f′
on a hard grid for --dtype (default float32): every binade of both signs, subnormals, exp edges,
kinks and saturation edges ± a few ULP; all 65,536 inputs for float16 and bfloat16.
"""

DTYPES = ("float64", "float32", "float16", "bfloat16")


def parse_limit(token: str | None) -> float | None:
    if token is None:
        return None
    limit = parse_number(token, "--max-ulp")
    if not (limit >= 0) or math.isinf(limit):
        raise ActvizUsageError(f"--max-ulp must be a finite number ≥ 0, got {token}")
    return limit


@click.command("check", help=HELP, short_help="ULP audit of an implementation or a framework.")
@click.argument("spec", metavar="NAME[:k=v,...]", type=ACTIVATION)
@click.option("--input", "-i", "source", type=INPUT_FILE, metavar="FILE|-", default=None,
              help="The inputs x the implementation saw (.npy, .txt/.csv or '-').")
@click.option("--values", "values", type=INPUT_FILE, metavar="FILE|-", default=None,
              help="Its results f(x), as long as --input; their dtype is the target dtype.")
@click.option("--grads", "grads", type=INPUT_FILE, metavar="FILE|-", default=None,
              help="Its derivatives f′(x), as long as --input (optional).")
@click.option("--dtype", "dtype", type=click.Choice(DTYPES, case_sensitive=False), default=None,
              help="Target dtype of text values, of uint16 patterns, or of --framework-run (float32).")
@click.option("--framework-run", "framework_run", metavar="NAME", default=None,
              help="Run jax, torch, tensorflow, mlx (or all installed) on actviz's hard grid.")
@click.option("--max-ulp", "max_ulp", metavar="N", default=None,
              help="Exit with status 1 when the max ULP error (fractional) is above N.")
@click.option("--plot", "-p", "plot_path", type=OUTPUT_FILE, metavar="FILE", default=None,
              help="ULP error against x, by region (.png, .svg or .pdf).")
@framework_option(help="Parameter defaults and f′ at kinks of this framework (--framework-run sets it).")
@format_option(("table", "json"))
@digits_option(help="Significant digits of the worst inputs' x, got and exact in tables (1–17; "
                    "default: enough to identify a number of the target dtype). JSON keeps every digit.")
@click.pass_context
def command(ctx: click.Context, spec: str, source: str | None, values: str | None, grads: str | None,
            dtype: str | None, framework_run: str | None, max_ulp: str | None, plot_path: str | None,
            framework: str, fmt: str, digits: int | None = None) -> None:
    from actviz.api import check
    from actviz.check.arrays import WrongArray
    from actviz.check.frameworks import FrameworkMissing, Unsupported

    limit = parse_limit(max_ulp)
    if plot_path is not None:
        figure_output(plot_path, "--plot")
    act = activation(spec, framework)  # a bad name or formula: a usage error, with its caret
    if framework_run is not None and (values is not None or grads is not None):
        raise ActvizUsageError("--framework-run computes the values itself: drop --values and --grads")
    if framework_run is None and (source is None or values is None):
        raise ActvizUsageError("give --input and --values (and optionally --grads), or --framework-run")
    try:
        if framework_run is not None:
            inputs = _framework_inputs(source, dtype)
            report = check(spec, inputs, framework_run=framework_run, dtype=dtype, max_ulp=limit)
        else:
            x, y, g = _load_files(source, values, grads, dtype)
            report = check(act, x, y, grads=g, dtype=dtype, max_ulp=limit)
    except (WrongArray, FrameworkMissing, Unsupported) as exc:
        raise ActvizUsageError(cli_message(exc)) from None
    for line in report.skipped:
        say(f"note: {line}")

    if fmt == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(report.to_dict()))
    else:
        from actviz.render.check_view import render

        render(console(), list(report.results), report.league, digits=digits)
    if plot_path is not None:
        from actviz.render.check_chart import write_chart

        write_chart(list(report.results), plot_path)
        say(f"Wrote {plot_path}")
    if not report.passed:
        ctx.exit(1)


def _load_files(source: str, values: str, grads: str | None, dtype: str | None):
    """The three arrays, from files or one of them from stdin ('-')."""
    from actviz.check.arrays import load

    target = _target(dtype)
    stdin_users = [s for s in (source, values, grads) if s == "-"]
    if len(stdin_users) > 1:
        raise ActvizUsageError("only one of --input, --values and --grads can read stdin ('-')")
    stdin_text = click.get_text_stream("stdin").read() if stdin_users else None
    x = load(source, "x", target, stdin_text if source == "-" else None, strict=False)
    y = load(values, "values", target, stdin_text if values == "-" else None)
    g = load(grads, "grads", y.fmt, stdin_text if grads == "-" else None) if grads else None
    return x, y, g


def _framework_inputs(source: str | None, dtype: str | None):
    """--input for --framework-run: None (the hard grid) or the array, in --dtype (float32)."""
    if source is None:
        return None
    from actviz.check.arrays import load
    from actviz.core import ulp as u

    return load(source, "x", _target(dtype) or u.FLOAT32)


def _target(dtype: str | None):
    from actviz.core import ulp as u

    return u.format_named(dtype) if dtype else None
