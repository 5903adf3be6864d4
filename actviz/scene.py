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
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from actviz.catalog.activation import Activation
from actviz.core.arrays import sorted_unique
from actviz.core.checks import DRAWABLE_ABS, grid_range
from actviz.core.numtext import number
from actviz.plot_defaults import DEFAULT_POINTS, DEFAULT_XLIM, MAX_POINTS  # noqa: F401 (re-exported)

PRIME = ("", "′", "″")  # f, f′, f″
CLIP_FACTOR = 3.0  # automatic y-limits reach at most this many times max(|x|, 1)
MAX_ABS_LIMIT = DRAWABLE_ABS  # beyond this Matplotlib's transforms lose precision or overflow


def check_range(lo: float, hi: float, what: str, shown: tuple[str, str] | None = None,
                points: int | None = None) -> tuple[float, float]:
    """Plot limits ``lo < hi`` (finite) that can be drawn: core.checks.grid_range, the check
    every command shares, with ``drawable`` (within ±1e15, not narrower than float64 resolves
    at their magnitude). ValueError names ``what`` and ``shown`` (the text the user typed)."""
    return grid_range(lo, hi, what, points=points, drawable=True, shown=shown)


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
    label: str  # with where it holds: "dead: f′ = 0 for x ≤ 0", "σ → 1 for x > 4.585"
    short: str = ""  # without it ("dead: f′ = 0"), for a region too narrow for the label


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
    overlaps: list[Overlap] = field(default_factory=list)  # f′ drawn over f where they coincide
    bands: list[Band] = field(default_factory=list)  # rrelu: where f, f′ may lie while training

    def figure(self, ax: Any = None, *, theme: str = "light", size: tuple[float, float] | None = None,
               dpi: float | None = None, title: str | None = None, layout: str = "overlay",
               legend: str = "below") -> Any:
        """The picture (:mod:`actviz.render.figure`): a new Figure of ``size`` inches at ``dpi``
        (``size=None``: it grows with its legend, notes and panels) in ``layout`` with ``legend``,
        or drawn into ``ax`` (legend inside it unless "none"), which is returned."""
        from actviz.render import figure as fig_module

        look = fig_module.THEMES[theme]
        if ax is not None:
            inside = "none" if legend == "none" else "inside"
            return fig_module.draw_into(ax, self, theme=look, title=title, legend=inside)
        with fig_module.style(look):
            return fig_module.build_figure(self, size=size,
                                           dpi=fig_module.DEFAULT_DPI if dpi is None else dpi,
                                           theme=look, title=title, layout=layout, legend=legend)


def kink_chooser(scene: Scene) -> str:
    """Who picks the ● value at the marked kinks: "framework" (its autodiff), "actviz" (a
    formula: no framework's value is claimed) or "mixed" (catalog entries and formulas)."""
    formula = [not k.framework_values for i in {m.index for m in scene.marks} for k in scene.acts[i].kinks]
    if formula and all(formula):
        return "actviz"
    return "mixed" if any(formula) else "framework"


def kink_source(scene: Scene) -> str:
    """What the ● at a kink is, in words (plot footnotes)."""
    return {"actviz": "actviz's f′ of the formula",
            "mixed": f"what {scene.framework} returns (for a formula, actviz's f′)",
            "framework": f"what {scene.framework} returns"}[kink_chooser(scene)]


def sample_grid(xlim: tuple[float, float], points: int, acts: Sequence[Activation]) -> np.ndarray:
    """``points`` evenly spaced x values plus every kink inside ``xlim``, sorted, no duplicates."""
    lo, hi = xlim
    kinks = [k.x for a in acts for k in a.kinks if lo <= k.x <= hi]
    return sorted_unique(np.concatenate([np.linspace(lo, hi, points), np.asarray(kinks, dtype=float)]))


