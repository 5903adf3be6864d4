"""Where everything goes on a plot figure, in inches, before Matplotlib is imported.

:func:`frame` decides the figure size (when the user did not fix it, it grows with the legend,
the notes, the saturation strips and the number of panels, so the axes keep their room), the
margins around the axes, the legend's place and columns and the wrapped footnotes. The CLI
uses it to check the pixel count before drawing; :mod:`actviz.render.figure` draws into it.
Pure arithmetic on the :class:`~actviz.scene.Scene`: no Matplotlib here.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from actviz.core.numtext import number
from actviz.plot_defaults import DEFAULT_SIZE, LAYOUTS, LEGENDS
from actviz.scene import PRIME, Scene, kink_chooser, kink_source

FONT = {"base": 10.0, "ticks": 9.0, "legend": 9.0, "small": 8.0, "title": 12.0, "panel": 9.0}
INCH = 72.0  # points per inch
HANDLE_EM, COLUMN_EM = 2.6, 1.8  # legend line sample and column gap, in font sizes
MIN_AXES_IN = 0.5  # every axes keeps at least this height (inches) under title, legend and notes
STRIP_IN = 0.17  # one saturation strip (several activations on one axes), inches
AXES_IN = 3.3  # the axes' height in a figure of the default size (without strips)
DERIVATIVE_IN = 1.7  # --layout stacked: the height of each derivative's axes
STACK_GAP_IN = 0.12
PANEL_IN = (2.5, 1.9)  # --layout grid: one panel's axes, width and height
PANEL_PAD_IN = (0.5, 0.32)  # room left of a panel (tick labels) and above it (its title)
PANEL_BELOW_IN = 0.28  # room under a panel for its x tick labels


class FigureTooSmall(ValueError):
    """The title, legend and notes leave no room for the axes at this figure size."""


@dataclass(frozen=True)
class Entry:
    """One legend entry: a curve (``index``, ``order``), a line style, a shading kind or the dots."""

    label: str
    kind: str  # "curve" | "activation" | "style" | "shade" | "dead" | "dot"
    index: int = 0
    order: int = 0


@dataclass(frozen=True)
class Frame:
    """The figure's size and the room around its axes, in inches."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float  # under the axes: tick labels, x label, legend (below) and notes
    legend: str
    legend_cols: int
    legend_rows: int
    entries: tuple[Entry, ...]
    notes: tuple[str, ...]
    grid: tuple[int, int] = (1, 1)  # panel rows and columns (--layout grid)
    compact: bool = False  # a gallery: no kink values, no notes on the curves
    below_axes: float = 0.52  # under the axes (or the panels) before the legend: tick labels, x label

    @property
    def body(self) -> tuple[float, float]:
        """Width and height of the area the axes share."""
        return self.width - self.left - self.right, self.height - self.top - self.bottom


def entries(scene: Scene, layout: str) -> list[Entry]:
    """The legend: every curve (overlay), every activation (stacked: the axes name the order) or
    the line styles (grid: the panels name the activation); then shading and dots."""
    if layout == "overlay":
        out = [Entry(c.label, "curve", c.index, c.order) for c in scene.curves]
    elif layout == "stacked":
        out = [Entry(c.label, "activation", c.index) for c in scene.curves if c.order == 0]
    else:
        orders = dict.fromkeys(c.order for c in scene.curves)
        out = [Entry(f"f{PRIME[o]}", "style", 0, o) for o in orders]
    for index in dict.fromkeys(b.index for b in scene.bands):  # rrelu's training-time slopes
        out.append(Entry(f"{scene.acts[index].name} while training", "band", index))
    kinds = {s.kind for s in scene.shades}
    if kinds - {"dead"}:
        out.append(Entry(f"|f′| < {number(scene.threshold)}", "shade"))
    if "dead" in kinds:
        out.append(Entry("f′ = 0 (dead)", "dead"))
    if scene.marks:
        who = "actviz" if kink_chooser(scene) == "actviz" else scene.framework
        out.append(Entry(f"f′ at kink ({who})", "dot"))
    return out


def notes(scene: Scene, width_in: float, layout: str, compact: bool = False) -> list[str]:
    """Footnote lines, wrapped to ``width_in``: what the kink dots mean (with the values unless
    ``compact``), where f′ lies on f (when one axes holds f and f′ of several activations; one
    activation's axes say it on the curve), then the scene's notes (clipping, gates)."""
    out = []
    if scene.marks:
        what = f"At kinks, ● is {kink_source(scene)}, ○ the other one-sided limit"
        values = "; ".join(dict.fromkeys(m.text for m in scene.marks))
        out.append(f"{what}." if compact else f"{what}: {values}")
    if scene.overlaps and layout == "overlay" and len(scene.acts) > 1:
        lies = "; ".join(o.text(scene.acts[o.index]) for o in scene.overlaps)
        out.append(f"Dashed over solid: {lies}.")
    out.extend(scene.notes)
    chars = int(width_in * INCH / (0.6 * FONT["small"]))  # 0.6 em: wider than a mean glyph
    return [line for note in out for line in textwrap.wrap(note, max(chars, 20))]


def legend_columns(labels: list[str], width_in: float) -> int:
    """As many legend columns as fit ``width_in`` (columns are as wide as their widest entry)."""
    em = FONT["legend"] / INCH
    entry = [_entry_in(label) for label in labels]
    for ncols in range(min(4, len(labels)), 1, -1):
        widths = [max(column, default=0.0) for column in _legend_columns_of(entry, ncols)]
        if sum(widths) + (ncols - 1) * COLUMN_EM * em <= width_in:
            return ncols
    return 1


