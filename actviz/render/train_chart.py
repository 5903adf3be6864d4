"""The ``actviz train --plot`` figure: small multiples of what training did.

Top row: training loss (solid; test loss dashed) of every activation against the step, on a log
scale, shaded ± one standard deviation over seeds; the share of dead hidden units against the
step; the gradient norm ‖∂L/∂W_l‖ per layer at step 0 (dashed) and at the end (solid). Bottom
row, for 2-D data: each activation's decision regions (P(class 1), or the most likely class
shaded by its probability) with the training points (dots) and test points (crosses); for 1-D
data: the data and every activation's prediction on one axis.

Every number comes from :mod:`actviz.train.result`. Matplotlib is imported inside the functions
only; the file is saved by :mod:`actviz.render.figure_file` (atomic, same bytes for the same input).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actviz.core.numtext import number
from actviz.train.result import TrainResult

MAX_REGION_PANELS = 8


def _positive(values: list[float | None]) -> np.ndarray:
    return np.array([v if v is not None and v > 0 and math.isfinite(v) else np.nan for v in values])


def _curves(ax_loss: Any, ax_dead: Any, ax_grad: Any, result: TrainResult) -> None:
    for i, r in enumerate(result.results):
        color = f"C{i % 10}"
        curve = r.curve()
        steps = np.array([p.step for p in curve])
        train = _positive([p.mean["train_loss"] for p in curve])
        test = _positive([p.mean["test_loss"] for p in curve])
        ax_loss.plot(steps, train, color=color, label=r.act.label, linewidth=1.4)
        ax_loss.plot(steps, test, color=color, linestyle="--", linewidth=0.9, alpha=0.8)
        if result.config.seeds > 1:
            std = np.array([p.std["train_loss"] or 0.0 for p in curve])
            low = np.where(train - std > 0, train - std, train)
            ax_loss.fill_between(steps, low, train + std, color=color, alpha=0.15, linewidth=0)
        dead = [float(np.mean(p.dead)) if p.dead else np.nan for p in curve]
        ax_dead.plot(steps, dead, color=color, label=r.act.label, linewidth=1.4)
        first, last = curve[0], r.final()
        layers = np.arange(1, len(last.grad_norm) + 1)
        ax_grad.plot(layers, _positive(list(first.grad_norm)), color=color, linestyle="--", marker="o",
                     markersize=3, linewidth=0.9)
        ax_grad.plot(layers, _positive(list(last.grad_norm)), color=color, marker="o", markersize=3,
                     linewidth=1.4, label=r.act.label)
    _log_if_positive(ax_loss)
    for i, r in enumerate(result.results):  # after the scale: these lines span the axes, not data
        for step in r.diverged:
            ax_loss.axvline(step, color=f"C{i % 10}", linestyle=":", linewidth=1.0)
    ax_loss.set_title("loss (solid: training, dashed: test)", fontsize=10)
    ax_loss.set_xlabel("step")
    ax_loss.legend(fontsize=8, loc="best")
    ax_dead.set_title("dead units, all hidden layers (f′ = 0 on every training input)", fontsize=10)
    ax_dead.set_xlabel("step")
    ax_dead.set_ylim(-0.03, 1.03)
    ax_dead.yaxis.set_major_formatter(_percent())
    depth = result.config.depth
    _log_if_positive(ax_grad)
    ax_grad.set_title("‖∂L/∂W‖ per layer (dashed: step 0, solid: end)", fontsize=10)
    ax_grad.set_xlabel("layer")
    ax_grad.set_xticks(list(range(1, depth + 2)), [*map(str, range(1, depth + 1)), "out"])
    for ax in (ax_loss, ax_dead, ax_grad):
        ax.grid(True, alpha=0.3)


def _log_if_positive(ax: Any) -> None:
    """A log y-axis when some line has a positive finite value (else nothing is drawn: stay linear)."""
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        if np.any(np.isfinite(y) & (y > 0)):
            ax.set_yscale("log")
            return


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def _regions(axes: list[Any], result: TrainResult) -> None:
    from matplotlib.colors import to_rgb

    data = result.points
    xtr, xte = data.raw(data.x_train), data.raw(data.x_test)
    multiclass = result.data.task == "multiclass"
    palette = np.array([to_rgb(f"C{k % 10}") for k in range(max(2, len(result.data.classes)))])
    for ax, r in zip(axes, result.results, strict=False):
        pic = r.runs[0].picture
        ax.set_title(r.act.label, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        if pic is None:
            ax.text(0.5, 0.5, "diverged", ha="center", va="center", transform=ax.transAxes, color="0.4")
            continue
        xs, ys = pic.grid
        extent = (xs[0], xs[-1], ys[0], ys[-1])
        if multiclass:
            cls = np.argmax(pic.values, axis=-1)
            conf = np.max(pic.values, axis=-1)[..., None]
            rgb = palette[cls] * conf + (1.0 - conf)  # strong colour where the net is sure
            ax.imshow(rgb, origin="lower", extent=extent, aspect="auto", interpolation="nearest")
        else:
            ax.imshow(pic.values, origin="lower", extent=extent, aspect="auto", cmap="RdBu_r", vmin=0.0,
                      vmax=1.0, alpha=0.75, interpolation="nearest")
        ytr = data.y_train if multiclass else data.y_train.astype(int)
        yte = data.y_test if multiclass else data.y_test.astype(int)
        colors = palette if multiclass else np.array([to_rgb("#2166ac"), to_rgb("#b2182b")])
        ax.scatter(xtr[:, 0], xtr[:, 1], c=colors[ytr], s=7, edgecolors="black", linewidths=0.25)
        ax.scatter(xte[:, 0], xte[:, 1], c=colors[yte], s=12, marker="x", linewidths=0.8)
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])


def _fit(ax: Any, result: TrainResult) -> None:
    data = result.points
    ax.scatter(data.raw(data.x_train)[:, 0], np.asarray(data.y_train, dtype=float).reshape(-1), s=6,
               color="0.55", label="training points")
    ax.scatter(data.raw(data.x_test)[:, 0], np.asarray(data.y_test, dtype=float).reshape(-1), s=10,
               color="0.3", marker="x", linewidths=0.8, label="test points")
    for i, r in enumerate(result.results):
        pic = r.runs[0].picture
        if pic is not None:
            values = np.asarray(pic.values)
            values = np.argmax(values, axis=-1) if result.data.task == "multiclass" else values.reshape(-1)
            ax.plot(pic.grid[0], values, color=f"C{i % 10}", linewidth=1.6, label=r.act.label)
    what = {"binary": "P(class 1)", "multiclass": "most likely class"}.get(result.data.task, "prediction")
    ax.set_title(f"{what} of each trained net (output {result.head.output})", fontsize=10)
    ax.set_xlabel(result.data.features[0])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")


def figure(result: TrainResult) -> Any:
    """The whole Figure (object API, no pyplot state)."""
    from matplotlib.figure import Figure

    dims = result.points.dims if result.points is not None else 0
    has_regions = dims == 2 and result.data.task != "regression"
    panels = min(len(result.results), MAX_REGION_PANELS) if has_regions else 0
    cols = max(3, panels)
    rows = 2 if (has_regions or dims == 1) else 1
    fig = Figure(figsize=(max(12.0, 3.2 * cols), 4.2 * rows), dpi=100, layout="constrained")
    grid = fig.add_gridspec(rows, 1)
    top = grid[0].subgridspec(1, 3)
    _curves(fig.add_subplot(top[0]), fig.add_subplot(top[1]), fig.add_subplot(top[2]), result)
    if has_regions:
        bottom = grid[1].subgridspec(1, cols)
        _regions([fig.add_subplot(bottom[i]) for i in range(panels)], result)
    elif dims == 1:
        _fit(fig.add_subplot(grid[1]), result)
    c, d = result.config, result.data
    seeds = f"seed {c.seed}" if c.seeds == 1 else f"mean of {c.seeds} seeds"
    fig.suptitle(f"{d.name} ({d.task}, {d.train}+{d.test} points): {c.depth} hidden layers × {c.width}, "
                 f"{c.optimizer} lr {number(c.lr)}, batch {c.batch or 'all'}, {c.steps} steps, {seeds}; "
                 f"output {result.head.output}", fontsize=11)
    return fig


def draw(result: TrainResult, path: str) -> None:
    """Build the figure for ``result`` and write it to ``path``."""
    from actviz.render.figure_file import format_of, save_to_file

    fmt = format_of(path)
    assert fmt is not None
    save_to_file(figure(result), path, fmt)