def plot_label(act: Activation) -> str:
    """The catalog label without the parameters at the framework's defaults: ``gelu``, not
    ``gelu (approx=false)``; ``leaky_relu (α=0.1)`` keeps the α the user chose."""
    label = act.label
    shown = getattr(act, "shown_params", ())
    if not shown:
        return label
    off = [p for p in shown if act.params[p.name] != p.default_for(act.framework)]
    full = _params_label(act, shown)
    if len(off) == len(shown) or not label.startswith(full):
        return label
    return _params_label(act, off) + label[len(full):]  # a suffix (a gated unit's gate) stays


def _params_label(act: Activation, params: Sequence) -> str:
    if not params:
        return act.name
    inner = ", ".join(f"{p.symbol}={_param_text(act.params[p.name])}" for p in params)
    return f"{act.name} ({inner})"


def _param_text(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return number(v, 6)  # as Activation.label writes it


def curve_label(act: Activation, order: int) -> str:
    """``relu``, ``relu′``, ``leaky_relu″ (α=0.1)``: the plot label with a prime on the name."""
    label = plot_label(act)
    if order == 0:
        return label
    own = getattr(act, "derivative_label", None)  # a formula: "f′ where f = x·σ(x)"
    if own is not None:
        return own(PRIME[order])
    return label.replace(act.name, act.name + PRIME[order], 1)


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
    return number(v + 0.0, 4)


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


OVERLAP = 0.005  # f′ within this fraction of the y-range of f looks like the same line
OVERLAP_RUN = 0.15  # ... over at least this fraction of the x-range: say so on the curve


@dataclass(frozen=True)
class Overlap:
    """f′ of activation ``index`` runs on top of its f for ``start ≤ x ≤ end`` (at the plot's scale)."""

    index: int
    start: float
    end: float

    def text(self, act: Activation) -> str:
        """``relu′ lies on relu for −10 ≤ x ≤ 0``."""
        return f"{act.name}′ lies on {act.name} for {_fmt(self.start)} ≤ x ≤ {_fmt(self.end)}"


def overlaps(act: Activation, index: int, grid: np.ndarray, ylim: tuple[float, float]) -> list[Overlap]:
    """Where f′ runs on top of f (relu′ = relu = 0 for x < 0), so renderers can say so: the
    dashed line hidden under the solid one must not be taken for missing."""
    f, df = np.asarray(act(grid), dtype=float), np.asarray(act.grad(grid), dtype=float)
    with np.errstate(invalid="ignore"):  # inf − inf at a runaway end: not close
        close = np.isfinite(f) & np.isfinite(df) & (np.abs(f - df) <= OVERLAP * (ylim[1] - ylim[0]))
    close &= (f >= ylim[0]) & (f <= ylim[1])
    edges = np.diff(np.concatenate(([0], close.view(np.int8), [0])))
    width = grid[-1] - grid[0]
    return [Overlap(index, float(grid[a]), float(grid[b]))
            for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True)
            if grid[b] - grid[a] >= OVERLAP_RUN * width]


def region_where(start: float, end: float) -> str:
    """Where a region holds, from its unclipped ends: ``x ≤ 0``, ``x > 4.585``, ``everywhere``.

    An end that is ±inf is not a bound (relu's dead region is all of x ≤ 0, not −10 ≤ x ≤ 0 at
    the plot's edge). A finite end is included (regions are closed): shown as ``≤`` when its
    4-digit text is exact, else rounded towards the inside and shown with ``<``, so the text
    never claims a point outside the region."""
    if start == -math.inf and end == math.inf:
        return "everywhere"
    if start == -math.inf:
        return f"x {_bound(end, inside=-1)}"
    if end == math.inf:
        return f"x {_bound(start, inside=1)}"
    lo, hi = _inward(start, 1), _inward(end, -1)
    return f"{_fmt(lo[0])} {lo[1]} x {hi[1]} {_fmt(hi[0])}"


def _inward(v: float, inside: int) -> tuple[float, str]:
    """``v`` in 4 significant digits rounded towards ``inside`` (+1: up), and ``≤`` or ``<``."""
    shown = float(f"{v:.4g}")
    if shown == v:
        return v, "≤"
    if np.nextafter(v, shown) == shown:  # the float next to a round bound: x < −1 is exact
        return shown, "<"
    if (shown - v) * inside < 0:  # rounded outwards: step one unit of the 4th digit inwards
        step = 10.0 ** (math.floor(math.log10(abs(v))) - 3)
        shown = float(f"{shown + inside * step:.4g}")
    return shown, "<"


