"""The numerical contract: f, f′ and f″ of every activation against mpmath on a hard grid.

- f and f′ within 4·max(1, κ) ULP of the true value, κ = abs(x·g′(x)/g(x)) the condition number
  of the function g being evaluated (4 ULP where it is well conditioned);
- f″ within 1e−12·max(1, κ) relative;
- no RuntimeWarning anywhere (pytest turns them into errors), no NaN or inf where the true
  value is finite, and results that overflow float64 in truth are ±inf.

The grid: dense on [−20, 20], log-spaced magnitudes 1e−300 … 1e308 of both signs, ±0,
subnormals, the exp overflow/underflow edges, and the float neighbours of every kink.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

import actviz
from tests.accuracy_grid import measure, ulp

CASES = [(n, {}) for n in actviz.names()] + [
    ("leaky_relu", {"alpha": 0.01}),
    ("leaky_relu", {"alpha": 3.0}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
    ("celu", {"alpha": 0.3}),
    ("gelu", {"approximate": True}),
    ("silu", {"beta": 2.0}),
    ("silu", {"beta": 0.5}),
    ("squareplus", {"b": 0.5}),
    ("soft_shrink", {"threshold": 1.2}),
    ("hard_shrink", {"threshold": 1.2}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"negative_slope": 0.1, "max_value": 6.0, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.3}),
    ("softplus", {"beta": 10.0, "threshold": 0.4}),
    ("softplus", {"beta": 0.5}),
    ("softplus", {"threshold": 20.0}),
    ("hard_tanh", {"min_val": 0.0, "max_val": 6.0}),
    ("hard_sigmoid", {"slope": 0.2, "offset": 0.5}),
    # zoo entries (actviz/catalog/zoo.py) away from their defaults
    ("leaky_relu", {"alpha": -0.5}),
    ("threshold", {"threshold": 1.0, "value": -2.0}),
    ("step", {"threshold": 0.5}),
    ("prelu", {"alpha": 0.25}),
    ("prelu", {"alpha": -0.5}),
    ("prelu", {"alpha": 1.5}),
    ("rrelu", {"lower": 0.1, "upper": 0.5}),
    ("star_relu", {"scale": 0.8944271909999159, "bias": -0.4472135954999579}),
    ("star_relu", {"scale": -2.0, "bias": 1.0}),
    ("xielu", {"eps": 0.0}),
    ("xielu", {"alpha_p": 2.0, "alpha_n": 0.3, "beta": 0.5}),
    ("snake", {"alpha": 2.5}),
    ("snake_beta", {"alpha": 1.0, "beta": 2.0}),
    ("softcap", {"cap": 50.0}),
    ("softcap", {"cap": 1.0}),
    ("clipped_gelu", {"max_val": 20.0, "min_val": -1.0}),
    ("laplace", {"mu": 0.0, "sigma": 1.0}),
]


# f′ and f″ of these oscillate forever: NaN at ±inf (no limit), which the catalog documents.
OSCILLATING = {"snake", "snake_beta"}


def _errors(act, order: int) -> list[str]:
    failures = []
    for p in measure(act, order):
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
    name, params = case
    return name + "".join(f"-{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
@pytest.mark.parametrize("order", [0, 1, 2], ids=["f", "df", "d2f"])
def test_matches_mpmath(case, order):
    name, params = case
    act = actviz.get(name, **params)
    failures = _errors(act, order)
    assert not failures, f"{len(failures)} points off:\n" + "\n".join(failures[:15])


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
                assert lim == pytest.approx(far, abs=1e-300), (name, order, side, lim, far)
