"""snake / snake_beta kernels where their fast paths take over: against mpmath (tests/mpref_zoo.py),
within the catalog's 4·max(1, κ) ULP, on points chosen where the shortcuts work hardest.

- f′'s trough (sin 2αx < −½, 0.75 ≤ α/β ≤ 1.5), evaluated by a polynomial in the distance d to
  the trough's bottom after a Cody–Waite reduction: points right at the bottoms (1 + sin → 0) for
  small and huge phases, on both sides of the polynomial's 2²⁰ limit (libm beyond), for power-of-two
  α (exact phase) and others (phase as a pair), r = 1 and r ≠ 1 (where f′ has roots).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

import actviz
from tests.accuracy_grid import measure, ulp

TROUGH_CASES = [
    ("snake", {}), ("snake", {"alpha": 0.5}), ("snake", {"alpha": 2.5}), ("snake", {"alpha": 1e-3}),
    ("snake", {"alpha": 300.0}),
    ("snake_beta", {"alpha": 1.0, "beta": 0.8}), ("snake_beta", {"alpha": 1.2, "beta": 1.0}),
    ("snake_beta", {"alpha": 1.5, "beta": 1.0}), ("snake_beta", {"alpha": 0.75, "beta": 1.0}),
    ("snake_beta", {"alpha": 4.0, "beta": 3.0}),
]


def _params(name: str, p: dict) -> tuple[float, float]:
    a = p.get("alpha", 1.0)
    return a, (p.get("beta", 1.0) if name == "snake_beta" else a)


def _trough_points(alpha: float, seed: int) -> np.ndarray:
    """x near the bottoms of 1 + sin(2αx) (2αx = −π/2 + 2πm), m small to 1e7 (phases past 2²⁰),
    at offsets from 1e−12 to 1 radian of the phase, and uniform over the first troughs."""
    rng = np.random.default_rng(seed)
    m = np.concatenate([np.arange(-3, 4), rng.integers(-10**7, 10**7, 300)]).astype(float)
    bottoms = (-math.pi / 2 + 2 * math.pi * m) / (2 * alpha)
    offsets = 10.0 ** rng.uniform(-12, 0, bottoms.size) * rng.choice([-1.0, 1.0], bottoms.size)
    near = bottoms + offsets / (2 * alpha)
    neighbours = np.concatenate([np.nextafter(bottoms, np.inf), np.nextafter(bottoms, -np.inf)])
    uniform = rng.uniform(-3 * math.pi, 3 * math.pi, 3000) / (2 * alpha)
    return np.concatenate([bottoms, near, neighbours, uniform])


@pytest.mark.parametrize("case", TROUGH_CASES, ids=[f"{n}:{p}" for n, p in TROUGH_CASES])
def test_grad_in_the_trough_matches_mpmath(case):
    name, p = case
    act = actviz.get(name, **p)
    alpha, _ = _params(name, p)
    xs = _trough_points(alpha, seed=len(str(p)))
    bad = [f"x={pt.x!r}: {pt.ulps:.2f} ULP, κ={pt.kappa:.3g}" for pt in measure(act, 1, xs)
           if pt.problem or pt.ulps > 4.0 * max(1.0, pt.kappa)]
    assert not bad, f"{len(bad)} points off:\n" + "\n".join(bad[:10])


def test_grad_trough_is_within_one_ulp_at_unit_ratio_even_at_the_bottoms():
    # Far better than the contract below the polynomial's 2²⁰ limit: 1 + sin(2x) to about one
    # rounding, also where it is 1e−33 (the truth at 120 digits: 40 are too few there).
    xs = _trough_points(1.0, seed=3)
    xs = xs[np.abs(2 * xs) < 2.0 ** 20]
    got = actviz.get("snake").grad(xs)
    worst = 0.0
    with mp.workdps(120):
        for x, g in zip(xs.tolist(), got.tolist(), strict=True):
            true = 1 + mp.sin(2 * mp.mpf(x))
            worst = max(worst, float(abs(mp.mpf(g) - true)) / ulp(float(true)))
    assert worst <= 1.0
