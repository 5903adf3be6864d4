"""``derive --input … --plot FILE``: the inputs' histogram under f and f′, regions shaded.

One array, or up to ``MAX_PANELS``: one panel per array (one row each), with the histogram of x
(grey steps on their own y axis, log-scaled when the tallest bin is over 100× the smallest), f
(solid) and f′ (dashed) in the first colour of ``actviz plot``, the saturation regions shaded in
its style (dead regions hatched) and each region's share of the values written on it. More
arrays: a heat strip, one row per array (darker = more values, log scale), the region ends as
lines and each row's saturated share at its right, so the saturating layers stand out at once.

The x window holds the 0.1 %–99.9 % quantiles of all values (from the summary's x histogram) and
the nearby region ends; values outside it are counted in a note. Matplotlib is imported inside
the functions; the same summary always gives the same bytes (:mod:`actviz.render.figure_file`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actviz.core.numtext import count, percent
from actviz.render.figure import FONT, LIGHT, LINESTYLES, Theme, style
from actviz.summary import ArraySummary, InputSummary, XHistogram

MAX_PANELS = 6  # more arrays than this: one heat strip row per array
BINS = 120
WIDTH_IN, PANEL_IN, DPI = 7.2, 2.3, 120
LOG_RATIO = 100.0  # tallest / smallest non-empty bin above this: log-scaled counts


def window(s: InputSummary) -> tuple[float, float]:
    """The x range drawn: the bulk of the values and the region ends near it."""
    h = s.total.histogram
    if h is None or not h.counts.size:
        return (-6.0, 6.0)
    lo, hi = _quantile(h, 0.001), _quantile(h, 0.999)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = -6.0, 6.0
    reach = 4 * max(abs(lo), abs(hi), 1.0)
    ends = [e for r in s.regions for e in (r.start, r.end) if math.isfinite(e) and abs(e) <= reach]
    lo, hi = min([lo, *ends]), max([hi, *ends])
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.04 * (hi - lo)
    return (lo - pad, hi + pad)


def _quantile(h: XHistogram, q: float) -> float:
    cum = np.cumsum(h.counts)
    b = int(np.searchsorted(cum, max(1.0, q * cum[-1])))
    b = min(b, cum.size - 1)
    return float(h.lo[b] if q < 0.5 else h.hi[b])


def write(s: InputSummary, path: str, fmt: str, theme: Theme = LIGHT) -> None:
    """Draw ``s`` and write it to ``path`` atomically."""
    from actviz.render.figure_file import save_to_file

    with style(theme):
        fig = draw(s, theme)
        save_to_file(fig, path, fmt)


def draw(s: InputSummary, theme: Theme = LIGHT) -> Any:
    """The figure (call inside :func:`actviz.render.figure.style`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    arrays = [a for a in s.arrays if a.histogram is not None] if len(s.arrays) > 1 else list(s.arrays)
    xlim = window(s)
    if len(arrays) > MAX_PANELS:
        height = 1.3 + 0.22 * len(arrays)
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        FigureCanvasAgg(fig)
        _heat_strip(fig, s, arrays, xlim, theme, height)
        return fig
    height = 0.9 + PANEL_IN * len(arrays)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.62 / WIDTH_IN, right=1 - 0.75 / WIDTH_IN, bottom=0.5 / height,
                        top=1 - 0.45 / height, hspace=0.45)
    axes = fig.subplots(len(arrays), 1, sharex=True, squeeze=False)[:, 0]
    for ax, a in zip(axes, arrays, strict=True):
        _panel(ax, s, a, xlim, theme, titled=len(arrays) > 1)
    axes[-1].set_xlabel("x (pre-activation)")
    fig.text(0.5, 1 - 0.12 / height, f"{s.source} through {s.act.label}: {s.act.formula.text}",
             ha="center", va="top", fontsize=FONT["title"] - 1, color=theme.foreground)
    return fig


def _shares(s: InputSummary, a: ArraySummary) -> list[tuple[float, float, str, str]]:
    """(start, end, kind, text) for each region and the active part: the region's share of ``a``."""
    out = []
    sides = {side: a.side_fraction(side) for side in ("low", "middle", "high")}
    for r in s.regions:
        side = "low" if r.start == -math.inf else "high" if r.end == math.inf else "middle"
        share = sides[side]
        out.append((r.start, r.end, r.kind, f"{r.label}\n{_pct(share)}"))
    return out


def _pct(v: float | None) -> str:
    if v is None:
        return "—"
    return percent(v, 1)


