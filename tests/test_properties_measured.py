"""Every property the catalog declares, measured numerically for every entry and every
parameter case (``tests/accuracy_grid.param_cases``), in both directions: a declared property
that the numbers contradict fails, and so does a true one that is not declared.

The definitions (as ML texts use them; ``actviz.catalog.model.Properties``):

- range: inf f and sup f over ℝ (an end is ±∞ when f goes there);
- monotonic: f non-decreasing (or non-increasing) on the whole line;
- zero-centred: abs(E[f(z)]) ≤ 0.05·√E[f(z)²] for z ~ N(0, 1), as for tanh;
- smoothness: "discontinuous" if f jumps, "C⁰" if f′ jumps, "C¹" if f″ jumps, else "C∞"
  (measured: f, f′ and f″ have no jump);
- saturates: the sides where f′ → 0 (|f′(±10⁶)| < 10⁻⁶);
- sup |f′|: the supremum of |f′| (reached to 1 %, never exceeded).

The measurements here use f, f′, f″ only (the kernels, checked against mpmath elsewhere); the
zero-centred ends of the catalog's parameter intervals are checked against mpmath closed forms.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

import actviz
from actviz.catalog import entries
from actviz.catalog.model import ZERO_CENTRED_TOL
from actviz.catalog.normal_moments import normal_moments
from tests.accuracy_grid import case_id, param_cases

CASES = param_cases()

H = 1.0 / 512  # scan step: a binary fraction, so the grid holds 0, ±1, ±0.5 … exactly
SCAN = np.arange(-40.0, 40.0 + H / 2, H)
TAILS = np.concatenate([-np.logspace(308, 1.7, 400), np.logspace(1.7, 308, 400)])
ALL = np.sort(np.concatenate([SCAN, TAILS]))


def _act(case):
    name, params = case
    return actviz.get(name, **params)


def _points(act) -> np.ndarray:
    """The scan and the tails, plus the float neighbours of every kink (where an infimum or a
    drop hides)."""
    near = []
    for k in act.kinks:
        if math.isfinite(k.x):
            below, above = np.nextafter(k.x, -np.inf), np.nextafter(k.x, np.inf)
            near += [below, above, k.x, k.x - 1e-9, k.x + 1e-9]
    return np.unique(np.concatenate([ALL, np.asarray(near, dtype=np.float64)]))


def _ids(case):
    return case_id(*case)


# --- zero-centred: E[f(z)] on a unit normal input ------------------------------------------
_ZX = np.linspace(-12.0, 12.0, 960_001)
_ZW = np.exp(-0.5 * _ZX**2) / math.sqrt(2 * math.pi) * (_ZX[1] - _ZX[0])


def _measured_ratio(act) -> float:
    """mean/rms of f(z), z ~ N(0, 1), by a fine Riemann sum (NaN where f is not finite)."""
    with np.errstate(invalid="ignore"):
        f = np.asarray(act(_ZX), dtype=np.float64)
    if not np.all(np.isfinite(f)):
        return math.nan
    f = f / max(1.0, float(np.max(np.abs(f))))  # the ratio does not change; f² cannot overflow
    mean, rms = float(np.sum(f * _ZW)), math.sqrt(float(np.sum(f * f * _ZW)))
    return mean / rms if rms else 0.0


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_zero_centred_is_what_the_mean_on_a_normal_input_says(case):
    act = _act(case)
    ratio = _measured_ratio(act)
    declared = act.properties.zero_centred
    if math.isnan(ratio):  # f undefined on part of ℝ (log1mexp): never claimed
        assert declared is False
        assert normal_moments(act).zero_centred is None
        return
    assert declared == (abs(ratio) <= ZERO_CENTRED_TOL), f"E[f]/RMS = {ratio:.4f}"
    # the number info shows agrees with this independent sum
    m = normal_moments(act)
    assert m.ratio == pytest.approx(ratio, abs=1e-4)
    assert m.zero_centred == declared


@pytest.mark.parametrize("spec", ["gelu", "silu", "mish", "hard_swish"])
def test_the_issue_s_four_are_not_zero_centred(spec):
    act = actviz.get(spec)
    assert not act.properties.zero_centred
    assert normal_moments(act).mean > 0.15


def _phi(x):
    return mp.npdf(x)


def _Phi(x):
    return mp.ncdf(x)


def test_normal_means_match_closed_forms():
    """E[f(z)] against mpmath closed forms: relu 1/√(2π), gelu 1/(2√π), elu √e·Φ(−1) − 1/2 +
    1/√(2π), selu ≈ 0 by construction, sigmoid 1/2, exponential √e."""
    mp.mp.dps = 30
    expected = {
        "relu": 1 / mp.sqrt(2 * mp.pi),
        "gelu": 1 / (2 * mp.sqrt(mp.pi)),
        "elu": 1 / mp.sqrt(2 * mp.pi) + mp.sqrt(mp.e) * _Phi(-1) - mp.mpf(1) / 2,
        "sigmoid": mp.mpf(1) / 2,
        "exponential": mp.sqrt(mp.e),
        "tanh": mp.mpf(0),
    }
    for name, true in expected.items():
        assert normal_moments(actviz.get(name)).mean == pytest.approx(float(true), rel=1e-12,
                                                                      abs=1e-15), name
    lam, alpha = (mp.mpf("1.0507009873554804934193349852946"),
                  mp.mpf("1.6732632423543772848170429916717"))
    selu = lam * (1 / mp.sqrt(2 * mp.pi) + alpha * (mp.sqrt(mp.e) * _Phi(-1) - mp.mpf(1) / 2))
    assert abs(normal_moments(actviz.get("selu")).mean - float(selu)) < 1e-12


def _leaky_ratio(a):
    return (1 - a) / mp.sqrt(2 * mp.pi) / mp.sqrt((1 + a * a) / 2)


def _elu_ratio(a):
    c1 = mp.sqrt(mp.e) * _Phi(-1) - mp.mpf(1) / 2
    c2 = mp.e**2 * _Phi(-2) - 2 * mp.sqrt(mp.e) * _Phi(-1) + mp.mpf(1) / 2
    return (1 / mp.sqrt(2 * mp.pi) + a * c1) / mp.sqrt(mp.mpf(1) / 2 + a * a * c2)


def _celu_ratio(a):
    e1, e2 = mp.exp(1 / (2 * a * a)) * _Phi(-1 / a), mp.exp(2 / (a * a)) * _Phi(-2 / a)
    mean = 1 / mp.sqrt(2 * mp.pi) + a * (e1 - mp.mpf(1) / 2)
    return mean / mp.sqrt(mp.mpf(1) / 2 + a * a * (e2 - 2 * e1 + mp.mpf(1) / 2))


def test_zero_centred_parameter_intervals_match_mpmath():
    mp.mp.dps = 30
    tol = mp.mpf(ZERO_CENTRED_TOL)
    lo, hi = entries.LEAKY_ZERO_CENTRED
    assert float(_leaky_ratio(mp.mpf(lo))) == pytest.approx(float(tol), rel=1e-12)
    assert float(_leaky_ratio(mp.mpf(hi))) == pytest.approx(-float(tol), rel=1e-12)
    lo, hi = entries.ELU_ZERO_CENTRED
    assert float(_elu_ratio(mp.mpf(lo))) == pytest.approx(float(tol), rel=1e-12)
    assert float(_elu_ratio(mp.mpf(hi))) == pytest.approx(-float(tol), rel=1e-12)
    assert float(_celu_ratio(mp.mpf(entries.CELU_ZERO_CENTRED_MIN))) == pytest.approx(
        float(tol), rel=1e-12)
    # and the catalog switches exactly there
    for name, at, inside in [("leaky_relu", 1.0, True), ("leaky_relu", 0.85, False),
                             ("elu", 1.67, True), ("elu", 1.0, False), ("celu", 6.0, True),
                             ("celu", 3.0, False), ("prelu", 1.1, True), ("prelu", 1.2, False)]:
        act = actviz.get(name, alpha=at)
        assert act.properties.zero_centred is inside, (name, at)
        assert normal_moments(act).zero_centred is inside, (name, at)


@pytest.mark.parametrize("spec", ["swiglu", "geglu", "reglu", "glu"])
def test_gated_views_claim_what_their_gate_measures(spec):
    for value in (1.0, -2.0):
        view = actviz.get(spec).at_value(value)
        assert view.properties.zero_centred == normal_moments(view).zero_centred, value


# --- the shape properties ------------------------------------------------------------------
def _eval(act, x):
    with np.errstate(invalid="ignore"):
        return (np.asarray(act(x), dtype=np.float64), np.asarray(act.grad(x), dtype=np.float64),
                np.asarray(act.grad2(x), dtype=np.float64))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_range_bounds_and_sup_grad_are_measured(case):
    act = _act(case)
    pr = act.properties
    y, dy, _ = _eval(act, _points(act))
    y, dy = y[~np.isnan(y)], dy[~np.isnan(dy)]
    lo, hi = float(np.min(y)), float(np.max(y))
    assert lo >= pr.range_low - 1e-12 and hi <= pr.range_high + 1e-12
    # each end is approached: a finite end to 1e−6, an infinite end past ±1e6
    for end, got in ((pr.range_low, lo), (pr.range_high, hi)):
        if math.isinf(end):
            assert abs(got) > 1e6 and math.copysign(1, got) == math.copysign(1, end)
        else:
            assert got == pytest.approx(end, abs=1e-6 * max(1.0, abs(end)))
    assert pr.bounded_below == math.isfinite(pr.range_low)
    top = float(np.max(np.abs(dy)))
    if math.isinf(pr.sup_abs_grad):
        assert top > 1e6
    else:
        assert pr.sup_abs_grad * 0.99 <= top <= pr.sup_abs_grad * (1 + 1e-9)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_monotonic_is_measured(case):
    act = _act(case)
    y, _, _ = _eval(act, _points(act))
    with np.errstate(invalid="ignore"):  # inf − inf where f overflows: no information
        d = np.diff(y[~np.isnan(y)])
    d = d[~np.isnan(d)]
    measured = bool(np.all(d >= 0) or np.all(d <= 0))
    assert act.properties.monotonic == measured


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_saturating_sides_are_measured(case):
    act = _act(case)
    with np.errstate(invalid="ignore"):
        far = {side: np.asarray(act.grad(np.array(xs)), dtype=np.float64)
               for side, xs in (("left", [-1e6, -1.3e6, -1.7e6]), ("right", [1e6, 1.3e6, 1.7e6]))}
    measured = tuple(s for s in ("left", "right") if np.all(np.abs(far[s]) < 1e-6))
    assert tuple(act.properties.saturates) == measured


def _jumps(g: np.ndarray, x: np.ndarray) -> list[tuple[float, float]]:
    """Cells of the scan where g may jump: a step far larger than the steps two cells away."""
    d = np.abs(np.diff(g))
    ok = np.isfinite(d)
    d = np.where(ok, d, 0.0)
    near = np.maximum(np.roll(d, 2), np.roll(d, -2))
    scale = 1e-10 * (1.0 + np.abs(g[:-1]))
    spikes = np.nonzero(ok & (d > 20.0 * near + scale))[0]
    return [(float(x[i]), float(x[i + 1])) for i in spikes if 2 <= i < len(d) - 2]


def _locate(g, lo: float, hi: float) -> float:
    """Bisect a cell to where g changes fastest (the jump, if there is one)."""
    with np.errstate(invalid="ignore"):
        g_lo, g_hi = float(g(np.float64(lo))), float(g(np.float64(hi)))
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi):
                break
            g_mid = float(g(np.float64(mid)))
            if abs(g_mid - g_lo) < abs(g_mid - g_hi):
                lo, g_lo = mid, g_mid
            else:
                hi, g_hi = mid, g_mid
    return 0.5 * (lo + hi)


def _jump_at(g, c: float) -> bool:
    """Whether g has a jump at c: its values either side at 1e−13 differ far more than its
    change over the next 1e−13 on each side."""
    dx = 1e-13 * max(1.0, abs(c))
    xs = np.array([c - 2 * dx, c - dx, c + dx, c + 2 * dx])
    with np.errstate(invalid="ignore"):
        v = np.asarray(g(xs), dtype=np.float64)
    if not np.all(np.isfinite(v)):
        return False
    across, beside = abs(v[2] - v[1]), abs(v[1] - v[0]) + abs(v[3] - v[2])
    return across > 10.0 * beside + 1e-13 * (1 + abs(v[1]))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_smoothness_is_measured(case):
    act = _act(case)
    y, dy, d2y = _eval(act, SCAN)
    candidates = [k.x for k in act.kinks if math.isfinite(k.x)]  # where to look closer
    levels = []
    for g, kernel in ((y, act), (dy, act.grad), (d2y, act.grad2)):
        points = set(candidates) | {_locate(kernel, a, b) for a, b in _jumps(g, SCAN)}
        levels.append(any(_jump_at(kernel, c) for c in points))
    measured = ("discontinuous" if levels[0] else "C⁰" if levels[1] else "C¹" if levels[2]
                else "C∞")
    assert act.properties.smoothness == measured, levels


@pytest.mark.parametrize("spec, params", [
    ("hard_tanh", {"min_val": -1.02, "max_val": 1.0}), ("hard_tanh", {"min_val": -1.5, "max_val": 1.0}),
    ("hard_tanh", {"min_val": -1e300, "max_val": -1e299}), ("hard_tanh", {"min_val": 0.5, "max_val": 9.0}),
    ("snake", {"alpha": 20.0}), ("snake", {"alpha": 5.0}), ("snake_beta", {"alpha": 1.0, "beta": 20.0}),
    ("snake_beta", {"alpha": 1.0, "beta": 5.0}), ("leaky_relu", {"alpha": 0.9}), ("celu", {"alpha": 100.0}),
])
def test_zero_centred_away_from_the_parameter_cases(spec, params):
    """The claim follows the parameters, not only at the generated cases (closed forms in the
    catalog, the measurement here; both sides of each boundary)."""
    act = actviz.get(spec, **params)
    ratio = _measured_ratio(act)
    assert act.properties.zero_centred == (abs(ratio) <= ZERO_CENTRED_TOL) == normal_moments(act).zero_centred


@pytest.mark.parametrize("spec, params", [
    ("threshold", {"threshold": 0.0, "value": -0.8}), ("threshold", {"threshold": 0.0, "value": -0.3}),
    ("threshold", {"threshold": 1e300, "value": 1e300}), ("threshold", {"threshold": -1.0, "value": -1e300}),
    ("star_relu", {"scale": 1.0, "bias": -0.51}), ("star_relu", {"scale": 1.0, "bias": -0.7}),
    ("star_relu", {"scale": 1e6, "bias": -5.1e5}),
])
def test_zero_centred_of_threshold_and_star_relu_follows_their_parameters(spec, params):
    act = actviz.get(spec, **params)
    ratio = _measured_ratio(act)
    assert act.properties.zero_centred == (abs(ratio) <= ZERO_CENTRED_TOL) == normal_moments(act).zero_centred
