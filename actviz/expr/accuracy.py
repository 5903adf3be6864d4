"""How accurate a formula is as written: ``actviz info "log(1+exp(x))" --accuracy``.

Three float programs are measured against a high-precision evaluation of the same tree (mpmath,
imported only here; the precision is raised until the formula's own cancellations are resolved):

- *as written, float64*: the tree evaluated with NumPy/libm in float64, each primitive by its
  textbook definition (σ(u) = 1/(1+e^{−u}), softplus(u) = log(1+e^u), Φ(u) = (1+erf(u/√2))/2);
- *as written, float32*: the same program in float32 (x and constants rounded to float32;
  x never to a zero it was not: see :func:`_float32_inputs`);
- *actviz, float64*: the fast path every command uses (stable rewrites and rules, ``jet.py``).

Metric: fractional ULP, abs(y − exact)/ulp(exact) in the program's dtype (0.5 = correctly rounded
at worst). Literals mean their float64 value in every program (float32: rounded once more). Catalog
calls inside a formula are taken as exact (the catalog meets 4·max(1, κ) ULP itself). Samples: 120
per region, log-spaced in the tails, uniform in the middle, plus seeded random points and tiny
magnitudes ±1e−300…1e−3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actviz.core.ulp import FLOAT32, FLOAT64, FloatFormat, fractional_error, ulp_of
from actviz.expr import printer
from actviz.expr import tree as t
from actviz.expr.activation import ExprActivation

PER_REGION = 120
REGIONS = (("x ≤ −40", -1e300, -40.0), ("−40 < x ≤ −5", -40.0, -5.0), ("−5 < x < 5", -5.0, 5.0),
           ("5 ≤ x < 40", 5.0, 40.0), ("x ≥ 40", 40.0, 1e300))
PROGRAMS = ("as written, float64", "as written, float32", "actviz, float64")
METRIC = "fractional ULP: abs(y − exact) / ulp(exact) in the program's dtype; exact from mpmath"


@dataclass(frozen=True)
class RegionError:
    region: str
    max_ulp: tuple[float, ...]  # per program
    median_ulp: tuple[float, ...]
    worst_x: tuple[float, ...]


@dataclass
class AccuracyReport:
    formula: str
    stable: str | None  # the rewritten formula, when a classic pattern was found
    rewrites: list[tuple[str, str, str]]  # (before, after, why)
    regions: list[RegionError]
    overall: RegionError
    x: np.ndarray = field(repr=False)
    ulps: dict[str, np.ndarray] = field(repr=False)
    metric: str = METRIC
    programs: tuple[str, ...] = PROGRAMS


def samples(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sample points and their region index."""
    rng = np.random.default_rng(seed)
    xs, idx = [], []
    for i, (_, lo, hi) in enumerate(REGIONS):
        if lo == -1e300:
            pts = -np.geomspace(40.0, 1e300, PER_REGION)
        elif hi == 1e300:
            pts = np.geomspace(40.0, 1e300, PER_REGION)
        else:
            pts = np.concatenate([np.linspace(lo, hi, PER_REGION // 2, endpoint=False)[1:],
                                  rng.uniform(lo, hi, PER_REGION // 2 + 1)])
            if lo < 0 < hi:  # tiny magnitudes, where cancellation near 0 shows (exp(x) − 1)
                tiny = np.geomspace(1e-300, 1e-3, 16)
                pts = np.concatenate([pts, tiny, -tiny, [0.0]])
        xs.append(pts)
        idx.append(np.full(pts.size, i))
    return np.concatenate(xs), np.concatenate(idx)


# --- the exact reading -----------------------------------------------------------------------
def _mp_value(node: t.Node, x: Any, env: dict, ctx) -> Any:
    import mpmath as mp

    if isinstance(node, t.X):
        return x
    if isinstance(node, t.Num):
        return mp.mpf(node.value)
    if isinstance(node, t.Par):
        return mp.mpf(env[node.name])
    if isinstance(node, t.Neg):
        return -_mp_value(node.a, x, env, ctx)
    if isinstance(node, t.Bin):
        a, b = _mp_value(node.a, x, env, ctx), _mp_value(node.b, x, env, ctx)
        if node.op == "**":
            if a < 0 and b != int(b):
                return mp.nan
            return a**b if a != 0 or b > 0 else (mp.inf if b < 0 else mp.mpf(1))
        if node.op == "/" and b == 0:
            return mp.nan if a == 0 else mp.inf * mp.sign(a)
        return {"+": a + b, "-": a - b, "*": a * b}[node.op] if node.op != "/" else a / b
    if isinstance(node, t.Fn):
        args = [_mp_value(c, x, env, ctx) for c in node.args]
        return _mp_function(node.name, args)
    if isinstance(node, t.Where):
        ca, cb = _mp_value(node.cond.a, x, env, ctx), _mp_value(node.cond.b, x, env, ctx)
        holds = {"<": ca < cb, "<=": ca <= cb, ">": ca > cb, ">=": ca >= cb, "==": ca == cb,
                 "!=": ca != cb}[node.cond.op]
        return _mp_value(node.a if holds else node.b, x, env, ctx)
    if isinstance(node, t.Cat):
        arg = _mp_value(node.arg, x, env, ctx)
        act = ctx.activation(node)
        return mp.mpf(float(act(float(arg))))  # the catalog's own (accurate) value
    raise TypeError(node)  # pragma: no cover


def _mp_function(name: str, args: list) -> Any:
    import mpmath as mp

    a = args[0]
    if name in ("log", "sqrt") and a < 0 or name == "log1p" and a < -1:
        return mp.nan
    if name == "log" and a == 0 or name == "log1p" and a == -1:
        return -mp.inf
    table = {
        "abs": abs, "exp": mp.exp, "expm1": mp.expm1, "log": mp.log, "log1p": mp.log1p, "sqrt": mp.sqrt,
        "sin": mp.sin, "cos": mp.cos, "tanh": mp.tanh, "erf": mp.erf, "erfc": mp.erfc, "Phi": mp.ncdf,
        "sigmoid": lambda u: 1 / (1 + mp.exp(-u)), "sech2": lambda u: mp.sech(u) ** 2,
        "softplus": lambda u: mp.log1p(mp.exp(u)),
    }
    if name == "min":
        return min(args)
    if name == "max":
        return max(args)
    if name == "clip":
        return min(max(args[0], args[1]), args[2])
    return table[name](a)


def exact(act: ExprActivation, x: float) -> float | Any:
    """The formula's exact value at x (an mpf), precision raised until two readings agree."""
    import mpmath as mp

    from actviz.expr.jet import Context

    ctx = Context(act.params, act.framework)
    previous = None
    for dps in (30, 60, 150, 400, 1100):  # a 0 is trusted only at the last rung (cancellation)
        with mp.workdps(dps):
            v = +_mp_value(act.expr.tree, mp.mpf(x), act.params, ctx)
        if previous is not None and v != 0 and abs(v - previous) <= mp.mpf(10) ** -25 * abs(v):
            return v
        previous = v
    return v


# --- the plain float programs ----------------------------------------------------------------
def plain(act: ExprActivation, x: np.ndarray, dtype: type) -> np.ndarray:
    """The formula as written, evaluated as a plain ``dtype`` program would (errors ignored)."""
    from actviz.expr.jet import Context

    ctx = Context(act.params, act.framework)
    with np.errstate(all="ignore"):
        y = _plain(act.expr.tree, x.astype(dtype), act.params, ctx, dtype)
    return np.broadcast_to(np.asarray(y, dtype=dtype), x.shape).copy()


def _plain(node: t.Node, x: np.ndarray, env: dict, ctx, dt: type) -> Any:
    if isinstance(node, t.X):
        return x
    if isinstance(node, t.Num):
        return dt(node.value)
    if isinstance(node, t.Par):
        return dt(env[node.name])
    if isinstance(node, t.Neg):
        return -_plain(node.a, x, env, ctx, dt)
    if isinstance(node, t.Bin):
        a, b = _plain(node.a, x, env, ctx, dt), _plain(node.b, x, env, ctx, dt)
        return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}[node.op](
            np.asarray(a, dt), np.asarray(b, dt))
    if isinstance(node, t.Fn):
        args = [np.asarray(_plain(c, x, env, ctx, dt), dt) for c in node.args]
        return _plain_function(node.name, args, dt)
    if isinstance(node, t.Where):
        ops = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
               "==": np.equal, "!=": np.not_equal}
        cond = ops[node.cond.op](_plain(node.cond.a, x, env, ctx, dt), _plain(node.cond.b, x, env, ctx, dt))
        return np.where(cond, _plain(node.a, x, env, ctx, dt), _plain(node.b, x, env, ctx, dt))
    if isinstance(node, t.Cat):
        arg = np.asarray(_plain(node.arg, x, env, ctx, dt), dt)
        return np.asarray(ctx.activation(node)(arg), dt)
    raise TypeError(node)  # pragma: no cover


def _plain_function(name: str, args: list[np.ndarray], dt: type) -> np.ndarray:
    a = args[0]
    one = dt(1)
    simple = {"abs": np.abs, "exp": np.exp, "expm1": np.expm1, "log": np.log, "log1p": np.log1p,
              "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos, "tanh": np.tanh}
    if name in simple:
        return simple[name](a)
    if name == "min":
        return np.minimum(args[0], args[1])
    if name == "max":
        return np.maximum(args[0], args[1])
    if name == "clip":
        return np.minimum(np.maximum(args[0], args[1]), args[2])
    if name == "sigmoid":
        return one / (one + np.exp(-a))
    if name == "softplus":
        return np.log(one + np.exp(a))
    if name in ("erf", "erfc"):
        fn = math.erf if name == "erf" else math.erfc
        flat = np.asarray(a, np.float64).reshape(-1)
        return np.fromiter(map(fn, flat.tolist()), np.float64, flat.size).reshape(np.shape(a)).astype(dt)
    if name == "Phi":
        half = _plain_function("erf", [a / np.sqrt(dt(2))], dt)
        return (one + half) / dt(2)
    if name == "sech2":  # never in a formula as written; only in a rewrite
        th = np.tanh(a)
        return one - th * th
    raise ValueError(name)  # pragma: no cover


# --- measuring -------------------------------------------------------------------------------
def _split(ref: list, fmt: FloatFormat) -> tuple[np.ndarray, np.ndarray]:
    """Exact values (mpf) as the float64 nearest each (±inf beyond the range) and the rest, in
    units of its ulp in ``fmt``: the ``exact`` and ``rest`` of :func:`actviz.core.ulp.fractional_error`."""
    hi = np.array([float(v) for v in ref], dtype=np.float64)
    unit = ulp_of(hi, fmt).tolist()
    rest = [float((v - h) / w) if math.isfinite(h) else 0.0
            for v, h, w in zip(ref, hi.tolist(), unit, strict=True)]
    return hi, np.array(rest, dtype=np.float64)


def _ulp_errors(y: np.ndarray, ref: list, fmt: FloatFormat) -> np.ndarray:
    """abs(y − exact)/ulp(exact) in ``fmt`` (``actviz.core.ulp.fractional_error``: 0 where both are
    the same infinity or NaN, inf where the program gives inf/NaN for a finite exact value)."""
    hi, rest = _split(ref, fmt)
    return fractional_error(np.asarray(y, np.float64), hi, fmt, rest)


def measure(act: ExprActivation, seed: int = 0) -> AccuracyReport:
    x, region = samples(seed)
    x32 = _float32_inputs(x)
    ref64 = [exact(act, v) for v in x.tolist()]
    ref32 = [exact(act, v) for v in x32.tolist()]
    ulps = {
        PROGRAMS[0]: _ulp_errors(plain(act, x, np.float64), ref64, FLOAT64),
        PROGRAMS[1]: _ulp_errors(plain(act, x32, np.float32), ref32, FLOAT32),
        PROGRAMS[2]: _ulp_errors(act(x), ref64, FLOAT64),
    }
    rows = [_summary(name, x, ulps, region == i) for i, (name, _, _) in enumerate(REGIONS)]
    rewrites = [(printer.text(r.before), printer.text(r.after), r.why) for r in act.expr.rewrites]
    stable = printer.text(act.expr.fast) if rewrites else None
    return AccuracyReport(act.expr.text, stable, rewrites, rows,
                          _summary("all", x, ulps, np.ones(x.size, bool)), x, ulps)


def _float32_inputs(x: np.ndarray) -> np.ndarray:
    """The float32 program's inputs: x rounded to float32, within its range (magnitudes beyond it
    at the largest float32, below it at the smallest subnormal with x's sign: a zero would lose
    the sign that 1/x needs, and mpmath has no signed zero to compare with)."""
    big, tiny = FLOAT32.max_finite, FLOAT32.min_subnormal
    x32 = np.clip(x, -big, big).astype(np.float32).astype(np.float64)
    lost = (x32 == 0) & (x != 0)
    x32[lost] = np.copysign(tiny, x[lost])
    return x32


def _summary(name: str, x: np.ndarray, ulps: dict[str, np.ndarray], mask: np.ndarray) -> RegionError:
    maxes, medians, worst = [], [], []
    for program in PROGRAMS:
        e = ulps[program][mask]
        k = int(np.argmax(e))
        maxes.append(float(e[k]))
        medians.append(float(np.median(e)))
        worst.append(float(x[mask][k]))
    return RegionError(name, tuple(maxes), tuple(medians), tuple(worst))


def to_json(report: AccuracyReport) -> dict[str, Any]:
    def row(r: RegionError) -> dict[str, Any]:
        return {"region": r.region, **{p: {"max_ulp": r.max_ulp[i], "median_ulp": r.median_ulp[i],
                                           "worst_x": r.worst_x[i]} for i, p in enumerate(PROGRAMS)}}

    return {"formula": report.formula, "metric": report.metric, "stable_form": report.stable,
            "rewrites": [{"before": b, "after": a, "why": w} for b, a, w in report.rewrites],
            "overall": row(report.overall), "regions": [row(r) for r in report.regions]}
