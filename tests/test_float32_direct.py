"""float32 in, float32 out: every elementwise entry gives the float64 result rounded once.

Kernels in ``core.exact.SAME_IN_FLOAT32`` run on float32 arrays directly (no conversion); this
checks that promise for each of them, and the conversion path for all the others, on values
where a wrong shortcut shows: both signs of zero, the parameters' own breakpoints and their float32
neighbours, subnormals, huge values, ±inf and NaN.
"""

from __future__ import annotations

import numpy as np
import pytest

import actviz
from actviz.core.exact import SAME_IN_FLOAT32
from tests.accuracy_grid import case_id, param_cases

F32 = np.finfo(np.float32)


def _x32(act) -> np.ndarray:
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, F32.max, -F32.max, F32.tiny, -F32.tiny,
               float(F32.smallest_subnormal), -float(F32.smallest_subnormal), 1e-30, -1e-30]
    marks = [float(v) for v in act.params.values() if not isinstance(v, bool)] + [0.5, 1.0, 3.0]
    marks += [-m for m in marks] + [k.x for k in act.kinks]
    near = []
    for m in marks:
        m32 = np.float32(m)
        near += [m32, np.nextafter(m32, np.float32(-np.inf)), np.nextafter(m32, np.float32(np.inf))]
    rng = np.random.default_rng(11)
    sample = np.concatenate([rng.normal(0, 3, 40_000), rng.uniform(-1.5, 1.5, 20_000),
                             np.exp(rng.uniform(-80, 80, 10_000)) * rng.choice([-1, 1], 10_000)])
    with np.errstate(over="ignore"):
        return np.concatenate([np.array(special + near, np.float64), sample]).astype(np.float32)


@pytest.mark.parametrize(("name", "params"), param_cases(), ids=[case_id(*c) for c in param_cases()])
def test_float32_results_are_the_float64_results_rounded_once(name, params):
    act = actviz.get(name, **params)
    x32 = _x32(act)
    for fn in (act, act.grad, act.grad2):
        got = fn(x32)
        with np.errstate(over="ignore"):
            want = fn(x32.astype(np.float64)).astype(np.float32)
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)
        same = np.isnan(got) | (np.signbit(got) == np.signbit(want))
        assert same.all(), x32[~same][:5]


def test_the_direct_kernels_are_used():
    """The kernels listed as exact in float32 are the ones the catalog runs directly."""
    from actviz.catalog.registry import lookup

    for name in ("relu", "leaky_relu", "threshold", "soft_shrink", "hard_shrink", "sparse_sigmoid"):
        d = lookup(name)
        assert d.f in SAME_IN_FLOAT32 and d.df in SAME_IN_FLOAT32, name
