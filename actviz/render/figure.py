"""Drawing a :class:`~actviz.scene.Scene` with Matplotlib's object API (never pyplot).

Matplotlib is imported inside the functions, so importing this module costs nothing. The figure
uses fixed margins (no layout engine: it is fast and the tick labels sit outside the frame, so
nothing can overlap the curves), solid f, dashed f′ and dotted f″ in one colour per activation,
thin lines through the origin, shaded saturation regions with small labels, the framework's f′
at each kink as a filled dot (the other one-sided limit as an open one) and footnotes for
clipped curves. Output bytes are reproducible: no dates, fixed SVG ids, no version strings.

Where things go (figure size, margins, legend, notes) is decided by
:mod:`actviz.render.figure_frame`; the stacked and grid layouts' axes by
:mod:`actviz.render.figure_panels`. This module draws one axes' content and the figure's texts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from actviz.plot_defaults import (  # noqa: F401 (re-exported)
    DEFAULT_DPI,
    DEFAULT_SIZE,
    DPI_RANGE,
    MAX_ACTIVATIONS,
    MAX_PIXELS,
    SIZE_RANGE,
    THEME_NAMES,
)
from actviz.render import figure_file, figure_frame, figure_panels
from actviz.render.figure_frame import (  # noqa: F401 (re-exported)
    COLUMN_EM,
    FONT,
    HANDLE_EM,
    LAYOUTS,
    LEGENDS,
    MIN_AXES_IN,
    STRIP_IN,
    Entry,
    FigureTooSmall,
)
from actviz.scene import Scene

LINESTYLES = {0: "-", 1: (0, (5.0, 2.0)), 2: (0, (1.0, 1.6))}
LINEWIDTHS = {0: 2.0, 1: 1.8, 2: 1.8}
LABEL_ROW = 0.07  # room for the region labels at the top (one activation), axes fraction
HALO = 1.6  # points of background around f′ and f″, so a dashed line over f stays visible
_INCH = figure_frame.INCH


@dataclass(frozen=True)
class Theme:
    """Colours of one look. ``palette`` holds one distinct curve colour per activation."""

    name: str
    background: str
    foreground: str
    muted: str
    grid: str
    axis: str
    palette: tuple[str, ...]
    shade_alpha: float
    hatch_alpha: float

    def colour(self, index: int) -> str:
        """The colour of activation ``index`` (the palette repeats in a gallery of the catalog)."""
        return self.palette[index % len(self.palette)]


LIGHT = Theme(
    name="light",
    background="#ffffff",
    foreground="#1a1a1a",
    muted="#5c5c5c",
    grid="#e3e3e3",
    axis="#404040",
    # Okabe–Ito colours (distinct under the common colour-vision deficiencies), darkest first.
    palette=("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a5195", "#000000"),
    shade_alpha=0.10,
    hatch_alpha=0.35,
)
DARK = Theme(
    name="dark",
    background="#15171c",
    foreground="#e8e8e8",
    muted="#a8a8a8",
    grid="#2e323b",
    axis="#b8b8b8",
    palette=("#56b4e9", "#ff9f43", "#3ddc97", "#f28cc8", "#f0e442", "#b39ddb", "#ff6b6b", "#e8e8e8"),
    shade_alpha=0.14,
    hatch_alpha=0.45,
)
THEMES: dict[str, Theme] = {"light": LIGHT, "dark": DARK}
assert all(len(t.palette) == MAX_ACTIVATIONS for t in THEMES.values()), "one colour per activation"
assert tuple(THEMES) == THEME_NAMES, "plot_defaults names the themes"


def rc(theme: Theme) -> dict[str, Any]:
    """Matplotlib settings for ``theme``: fonts, colours and the reproducibility switches."""
    return {
        "font.size": FONT["base"],
        "axes.titlesize": FONT["title"],
        "xtick.labelsize": FONT["ticks"],
        "ytick.labelsize": FONT["ticks"],
        "legend.fontsize": FONT["legend"],
        "text.color": theme.foreground,
        "axes.labelcolor": theme.foreground,
        "axes.edgecolor": theme.muted,
        "axes.facecolor": theme.background,
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.foreground,
        "ytick.labelcolor": theme.foreground,
        "axes.linewidth": 0.8,
        "hatch.linewidth": 0.6,
        "lines.solid_capstyle": "round",
        "lines.dash_capstyle": "butt",
        "mathtext.fontset": "dejavusans",
    }


@contextmanager
def style(theme: Theme) -> Iterator[None]:
    """Apply :func:`rc` for the duration (figures are built *and* saved inside it)."""
    import matplotlib

    with matplotlib.rc_context(rc(theme)):
        yield


def build_figure(
    scene: Scene,
    *,
    size: tuple[float, float] | None = DEFAULT_SIZE,
    dpi: float = DEFAULT_DPI,
    theme: Theme = LIGHT,
    title: str | None = None,
    layout: str = "overlay",
    legend: str = "below",
    compact: bool = False,
) -> Any:
    """A ``matplotlib.figure.Figure`` (with an Agg canvas) drawing ``scene``; call inside :func:`style`.

    ``title`` None means the formula when one activation is drawn; "" means no title. ``size``
    None lets the figure grow with its legend, notes and panels (:func:`figure_frame.frame`).
    ``layout``: "overlay" (one axes: one activation's regions shaded over the full height,
    several activations' as one strip each along the top), "stacked" (f on top, each
    derivative on its own axes below, sharing x; regions on the f′ axes) or "grid" (one small
    panel per activation, titled with its name). ``legend``: "below" the axes (where it cannot
    hide a curve), at the "right", "inside" the (top) axes where it covers least, or "none".
    ``compact`` (the gallery): the notes leave out the values at kinks and the panels the notes
    on the curves.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from actviz.render.mpl_figure import Figure

    if title is None:
        title = scene.acts[0].formula.text if len(scene.acts) == 1 else ""
    fr = figure_frame.frame(scene, size=size, layout=layout, legend=legend, title=title,
                            compact=compact)
    width, height = fr.width, fr.height
    fig = Figure(figsize=(width, height), dpi=dpi, settings=rc(theme))
    FigureCanvasAgg(fig)
    if layout == "grid":
        axes = figure_panels.grid(fig, scene, theme, fr)
    elif layout == "stacked":
        axes = figure_panels.stacked(fig, scene, theme, fr)
    else:
        fig.subplots_adjust(left=fr.left / width, right=1 - fr.right / width, bottom=fr.bottom / height,
                            top=1 - fr.top / height)
        axes = [fig.add_subplot()]
        draw_axes(axes[0], scene, theme, fr.body[0])
    centre = (fr.left + fr.body[0] / 2) / width
    handles = legend_handles(fr.entries, theme)
    if handles and legend == "below":
        fig.legend(handles=handles, loc="upper center", ncols=fr.legend_cols, frameon=False,
                   handlelength=HANDLE_EM, bbox_to_anchor=(centre, (fr.bottom - fr.below_axes) / height),
                   columnspacing=COLUMN_EM, borderaxespad=0.0, borderpad=0.0)
    elif handles and legend == "right":
        fig.legend(handles=handles, loc="upper left", frameon=False, handlelength=HANDLE_EM,
                   bbox_to_anchor=(1 - (fr.right - 0.15) / width, 1 - fr.top / height),
                   borderaxespad=0.0, borderpad=0.0)
    elif handles and legend == "inside" and layout == "grid" and fr.grid[0] * fr.grid[1] > len(axes):
        # A free panel place in the last row: the legend goes there, over no curve.
        cols = fr.grid[1]
        col = len(axes) % cols
        x = (fr.left + (col + 0.5) * fr.body[0] / cols) / width
        y = 1 - (fr.top + (fr.grid[0] - 0.5) * fr.body[1] / fr.grid[0]) / height
        fig.legend(handles=handles, loc="center", bbox_to_anchor=(x, y), frameon=False,
                   handlelength=HANDLE_EM)
    elif handles and legend == "inside":
        axes[0].legend(handles=handles, loc="best", handlelength=HANDLE_EM, framealpha=0.85,
                       facecolor=theme.background, edgecolor=theme.grid)
    if title:  # a figure text at a fixed place: faster than an axes title, which measures the axes
        fig.text(centre, 1 - 0.1 / height, title, ha="center", va="top", fontsize=FONT["title"],
                 color=theme.foreground)
    for i, line in enumerate(reversed(fr.notes)):
        fig.text(max(fr.left, 0.62) / width, (0.08 + 0.155 * i) / height, line, fontsize=FONT["small"],
                 color=theme.muted, ha="left", va="bottom")
    return fig