def _legend_columns_of(items: list[float], ncols: int) -> list[list[float]]:
    """``items`` split into columns as Matplotlib's legend splits them: in order, the first
    len % ncols columns one entry longer (9 entries in 4 columns: 3, 2, 2, 2 — not 3, 3, 3)."""
    rows, long_cols = divmod(len(items), ncols)
    out, start = [], 0
    for c in range(ncols):
        n = rows + (1 if c < long_cols else 0)
        out.append(items[start : start + n])
        start += n
    return out


def _entry_in(label: str) -> float:
    return (HANDLE_EM + 0.8 + 0.62 * len(label)) * FONT["legend"] / INCH  # DejaVu Sans: ~0.6 em a glyph


def grid_shape(n: int) -> tuple[int, int]:
    """Rows and columns of panels for ``n`` activations: one row up to 3, then 2×2, 3×2, 4×2,
    then about square (the catalog's 42: 7 × 6)."""
    cols = n if n <= 3 else 2 if n == 4 else 3 if n <= 6 else 4 if n <= 8 else math.ceil(math.sqrt(n))
    return -(-n // max(cols, 1)), max(cols, 1)


def frame(scene: Scene, *, size: tuple[float, float] | None = None, layout: str = "overlay",
          legend: str = "below", title: str = "", compact: bool = False) -> Frame:
    """The figure's layout; ``size`` None lets it grow with what it holds (see the module doc)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if legend not in LEGENDS:
        raise ValueError(f"legend must be one of {', '.join(LEGENDS)}, got {legend!r}")
    shape = grid_shape(len(scene.acts)) if layout == "grid" else (1, 1)
    left, right, top = 0.62, 0.3, (0.42 if title else 0.14)
    if layout == "grid":  # each panel has room for its title above it (PANEL_PAD_IN)
        left, top = 0.12, (0.36 if title else 0.0)
    items = entries(scene, layout)
    legend_w = max((_entry_in(e.label) for e in items), default=0.0) + 0.25
    width = _auto_width(layout, shape, left, right, legend, legend_w) if size is None else size[0]
    if legend == "right":
        right = max(right, legend_w + 0.15)
    note_lines = notes(scene, width - max(left, 0.62) - 0.15, layout, compact)
    cols = legend_columns([e.label for e in items], width - 0.3) if legend == "below" else 1
    rows = -(-len(items) // cols) if items else 0
    legend_in = 0.06 + 0.19 * rows if legend == "below" and items else 0.0
    notes_in = 0.06 + 0.155 * len(note_lines) if note_lines else 0.0
    below_axes = 0.52 if layout != "grid" else 0.1
    bottom = below_axes + legend_in + notes_in
    if size is None:
        height = top + bottom + _auto_body_height(scene, layout, shape)
        height = max(height, DEFAULT_SIZE[1]) if layout == "overlay" else height
        height = math.ceil(height * 20 - 1e-9) / 20  # a round number of inches (twentieths)
    else:
        height = size[1]
    if width - left - right < MIN_AXES_IN * shape[1] + 0.5:
        least = math.ceil((left + right + MIN_AXES_IN * shape[1] + 0.5) * 2) / 2
        raise FigureTooSmall(f"a {width:g}×{size[1] if size else 0:g} in figure has no room for the axes "
                             f"beside the legend; make it at least {least:g} in wide (--size)")
    room = height - bottom - top
    need = _min_body_height(scene, layout, shape)
    if room < need:
        least = math.ceil((bottom + top + need) * 2) / 2  # rounded up to half an inch
        raise FigureTooSmall(f"a {width:g}×{height:g} in figure has no room for the axes under "
                             f"{rows} legend rows; make it at least {least:g} in high (--size)")
    return Frame(width, height, left, right, top, bottom, legend, cols, rows, tuple(items),
                 tuple(note_lines), shape, compact, below_axes)


def _strips_in(scene: Scene) -> float:
    rows = len({s.index for s in scene.shades})
    return STRIP_IN * rows + (0.05 if rows else 0.0) if len(scene.acts) > 1 else 0.0


def _auto_width(layout: str, shape: tuple[int, int], left: float, right: float, legend: str,
                legend_w: float) -> float:
    if layout == "grid":
        width = left + shape[1] * (PANEL_PAD_IN[0] + PANEL_IN[0]) + 0.15
    else:
        width = DEFAULT_SIZE[0]
    if legend == "right":
        width += max(right, legend_w + 0.15) - right
    return width


def _auto_body_height(scene: Scene, layout: str, shape: tuple[int, int]) -> float:
    orders = len({c.order for c in scene.curves})
    if layout == "grid":
        return shape[0] * (PANEL_PAD_IN[1] + PANEL_IN[1] + PANEL_BELOW_IN)
    if layout == "stacked":
        return AXES_IN * 0.75 + (orders - 1) * (DERIVATIVE_IN + STACK_GAP_IN) + _strips_in(scene)
    return AXES_IN + _strips_in(scene)


def _min_body_height(scene: Scene, layout: str, shape: tuple[int, int]) -> float:
    if layout == "grid":
        return shape[0] * (PANEL_PAD_IN[1] + MIN_AXES_IN + PANEL_BELOW_IN)
    if layout == "stacked":
        return len({c.order for c in scene.curves}) * (MIN_AXES_IN + STACK_GAP_IN)
    return MIN_AXES_IN
