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


def _ordered(x: float) -> int:
    """Map a float64 to an integer with the same order (for bisection over floats)."""
    i = int(np.array(x, dtype=np.float64).view(np.int64))
    return i if i >= 0 else -(i & 0x7FFFFFFFFFFFFFFF)


def _from_ordered(i: int) -> float:
    bits = i if i >= 0 else (-i) | (-0x8000000000000000)
    return float(np.array(bits, dtype=np.int64).view(np.float64))


def _last_inside(act: Activation, inside: float, outside: float, threshold: float) -> float:
    """The float nearest ``outside`` that is still inside (abs(f′) < threshold), by bisection."""
    a, b = _ordered(inside), _ordered(outside)
    while abs(b - a) > 1:
        mid = (a + b) // 2
        if abs(float(act.grad(_from_ordered(mid)))) < threshold:
            a = mid
        else:
            b = mid
    return _from_ordered(a)


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
    regions: list[Region] = []
    for i, j in zip(firsts.tolist(), lasts.tolist(), strict=True):
        start = grid[i] if i == 0 else _last_inside(act, grid[i], grid[i - 1], threshold)
        end = grid[j] if j == n - 1 else _last_inside(act, grid[j], grid[j + 1], threshold)
        ends = [x for x in (start, end) if math.isfinite(x)]
        dead = bool(np.all(df[i : j + 1] == 0.0)) and all(act.grad(x) == 0.0 for x in ends)
        regions.append(_describe(act, float(start), float(end), dead))
    return regions


def _describe(act: Activation, start: float, end: float, dead: bool) -> Region:
    if dead:
        return Region(start, end, "dead", "dead: f′ = 0")
    symbol = "σ" if act.name == "sigmoid" else act.name
    if end == math.inf or start == -math.inf:
        side = math.inf if end == math.inf else -math.inf
        limit = float(act(side))
        return Region(start, end, "vanishing", f"{symbol} → {_limit_text(limit)}")
    return Region(start, end, "flat", "f′ ≈ 0 near a stationary point")


def _limit_text(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v + 0.0:g}".replace("-", "−")  # + 0.0 turns −0 into 0


def classify(df: np.ndarray, x: np.ndarray, regions: list[Region], threshold: float) -> np.ndarray:
    """Per point: ACTIVE, VANISHING (abs(f′) < threshold) or DEAD (inside a dead region)."""
    codes = (np.abs(df) < threshold).astype(np.int8)
    for r in regions:
        if r.kind == "dead":  # a max with a 0/2 mask: ~20× faster than boolean-index assignment
            np.maximum(codes, r.contains(x).view(np.int8) * np.int8(DEAD), out=codes)
    return codes
