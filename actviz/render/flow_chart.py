"""The ``actviz flow --plot`` figure: gradient norm and activation std against depth.

Left panel: ‖δ_l‖/‖δ_L‖ per layer for every activation, on a log scale (drawn from the exact
log10 values the simulation reports, so ratios far below 1e−308 still show), with the verdict
thresholds as dashed lines. Right panel: the std of each layer's activations.

No math here beyond placing points: every number comes from the simulation. Matplotlib is
imported inside the functions only; the file is saved by :mod:`actviz.render.figure_file`
(atomic, same bytes for the same input).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from actviz.core.numtext import number

if TYPE_CHECKING:
    from actviz.flow.report import FlowReport

_LINESTYLES = ("-", "--", "-.", ":")
GRAD_LABEL = r"$\Vert\delta_l\Vert\ /\ \Vert\delta_L\Vert$ (log scale)"  # mathtext: real subscripts


def figure(report: FlowReport, ax: Any = None) -> Any:
    """The two-panel Figure (object API, no pyplot state), or the panels drawn into ``ax``, a pair
    of Axes (gradient, std); returns the Figure."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from actviz.flow.verdict import EXPLODING_ABOVE, VANISHING_BELOW

    config, results = report.config, report.results
    vanishing_log10, exploding_log10 = math.log10(VANISHING_BELOW), math.log10(EXPLODING_ABOVE)
    if ax is None:
        from actviz.render.mpl_figure import Figure

        fig = Figure(figsize=(11.0, 4.6), dpi=100, layout="constrained")
        ax_grad, ax_std = fig.subplots(1, 2)
    else:
        if len(ax) != 2:
            raise ValueError(f"ax: the flow figure needs two Axes (gradient, std), got {len(ax)}")
        ax_grad, ax_std = ax
        fig = ax_grad.figure
    marker = "o" if config.depth <= 30 else None
    low, high = -1.0, 1.0
    stds: list[float] = []
    for i, r in enumerate(results):
        layers = [s.layer for s in r.layers]
        grad = [s.grad_log10 if math.isfinite(s.grad_log10) else math.nan for s in r.layers]
        std = [s.act_std if math.isfinite(s.act_std) else math.nan for s in r.layers]
        label = f"{r.act.label} · {r.init.init.spec}"
        style = {"linestyle": _LINESTYLES[(i // 10) % len(_LINESTYLES)], "marker": marker,
                 "markersize": 3, "color": f"C{i % 10}"}
        ax_grad.plot(layers, grad, label=label, **style)
        ax_std.plot(layers, std, label=label, **style)
        finite = [g for g in grad if not math.isnan(g)]
        if finite:
            low, high = min(low, *finite), max(high, *finite)
        stds += [v for v in std if not math.isnan(v)]

    # Both verdict thresholds are always in view, each a labelled guide line.
    low, high = min(low, vanishing_log10 - 0.5), max(high, exploding_log10 + 0.5)
    for y, text in ((vanishing_log10, f"vanishing below {VANISHING_BELOW:g}"),
                    (exploding_log10, f"exploding above {EXPLODING_ABOVE:g}")):
        ax_grad.axhline(y, color="0.5", linewidth=0.8, linestyle=":", gid=f"guide-{text.split()[0]}")
        ax_grad.annotate(text, (0.01, y), xycoords=("axes fraction", "data"), ha="left",
                         va="top" if y < 0 else "bottom", fontsize=8, color="0.4")
    ax_grad.set_ylim(low - 0.3, high + 0.3)
    ax_grad.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax_grad.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$"))
    ax_grad.set_title("gradient reaching each layer, relative to the last", fontsize=10)
    ax_grad.set_ylabel(GRAD_LABEL)

    positive = [v for v in stds if v > 0]
    if positive and max(positive) / min(positive) > 50:
        ax_std.set_yscale("log")
    elif positive:
        ax_std.set_ylim(bottom=0)  # small wiggles must not look like big changes
    ax_std.set_title("activation std per layer", fontsize=10)
    ax_std.set_ylabel("std of f(z)")
    for panel in (ax_grad, ax_std):
        panel.set_xlabel("layer")
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
        panel.grid(True, alpha=0.3)
    ax_std.legend(fontsize=8, loc="best")
    if ax is None:  # a user's own figure keeps its title
        fig.suptitle(
            f"{config.depth} layers × {config.width} units, batch {config.batch}, seed {config.seed}, "
            f"input std {number(config.input_std)}, bias {number(config.bias)}",
            fontsize=11,
        )
    return fig


def draw(report: FlowReport, path: str) -> None:
    """Build the figure for ``report`` and write it to ``path``."""
    from actviz.render.figure_file import format_of, save_to_file

    save_to_file(figure(report), path, format_of(path))
