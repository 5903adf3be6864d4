"""The hard grid, the seeded random sample, the parameter cases and the error measurement
behind the accuracy contract (used by ``tests/test_accuracy.py`` and by
``benchmarks/accuracy.py``, which prints the measured maxima)."""

from __future__ import annotations

import math
import zlib
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


FULL_SAMPLE = 20_000  # random points per case and order in the slow test and the benchmark


def sample(n: int, seed: int) -> np.ndarray:
    """``n`` seeded random points of both signs: 40 % uniform on [−8, 8], 15 % uniform on
    [−50, 50], 25 % log-uniform magnitudes in [1e−6, 1e3] and 20 % log-uniform magnitudes over
    the whole float64 range [1e−308, 1e308]. The grid's regular spacing misses the few-ULP
    peaks between its points; these find them."""
    rng = np.random.default_rng(seed)
    sizes = [int(n * 0.4), int(n * 0.15), int(n * 0.25)]
    sizes.append(n - sum(sizes))
    parts = [
        rng.uniform(-8.0, 8.0, sizes[0]),
        rng.uniform(-50.0, 50.0, sizes[1]),
        10.0 ** rng.uniform(-6.0, 3.0, sizes[2]),
        10.0 ** rng.uniform(-308.0, 308.0, sizes[3]),
    ]
    signs = rng.choice([-1.0, 1.0], sizes[2] + sizes[3])
    parts[2] = parts[2] * signs[: sizes[2]]
    parts[3] = parts[3] * signs[sizes[2]:]
    return np.concatenate(parts)


def case_seed(name: str, params: dict) -> int:
    """A seed of its own for each case (stable across runs and machines)."""
    return zlib.crc32(case_id(name, params).encode())


def case_id(name: str, params: dict) -> str:
    return name + "".join(f"-{k}={v}" for k, v in params.items())


# Parameter values the generated cases miss that once caught bugs (kept on top of them).
EXTRA_CASES = [
    ("leaky_relu", {"alpha": 3.0}),
    ("elu", {"alpha": 2.0}),
    ("celu", {"alpha": 0.3}),
    ("silu", {"beta": 2.0}),
    ("squareplus", {"b": 0.5}),
    ("soft_shrink", {"threshold": 1.2}),
    ("hard_shrink", {"threshold": 1.2}),
    # parameters varied together, and the model zoo away from its defaults (#12)
    ("leaky_relu", {"alpha": 0.01}),
    ("elu", {"alpha": 0.5}),
    ("gelu", {"approximate": True}),
    ("silu", {"beta": 0.5}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"negative_slope": 0.1, "max_value": 6.0, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.3}),
    ("softplus", {"beta": 10.0, "threshold": 0.4}),
    ("softplus", {"beta": 0.5}),
    ("softplus", {"threshold": 20.0}),
    ("hard_tanh", {"min_val": 0.0, "max_val": 6.0}),
    ("hard_sigmoid", {"slope": 0.2, "offset": 0.5}),
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
    ("smu1", {"alpha": 0.0, "mu": 1.0}),
    ("smu1", {"alpha": 0.01, "mu": 2.5}),
]


def param_cases() -> list[tuple[str, dict]]:
    """Every catalog entry with its TensorFlow defaults, then each parameter varied alone:
    every framework's default, both values of a flag, and 0.5× and 3× the default of a number
    (0.5 and 2 for a default of 0) where the range allows. Derived from the catalog, so entries
    and parameters added later are covered without editing the tests."""
    from actviz.catalog.registry import definitions

    out: list[tuple[str, dict]] = []

    def add(name: str, params: dict) -> None:
        if (name, params) not in out:
            out.append((name, params))

    for d in definitions():
        add(d.name, {})
        for p in d.params:
            values = [p.default, *p.framework_defaults.values(), *getattr(p, "choices", ())]
            numeric = isinstance(p.default, (int, float)) and not isinstance(p.default, bool)
            if p.is_bool:
                values += [False, True]
            elif numeric and p.default:
                values += [p.default * 0.5, p.default * 3.0]
            elif numeric:
                values += [0.5, 2.0]
            for v in values:
                if isinstance(v, float):
                    v = float(f"{v:.12g}")  # 0.6, not 0.6000000000000001
                if v == p.default:
                    continue
                try:
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        p.check(v)
                except ValueError:
                    continue
                add(d.name, {p.name: v})
    known = set(d.name for d in definitions())
    for name, params in EXTRA_CASES:
        if name in known:
            add(name, params)
    return [(name, params) for name, params in out if _valid(name, params)]


def _valid(name: str, params: dict) -> bool:
    """Whether the catalog accepts ``params`` together (rrelu: lower ≤ upper, for one)."""
    import actviz

    try:
        actviz.get(name, **params)
    except ValueError:
        return False
    return True


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


def measure(act, order: int, xs: np.ndarray | None = None) -> Iterator[Point]:
    """Compare f (order 0), f′ (1) or f″ (2) of ``act`` with mpmath on the grid (or on ``xs``)."""
    kinks = [k.x for k in act.kinks]
    xs = grid(kinks) if xs is None else np.asarray(xs, dtype=np.float64)
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
