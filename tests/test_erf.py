"""actviz.core.erf against mpmath over the whole float64 range.

erf, erfc, erfcx and Φ must be within 4·max(1, κ) ULP of the truth (κ = abs(x·g′/g), as in the
accuracy contract) on a hard grid — zero, subnormals, Cody's and the table's range ends and the
float neighbours of every table interval boundary k/16 — and on a seeded random sample; ±inf
give the limits, NaN propagates, and no RuntimeWarning is raised anywhere.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from actviz.core import erf, normal
from tests.accuracy_grid import FLOAT_MAX, sample, ulp

mp.mp.dps = 40


def _erfcx(x):
    if x > 1e6:  # e^{x²}·erfc(x) by its asymptotic series (mpmath would need huge precision)
        t = 1 / (x * x)
        return (1 - t / 2 + 3 * t * t / 4 - 15 * t**3 / 8) / (x * mp.sqrt(mp.pi))
    return mp.exp(x * x) * mp.erfc(x)


def _far(fn, below, above):
    """fn, with its float64-exact limits far out (mpmath's series overflow beyond 1e150)."""
    return lambda x: below if x < -1e3 else above if x > 1e3 else fn(x)


REFS = {
    "erf": (erf.erf, _far(mp.erf, -1, 1), lambda x: 2 / mp.sqrt(mp.pi) * mp.exp(-x * x)),
    "erfc": (erf.erfc, _far(mp.erfc, 2, 0), lambda x: -2 / mp.sqrt(mp.pi) * mp.exp(-x * x)),
    "erfcx": (erf.erfcx, _erfcx, lambda x: 2 * x * _erfcx(x) - 2 / mp.sqrt(mp.pi)),
    "ndtr": (normal.ndtr, _far(mp.ncdf, 0, 1), mp.npdf),
}


def _hard_points() -> np.ndarray:
    edges = [k / 16 for k in range(0, 129)] + [0.46875, 8.0, 26.5, 26.6, 27.2, 27.3, 28.3, 38.0, 40.0]
    pts = [0.0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-200, 1e-20, 1e-8, 1e-3, 100.0, 1e4,
           1e6, 1e7, 1e10, 1e100, 1e300, FLOAT_MAX]
    for e in edges:
        pts += [e, float(np.nextafter(e, 0.0)), float(np.nextafter(e, np.inf))]
    pts = np.array(pts)
    scaled = pts[pts < 1e300] * math.sqrt(2.0)  # Φ sees x = t·√2
    return np.unique(np.concatenate([pts, -pts, scaled, -scaled]))


def _off(name: str, xs: np.ndarray) -> list[str]:
    fn, ref, slope = REFS[name]
    got = fn(xs)
    bad = []
    for x, y in zip(xs.tolist(), got.tolist(), strict=True):
        mx = mp.mpf(x)
        if name == "erfcx" and x < -26.0:
            continue  # the true value overflows or nearly so: checked below
        true = ref(mx)
        if true == 0:
            if y != 0:
                bad.append(f"x={x!r}: got {y!r}, true 0")
            continue
        if abs(true) > FLOAT_MAX:
            if not (math.isinf(y) and y > 0):
                bad.append(f"x={x!r}: got {y!r}, true overflows")
            continue
        kappa = float(abs(mx * slope(mx) / true)) if x != 0 else 0.0
        err = float(abs(mp.mpf(y) - true) / mp.mpf(ulp(float(true)))) if math.isfinite(y) else math.inf
        if not err <= 4.0 * max(1.0, kappa):
            bad.append(f"x={x!r}: got {y!r}, true {mp.nstr(true, 17)}, err {err:.2f} ulp, κ={kappa:.3g}")
    return bad


@pytest.mark.parametrize("name", list(REFS))
def test_hard_grid_matches_mpmath(name):
    bad = _off(name, _hard_points())
    assert not bad, "\n".join(bad[:15])


@pytest.mark.parametrize("name", list(REFS))
def test_random_sample_matches_mpmath(name):
    xs = np.concatenate([sample(3000, 19 + len(name)), np.random.default_rng(7).uniform(-9.0, 9.0, 2000)])
    bad = _off(name, xs)
    assert not bad, f"{len(bad)} of {xs.size} off:\n" + "\n".join(bad[:15])


def test_limits_and_nan():
    x = np.array([-np.inf, np.inf, np.nan])
    assert erf.erf(x)[:2].tolist() == [-1.0, 1.0] and np.isnan(erf.erf(x)[2])
    assert erf.erfc(x)[:2].tolist() == [2.0, 0.0] and np.isnan(erf.erfc(x)[2])
    assert normal.ndtr(x)[:2].tolist() == [0.0, 1.0] and np.isnan(normal.ndtr(x)[2])
    cx = erf.erfcx(x)
    assert cx[0] == np.inf and cx[1] == 0.0 and np.isnan(cx[2])
    assert erf.erfcx(np.array([-30.0, -1e300]))[:].tolist() == [np.inf, np.inf]


def test_symmetries_hold_exactly_where_they_should():
    x = np.linspace(-6, 6, 4801)
    assert np.array_equal(erf.erf(-x), -erf.erf(x))
    big = x > 0.5
    # erfc(−x) = 2 − erfc(x) is how erfc is evaluated for x < 0: the same rounding either way
    assert np.array_equal(erf.erfc(-x[big]), 2.0 - erf.erfc(x[big]))
