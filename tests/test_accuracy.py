"""The numerical contract: f, f′ and f″ of every activation against mpmath on a hard grid.

- f and f′ within 4·max(1, κ) ULP of the true value, κ = abs(x·g′(x)/g(x)) the condition number
  of the function g being evaluated (4 ULP where it is well conditioned);
- f″ within 1e−12·max(1, κ) relative;
- no RuntimeWarning anywhere (pytest turns them into errors), no NaN or inf where the true
  value is finite, and results that overflow float64 in truth are ±inf.

The grid: dense on [−20, 20], log-spaced magnitudes 1e−300 … 1e308 of both signs, ±0,
subnormals, the exp overflow/underflow edges, and the float neighbours of every kink. On top of
it a seeded random sample per case (``accuracy_grid.sample``: uniform in the centre,
log-uniform magnitudes, both signs) finds the peaks between grid points: SAMPLE points by
default, FULL_SAMPLE with ``pytest -m slow`` (what ``benchmarks/accuracy.py`` reports).

The cases come from the catalog (``accuracy_grid.param_cases``): every entry at its defaults
and with each parameter varied, so entries added later are covered without editing this file.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

import actviz
from tests.accuracy_grid import FULL_SAMPLE, case_id, case_seed, measure, param_cases, sample, ulp

CASES = param_cases()
SAMPLE = 1000

# f′ and f″ of these oscillate forever: NaN at ±inf (no limit), which the catalog documents.
OSCILLATING = {"snake", "snake_beta"}


def _errors(act, order: int, xs: np.ndarray | None = None) -> list[str]:
    failures = []
    for p in measure(act, order, xs):
        if p.problem:
            failures.append(f"x={p.x!r}: got {p.got!r}, true {mp.nstr(p.true, 17)}: {p.problem}")
            continue
        k = max(1.0, p.kappa)
        if order < 2:
            ok = p.ulps <= 4.0 * k
        else:
            # Relative 1e−12·κ; in the subnormal range no relative bound exists, so the same
            # 4·κ ULP as for f and f′.
            abs_err = p.ulps * ulp(float(p.true))
            ok = abs_err <= 1e-12 * k * float(abs(p.true)) or p.ulps <= 4 * k
        if not ok:
            failures.append(f"x={p.x!r}: got {p.got!r}, true {mp.nstr(p.true, 17)}, "
                            f"err {p.ulps:.1f} ulp, κ={p.kappa:.3g}")
    return failures


def _id(case):
    return case_id(*case)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
@pytest.mark.parametrize("order", [0, 1, 2], ids=["f", "df", "d2f"])
def test_matches_mpmath(case, order):
    name, params = case
    act = actviz.get(name, **params)
    failures = _errors(act, order)
    assert not failures, f"{len(failures)} points off:\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
@pytest.mark.parametrize("order", [0, 1, 2], ids=["f", "df", "d2f"])
def test_random_sample_matches_mpmath(case, order):
    _check_sample(case, order, SAMPLE)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
@pytest.mark.parametrize("order", [0, 1, 2], ids=["f", "df", "d2f"])
def test_full_random_sample_matches_mpmath(case, order):
    _check_sample(case, order, FULL_SAMPLE)


def _check_sample(case, order: int, n: int) -> None:
    name, params = case
    act = actviz.get(name, **params)
    # The small sample is every (FULL_SAMPLE // n)-th point of the full one: a subset of it.
    xs = sample(FULL_SAMPLE, case_seed(name, params))[:: FULL_SAMPLE // n]
    failures = _errors(act, order, xs)
    assert not failures, f"{len(failures)} of {xs.size} random points off:\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_infinities_give_limits_and_nan_propagates(case):
    name, params = case
    act = actviz.get(name, **params)
    for order, fn in enumerate([act, act.grad, act.grad2]):
        got = fn(np.array([-np.inf, np.inf, np.nan]))
        assert np.isnan(got[2]), (name, order)
        for i, side in enumerate((-1, 1)):
            # The limit at ±inf equals the value far out (1e300), where every function has settled.
            far = float(fn(np.array([side * 1e300]))[0])
            lim = got[i]
            if math.isnan(far) or (order > 0 and name in OSCILLATING):  # no limit there
                assert np.isnan(lim), (name, order, side, lim)
                continue
            assert not np.isnan(lim), (name, order, side)
            if math.isinf(far) or abs(far) > 1e100:  # √softplus(1e300) = 1e150, limit ∞
                assert math.isinf(lim) and np.sign(lim) == np.sign(far), (name, order, side, lim)
            elif abs(far) < 1e-100:  # √softplus′(1e300) = 5e−151, limit 0
                assert abs(lim) <= abs(far), (name, order, side, lim, far)
            else:
                # (abs: f at 1e300 may still differ from the limit by O(1/x), e.g. squareplus b/(4|x|))
                assert lim == pytest.approx(far, abs=1e-280), (name, order, side, lim, far)
