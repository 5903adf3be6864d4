"""The two many-axes layouts of a plot figure: ``--layout stacked`` and ``--layout grid``.

stacked: f on the top axes, f′ (and f″) each on its own axes below, all sharing x, so a
derivative is no longer squashed under f; the saturation regions go on the f′ axes.
grid: one small panel per activation, titled with its name, with the curves asked for (the
gallery draws the whole catalog this way); each panel fits its own y-range.

Both draw sub-scenes (:func:`actviz.scene.select`) with :func:`actviz.render.figure.draw_axes`,
at the places :func:`actviz.render.figure_frame.frame` gave. Matplotlib is imported by the caller.
"""

from __future__ import annotations

from typing import Any

from actviz.render.figure_frame import (
    FONT,
    PANEL_BELOW_IN,
    PANEL_PAD_IN,
    STACK_GAP_IN,
    Frame,
)
from actviz.scene import PRIME, Scene, select


def stacked(fig: Any, scene: Scene, theme: Any, fr: Frame) -> list[Any]:
    """f above f′ above f″ (the orders the scene has), sharing x; returns the axes, top first."""
    from actviz.render.figure import draw_axes

    orders = sorted({c.order for c in scene.curves})
    width, height = fr.width, fr.height
    body_w, body_h = fr.body
    n = len(orders)
    # The f axes get 1.5 shares, each derivative one; gaps between them.
    shares = [1.5 if o == 0 else 1.0 for o in orders]
    unit = (body_h - STACK_GAP_IN * (n - 1)) / sum(shares)
    axes, top = [], fr.top
    everyone = range(len(scene.acts))
    for k, order in enumerate(orders):
        h = unit * shares[k]
        rect = (fr.left / width, 1 - (top + h) / height, body_w / width, h / height)
        ax = fig.add_axes(rect, sharex=axes[0] if axes else None)
        part = select(scene, everyone, [order], shade=order == 1 or n == 1)
        draw_axes(ax, part, theme, body_w, h, xlabel=k == n - 1)
        ax.set_ylabel(f"f{PRIME[order]}(x)", labelpad=2)
        if k < n - 1:
            ax.tick_params(labelbottom=False)
        axes.append(ax)
        top += h + STACK_GAP_IN
    return axes


def grid(fig: Any, scene: Scene, theme: Any, fr: Frame) -> list[Any]:
    """One panel per activation, row by row; returns the axes."""
    from actviz.render.figure import draw_axes

    rows, cols = fr.grid
    width, height = fr.width, fr.height
    body_w, body_h = fr.body
    cell_w, cell_h = body_w / cols, body_h / rows
    pad_x, pad_top = PANEL_PAD_IN
    axes_w, axes_h = cell_w - pad_x, cell_h - pad_top - PANEL_BELOW_IN
    orders = sorted({c.order for c in scene.curves})
    axes = []
    small = {"xtick.labelsize": FONT["small"], "ytick.labelsize": FONT["small"]}
    import matplotlib

    for i in range(len(scene.acts)):
        r, c = divmod(i, cols)
        x0 = fr.left + c * cell_w + pad_x
        y0 = fr.top + r * cell_h + pad_top
        with matplotlib.rc_context(small):
            ax = fig.add_axes((x0 / width, 1 - (y0 + axes_h) / height, axes_w / width, axes_h / height))
            part = select(scene, [i], orders)
            draw_axes(ax, part, theme, axes_w, axes_h, xlabel=False, notes=not fr.compact)
        ax.tick_params(pad=2, labelsize=FONT["small"])
        label = next((cv.label for cv in scene.curves if cv.index == i and cv.order == 0), scene.acts[i].name)
        ax.set_title(label, fontsize=FONT["panel"], color=theme.foreground, pad=3)
        axes.append(ax)
    return axes