def _panel(ax: Any, s: InputSummary, a: ArraySummary, xlim: tuple[float, float], theme: Theme,
           titled: bool) -> None:
    from matplotlib.colors import to_rgba

    color = theme.palette[0]
    ax.set_xlim(*xlim)
    ax.grid(True, color=theme.grid, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top",):
        ax.spines[side].set_visible(False)
    hist_ax = ax.twinx()
    hist_ax.set_zorder(ax.get_zorder() - 1)
    ax.patch.set_visible(False)
    edges = np.linspace(*xlim, BINS + 1)
    if a.histogram is not None and a.histogram.counts.size:
        counts, left, right = a.histogram.rebinned(xlim[0], xlim[1], BINS)
        hist_ax.stairs(counts, edges, fill=True, color=to_rgba(theme.muted, 0.35), linewidth=0,
                       gid="histogram")
        nz = counts[counts > 0]
        if nz.size and nz.max() > LOG_RATIO * nz.min():
            hist_ax.set_yscale("log")
            hist_ax.set_ylim(0.8, nz.max() * 1.6)
        else:
            hist_ax.set_ylim(0, (nz.max() if nz.size else 1) * 1.15)
        outside = left + right
        if outside:
            ax.set_title(f"{count(outside)} values outside the window", fontsize=FONT["small"], loc="right",
                         color=theme.muted, pad=3)
    hist_ax.set_ylabel("count", fontsize=FONT["small"], color=theme.muted)
    hist_ax.tick_params(labelsize=FONT["small"], length=2)
    for start, end, kind, text in _shares(s, a):
        lo, hi = max(start, xlim[0]), min(end, xlim[1])
        if lo >= hi:
            continue
        ax.axvspan(lo, hi, facecolor=to_rgba(color, 2 * theme.shade_alpha),
                   edgecolor=to_rgba(color, theme.hatch_alpha), hatch="////" if kind == "dead" else None,
                   linewidth=0, zorder=0.5, gid=f"region-{kind}")
        ax.text((lo + hi) / 2, 0.97, text, transform=ax.get_xaxis_transform(), ha="center", va="top",
                fontsize=FONT["small"], color=theme.foreground, zorder=5,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": theme.background, "alpha": 0.75,
                      "linewidth": 0})
    x = np.linspace(*xlim, 600)
    with np.errstate(all="ignore"):
        f, df = s.act(x), s.act.grad(x)
    ax.plot(x, f, color=color, linestyle=LINESTYLES[0], linewidth=1.8, label="f", zorder=3)
    ax.plot(x, df, color=color, linestyle=LINESTYLES[1], linewidth=1.6, label="f′", zorder=3)
    ax.axhline(0.0, color=theme.axis, linewidth=0.8, zorder=1.5)
    active = a.fraction("active")
    if active is None:  # empty, or every value NaN
        label = f"{a.name}: {a.note}" if titled else f"{a.note} ({count(a.count)} values)"
    else:
        label = f"active {_pct(active)}"
        label = f"{a.name}: {label}" if titled else f"{label} of {count(a.count)} values"
    ax.set_title(label, fontsize=FONT["base"], loc="left", color=theme.foreground, pad=3)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.85), fontsize=FONT["small"], frameon=False)
    ax.tick_params(labelsize=FONT["ticks"], length=3)


def _heat_strip(fig: Any, s: InputSummary, arrays: list[ArraySummary], xlim: tuple[float, float],
                theme: Theme, height: float) -> None:
    from matplotlib.colors import LinearSegmentedColormap, to_rgba

    n = len(arrays)
    fig.subplots_adjust(left=1.5 / WIDTH_IN, right=1 - 1.4 / WIDTH_IN, bottom=0.55 / height,
                        top=1 - 0.55 / height)
    ax = fig.add_subplot()
    grid = np.zeros((n, BINS))
    for i, a in enumerate(arrays):
        if a.histogram is not None and a.histogram.counts.size:
            counts, _, _ = a.histogram.rebinned(xlim[0], xlim[1], BINS)
            total = counts.sum()
            grid[i] = np.log10(1 + counts / max(total, 1) * 1e4)  # share per bin, log-scaled
    cmap = LinearSegmentedColormap.from_list("actviz-heat", [theme.background, theme.palette[0]])
    ax.imshow(grid, aspect="auto", cmap=cmap, interpolation="nearest", origin="upper",
              extent=(xlim[0], xlim[1], n, 0), vmin=0, vmax=max(grid.max(), 1e-9), gid="heat")
    color = theme.palette[1]
    for r in s.regions:
        lo, hi = max(r.start, xlim[0]), min(r.end, xlim[1])
        if lo < hi:
            ax.axvspan(lo, hi, facecolor=to_rgba(color, theme.shade_alpha),
                       edgecolor=to_rgba(color, theme.hatch_alpha),
                       hatch="////" if r.kind == "dead" else None,
                       linewidth=0, zorder=2, gid=f"region-{r.kind}")
        for e in (r.start, r.end):
            if xlim[0] < e < xlim[1]:
                ax.axvline(e, color=color, linewidth=0.9, zorder=3)
    ax.set_yticks(np.arange(n) + 0.5, [a.name for a in arrays], fontsize=FONT["small"])
    ax.set_ylim(n, 0)
    ax.set_xlim(*xlim)
    for i, a in enumerate(arrays):
        sat = None if a.valid == 0 else (a.counts["dead"] + a.counts["vanishing"]) / a.valid
        ax.text(1.01, 1 - (i + 0.5) / n, f"saturated {_pct(sat)}", transform=ax.transAxes, ha="left",
                va="center", fontsize=FONT["small"], color=theme.foreground)
    ax.set_xlabel("x (pre-activation)")
    fig.text(0.5, 1 - 0.12 / height, f"{s.source} through {s.act.label}: share of values per x (log)",
             ha="center", va="top", fontsize=FONT["title"] - 1, color=theme.foreground)
