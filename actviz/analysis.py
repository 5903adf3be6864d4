"""Where an activation's gradient vanishes: saturation regions, shared by ``plot`` and ``derive``.

A region is a maximal interval on which abs(f′(x)) < threshold. Its ends are found by a scan of
f′ over the whole float64 line (dense near 0, geometric in the tails, ±inf included), then
bisection on the bit patterns of float64 numbers, so each finite end is the last float inside
the region: as exact as f′ itself. Kinds:

- ``dead``: f′ is exactly 0 on the whole region (relu for x ≤ 0): no gradient at all;
- ``vanishing``: abs(f′) tends to 0 toward an unbounded end (sigmoid's tails: "σ → 1");
- ``flat``: a bounded stretch around a stationary point of f (gelu near −0.75).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from actviz.catalog.activation import Activation
from actviz.core.arrays import sorted_unique
from actviz.core.numtext import number

ACTIVE, VANISHING, DEAD = 0, 1, 2
CODE_NAMES = {ACTIVE: "active", VANISHING: "vanishing", DEAD: "dead"}


@dataclass(frozen=True)
class Region:
    """abs(f′) < threshold on [start, end] (ends may be ±inf)."""

    start: float
    end: float
    kind: str  # "dead" | "vanishing" | "flat"
    label: str  # short human text, e.g. "σ → 1" or "dead: f′ = 0"

    def contains(self, x: np.ndarray) -> np.ndarray:
        return (x >= self.start) & (x <= self.end)


@functools.cache
def _base_grid() -> np.ndarray:
    """±inf, a dense [−60, 60] and geometric tails out to 1.7e308: sorted, computed once."""
    tail = 60.0 * 1.2 ** np.arange(0, 3800)
    tail = tail[tail < 1.7e308]
    dense = np.linspace(-60.0, 60.0, 24001)
    return sorted_unique(np.concatenate(([-math.inf, math.inf], dense, tail, -tail)))


def _scan_grid(act: Activation) -> np.ndarray:
    """The base grid with the kinks inserted in order (no re-sort of 31,601 points)."""
    base = _base_grid()
    kinks = sorted_unique([k.x for k in act.kinks])
    kinks = kinks[base[np.searchsorted(base, kinks)] != kinks]  # only those not already there
    return np.insert(base, np.searchsorted(base, kinks), kinks)


_SIGN = np.int64(-0x8000000000000000)
_MAGNITUDE = np.int64(0x7FFFFFFFFFFFFFFF)
_WAYS = 64  # points per end and round of the search: 6 bits of the float per f′ call


def _ordered(x: np.ndarray) -> np.ndarray:
    """Map float64s to integers with the same order (for bisection over floats)."""
    i = np.ascontiguousarray(x, dtype=np.float64).view(np.int64)
    return np.where(i >= 0, i, -(i & _MAGNITUDE))


def _from_ordered(i: np.ndarray) -> np.ndarray:
    bits = np.where(i >= 0, i, (-i) | _SIGN)
    return bits.view(np.float64)


def _last_inside(act: Activation, inside: np.ndarray, outside: np.ndarray, threshold: float) -> np.ndarray:
    """For each pair, the float nearest ``outside`` that is still inside (abs(f′) < threshold).

    A 64-way search over the floats between each pair, all pairs at once: every round splits
    each interval at 63 points with one f′ call for all of them and keeps the piece before the
    first point outside (about 11 calls in all, where bisection made ~60 calls per end).
    """
    a, b = _ordered(inside), _ordered(outside)
    steps = np.arange(1, _WAYS, dtype=np.int64)
    while True:
        gap = b - a
        live = np.abs(gap) > 1
        if not live.any():
            return _from_ordered(a)
        # candidates strictly between a and b, in order from a towards b, one row per pair
        g, sign = np.abs(gap[live, None]), np.sign(gap[live, None])
        # ⌊g·j/64⌋ without overflow (g is up to 2⁶³ across 0, where every tiny float lies between)
        off = np.maximum((g // _WAYS) * steps + ((g % _WAYS) * steps) // _WAYS, 1)  # 1 ≤ off < g
        cand = a[live, None] + sign * off
        ok = np.abs(act.grad(_from_ordered(cand.ravel()))).reshape(cand.shape) < threshold
        first_out = np.where(ok.all(axis=1), _WAYS - 1, np.argmin(ok, axis=1))
        rows = np.arange(cand.shape[0])
        new_b = np.where(first_out < _WAYS - 1, cand[rows, np.minimum(first_out, _WAYS - 2)], b[live])
        new_a = np.where(first_out > 0, cand[rows, np.maximum(first_out - 1, 0)], a[live])
        a[live], b[live] = new_a, new_b


def saturation_regions(act: Activation, threshold: float = 0.01) -> list[Region]:
    """Maximal intervals where abs(f′(x)) < threshold, with their kind and label."""
    if not (threshold > 0 and math.isfinite(threshold)):
        raise ValueError(f"threshold must be a finite number > 0, got {threshold}")
    grid = _scan_grid(act)
    df = np.abs(act.grad(grid))
    inside = df < threshold
    n = grid.size
    # Runs of consecutive inside points: [first, last] index pairs.
    edges = np.diff(np.concatenate(([0], inside.view(np.int8), [0])))
    firsts, lasts = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    # Every finite end at once: the last float inside next to each run's outside neighbour.
    at_start = firsts > 0
    at_end = lasts < n - 1
    ins = np.concatenate((grid[firsts[at_start]], grid[lasts[at_end]]))
    outs = np.concatenate((grid[firsts[at_start] - 1], grid[lasts[at_end] + 1]))
    found = _last_inside(act, ins, outs, threshold) if ins.size else ins
    starts, ends = grid[firsts].copy(), grid[lasts].copy()
    starts[at_start] = found[: int(at_start.sum())]
    ends[at_end] = found[int(at_start.sum()):]
    regions: list[Region] = []
    for i, j, start, end in zip(firsts.tolist(), lasts.tolist(), starts.tolist(), ends.tolist(), strict=True):
        ends_ = [x for x in (start, end) if math.isfinite(x)]
        dead = bool(np.all(df[i : j + 1] == 0.0)) and all(act.grad(x) == 0.0 for x in ends_)
        regions.append(_describe(act, float(start), float(end), dead, threshold))
    return regions


def _describe(act: Activation, start: float, end: float, dead: bool, threshold: float) -> Region:
    if dead:
        return Region(start, end, "dead", "dead: f′ = 0")
    if start == -math.inf and end == math.inf:  # no side to name a limit for
        return Region(start, end, "vanishing", f"|f′| < {number(threshold)} everywhere")
    symbol = "σ" if act.name == "sigmoid" else act.name
    if end == math.inf or start == -math.inf:
        side = math.inf if end == math.inf else -math.inf
        limit = float(act(side))
        return Region(start, end, "vanishing", f"{symbol} → {_limit_text(limit)}")
    return Region(start, end, "flat", "f′ ≈ 0 near a stationary point")


def _limit_text(v: float) -> str:
    return number(v + 0.0, 6)  # + 0.0 turns −0 into 0


def classify(df: np.ndarray, x: np.ndarray, regions: list[Region], threshold: float) -> np.ndarray:
    """Per point: ACTIVE, VANISHING (abs(f′) < threshold) or DEAD (inside a dead region)."""
    codes = (np.abs(df) < threshold).astype(np.int8)
    for r in regions:
        if r.kind == "dead":  # a max with a 0/2 mask: ~20× faster than boolean-index assignment
            np.maximum(codes, r.contains(x).view(np.int8) * np.int8(DEAD), out=codes)
    return codes
