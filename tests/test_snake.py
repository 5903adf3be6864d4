"""snake / snake_beta kernels where their fast paths take over: against mpmath (tests/mpref_zoo.py),
within the catalog's 4·max(1, κ) ULP, on points chosen where the shortcuts work hardest.

- f′'s trough (sin 2αx < −½, 0.75 ≤ α/β ≤ 1.5), evaluated by a polynomial in the distance d to
  the trough's bottom after a Cody–Waite reduction: points right at the bottoms (1 + sin → 0) for
  small and huge phases, on both sides of the polynomial's 2²⁰ limit (libm beyond), for power-of-two
  α (exact phase) and others (phase as a pair), r = 1 and r ≠ 1 (where f′ has roots).
- f's redo where x and sin²(αx)/β cancel, in double-double: the sine table
  (core/sincos_table.py) pair by pair, the table sine to 2⁻⁶² relative with and without the
  reduction mod π and with a phase tail, and f there to about half an ULP.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

import actviz
from actviz.core import sincos_table
from actviz.core import zoo as z
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


def _off(act, order: int, xs: np.ndarray) -> list[str]:
    """The points outside 4·max(1, κ) ULP, the truth at 80 digits whatever precision other tests
    left mpmath at (1 + sin 2αx is 1e−33 at the trough bottoms: 30 digits make it 0)."""
    with mp.workdps(80):
        return [f"x={pt.x!r}: {pt.ulps:.2f} ULP, κ={pt.kappa:.3g} {pt.problem}"
                for pt in measure(act, order, xs)
                if pt.problem or pt.ulps > 4.0 * max(1.0, pt.kappa)]


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
    bad = _off(act, 1, xs)
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


def test_sincos_table_pairs_match_mpmath():
    with mp.workdps(50):
        for j, (s_hi, s_lo, c_hi, c_lo) in enumerate(sincos_table.ROWS):
            t = mp.mpf(j) / sincos_table.STEPS
            for hi, lo, true in ((s_hi, s_lo, mp.sin(t)), (c_hi, c_lo, mp.cos(t))):
                assert hi == float(true)  # the head is the nearest float64
                assert abs(mp.mpf(hi) + mp.mpf(lo) - true) <= abs(true) * mp.mpf(2) ** -104


@pytest.mark.parametrize("lo_scale", [0.0, 0.5], ids=["exact phase", "phase with a tail"])
@pytest.mark.parametrize("reach", [1.0, 2.45, 40.0, 2.0 ** 20 - 1], ids=str)
def test_table_sine_is_double_double_accurate(reach, lo_scale):
    rng = np.random.default_rng(int(reach))
    hi = rng.uniform(-reach, reach, 3000)
    hi = np.concatenate([hi, np.rint(hi[:300] / math.pi) * math.pi, [0.0, reach, -reach]])
    lo = rng.uniform(-lo_scale, lo_scale, hi.size) * np.spacing(hi) if lo_scale else None
    sh, sl = z._sin_mod_pi_pair(hi, lo)
    worst = mp.mpf(0)
    with mp.workdps(60):
        for i, (h, a, b) in enumerate(zip(hi.tolist(), sh.tolist(), sl.tolist(), strict=True)):
            true = mp.sin(mp.mpf(h) + (mp.mpf(float(lo[i])) if lo is not None else 0))
            got = mp.mpf(a) + mp.mpf(b)  # sin(d) = ±sin(y): d = y − nπ
            err = min(abs(got - true), abs(got + true))
            # relative; absolute 2⁻¹⁰² next to a zero (k·P3 rounds: 2⁻¹⁰⁸ at k ≈ 4e4)
            worst = max(worst, err / max(abs(true), mp.mpf(2) ** -40))
    assert worst < mp.mpf(2) ** -62


@pytest.mark.parametrize("ab", [(1.0, 1.0), (1.2, 1.0), (3.0, 1.0), (1.0, 0.5), (2.5, 2.5), (1.0, 3.0)],
                         ids=str)
def test_f_where_it_cancels_is_about_half_an_ulp(ab):
    # x in the cancellation region (x ≈ −sin²(αx)/β; with α > β also near f's roots), every
    # point through the double-double path, against 60 digits.
    a, b = ab
    x = np.random.default_rng(5).uniform(-3.0 / b, 0.5 / b, 3000)
    got = z._snake_beta_dd(x, a, b, z._power_of_two(a))
    worst = 0.0
    with mp.workdps(60):
        for xi, g in zip(x.tolist(), got.tolist(), strict=True):
            true = mp.mpf(xi) + mp.sin(a * mp.mpf(xi)) ** 2 / b
            worst = max(worst, float(abs(mp.mpf(g) - true)) / ulp(float(true)))
    assert worst <= 0.51


F_CASES = [("snake", {}), ("snake", {"alpha": 0.5}), ("snake", {"alpha": 1.7}),
           ("snake_beta", {"alpha": 1.2}), ("snake_beta", {"beta": 0.5}),
           ("snake_beta", {"alpha": 3.0, "beta": 1.0}), ("snake_beta", {"alpha": 2.0, "beta": 1.0})]


@pytest.mark.parametrize("case", F_CASES, ids=[f"{n}:{p}" for n, p in F_CASES])
def test_f_around_the_redo_region_matches_mpmath(case):
    # Both sides of the plain pass's test (its error bound against the tolerance), phases past
    # 2²⁰ (long double there), all through the catalog.
    name, p = case
    alpha, beta = _params(name, p)
    rng = np.random.default_rng(len(str(p)))
    xs = np.concatenate([rng.uniform(-4.0 / beta, 1.0 / beta, 4000),
                         rng.uniform(-1.0, 1.0, 500) * 2.0 ** 21 / alpha])
    act = actviz.get(name, **p)
    bad = _off(act, 0, xs)
    assert not bad, f"{len(bad)} points off:\n" + "\n".join(bad[:10])


@pytest.mark.parametrize("alpha", [1.7, 2.5, 0.3, 1e-3])
def test_grad_phase_tail_has_the_right_sign_of_cos(alpha):
    # α no power of two: the phase's tail lo enters as ±sqrt(1 − sin²)·lo with the sign of
    # cos(2αx) from round(2αx/π). Points where that tail is the whole difference (sin 2αx ≈ 0,
    # cos = ±1, phases m·π up to 1e5) and where the sign flips (cos ≈ 0), against mpmath.
    rng = np.random.default_rng(int(alpha * 1000))
    m = np.concatenate([np.arange(-40, 41), rng.integers(-10**5, 10**5, 400)]).astype(float)
    zeros = m * math.pi / (2 * alpha)
    flips = (m + 0.5) * math.pi / (2 * alpha)
    xs = np.concatenate([zeros, np.nextafter(zeros, np.inf), flips, np.nextafter(flips, -np.inf)])
    act = actviz.get("snake", alpha=alpha)
    bad = _off(act, 1, xs)
    assert not bad, f"{len(bad)} points off:\n" + "\n".join(bad[:10])
    with mp.workdps(80):
        worst = max(pt.ulps for pt in measure(act, 1, zeros))
    assert worst <= 1.0  # where sin 2αx ≈ 0 the tail is what keeps f′ right to an ULP
