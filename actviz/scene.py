"""What a plot shows, without drawing it: sampled curves, kink marks, shaded regions, y-limits.

The plot's result model: :func:`build_scene` samples the catalog into a :class:`Scene`, which
``render/figure.py`` (Matplotlib) and ``render/terminal.py`` (braille) draw. It sits below
``render`` because it computes (samples the catalog, finds saturation regions); renderers only draw.

Every number comes from the catalog (``act(x)``, ``act.grad(x)``, ``act.grad2(x)``, ``act.kinks``)
and from :func:`actviz.analysis.saturation_regions`. This module only decides *where* to ask:
the sample grid contains every kink exactly, and a curve is split (a NaN break) where it jumps,
so no renderer ever draws a vertical line across a jump. The Matplotlib figure and the terminal
plot both draw the same :class:`Scene`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from actviz.catalog.activation import Activation
from actviz.core.arrays import sorted_unique
from actviz.core.checks import interval
from actviz.plot_defaults import DEFAULT_POINTS, DEFAULT_XLIM, MAX_POINTS  # noqa: F401 (re-exported)

PRIME = ("", "′", "″")  # f, f′, f″
CLIP_FACTOR = 3.0  # automatic y-limits reach at most this many times max(|x|, 1)
MAX_ABS_LIMIT = 1e15  # beyond this Matplotlib's transforms lose precision or overflow


def check_range(lo: float, hi: float, what: str, shown: tuple[str, str] | None = None) -> tuple[float, float]:
    """Plot limits ``lo < hi`` (finite) that can be drawn: within ±MAX_ABS_LIMIT and not narrower
    than float64 resolves at their magnitude. ValueError names ``what`` and ``shown`` (the text
    the user typed; default: the numbers)."""
    interval(lo, hi, what, shown)
    a, b = shown if shown is not None else (f"{lo:g}", f"{hi:g}")
    if max(abs(lo), abs(hi)) > MAX_ABS_LIMIT:
        raise ValueError(f"{what} must stay within ±{MAX_ABS_LIMIT:g}, got {a} {b}")
    if hi - lo < 1e-9 * max(abs(lo), abs(hi)):
        raise ValueError(f"{what} {a} {b} is too narrow to plot at this magnitude")
    return lo, hi


@dataclass(frozen=True)
class Curve:
    """One line: f, f′ or f″ (``order`` 0, 1, 2) of activation number ``index``."""

    index: int
    order: int
    label: str
    x: np.ndarray  # NaN entries break the line
    y: np.ndarray


@dataclass(frozen=True)
class KinkMark:
    """The value the framework returns at a kink (filled) and the other one-sided limit (open)."""

    index: int
    order: int
    x: float
    value: float
    other: float | None  # the one-sided limit the framework does not take (None if equal)
    text: str  # e.g. "relu′(0) = 0"


@dataclass(frozen=True)
class Shade:
    """A saturation region of activation ``index`` clipped to the x-range."""

    index: int
    start: float
    end: float
    kind: str  # "dead" | "vanishing" | "flat"
    label: str


@dataclass(frozen=True)
class Band:
    """Where curve ``order`` of activation ``index`` may lie while training, to shade: between
    ``low`` and ``high`` over ``x`` (rrelu: slopes from U(lower, upper) for x < 0)."""

    index: int
    order: int
    x: np.ndarray
    low: np.ndarray
    high: np.ndarray
    label: str


@dataclass(frozen=True)
class Callout:
    """A short text on a curve, e.g. the small slope of leaky_relu (α=0.01) left of its kink."""

    index: int
    x: float
    y: float
    text: str


@dataclass
class Scene:
    """Everything a renderer needs; renderers add colours and fonts, nothing else."""

    acts: list[Activation]
    curves: list[Curve]
    marks: list[KinkMark]
    shades: list[Shade]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    threshold: float
    framework: str
    notes: list[str] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    ylim_auto: bool = True  # False when the user chose --ylim
    bands: list[Band] = field(default_factory=list)


def sample_grid(xlim: tuple[float, float], points: int, acts: Sequence[Activation]) -> np.ndarray:
    """``points`` evenly spaced x values plus every kink inside ``xlim``, sorted, no duplicates."""
    lo, hi = xlim
    kinks = [k.x for a in acts for k in a.kinks if lo <= k.x <= hi]
    return sorted_unique(np.concatenate([np.linspace(lo, hi, points), np.asarray(kinks, dtype=float)]))


def curve_label(act: Activation, order: int) -> str:
    """``relu``, ``relu′``, ``leaky_relu″ (α=0.2)``: the catalog label with a prime on the name."""
    if order == 0:
        return act.label
    own = getattr(act, "derivative_label", None)  # a formula: "f′ where f = x·σ(x)"
    if own is not None:
        return own(PRIME[order])
    return act.label.replace(act.name, act.name + PRIME[order], 1)


def _evaluator(act: Activation, order: int) -> Callable[[np.ndarray], np.ndarray]:
    return (act, act.grad, act.grad2)[order]


def _one_sided(act: Activation, order: int, kink) -> tuple[float, float] | None:
    """Left and right limits of the order-th derivative at ``kink``, or None if it is continuous."""
    if order == 1:
        left, right = kink.left, kink.right
    elif order == 0 and not kink.f_jumps:
        return None
    else:
        g = _evaluator(act, order)
        near = np.array([np.nextafter(kink.x, -np.inf), np.nextafter(kink.x, np.inf)])
        left, right = (float(v) for v in g(near))
    return None if left == right else (left, right)


def build_curve(act: Activation, index: int, order: int, grid: np.ndarray) -> Curve:
    """Sample one curve on ``grid``, split with a NaN at each jump strictly inside the grid."""
    y = np.asarray(_evaluator(act, order)(grid), dtype=float)
    xs, ys, start = [], [], 0
    for kink in act.kinks:
        if not grid[0] < kink.x < grid[-1]:
            continue
        limits = _one_sided(act, order, kink)
        if limits is None:
            continue
        k = int(np.searchsorted(grid, kink.x))  # grid holds kink.x exactly
        xs += [grid[start:k], [kink.x, math.nan, kink.x]]
        ys += [y[start:k], [limits[0], math.nan, limits[1]]]
        start = k + 1
    xs.append(grid[start:])
    ys.append(y[start:])
    return Curve(index, order, curve_label(act, order), np.concatenate(xs), np.concatenate(ys))


def _fmt(v: float) -> str:
    return f"{v + 0.0:.4g}".replace("-", "−")


def kink_marks(
    act: Activation, index: int, orders: Sequence[int], xlim: tuple[float, float]
) -> list[KinkMark]:
    """Marks at kinks inside ``xlim``: f′ where plotted, and f where f itself jumps."""
    marks = []
    for kink in act.kinks:
        if not xlim[0] <= kink.x <= xlim[1]:
            continue
        for order in orders:
            limits = _one_sided(act, order, kink)
            if order == 2 or limits is None:
                continue
            value = float(_evaluator(act, order)(kink.x))
            left, right = limits
            other = right if value == left else left
            text = f"{act.name}{PRIME[order]}({_fmt(kink.x)}) = {_fmt(value)}"
            marks.append(KinkMark(index, order, kink.x, value, other, text))
    return marks


SMALL_SLOPE = 0.05  # a side whose f′ is at most this fraction of the other side's gets a callout


def small_slopes(act: Activation, index: int, xlim: tuple[float, float]) -> list[Callout]:
    """Name the small but non-zero slope next to a kink (leaky_relu α=0.01): it looks flat."""
    out = []
    for kink in act.kinks:
        if not xlim[0] < kink.x < xlim[1]:
            continue
        for limit, other, side in ((kink.left, kink.right, -1), (kink.right, kink.left, 1)):
            if limit != 0 and abs(limit) <= SMALL_SLOPE * abs(other):
                edge = xlim[0] if side < 0 else xlim[1]
                x = kink.x + 0.3 * (edge - kink.x)
                out.append(Callout(index, x, float(act(x)), f"slope {_fmt(limit)}"))
    return out


def shades(act: Activation, index: int, xlim: tuple[float, float], threshold: float) -> list[Shade]:
    """Saturation regions (from the catalog's analysis) that overlap ``xlim``, clipped to it."""
    from actviz.analysis import saturation_regions

    out = []
    for r in saturation_regions(act, threshold):
        start, end = max(r.start, xlim[0]), min(r.end, xlim[1])
        if start < end:
            out.append(Shade(index, start, end, r.kind, r.label))
    return out


def training_bands(act: Activation, index: int, orders: Sequence[int],
                   xlim: tuple[float, float]) -> list[Band]:
    """The training-time band of ``act`` (its definition's ``training_band``: the slopes x < 0
    may get) for f and f′ within ``xlim``; none for f″ (0 there) or a deterministic entry."""
    slopes = act.definition.training_band
    if slopes is None or xlim[0] >= 0:
        return []
    lo, hi = slopes(act.params)
    x = np.array([xlim[0], min(0.0, xlim[1])])
    out = []
    for order in orders:
        if order == 0:
            low, high = np.minimum(lo * x, hi * x), np.maximum(lo * x, hi * x)
        elif order == 1:
            low, high = np.full(2, lo), np.full(2, hi)
        else:
            continue
        out.append(Band(index, order, x, low, high, f"{act.name}{PRIME[order]} while training"))
    return out


def auto_ylim(curves: Sequence[Curve], xlim: tuple[float, float]) -> tuple[tuple[float, float], list[str]]:
    """Y-limits that show every curve, unless one runs away; then clip it and say so.

    A curve that leaves ``±CLIP_FACTOR · max(|x|, 1)`` (an exponential) would flatten the others,
    so the limits stop there and a note names the clipped curves and how far they go.
    """
    cap = CLIP_FACTOR * max(abs(xlim[0]), abs(xlim[1]), 1.0)
    lo, hi = 0.0, 0.0  # the x-axis is always in view
    notes, clipped = [], []
    for c in curves:  # each holds both one-sided limits at its kinks, so marks are inside too
        label, finite = c.label, c.y[np.isfinite(c.y)]
        if finite.size == 0:
            notes.append(f"{label}: no finite values for x in [{_fmt(xlim[0])}, {_fmt(xlim[1])}]")
            continue
        ymin, ymax = float(finite.min()), float(finite.max())
        if ymax > cap:
            clipped.append(f"{label} (max {_fmt(ymax)})")
        elif ymin < -cap:
            clipped.append(f"{label} (min {_fmt(ymin)})")
        lo, hi = min(lo, max(ymin, -cap)), max(hi, min(ymax, cap))
    if hi - lo == 0:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.06 * (hi - lo)
    if clipped:
        notes.append(f"Clipped at |y| = {_fmt(cap)}: {', '.join(clipped)}. Set --ylim to see more.")
    return (lo - pad, hi + pad), notes


def build_scene(
    acts: Sequence[Activation],
    orders: Sequence[int],
    *,
    xlim: tuple[float, float] = DEFAULT_XLIM,
    ylim: tuple[float, float] | None = None,
    points: int = DEFAULT_POINTS,
    threshold: float = 0.01,
    shade: bool = True,
) -> Scene:
    """Sample ``acts`` (f and the derivatives in ``orders``) on ``xlim``; shade if ``shade``."""
    if not 2 <= points <= MAX_POINTS:
        raise ValueError(f"points must be between 2 and {MAX_POINTS:,}, got {points}")
    grid = sample_grid(xlim, points, acts)
    curves = [build_curve(a, i, o, grid) for i, a in enumerate(acts) for o in orders]
    marks = [m for i, a in enumerate(acts) for m in kink_marks(a, i, orders, xlim)]
    regions = [s for i, a in enumerate(acts) for s in shades(a, i, xlim, threshold)] if shade else []
    callouts = [c for i, a in enumerate(acts) for c in small_slopes(a, i, xlim)]
    bands = [b for i, a in enumerate(acts) for b in training_bands(a, i, orders, xlim)]
    notes: list[str] = []
    auto = ylim is None
    if ylim is None:  # the bands' edges in view too (they are not drawn as lines)
        edges = [Curve(b.index, b.order, b.label, b.x, y) for b in bands for y in (b.low, b.high)]
        ylim, notes = auto_ylim(curves + edges, xlim)
    notes += [a.definition.plot_note(a.params) for a in acts if a.definition.plot_note]
    framework = acts[0].framework if acts else "tensorflow"
    return Scene(list(acts), curves, marks, regions, xlim, ylim, threshold, framework, notes, callouts, auto,
                 bands)
