"""``actviz plot``: activations and their derivatives as PNG, SVG, PDF or in the terminal.

This module checks the command line (before any work), asks :mod:`actviz.scene` to
sample the catalog into a Scene and hands it to the Matplotlib figure or the terminal renderer.
Files are written atomically; one line on stderr says what was written.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import sys

import click

from actviz.cli.common import (
    ACTIVATION,
    OUTPUT_FILE,
    Number,
    Range,
    activation,
    check_grid,
    figure_output,
    framework_option,
    say,
    threshold_option,
)
from actviz.cli.errors import ActvizUsageError
from actviz.core.numtext import number
from actviz.plot_defaults import (  # no NumPy or Matplotlib yet (shell completion)
    DEFAULT_DPI,
    DEFAULT_POINTS,
    DEFAULT_SIZE,
    DEFAULT_XLIM,
    DPI_RANGE,
    LAYOUTS,
    LEGENDS,
    MAX_ACTIVATIONS,
    MAX_PIXELS,
    MAX_POINTS,
    SIZE_RANGE,
)

HELP = """\
Plot activations and their derivatives: PNG, SVG, PDF or the terminal.

Several NAMEs (at most 8: one colour each) share one axes, each in its own colour: f solid,
f′ dashed (--grad), f″ dotted (--grad2); f′ is drawn over f, so relu′ = relu = 0 stays
visible. --layout stacked puts f′ (and f″) on their own axes below f; --layout grid draws one
small panel per NAME; --legend moves the legend (below, right, inside) or drops it (none).
Without --size the figure grows with its legend, notes and panels. --gallery draws every
activation of the catalog as a grid of panels with f and f′ (for slides and posters).

With --grad, regions where abs(f′) < --threshold are shaded, hatched where f′ is exactly 0
(dead). At a kink the value your --framework returns for f′ is a filled dot, the
other one-sided limit an open one; lines never jump vertically across a kink. A curve that
runs away (exponential) is clipped with a note instead of flattening the others.

The format comes from the -o extension (.png, .svg, .pdf); without -o the file is
NAMES[_grad].png in the current folder (parameters off their defaults are in the name:
gelu_approximate-true.png), and '-o -' writes PNG bytes to stdout. The same
command always writes the same bytes.

\b
Examples:
  actviz plot relu --grad                      relu and relu′ → relu_grad.png
  actviz plot sigmoid tanh --grad -o sat.svg   two functions, saturation shaded
  actviz plot leaky_relu:alpha=0.01 --grad -F pytorch
  actviz plot gelu silu mish --xlim -4 3 --grad2 -o smooth.pdf
  actviz plot relu gelu silu mish --grad --layout grid -o panels.png   one panel each
  actviz plot sigmoid tanh --grad --layout stacked -o stacked.png     f′ on its own axes
  actviz plot relu elu selu --grad --legend right -o right.png
  actviz plot --gallery -o gallery.png         the whole catalog, f and f′, one panel each
  actviz plot exponential relu --ylim -1 5     fix the y-range yourself
  actviz plot elu --grad --theme dark --size 8 5 --dpi 200 -o elu.png
  actviz plot tanh --grad --terminal           braille plot, no file (--ascii: plain ASCII)
  actviz plot relu -o - > relu.png             PNG bytes to stdout
  actviz plot "x*sigmoid(1.702*x)" gelu --grad -o quick.png   a formula beside a catalog entry
