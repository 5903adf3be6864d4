"""Drawing a :class:`~actviz.scene.Scene` with Matplotlib's object API (never pyplot).

Matplotlib is imported inside the functions, so importing this module costs nothing. The figure
uses fixed margins (no layout engine: it is fast and the tick labels sit outside the frame, so
nothing can overlap the curves), solid f, dashed f′ and dotted f″ in one colour per activation,
thin lines through the origin, shaded saturation regions with small labels, the framework's f′
at each kink as a filled dot (the other one-sided limit as an open one) and footnotes for
clipped curves. Output bytes are reproducible: no dates, fixed SVG ids, no version strings.
"""

from __future__ import annotations

import textwrap
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
)
from actviz.render import figure_file
from actviz.scene import Scene

LINESTYLES = {0: "-", 1: (0, (5.0, 2.0)), 2: (0, (1.0, 1.6))}
LINEWIDTHS = {0: 2.0, 1: 1.8, 2: 1.8}
FONT = {"base": 10.0, "ticks": 9.0, "legend": 9.0, "small": 8.0, "title": 12.0}
_INCH = 72.0  # points per inch


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


def _notes(scene: Scene, width_in: float) -> list[str]:
    """Footnote lines: kink values (with what the dots mean) and clipping notes, wrapped."""
    notes = []
    if scene.marks:
        values = "; ".join(dict.fromkeys(m.text for m in scene.marks))
        notes.append(f"At kinks, ● is what {scene.framework} returns, ○ the other one-sided limit: {values}")
    notes.extend(scene.notes)
    chars = int(width_in * _INCH / (0.6 * FONT["small"]))  # 0.6 em: wider than a mean glyph
    return [line for note in notes for line in textwrap.wrap(note, chars)]


HANDLE_EM, COLUMN_EM = 2.6, 1.8  # legend line sample and column gap, in font sizes
MIN_AXES_IN = 0.5  # the axes must keep at least this height (inches) under title, legend and notes


class FigureTooSmall(ValueError):
    """The title, legend and notes leave no room for the axes at this figure size."""
STRIP = 0.05  # height of one saturation strip (several activations), axes fraction
LABEL_ROW = 0.07  # room for the region labels at the top (one activation), axes fraction


