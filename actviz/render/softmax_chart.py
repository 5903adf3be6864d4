"""``softmax --plot``: a bar chart of the probabilities (PNG, SVG or PDF).

Matplotlib is imported inside :func:`write_chart` only, so the table path never loads it. It is
saved by :mod:`actviz.render.figure_file` (atomic, same bytes for the same input). No math here:
the bars are the probabilities the command got from the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actviz.core.numtext import number

if TYPE_CHECKING:
    from actviz.softmax_result import SoftmaxResult

ANNOTATE_MAX = 20  # bars are labelled with their value up to this many per row
TICK_FONT = 9.0  # points
GLYPH_EM = 0.62  # a tick label's mean glyph width, in font sizes (a little wide, to be safe)


def rotate_labels(names: list[str], axes_width_in: float, font: float = TICK_FONT) -> bool:
    """Whether the bar labels must stand upright: only when written flat the widest would
    overlap its neighbours (each bar has ``axes_width_in / len(names)`` inches)."""
    if not names:
        return False
    room = axes_width_in / len(names)
    widest = max(map(len, names)) * GLYPH_EM * font / 72.0
    return widest + 0.06 > room


def _colours(theme_name: str = "light") -> tuple[str, str]:
    """Bars and the most likely bar in ``plot``'s palette (first two colours of the theme)."""
    from actviz.render.figure import THEMES

    palette = THEMES[theme_name].palette
    return palette[0], palette[1]


def _short(p: float) -> str:
    """A bar's value in 3 significant digits, never rounded up to a misleading "1"."""
    text = number(p, 3)
    return "0.999…" if text == "1" and p != 1.0 else text


def _draw_row(ax, result: SoftmaxResult, r: int) -> None:
    row = result.rows[r]
    shown = row.shown
    names = [result.labels[i] if result.labels else str(i) for i in shown]
    probs = [float(row.probabilities[i]) for i in shown]
    bar, top = _colours()
    colours = [top if i == row.argmax else bar for i in shown]
    positions = list(range(len(shown)))
    ax.bar(positions, probs, color=colours, width=0.7)
    ax.set_xticks(positions)
    fig_width = ax.figure.get_size_inches()[0]
    upright = rotate_labels(names, ax.get_position().width * fig_width)
    ax.set_xticklabels(names, rotation=90 if upright else 0, fontsize=TICK_FONT)
    # Scale to the tallest bar (room for its value label) so that small probabilities stay visible.
    ax.set_ylim(0, min(1.1, max(probs) * 1.18) if max(probs) > 0 else 1.0)
    ax.set_ylabel("probability")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    if len(shown) <= ANNOTATE_MAX:
        for x, p in zip(positions, probs, strict=True):
            ax.annotate(
                _short(p),
                (x, p),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )
    title = result.fn if result.temperature == 1.0 else f"{result.fn}, T = {number(result.temperature)}"
    if result.batch:
        title = f"row {r}: {title}"
    if row.rest is not None:
        title += f" (top {len(shown)} of {row.logits.size})"
    ax.set_title(title, fontsize=10, loc="left")


def figure(result: SoftmaxResult, ax: Any = None) -> Any:
    """One bar chart per row (stacked) as a new Figure, or drawn into ``ax``.

    ``ax`` is one Axes (for one row) or a sequence of Axes, one per row; the Figure they belong
    to is returned. Nothing touches pyplot's global state.
    """
    if ax is None:
        from actviz.render.mpl_figure import Figure

        n_bars = max(len(row.shown) for row in result.rows)
        n_rows = len(result.rows)
        width = min(20.0, max(6.4, 0.35 * n_bars + 2.0))
        fig = Figure(figsize=(width, 2.8 * n_rows + 0.6), dpi=150, layout="constrained")
        axes = list(fig.subplots(n_rows, 1, squeeze=False)[:, 0])
    else:
        axes = list(ax) if isinstance(ax, (list, tuple)) else [ax]
        if len(axes) != len(result.rows):
            raise ValueError(f"ax: {len(result.rows)} row(s) need as many Axes, got {len(axes)}")
        fig = axes[0].figure
    for r, one in enumerate(axes):
        _draw_row(one, result, r)
    return fig


def write_chart(result: SoftmaxResult, path: str) -> None:
    """Draw one bar chart per row (stacked) and write it to ``path`` atomically."""
    from actviz.render.figure_file import format_of, save_to_file

    save_to_file(figure(result), path, format_of(path))