def _bound(v: float, inside: int) -> str:
    shown, rel = _inward(v, inside)
    if inside < 0:
        return f"{rel} {_fmt(shown)}"
    return f"{rel.replace('≤', '≥').replace('<', '>')} {_fmt(shown)}"


def shades(act: Activation, index: int, xlim: tuple[float, float], threshold: float) -> list[Shade]:
    """Saturation regions (from the catalog's analysis) that overlap ``xlim``, clipped to it.

    Each label says where the whole region holds (see :func:`region_where`); a region over the
    whole line is "dead everywhere" or "abs(f′) < t everywhere", never a limit at one side."""
    from actviz.analysis import saturation_regions

    out = []
    for r in saturation_regions(act, threshold):
        start, end = max(r.start, xlim[0]), min(r.end, xlim[1])
        if start < end:
            where = region_where(r.start, r.end)
            short = r.label
            if where == "everywhere":
                short = "dead: f′ = 0" if r.kind == "dead" else f"|f′| < {number(threshold)}"
            label = f"{short} {where}" if where == "everywhere" else f"{short} for {where}"
            out.append(Shade(index, start, end, r.kind, label, short))
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
        notes.append(f"Clipped at |y| = {_fmt(cap)}: {', '.join(clipped)}. Set ylim (--ylim) to see more.")
    return (lo - pad, hi + pad), notes


def gallery_activations(framework: str | None = None) -> list[Activation]:
    """What ``actviz plot --gallery`` draws: every elementwise entry of the catalog at
    ``framework``'s defaults, in the order ``actviz list`` prints them. The vector entries
    (softmax and friends) and gated units map vectors, not numbers: they have no curve f(x)."""
    from actviz.catalog.registry import get, names

    return [get(name, framework=framework) for name in names("elementwise")]


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
    if ylim is None:
        ylim, notes = auto_ylim(curves + _band_edges(bands), xlim)
    both = {0, 1} <= set(orders)
    on_top = [o for i, a in enumerate(acts) for o in overlaps(a, i, grid, ylim)] if both else []
    notes += [a.definition.plot_note(a.params) for a in acts if a.definition.plot_note]
    framework = acts[0].framework if acts else "tensorflow"
    return Scene(list(acts), curves, marks, regions, xlim, ylim, threshold, framework, notes, callouts, auto,
                 on_top, bands)


def _band_edges(bands: Sequence[Band]) -> list[Curve]:
    """The bands' edges as curves, so automatic y-limits keep them in view (they are not drawn)."""
    return [Curve(b.index, b.order, b.label, b.x, y) for b in bands for y in (b.low, b.high)]


def select(scene: Scene, indices: Sequence[int], orders: Sequence[int], *, shade: bool = True,
           callouts: bool = True) -> Scene:
    """The part of ``scene`` one panel draws: activations ``indices``, derivative ``orders``.

    Indices (and so colours) stay those of the whole scene. Automatic y-limits are fitted to
    the selected curves (the notes of the whole scene stay with the whole figure)."""
    keep = set(indices)
    curves = [c for c in scene.curves if c.index in keep and c.order in orders]
    bands = [b for b in scene.bands if b.index in keep and b.order in orders]
    ylim = scene.ylim
    if scene.ylim_auto and curves:
        ylim, _ = auto_ylim(curves + _band_edges(bands), scene.xlim)
    return replace(
        scene, curves=curves, marks=[m for m in scene.marks if m.index in keep and m.order in orders],
        shades=[s for s in scene.shades if s.index in keep] if shade else [], ylim=ylim,
        callouts=[c for c in scene.callouts if c.index in keep] if callouts and 0 in orders else [],
        overlaps=[o for o in scene.overlaps if o.index in keep] if {0, 1} <= set(orders) else [], notes=[],
        bands=bands,
    )