def draw_axes(ax: Any, scene: Scene, theme: Theme, axes_width_in: float, axes_height_in: float = 3.3,
              *, xlabel: bool = True, notes: bool = True) -> None:
    """Everything inside the axes: grid, origin lines, shading, curves, kink dots, callouts.

    One activation: its regions over the full height, and where f′ lies on f a note under the
    curve. Several: one strip of regions per activation along the top, ``STRIP_IN`` high."""
    from matplotlib.ticker import MaxNLocator

    ax.set_xlim(*scene.xlim)
    ax.grid(True, color=theme.grid, linewidth=0.6)
    ax.set_axisbelow(True)
    if xlabel:
        ax.set_xlabel("x", labelpad=2)
    ax.tick_params(length=3, width=0.8, pad=3)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _origin_axes(ax, scene, theme)
    single = len({c.index for c in scene.curves} | {s.index for s in scene.shades}) <= 1
    if single:
        reserved = _spans(ax, scene, theme, axes_width_in)
    else:
        reserved = _strips(ax, scene, theme, axes_width_in, min(0.45, STRIP_IN / max(axes_height_in, 0.1)))
    ax.set_ylim(*_with_headroom(scene, reserved))
    _bands(ax, scene, theme)
    _curves(ax, scene, theme)
    _marks(ax, scene, theme)
    _callouts(ax, scene, theme)
    if single and notes:
        _overlaps(ax, scene, theme)


