"""``check --plot``: the ULP error against x, coloured by region, with the function drawn faintly
behind (PNG, SVG or PDF).

One panel per quantity (f, f′) and result. Errors are on a log scale; an error of 0 is drawn at
``FLOOR``. x is on a symmetric log scale when the inputs span many binades. The worst points are
ringed. Matplotlib is imported inside :func:`figure` only; the file is saved by
:mod:`actviz.render.figure_file` (atomic, same bytes for the same input). No math here: every
number comes from the :class:`~actviz.check.model.CheckResult`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actviz.check.model import REGIONS, CheckResult
from actviz.core.numtext import number, percent

FLOOR = 1e-3  # where errors of 0 are drawn
MAX_PANELS = 8
COLOURS = {"negative tail": "C0", "centre": "C2", "positive tail": "C1", "subnormal": "C4", "±0": "C7",
           "±inf": "C5", "NaN": "C6", "kinks": "C3"}
NAMES = {"f": "f", "df": "f′"}


def _symlog(ax: Any, largest: float) -> None:
    """A symmetric log x axis, linear on [−1, 1], with at most 5 decades labelled per side."""
    ax.set_xscale("symlog", linthresh=1.0)
    top = int(np.floor(np.log10(largest)))
    exps = np.unique(np.linspace(0, top, 5).round().astype(int))[1:]  # ±1e0 would crowd the 0
    ticks = [-(10.0 ** e) for e in exps[::-1]] + [0.0] + [10.0 ** e for e in exps]
    ax.set_xticks(ticks, [f"−1e{e}" for e in exps[::-1]] + ["0"] + [f"1e{e}" for e in exps])
    ax.minorticks_off()


def _panel(ax: Any, result: CheckResult, quantity: str) -> None:
    s = result.samples[quantity]
    q = next(q for q in result.quantities if q.quantity == quantity)
    finite = np.isfinite(s.x)
    x, err, code, exact = s.x[finite], s.ulp[finite], s.region[finite], s.exact[finite]
    spread = np.abs(x[x != 0]) if x.size else np.zeros(0)
    if spread.size and spread.max() > 1e4:
        _symlog(ax, float(spread.max()))
    behind = ax.twinx()
    order = np.argsort(x)
    shown = np.isfinite(exact[order])
    behind.plot(x[order][shown], exact[order][shown], color="0.6", lw=1.0, alpha=0.35, zorder=0)
    behind.set_ylabel(f"{NAMES[quantity]}(x)", color="0.5")
    behind.tick_params(axis="y", colors="0.5")
    ax.set_zorder(behind.get_zorder() + 1)
    ax.patch.set_visible(False)
    for r, name in enumerate(REGIONS):
        m = code == r
        if m.any():
            ax.scatter(x[m], np.maximum(err[m], FLOOR), s=3, color=COLOURS[name], label=name,
                       linewidths=0, rasterized=x.size > 5000)
    worst = [w for w in q.worst if np.isfinite(w.x)]
    if worst:
        ax.scatter([w.x for w in worst], [max(w.ulp, FLOOR) for w in worst], s=40, facecolors="none",
                   edgecolors="k", linewidths=0.8, label="worst")
    ax.set_yscale("log")
    ax.set_ylabel("error (ulp of the exact value)")
    ax.set_xlabel("x")
    if result.max_ulp is not None:
        ax.axhline(max(result.max_ulp, FLOOR), color="C3", lw=0.8, ls="--",
                   label=f"--max-ulp {number(result.max_ulp)}")
    ax.axhline(0.5, color="0.3", lw=0.6, ls=":", label="0.5 (correctly rounded)")
    ax.grid(alpha=0.3, which="major")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.1, 1.0), markerscale=2)
    impl = result.implementation.split(":")[0]
    ax.set_title(f"{NAMES[quantity]} of {result.label} in {result.dtype} ({impl}): "
                 f"max {number(q.max_ulp, 3)} ulp, {percent(q.correctly_rounded, 1)} correctly rounded",
                 fontsize=9, loc="left")


def figure(results: list[CheckResult], ax: Any = None) -> Any:
    """The ULP error against x, one panel per result and quantity: a new Figure, or drawn into
    ``ax`` (one Axes per panel, as many as the panels)."""
    panels = [(r, q.quantity) for r in results for q in r.quantities][:MAX_PANELS]
    if ax is not None:
        axes = list(ax) if isinstance(ax, (list, tuple)) else [ax]
        if len(axes) != len(panels):
            raise ValueError(f"the picture has {len(panels)} panels: give as many Axes, got {len(axes)}")
        for one, (result, quantity) in zip(axes, panels, strict=True):
            _panel(one, result, quantity)
        return ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9.5, 3.2 * len(panels) + 0.4), dpi=120, layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for one, (result, quantity) in zip(axes, panels, strict=True):
        _panel(one, result, quantity)
    return fig


def write_chart(results: list[CheckResult], path: str) -> None:
    """Draw the panels and write them to ``path`` atomically."""
    from actviz.render.figure_file import format_of, save_to_file

    save_to_file(figure(results), path, format_of(path) or "png")
