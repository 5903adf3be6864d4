"""The hard grid of inputs for ``check --framework-run``, per dtype, as bit patterns.

16-bit formats: all 65,536 patterns (exhaustive; NaN payloads included). Wider formats: every
binade of both signs (its first and last float and 16 evenly spaced between), the subnormal
ladder, a dense [−20, 20], seeded random bit patterns (all magnitudes alike), the exp overflow and
underflow edges of the format (log of its largest, smallest normal and smallest subnormal number,
and half of them, for e^{2x}), the kinks and the saturation edges (where the correctly rounded
f or f′ reaches its value at ±inf) ± 16 floats, and ±0, ±inf, NaN.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actviz.core import ulp as u

PER_BINADE = 16
RANDOM = 1 << 16
DENSE = 1 << 16
AROUND = 16  # floats on each side of an edge


def hard_grid(act: Any, fmt: u.FloatFormat) -> np.ndarray:
    """Sorted unique bit patterns of ``fmt`` (one NaN kept) for ``act``."""
    if fmt.bits == 16:
        return np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    parts = [_binades(fmt), _subnormals(fmt), u.round_to(np.linspace(-20.0, 20.0, DENSE), fmt)]
    rng = np.random.default_rng(20261201)
    parts.append(rng.integers(0, 1 << fmt.bits, RANDOM, dtype=np.uint64).astype(fmt.uint))
    edges = []
    for v in (fmt.max_finite, fmt.min_normal, fmt.min_subnormal):
        edges += [math.log(v), math.log(v) / 2]
    edges += [float(k.x) for k in getattr(act, "kinks", ())]
    edges += _saturation_edges(act, fmt)
    for e in edges:
        for s in (e, -e):  # both signs: harmless where only one is an edge
            centre = u.round_to(np.array([s]), fmt)
            parts.append(u.step(centre, np.arange(-AROUND, AROUND + 1), fmt))
    special = np.array([0.0, -0.0, math.inf, -math.inf, math.nan, fmt.max_finite, -fmt.max_finite])
    parts.append(u.round_to(special, fmt))
    bits = np.unique(np.concatenate([np.asarray(p, dtype=fmt.uint).reshape(-1) for p in parts]))
    nan = u.is_nan(bits, fmt)
    return np.concatenate([bits[~nan], bits[nan][:1]])


def _binades(fmt: u.FloatFormat) -> np.ndarray:
    exps = np.arange(1, (1 << fmt.exp_bits) - 1, dtype=np.uint64)  # biased exponents of normals
    fracs = np.unique(np.concatenate([np.linspace(0, fmt.frac_mask, PER_BINADE + 2).astype(np.uint64),
                                      np.array([1, fmt.frac_mask - 1], np.uint64)]))
    mags = ((exps[:, None] << np.uint64(fmt.frac_bits)) | fracs[None, :]).reshape(-1)
    return np.concatenate([mags, mags | np.uint64(fmt.sign_mask)]).astype(fmt.uint)


def _subnormals(fmt: u.FloatFormat) -> np.ndarray:
    ladder = (np.uint64(1) << np.arange(fmt.frac_bits, dtype=np.uint64))
    mags = np.concatenate([ladder, ladder + np.uint64(1), np.array([fmt.frac_mask], np.uint64)])
    return np.concatenate([mags, mags | np.uint64(fmt.sign_mask)]).astype(fmt.uint)


def _saturation_edges(act: Any, fmt: u.FloatFormat) -> list[float]:
    """Where the correctly rounded f, f′ first equal their values at ±inf (bisection over floats,
    assuming the value stays once reached): one x per side and quantity, if any."""
    out = []
    top = u.ordered(u.round_to(np.array([fmt.max_finite]), fmt), fmt)[0]
    for fn in (act, act.grad):
        for side in (1, -1):
            limit = u.round_to(np.asarray(fn(np.array([side * math.inf])), dtype=np.float64), fmt)[0]
            lo, hi = 0, int(top)  # keys of |x|: f(side·x) reaches the limit somewhere in (lo, hi]

            def reached(key: int, fn=fn, side=side, limit=limit) -> bool:
                xv = u.widen(u.from_ordered(np.array([key]), fmt), fmt).astype(np.float64) * side
                return u.round_to(np.asarray(fn(xv), dtype=np.float64), fmt)[0] == limit

            if not reached(hi) or reached(lo + 1):
                continue
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if reached(mid) else (mid, hi)
            out.append(side * float(u.widen(u.from_ordered(np.array([hi]), fmt), fmt)[0]))
    return out