def draw_into(ax: Any, scene: Scene, *, theme: Theme = LIGHT, title: str | None = None,
              legend: str = "inside") -> Any:
    """Draw ``scene`` into a user's Axes ``ax`` (legend inside it unless ``legend`` is "none",
    title as the axes title).

    ``title`` None means the formula when one activation is drawn; "" means none. The notes the
    file figure prints under the legend (kink values, clipping) are left out. Returns ``ax``.
    """
    with style(theme):
        fig_width, fig_height = ax.figure.get_size_inches()
        box = ax.get_position()
        draw_axes(ax, scene, theme, box.width * fig_width, box.height * fig_height)
        if legend != "none":
            ax.legend(handles=legend_handles(figure_frame.entries(scene, "overlay"), theme),
                      fontsize=FONT["legend"], loc="best")
        if title is None:
            title = scene.acts[0].formula.text if len(scene.acts) == 1 else ""
        if title:
            ax.set_title(title, fontsize=FONT["base"])
    return ax


def _with_headroom(scene: Scene, reserved: float) -> tuple[float, float]:
    """Raise the top of automatic y-limits so the top ``reserved`` axes fraction stays free."""
    y0, y1 = scene.ylim
    if not scene.ylim_auto or reserved <= 0:
        return y0, y1
    return y0, y1 + (y1 - y0) * reserved / (1 - reserved)


def _origin_axes(ax: Any, scene: Scene, theme: Theme) -> None:
    """The x- and y-axis through the origin (when it is in view), over the grid, under the curves."""
    ax.axhline(0.0, color=theme.axis, linewidth=0.9, zorder=1.5)
    if scene.xlim[0] <= 0.0 <= scene.xlim[1]:
        ax.axvline(0.0, color=theme.axis, linewidth=0.9, zorder=1.5)


def _fits(text: str, start: float, end: float, scene: Scene, axes_width_in: float, size: float) -> bool:
    width_in = (end - start) / (scene.xlim[1] - scene.xlim[0]) * axes_width_in
    return len(text) * 0.58 * size / _INCH + 0.1 <= width_in


