"""The hard grid and the error measurement behind the accuracy contract (used by
``tests/test_accuracy.py`` and by ``benchmarks/accuracy.py``, which prints the measured maxima)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import mpmath as mp
import numpy as np

from tests.mpref import value

FLOAT_MAX = np.finfo(np.float64).max
TINY = 5e-324


def grid(kinks: list[float]) -> np.ndarray:
    """Dense [−20, 20], log-spaced magnitudes 1e−300…1e308 of both signs, ±0, subnormals, the
    exp overflow/underflow edges and the float neighbours of every kink."""
    mags = np.logspace(-300, 308, 90)
    special = [0.0, -0.0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-20, 1e-8, 1e-3,
               709.78, 709.79, 710.0, 745.0, 745.2, 746.0, 1.7e308, 36.7, 37.0, 18.0, 19.5, 38.0, 40.0, 50.0]
    pts = [np.linspace(-20, 20, 1601), mags, -mags, special, [-v for v in special]]
    for k in kinks:
        below, above = np.nextafter(k, -np.inf), np.nextafter(k, np.inf)
        pts.append([below, above, np.nextafter(below, -np.inf), np.nextafter(above, np.inf),
                    k - 1e-9, k + 1e-9])
    return np.unique(np.concatenate([np.asarray(p, dtype=np.float64) for p in pts]))


_TOP_BINADE = float(np.nextafter(FLOAT_MAX, 0.0))  # same ULP as FLOAT_MAX, without overflow


def ulp(true: float) -> float:
    return float(np.spacing(min(abs(true), _TOP_BINADE))) if abs(true) >= TINY else TINY


@dataclass(frozen=True)
class Point:
    """One comparison: ``problem`` is set when no ULP measure applies and the value is wrong."""

    x: float
    got: float
    true: mp.mpf
    ulps: float  # abs error in ULP of the true value (0 where it does not apply)
    kappa: float  # condition number abs(x·g′/g) of the function evaluated
    problem: str = ""


def _third(act, mx):
    """f‴ from the reference when it has one (snake, where numerical differentiation of an
    oscillation at 1e308 fails), else by mpmath's numerical differentiation of f″."""
    try:
        return value(act.name, act.params, mx, 3)
    except IndexError:
        return mp.diff(lambda t: value(act.name, act.params, t, 2), mx)


def measure(act, order: int) -> Iterator[Point]:
    """Compare f (order 0), f′ (1) or f″ (2) of ``act`` with mpmath on the grid."""
    kinks = [k.x for k in act.kinks]
    xs = grid(kinks)
    if order > 0:
        xs = xs[~np.isin(xs, kinks)]  # f′ at a kink is a convention, tested separately
    fn = [act, act.grad, act.grad2][order]
    for x, y in zip(xs.tolist(), fn(xs).tolist(), strict=True):
        mx = mp.mpf(x)
        true = value(act.name, act.params, mx, order)
        if mp.isnan(true):  # outside the domain (log1mexp for x < 0) or no limit at ±inf
            yield Point(x, y, true, 0.0, 0.0, "" if math.isnan(y) else "true value is NaN")
            continue
        if abs(true) > FLOAT_MAX:
            ok = math.isinf(y) and (y > 0) == (true > 0)
            yield Point(x, y, true, 0.0, 0.0, "" if ok else "true value overflows, got finite")
            continue
        if not math.isfinite(y):
            yield Point(x, y, true, math.inf, 0.0, "non-finite result for a finite true value")
            continue
        if true == 0:
            yield Point(x, y, true, 0.0, 0.0, "" if y == 0 else "true value is 0")
            continue
        slope = value(act.name, act.params, mx, order + 1) if order < 2 else _third(act, mx)
        kappa = float(abs(mx * slope / true)) if x != 0 else 0.0
        err = abs(mp.mpf(y) - true)
        yield Point(x, y, true, float(err / mp.mpf(ulp(float(true)))), kappa)
