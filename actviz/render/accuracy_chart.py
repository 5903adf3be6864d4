"""The ``info FORMULA --accuracy --plot FILE`` figure: ULP error against x for each program.

x on an axis that is linear on [−40, 40] and logarithmic beyond, each tail out to ±1e300 as wide
as the middle (Matplotlib's own symlog overflows that far out), error on a log axis
(a program that overflows or gives NaN is drawn at the top). Every number comes from
:mod:`actviz.expr.accuracy`; Matplotlib is imported inside the function only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actviz.core.numtext import MINUS, number
from actviz.expr.accuracy import PROGRAMS, AccuracyReport

TOP = 1e17  # where overflow/NaN is drawn


def figure(report: AccuracyReport) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9.0, 4.8), dpi=100, layout="constrained")
    ax = fig.subplots()
    order = np.argsort(report.x)
    x = report.x[order]
    u = _axis(x)
    for i, program in enumerate(PROGRAMS):
        e = np.minimum(report.ulps[program][order], TOP)
        ax.plot(u, np.maximum(e, 1e-3), marker=".", linestyle="none", markersize=4, color=f"C{i}",
                label=program)
    marks = [-1e300, -1e100, -40.0, -5.0, 0.0, 5.0, 40.0, 1e100, 1e300]
    ax.set_xticks([float(_axis(np.array([v]))[0]) for v in marks], [_tick(v) for v in marks])
    ax.axvspan(-40, 40, color="0.95", zorder=0)
    ax.set_yscale("log")
    ax.set_ylim(1e-3, TOP * 3)
    ax.axhline(0.5, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_xlabel("x")
    ax.set_ylabel("error in ULP (top: overflow or NaN)")
    ax.set_title(report.formula)
    ax.legend(loc="upper left", fontsize="small")
    return fig


def draw(report: AccuracyReport, path: str, fmt: str) -> None:
    from actviz.render.figure_file import save_to_file

    save_to_file(figure(report), path, fmt)


_SPAN = 40.0
_DECADES = np.log10(1e300 / _SPAN)


def _axis(x: np.ndarray) -> np.ndarray:
    mag = np.abs(x)
    far = _SPAN + _SPAN * np.log10(np.maximum(mag, _SPAN) / _SPAN) / _DECADES
    return np.where(mag <= _SPAN, x, np.sign(x) * far)


def _tick(v: float) -> str:
    if v == 0:
        return "0"
    mag = abs(v)
    text = number(mag, 6) if mag < 1e3 else f"1e{round(float(np.log10(mag)))}"
    return (MINUS if v < 0 else "") + text