def _spans(ax: Any, scene: Scene, theme: Theme, axes_width_in: float) -> float:
    """One activation: tint where abs(f′) < threshold, hatched where f′ = 0, labels on top.

    Returns the axes fraction kept free at the top for the labels.
    """
    from matplotlib.colors import to_rgba

    labelled = False
    for s in scene.shades:
        color = theme.colour(s.index)
        ax.axvspan(
            s.start, s.end, facecolor=to_rgba(color, theme.shade_alpha),
            edgecolor=to_rgba(color, theme.hatch_alpha), hatch="////" if s.kind == "dead" else None,
            linewidth=0.0, zorder=0.5,
        )
        label = _label_that_fits(s, scene, axes_width_in, FONT["small"])
        if label:
            labelled = True
            ax.text((s.start + s.end) / 2, 1 - LABEL_ROW / 2, label, transform=ax.get_xaxis_transform(),
                    ha="center", va="center", fontsize=FONT["small"], color=color, zorder=5,
                    bbox=_text_box(theme))
    return LABEL_ROW if labelled else 0.0


def _strips(ax: Any, scene: Scene, theme: Theme, axes_width_in: float, strip: float) -> float:
    """Several activations: one strip per activation along the top, in its colour, labelled.

    ``strip`` is one strip's height as an axes fraction. Returns the axes fraction the strips take.
    """
    from matplotlib.colors import to_rgba

    rows = {index: row for row, index in enumerate(dict.fromkeys(s.index for s in scene.shades))}
    size = FONT["small"] - 0.5
    for s in scene.shades:
        color = theme.colour(s.index)
        top = 1 - strip * rows[s.index] - 0.004
        dead = s.kind == "dead"
        ax.axvspan(
            s.start, s.end, ymin=top - strip + 0.008, ymax=top,
            facecolor=to_rgba(color, 2.2 * theme.shade_alpha),
            edgecolor=to_rgba(color, 1.6 * theme.hatch_alpha), hatch="////" if dead else None,
            linewidth=0.0, zorder=2.5,
        )
        label = _label_that_fits(s, scene, axes_width_in, size)
        if label:
            ax.text((s.start + s.end) / 2, top - strip / 2 + 0.004, label,
                    transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=size,
                    color=theme.foreground, zorder=5, bbox=_text_box(theme) if dead else None)
    return strip * len(rows) + (0.01 if rows else 0.0)


def _label_that_fits(s: Any, scene: Scene, axes_width_in: float, size: float) -> str:
    """The region's label with where it holds, else without, else nothing."""
    for text in (s.label, s.short):
        if text and _fits(text, s.start, s.end, scene, axes_width_in, size):
            return text
    return ""


def _text_box(theme: Theme) -> dict[str, Any]:
    """A soft background behind small labels, so hatching or a curve under them stays readable."""
    return {"boxstyle": "square,pad=0.15", "facecolor": theme.background, "alpha": 0.75, "linewidth": 0}


BAND_ALPHA = 0.22  # a training-time band: the activation's colour, under its curves


def _bands(ax: Any, scene: Scene, theme: Theme) -> None:
    for b in scene.bands:
        ax.fill_between(b.x, b.low, b.high, facecolor=theme.colour(b.index), alpha=BAND_ALPHA,
                        linewidth=0, zorder=2.5, gid=f"band-{b.index}-{b.order}")


def _curves(ax: Any, scene: Scene, theme: Theme) -> None:
    """f solid, f′ dashed, f″ dotted. Where f′ lies on f (relu′ = relu = 0 for x < 0) that part
    of f′ is drawn again on top with a thin background halo, so its dashes cut through the solid
    line instead of hiding in it; elsewhere no halo, so no neighbouring line is covered."""
    import numpy as np
    from matplotlib import patheffects

    for c in scene.curves:
        ax.plot(
            c.x, c.y, color=theme.colour(c.index), linestyle=LINESTYLES[c.order],
            linewidth=LINEWIDTHS[c.order], label=c.label, zorder=3 + 0.1 * c.index,
            gid=f"curve-{c.index}-{c.order}",
        )
        if c.order != 1:
            continue
        for k, o in enumerate(o for o in scene.overlaps if o.index == c.index):
            y = np.where((c.x >= o.start) & (c.x <= o.end), c.y, np.nan)
            halo = [patheffects.Stroke(linewidth=LINEWIDTHS[1] + 2 * HALO, foreground=theme.background),
                    patheffects.Normal()]
            ax.plot(c.x, y, color=theme.colour(c.index), linestyle=LINESTYLES[1], linewidth=LINEWIDTHS[1],
                    zorder=3.9, path_effects=halo, gid=f"on-top-{c.index}-{k}")