def build_figure(
    scene: Scene,
    *,
    size: tuple[float, float] = DEFAULT_SIZE,
    dpi: float = DEFAULT_DPI,
    theme: Theme = LIGHT,
    title: str | None = None,
) -> Any:
    """A ``matplotlib.figure.Figure`` (with an Agg canvas) drawing ``scene``; call inside :func:`style`.

    ``title`` None means the formula when one activation is drawn; "" means no title. One
    activation: regions shaded over the full height. Several: one strip of regions per
    activation along the top. The legend sits below the axes, where it cannot hide a curve.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from actviz.render.mpl_figure import Figure

    width, height = size
    fig = Figure(figsize=size, dpi=dpi, settings=rc(theme))
    FigureCanvasAgg(fig)
    single = len(scene.acts) == 1
    if title is None:
        title = scene.acts[0].formula.text if single else ""
    left, right, top = 0.62, 0.3, (0.42 if title else 0.14)
    notes = _notes(scene, width - left - 0.15)  # the notes start at the axes' left edge
    handles = _legend_handles(scene, theme)
    ncols = _legend_columns([h.get_label() for h in handles], width - 0.3)
    legend_rows = -(-len(handles) // ncols)
    # Fixed margins in inches: tick labels, x label, legend, footnotes.
    legend_in = 0.06 + 0.19 * legend_rows
    notes_in = 0.06 + 0.155 * len(notes) if notes else 0.0
    bottom = 0.52 + legend_in + notes_in
    if height - bottom - top < MIN_AXES_IN:
        need = -(-(bottom + top + MIN_AXES_IN) * 2 // 1) / 2  # rounded up to half an inch
        raise FigureTooSmall(f"a {width:g}×{height:g} in figure has no room for the axes under "
                             f"{legend_rows} legend rows; make it at least {need:g} in high (--size)")
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )
    ax = fig.add_subplot()
    axes_width_in = width - left - right
    draw_axes(ax, scene, theme, axes_width_in)
    centre = (left + axes_width_in / 2) / width
    fig.legend(handles=handles, loc="upper center", ncols=ncols, frameon=False, handlelength=HANDLE_EM,
               bbox_to_anchor=(centre, (bottom - 0.47) / height), columnspacing=COLUMN_EM,
               borderaxespad=0.0, borderpad=0.0)
    if title:  # a figure text at a fixed place: faster than an axes title, which measures the axes
        fig.text(centre, 1 - 0.1 / height, title, ha="center", va="top", fontsize=FONT["title"],
                 color=theme.foreground)
    for i, line in enumerate(reversed(notes)):
        fig.text(left / width, (0.08 + 0.155 * i) / height, line, fontsize=FONT["small"],
                 color=theme.muted, ha="left", va="bottom")
    return fig


def draw_axes(ax: Any, scene: Scene, theme: Theme, axes_width_in: float) -> None:
    """Everything inside the axes: grid, origin lines, shading, curves, kink dots, callouts."""
    from matplotlib.ticker import MaxNLocator

    ax.set_xlim(*scene.xlim)
    ax.grid(True, color=theme.grid, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("x", labelpad=2)
    ax.tick_params(length=3, width=0.8, pad=3)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _origin_axes(ax, scene, theme)
    single = len(scene.acts) == 1
    reserved = _spans(ax, scene, theme, axes_width_in) if single else _strips(ax, scene, theme, axes_width_in)
    ax.set_ylim(*_with_headroom(scene, reserved))
    _bands(ax, scene, theme)
    _curves(ax, scene, theme)
    _marks(ax, scene, theme)
    _callouts(ax, scene, theme)


def draw_into(ax: Any, scene: Scene, *, theme: Theme = LIGHT, title: str | None = None) -> Any:
    """Draw ``scene`` into a user's Axes ``ax`` (legend inside it, title as the axes title).

    ``title`` None means the formula when one activation is drawn; "" means none. The notes the
    file figure prints under the legend (kink values, clipping) are left out. Returns ``ax``.
    """
    with style(theme):
        fig_width = ax.figure.get_size_inches()[0]
        draw_axes(ax, scene, theme, ax.get_position().width * fig_width)
        ax.legend(handles=_legend_handles(scene, theme), fontsize=FONT["legend"], loc="best")
        if title is None:
            title = scene.acts[0].formula.text if len(scene.acts) == 1 else ""
        if title:
            ax.set_title(title, fontsize=FONT["base"])
    return ax


def _legend_columns(labels: list[str], width_in: float) -> int:
    """As many legend columns as fit ``width_in`` (columns are as wide as their widest entry)."""
    em = FONT["legend"] / _INCH
    entry = [(HANDLE_EM + 0.8 + 0.56 * len(label)) * em for label in labels]
    for ncols in range(min(4, len(labels)), 1, -1):
        rows = -(-len(labels) // ncols)  # Matplotlib fills the columns one after the other
        widths = [max(entry[c * rows : (c + 1) * rows], default=0.0) for c in range(ncols)]
        if sum(widths) + (ncols - 1) * COLUMN_EM * em <= width_in:
            return ncols
    return 1


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
        color = theme.palette[s.index]
        ax.axvspan(
            s.start, s.end, facecolor=to_rgba(color, theme.shade_alpha),
            edgecolor=to_rgba(color, theme.hatch_alpha), hatch="////" if s.kind == "dead" else None,
            linewidth=0.0, zorder=0.5,
        )
        if _fits(s.label, s.start, s.end, scene, axes_width_in, FONT["small"]):
            labelled = True
            ax.text((s.start + s.end) / 2, 1 - LABEL_ROW / 2, s.label, transform=ax.get_xaxis_transform(),
                    ha="center", va="center", fontsize=FONT["small"], color=color, zorder=5,
                    bbox=_text_box(theme))
    return LABEL_ROW if labelled else 0.0


def _strips(ax: Any, scene: Scene, theme: Theme, axes_width_in: float) -> float:
    """Several activations: one strip per activation along the top, in its colour, labelled.

    Returns the axes fraction the strips take.
    """
    from matplotlib.colors import to_rgba

    rows = {index: row for row, index in enumerate(dict.fromkeys(s.index for s in scene.shades))}
    size = FONT["small"] - 0.5
    for s in scene.shades:
        color = theme.palette[s.index]
        top = 1 - STRIP * rows[s.index] - 0.004
        dead = s.kind == "dead"
        ax.axvspan(
            s.start, s.end, ymin=top - STRIP + 0.008, ymax=top,
            facecolor=to_rgba(color, 2.2 * theme.shade_alpha),
            edgecolor=to_rgba(color, 1.6 * theme.hatch_alpha), hatch="////" if dead else None,
            linewidth=0.0, zorder=2.5,
        )
        if _fits(s.label, s.start, s.end, scene, axes_width_in, size):
            ax.text((s.start + s.end) / 2, top - STRIP / 2 + 0.004, s.label,
                    transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=size,
                    color=theme.foreground, zorder=5, bbox=_text_box(theme) if dead else None)
    return STRIP * len(rows) + (0.01 if rows else 0.0)


def _text_box(theme: Theme) -> dict[str, Any]:
    """A soft background behind small labels, so hatching or a curve under them stays readable."""
    return {"boxstyle": "square,pad=0.15", "facecolor": theme.background, "alpha": 0.75, "linewidth": 0}


BAND_ALPHA = 0.22  # a training-time band: the activation's colour, under its curves


def _bands(ax: Any, scene: Scene, theme: Theme) -> None:
    for b in scene.bands:
        ax.fill_between(b.x, b.low, b.high, facecolor=theme.palette[b.index], alpha=BAND_ALPHA,
                        linewidth=0, zorder=2.5, gid=f"band-{b.index}-{b.order}")


def _curves(ax: Any, scene: Scene, theme: Theme) -> None:
    for c in scene.curves:
        ax.plot(
            c.x, c.y, color=theme.palette[c.index], linestyle=LINESTYLES[c.order],
            linewidth=LINEWIDTHS[c.order], label=c.label, zorder=3 + 0.1 * c.index,
            gid=f"curve-{c.index}-{c.order}",
        )


def _marks(ax: Any, scene: Scene, theme: Theme) -> None:
    """Filled dot: the framework's value at a kink; open dot: the other one-sided limit."""
    for m in scene.marks:
        color = theme.palette[m.index]
        if m.other is not None:
            ax.plot([m.x], [m.other], "o", markersize=5.5, markerfacecolor=theme.background,
                    markeredgecolor=color, markeredgewidth=1.4, zorder=4, gid=f"open-{m.index}-{m.order}")
        ax.plot([m.x], [m.value], "o", markersize=5.5, color=color, zorder=4.1,
                gid=f"value-{m.index}-{m.order}")