"""


def _points(value: int) -> int:
    if not 2 <= value <= MAX_POINTS:
        raise ActvizUsageError(f"--points must be between 2 and {MAX_POINTS:,} (got {value})")
    return value


def _size(pair: tuple[float, float] | None) -> tuple[float, float]:
    if pair is None:
        return DEFAULT_SIZE
    lo, hi = SIZE_RANGE
    for v in pair:
        if not (math.isfinite(v) and lo <= v <= hi):
            raise ActvizUsageError(f"--size takes width and height in inches, each from {lo:g} to {hi:g}; "
                                   f"got {number(v)}")
    return pair[0], pair[1]


def _dpi(value: int) -> int:
    lo, hi = DPI_RANGE
    if not lo <= value <= hi:
        raise ActvizUsageError(f"--dpi must be between {lo} and {hi} (got {value})")
    return value


def default_name(acts: list, grad: bool, grad2: bool) -> str:
    """``relu_grad.png``, ``sigmoid_tanh.png``, ``gelu_grad_grad2.png``; parameters away from
    the framework's defaults are part of the name (``gelu_approximate-true.png``), so plotting
    ``gelu`` and ``gelu:approximate=true`` writes two files."""
    suffix = ("_grad" if grad else "") + ("_grad2" if grad2 else "")
    return "_".join(_name_part(a) for a in acts) + suffix + ".png"


def _name_part(act) -> str:
    """``leaky_relu_alpha-0.1``: the name, then each non-default parameter as ``name-value``."""
    parts = [act.name]
    for p in getattr(act.definition, "params", ()):
        value = act.params.get(p.name)
        if value is not None and value != p.default_for(act.framework):
            text = ("true" if value else "false") if isinstance(value, bool) else repr(value)
            text = text.removesuffix(".0") if isinstance(value, float) else text
            parts.append(f"{p.name}-{re.sub(r'[^A-Za-z0-9.+-]', '-', text)}")
    return "_".join(parts)


@click.command("plot", help=HELP, short_help="Plot activations and derivatives.")
@click.argument("names", nargs=-1, type=ACTIVATION, metavar="NAME[:k=v,...]...")
@click.option("--grad", "-g", is_flag=True, help="Also draw f′ (dashed) and shade where it vanishes.")
@click.option("--grad2", is_flag=True, help="Also draw f″ (dotted).")
@click.option("--order", type=click.IntRange(1, 2), default=None, hidden=True,
              help="derive's spelling: 1 is --grad, 2 is --grad --grad2.")
@click.option("--xlim", type=Range(drawable=True), metavar="MIN MAX", help="x-range  [default: -10 10]")
@click.option("--ylim", type=Range(drawable=True), metavar="MIN MAX",
              help="y-range  [default: fit, clip runaways]")
@click.option("--points", "-n", type=int, default=DEFAULT_POINTS, show_default=True,
              help=f"Samples across the x-range (kinks are added exactly), at most {MAX_POINTS:,}.")
@click.option("--output", "-o", type=OUTPUT_FILE, metavar="FILE",
              help="Output file (.png, .svg, .pdf), '-' for PNG on stdout.  [default: NAMES[_grad].png]")
@click.option("--dpi", type=int, default=DEFAULT_DPI, show_default=True, help="Pixels per inch.")
@click.option("--size", nargs=2, type=Number("--size"), metavar="W H",
              help="Figure size in inches.  [default: {:g} {:g}]".format(*DEFAULT_SIZE))
@click.option("--title", type=str, help="Title text ('' for none).  [default: the formula, one NAME]")
@framework_option
@click.option("--theme", type=click.Choice(["light", "dark"], case_sensitive=False), default="light",
              show_default=True, help="Colours for a light or dark page.")
@threshold_option
@click.option("--no-shade", is_flag=True, help="Do not shade saturation regions.")
@click.option("--layout", type=click.Choice(LAYOUTS, case_sensitive=False), default="overlay",
              show_default=True,
              help="overlay: one axes; stacked: f′ and f″ on their own axes below f; grid: a panel per NAME.")
@click.option("--legend", type=click.Choice(LEGENDS, case_sensitive=False), default="below",
              show_default=True, help="Where the legend goes; none leaves it out.")
@click.option("--gallery", is_flag=True,
              help="Every activation of the catalog, f and f′, a panel each (no NAMEs).  "
                   "[default file: gallery.png]")
@click.option("--terminal", "-T", is_flag=True, help="Draw in the terminal (Unicode braille); no file.")
@click.option("--ascii", "ascii_only", is_flag=True, help="With --terminal: plain ASCII characters only.")
def command(
    names: tuple[str, ...],
    grad: bool,
    grad2: bool,
    order: int | None,
    xlim: tuple[float, float] | None,
    ylim: tuple[float, float] | None,
    points: int,
    output: str | None,
    dpi: int,
    size: tuple[str, str] | None,
    title: str | None,
    framework: str,
    theme: str,
    threshold: float,
    no_shade: bool,
    layout: str,
    legend: str,
    gallery: bool,
    terminal: bool,
    ascii_only: bool,
) -> None:
    # Every check first, so bad input fails fast and nothing is computed or written.
    terminal = terminal or ascii_only
    layout, legend = layout.lower(), legend.lower()
    if gallery and names:
        raise ActvizUsageError("--gallery draws the whole catalog; give no NAMEs")
    if not gallery and not names:
        raise click.UsageError("Missing argument 'NAME[:k=v,...]...' (or --gallery for the whole catalog).",
                               ctx=click.get_current_context())
    if terminal and (gallery or layout != "overlay"):
        raise ActvizUsageError("--terminal draws one overlay; --layout and --gallery are for files")
    grad, grad2 = grad or (order or 0) >= 1, grad2 or order == 2
    x_range = xlim or DEFAULT_XLIM
    y_range = ylim
    n_points = _points(points)
    check_grid(x_range, n_points)  # never fewer points than asked
    t = threshold
    fig_size, fig_dpi = (None if size is None else _size(size)), _dpi(dpi)
    if len(names) > MAX_ACTIVATIONS:
        raise ActvizUsageError(f"at most {MAX_ACTIVATIONS} activations in one plot (got {len(names)}); "
                               "--gallery draws them all")
    if terminal and output is not None:
        raise ActvizUsageError("--terminal draws in the terminal and writes no file; drop -o")
    if gallery:
        from actviz.scene import gallery_activations

        acts = gallery_activations(framework)
        grad, layout = True, "grid"
    else:
        acts = [activation(spec, framework) for spec in names]
    for act in acts:
        if getattr(act, "unit", None) is not None:  # a gated unit, drawn against its gate
            say(f"note: {act.note()}")
    fmt = "png"
    if not terminal:
        output = output or ("gallery.png" if gallery else default_name(acts, grad, grad2))
        if output == "-" and sys.stdout.isatty():
            raise ActvizUsageError("refusing to write PNG bytes to a terminal; redirect or use -o FILE")
        fmt = figure_output(output, "-o", stdout=True)

    from actviz.scene import build_scene

    orders = [0] + ([1] if grad else []) + ([2] if grad2 else [])
    scene = build_scene(acts, orders, xlim=x_range, ylim=y_range, points=n_points, threshold=t,
                        shade=grad and not no_shade)
    if terminal:
        _draw_terminal(scene, ascii_only, title)
        return
    assert output is not None
    if gallery and title is None:
        title = f"actviz: every activation, f (solid) and f′ (dashed), {scene.framework} conventions"
    options = {"size": fig_size, "dpi": fig_dpi, "title": title, "layout": layout, "legend": legend,
               "compact": gallery}
    _draw_file(scene, output, fmt, theme.lower(), options)


def _draw_terminal(scene, ascii_only: bool, title: str | None) -> None:
    from actviz.cli.common import color_enabled, console
    from actviz.render import terminal

    cols, rows = shutil.get_terminal_size((80, 24))
    lines = terminal.render(scene, terminal.plot_size(cols, rows, scene), ascii_only=ascii_only, title=title,
                            labels=not color_enabled())  # without colour, keys on the curves
    terminal.show(lines, console())


def _draw_file(scene, output: str, fmt: str, theme: str, options: dict) -> None:
    """Check the figure's size (it can grow with its content) before drawing, then draw and write."""
    from actviz.render import figure, figure_frame

    title = options["title"]
    if title is None:
        title = scene.acts[0].formula.text if len(scene.acts) == 1 else ""
    try:
        fr = figure_frame.frame(scene, size=options["size"], layout=options["layout"],
                                legend=options["legend"], title=title, compact=options["compact"])
    except figure.FigureTooSmall as exc:
        raise ActvizUsageError(str(exc)) from None
    if fmt == "png":
        w, h = (round(v * options["dpi"]) for v in (fr.width, fr.height))
        if w * h > MAX_PIXELS:
            raise ActvizUsageError(f"{w}×{h} px is too large (at most {MAX_PIXELS // 10**6} megapixels); "
                                   "lower --dpi or --size")
    kind = fmt.upper() + ("" if fmt == "png" else f", {fr.width:g}×{fr.height:g} in")
    _write_figure(scene, output, fmt, kind, {**options, "theme": figure.THEMES[theme]})


def _write_figure(scene, output: str, fmt: str, kind: str, options: dict) -> None:
    from actviz.render import figure
    from actviz.render.atomic import atomic_write

    if output == "-":
        buffer = io.BytesIO()
        w, h = figure.render(scene, buffer, fmt, **options)
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.buffer.flush()
        say(f"Wrote {kind} to stdout ({w}×{h} px)")
        return
    with atomic_write(output) as fh:
        w, h = figure.render(scene, fh, fmt, **options)
    say(f"Wrote {output} ({kind}, {w}×{h} px)")