def _marks(ax: Any, scene: Scene, theme: Theme) -> None:
    """Filled dot: the framework's value at a kink; open dot: the other one-sided limit."""
    for m in scene.marks:
        color = theme.colour(m.index)
        if m.other is not None:
            ax.plot([m.x], [m.other], "o", markersize=5.5, markerfacecolor=theme.background,
                    markeredgecolor=color, markeredgewidth=1.4, zorder=6, gid=f"open-{m.index}-{m.order}")
        ax.plot([m.x], [m.value], "o", markersize=5.5, color=color, zorder=6.1,
                gid=f"value-{m.index}-{m.order}")


def _callouts(ax: Any, scene: Scene, theme: Theme) -> None:
    for c in scene.callouts:
        ax.annotate(c.text, (c.x, c.y), xytext=(0, 6), textcoords="offset points", ha="center", va="bottom",
                    fontsize=FONT["small"], color=theme.colour(c.index), zorder=2.9)  # under the curves


def _overlaps(ax: Any, scene: Scene, theme: Theme) -> None:
    """Where f′ lies on f (one activation on the axes): "f′ lies on f" just above the curve, a
    third of the way into a run from the plot's edge; below it when a small-slope callout
    (leaky_relu's "slope 0.01") already sits above."""
    for o in scene.overlaps:
        act = scene.acts[o.index]
        x = o.start + (o.end - o.start) / 3 if o.start <= scene.xlim[0] else (o.start + o.end) / 2
        below = any(c.index == o.index for c in scene.callouts)
        ax.annotate("f′ lies on f", (x, float(act(x))), xytext=(0, -5 if below else 4),
                    textcoords="offset points", ha="center", va="top" if below else "bottom",
                    fontsize=FONT["small"],
                    color=theme.colour(o.index), zorder=2.9, gid=f"overlap-{o.index}")


def legend_handles(items: Any, theme: Theme) -> list[Any]:
    """Matplotlib handles for the :class:`~actviz.render.figure_frame.Entry` list of a frame."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for e in items:
        if e.kind in ("curve", "activation", "style"):
            colour = theme.foreground if e.kind == "style" else theme.colour(e.index)
            order = 0 if e.kind == "activation" else e.order
            handles.append(Line2D([], [], color=colour, linestyle=LINESTYLES[order],
                                  linewidth=LINEWIDTHS[order], label=e.label))
        elif e.kind == "band":
            handles.append(Patch(facecolor=theme.colour(e.index), alpha=BAND_ALPHA, label=e.label))
        elif e.kind == "shade":
            handles.append(Patch(facecolor=theme.muted, alpha=0.3, label=e.label))
        elif e.kind == "dead":
            handles.append(Patch(facecolor=(0, 0, 0, 0), edgecolor=theme.muted, hatch="////", linewidth=0,
                                 label=e.label))
        else:
            handles.append(Line2D([], [], marker="o", linestyle="none", color=theme.muted, markersize=5,
                                  label=e.label))
    return handles


def pixel_size(fig: Any) -> tuple[int, int]:
    """Width and height in pixels of the saved raster image."""
    w, h = fig.canvas.get_width_height()
    return int(w), int(h)


def render(
    scene: Scene,
    out: IO[bytes],
    fmt: str,
    *,
    size: tuple[float, float] | None = DEFAULT_SIZE,
    dpi: float = DEFAULT_DPI,
    theme: Theme = LIGHT,
    title: str | None = None,
    layout: str = "overlay",
    legend: str = "below",
    compact: bool = False,
) -> tuple[int, int]:
    """Draw ``scene`` and write it as ``fmt`` to ``out``; return the pixel size."""
    with style(theme):
        fig = build_figure(scene, size=size, dpi=dpi, theme=theme, title=title, layout=layout,
                           legend=legend, compact=compact)
        figure_file.save(fig, out, fmt)
    return pixel_size(fig)