def _callouts(ax: Any, scene: Scene, theme: Theme) -> None:
    for c in scene.callouts:
        ax.annotate(c.text, (c.x, c.y), xytext=(0, 6), textcoords="offset points", ha="center", va="bottom",
                    fontsize=FONT["small"], color=theme.palette[c.index], zorder=2.9)  # under the curves


def _legend_handles(scene: Scene, theme: Theme) -> list[Any]:
    """One entry per curve, then what the shading and the dots mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Line2D([], [], color=theme.palette[c.index], linestyle=LINESTYLES[c.order],
               linewidth=LINEWIDTHS[c.order], label=c.label)
        for c in scene.curves
    ]
    for index in dict.fromkeys(b.index for b in scene.bands):
        handles.append(Patch(facecolor=theme.palette[index], alpha=BAND_ALPHA,
                             label=f"{scene.acts[index].name} while training"))
    kinds = {s.kind for s in scene.shades}
    if kinds - {"dead"}:
        handles.append(Patch(facecolor=theme.muted, alpha=0.3, label=f"|f′| < {scene.threshold:g}"))
    if "dead" in kinds:
        handles.append(Patch(facecolor=(0, 0, 0, 0), edgecolor=theme.muted, hatch="////", linewidth=0,
                             label="f′ = 0 (dead)"))
    if scene.marks:
        handles.append(Line2D([], [], marker="o", linestyle="none", color=theme.muted, markersize=5,
                              label=f"f′ at kink ({scene.framework})"))
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
    size: tuple[float, float] = DEFAULT_SIZE,
    dpi: float = DEFAULT_DPI,
    theme: Theme = LIGHT,
    title: str | None = None,
) -> tuple[int, int]:
    """Draw ``scene`` and write it as ``fmt`` to ``out``; return the pixel size."""
    with style(theme):
        fig = build_figure(scene, size=size, dpi=dpi, theme=theme, title=title)
        figure_file.save(fig, out, fmt)
    return pixel_size(fig)
