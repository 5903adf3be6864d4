"""Forward-mode 2-jets in float64: (f, f′, f″) of a tree, one stable rule per primitive.

A jet is ``(v, d1, d2)``; a derivative that is identically zero (a constant sub-expression) is
``None``, so constants cost nothing. Rules (u = (a, a′, a″), g a primitive):

    g(u)′ = g′(a)·a′,   g(u)″ = g′(a)·a″ + g″(a)·a′²
    σ′ = σ(a)·σ(−a), σ″ = −σ′·tanh(a/2); tanh′ = sech²(a) = 4e/(1+e)², e = e^{−2|a|}, tanh″ = −2·tanh·sech²;
    softplus = max(a,0) + log1p(e^{−|a|}), softplus′ = σ; expm1 and log1p natively; erf′ = (2/√π)e^{−a²};
    erfc is C's erfc (never 1 − erf); Φ(a) = ½·erfc(−a/√2) with the rounding of a/√2 corrected to
    first order, Φ′ = e^{−a²/2}/√(2π) from an exact square; catalog calls use the catalog's own
    f, f′ (with its framework value at kinks) and f″.

Branch decisions (abs, min, max, clip, where, catalog kinks) are taken at ``decide_at`` when it is
given (the float just left or right of a kink), so one-sided derivatives come from the same rules.
NaN propagates through every branch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from actviz.core import stable
from actviz.expr import tree as t

_TWO_OVER_SQRT_PI = 1.1283791670955126
_INV_SQRT_2PI = 0.3989422804014327
_INV_SQRT2 = 0.7071067811865476
_INV_SQRT2_LO = -4.833646656726457e-17  # 1/√2 − _INV_SQRT2
_CMP = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
        "==": np.equal, "!=": np.not_equal}

Jet = tuple[Any, Any, Any]


def constant_value(node: t.Node, env: Mapping[str, float]) -> float:
    """Value of a constant sub-expression of numbers, parameters, + − * / ** (Python floats)."""
    if isinstance(node, t.Num):
        return node.value
    if isinstance(node, t.Par):
        return float(env[node.name])
    if isinstance(node, t.Neg):
        return -constant_value(node.a, env)
    if isinstance(node, t.Bin):
        a, b = constant_value(node.a, env), constant_value(node.b, env)
        if node.op == "**":
            if abs(b) > 1e4:
                raise OverflowError("exponent")
            return float(a**b) if not (a < 0 and not b.is_integer()) else math.nan
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else math.nan}[node.op]
    raise ValueError("not a simple constant")


class Context:
    """What an evaluation needs besides x: parameter values, the framework for catalog calls,
    and optionally the points where branch decisions are taken."""

    def __init__(self, env: Mapping[str, float], framework: str, decide_at: np.ndarray | None = None):
        self.env = env
        self.framework = framework
        self.decide_at = decide_at
        self._acts: dict[t.Cat, Any] = {}

    def activation(self, node: t.Cat):
        act = self._acts.get(node)
        if act is None:
            from actviz.catalog.activation import Activation
            from actviz.catalog.registry import bind_params, lookup

            d = lookup(node.name)
            given = {k: (self.env[v.name] if isinstance(v, t.Par) else v) for k, v in node.params}
            act = self._acts[node] = Activation(d, bind_params(d, given, self.framework), self.framework)
        return act


def evaluate(node: t.Node, x: np.ndarray, ctx: Context, order: int) -> Jet:
    """The jet of ``node`` at float64 array ``x`` up to ``order`` (0, 1 or 2); errors ignored
    (overflow to ±inf and domain NaN are the values a float64 program gets)."""
    with np.errstate(all="ignore"):
        return _jet(node, x, ctx, order)


def _add(*terms: Any) -> Any:
    out = None
    for term in terms:
        if term is not None:
            out = term if out is None else out + term
    return out


def _mul(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a * b


def _chain(g: Any, g1: Any, g2: Any, a: Jet, order: int) -> Jet:
    """g(u) from g, g′, g″ at u's value and u's derivatives."""
    _, a1, a2 = a
    d1 = _mul(g1, a1) if order >= 1 else None
    d2 = _add(_mul(g1, a2), _mul(g2, _mul(a1, a1))) if order >= 2 else None
    return g, d1, d2


def _values(node: t.Node, x: np.ndarray, ctx: Context) -> Any:
    """Values used for a branch decision: at ``ctx.decide_at`` when given."""
    at = x if ctx.decide_at is None else ctx.decide_at
    return _jet(node, at, ctx, 0)[0]


def _nan_where(v: Any, bad: Any) -> Any:
    if not np.any(bad):
        return v
    return np.where(bad, np.nan, v)


def _jet(node: t.Node, x: np.ndarray, ctx: Context, order: int) -> Jet:
    if isinstance(node, t.X):
        return x, (1.0 if order >= 1 else None), None
    if isinstance(node, t.Num):
        return node.value, None, None
    if isinstance(node, t.Par):
        return float(ctx.env[node.name]), None, None
    if isinstance(node, t.Neg):
        v, d1, d2 = _jet(node.a, x, ctx, order)
        return -v, (None if d1 is None else -d1), (None if d2 is None else -d2)
    if isinstance(node, t.Bin):
        return _binary(node, x, ctx, order)
    if isinstance(node, t.Fn):
        return _function(node, x, ctx, order)
    if isinstance(node, t.Where):
        return _where(node, x, ctx, order)
    if isinstance(node, t.Cat):
        return _catalog(node, x, ctx, order)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _binary(node: t.Bin, x: np.ndarray, ctx: Context, order: int) -> Jet:
    a, a1, a2 = _jet(node.a, x, ctx, order)
    b, b1, b2 = _jet(node.b, x, ctx, order)
    op = node.op
    if op == "+":
        return a + b, _add(a1, b1), _add(a2, b2)
    if op == "-":
        return a - b, _add(a1, _mul(-1.0, b1)), _add(a2, _mul(-1.0, b2))
    if op == "*":
        d1 = _add(_mul(a1, b), _mul(a, b1)) if order >= 1 else None
        d2 = _add(_mul(a2, b), _mul(2.0, _mul(a1, b1)), _mul(a, b2)) if order >= 2 else None
        return a * b, d1, d2
    if op == "/":
        v = a / b
        d1 = d2 = None
        if order >= 1:
            d1 = _add(a1, _mul(-1.0, _mul(v, b1)))
            d1 = None if d1 is None else d1 / b
        if order >= 2:
            d2 = _add(a2, _mul(-2.0, _mul(d1, b1)), _mul(-1.0, _mul(v, b2)))
            d2 = None if d2 is None else d2 / b
        return v, d1, d2
    return _power((a, a1, a2), (b, b1, b2), order, t.depends_on_x(node.a), t.depends_on_x(node.b))


def _power(a: Jet, b: Jet, order: int, base_varies: bool, exponent_varies: bool) -> Jet:
    av, a1, a2 = a
    bv, b1, b2 = b
    if not exponent_varies:  # constant exponent p: p·a^{p−1}, p(p−1)·a^{p−2}
        p = float(bv)
        if p == 0.0:
            return np.power(av, 0.0), None, None
        v = np.power(av, p)
        g1 = p * np.power(av, p - 1.0) if order >= 1 else None
        g2 = (p * (p - 1.0) * np.power(av, p - 2.0) if p != 1.0 else None) if order >= 2 else None
        return _chain(v, g1, g2, a, order)
    v = np.power(av, bv)
    if not base_varies:  # constant base c: c^b = e^{b·ln c}
        ln = math.log(av) if float(av) > 0 else math.nan
        d1 = _mul(v * ln, b1) if order >= 1 else None
        d2 = _mul(v * ln, _add(b2, _mul(ln, _mul(b1, b1)))) if order >= 2 else None
        return v, d1, d2
    ln = np.log(av)
    q1 = _mul(a1, 1.0 / av)  # a′/a
    g1 = _add(_mul(b1, ln), _mul(bv, q1))
    d1 = v * g1 if order >= 1 else None
    d2 = None
    if order >= 2:
        g2 = _add(_mul(b2, ln), _mul(2.0, _mul(b1, q1)),
                  _mul(bv, _add(_mul(a2, 1.0 / av), _mul(-1.0, _mul(q1, q1)))))
        d2 = v * _add(g2, g1 * g1)
    return v, d1, d2


def _arr(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _elementwise(fn, a: np.ndarray) -> np.ndarray:
    """A ``math`` function element by element (erf, erfc: NumPy has neither)."""
    flat = a.reshape(-1)
    out = np.fromiter(map(fn, flat.tolist()), np.float64, flat.size)
    return out.reshape(a.shape)


def exp_neg_square(a: np.ndarray) -> np.ndarray:
    """e^{−a²} from the exact square a² = p + err: e^{−p}·(1 − err) (0 beyond abs(a) = 40)."""
    ac = np.clip(a, -40.0, 40.0)
    p, err = stable.two_product(ac, ac)
    return np.exp(-p) * (1.0 - err)


def phi_cdf(a: np.ndarray) -> np.ndarray:
    """Φ(a) = ½·erfc(t), t = −a/√2 split exactly as t + δ; erfc(t+δ) ≈ erfc(t) − (2/√π)e^{−t²}δ."""
    ac = np.clip(a, -40.0, 40.0)  # Φ(−40) is below the smallest subnormal, Φ(40) rounds to 1
    tt, dt = stable.two_product(-ac, _INV_SQRT2)
    dt = dt - ac * _INV_SQRT2_LO
    return 0.5 * _elementwise(math.erfc, tt) - (0.5 * _TWO_OVER_SQRT_PI) * np.exp(-tt * tt) * dt


def primitive(name: str, a: np.ndarray, order: int) -> tuple[Any, Any, Any]:
    """g(a), g′(a), g″(a) of a one-argument primitive (derivatives only up to ``order``)."""
    g1 = g2 = None
    if name == "exp":
        g = np.exp(a)
        g1 = g2 = g
    elif name == "expm1":
        g = np.expm1(a)
        if order >= 1:
            g1 = g2 = np.exp(a)
    elif name == "log":
        g = np.log(a)
        if order >= 1:
            g1 = 1.0 / a
            g2 = -g1 * g1
    elif name == "log1p":
        g = np.log1p(a)
        if order >= 1:
            g1 = 1.0 / (1.0 + a)
            g2 = -g1 * g1
    elif name == "sqrt":
        g = np.sqrt(a)
        if order >= 1:
            g1 = 0.5 / g
            g2 = -0.5 * g1 / a
    elif name == "sin":
        g = np.sin(a)
        if order >= 1:
            g1, g2 = np.cos(a), -g
    elif name == "cos":
        g = np.cos(a)
        if order >= 1:
            g1, g2 = -np.sin(a), -g
    elif name == "tanh":
        g = np.tanh(a)
        if order >= 1:
            g1 = stable.sech2(a)
            g2 = -2.0 * g * g1
    elif name == "sech2":
        g = stable.sech2(a)
        if order >= 1:
            th = np.tanh(a)
            g1 = -2.0 * th * g
            g2 = g * (4.0 * th * th - 2.0 * g)
    elif name == "sigmoid":
        g = stable.sigmoid(a)
        if order >= 1:
            g1 = stable.sigmoid_prime(a)
            g2 = stable.sigmoid_second(a) if order >= 2 else None
    elif name == "softplus":
        g = stable.softplus(a)
        if order >= 1:
            g1 = stable.sigmoid(a)
            g2 = stable.sigmoid_prime(a) if order >= 2 else None
    elif name in ("erf", "erfc"):
        g = _elementwise(math.erf if name == "erf" else math.erfc, a)
        if order >= 1:
            g1 = _TWO_OVER_SQRT_PI * exp_neg_square(a) * (1.0 if name == "erf" else -1.0)
            g2 = -2.0 * a * g1
    elif name == "Phi":
        g = phi_cdf(a)
        if order >= 1:
            g1 = stable.exp_neg_half_square(a) * _INV_SQRT_2PI
            g2 = -a * g1
    else:  # pragma: no cover - the parser only builds known names
        raise ValueError(f"unknown primitive {name}")
    return g, g1, g2


def _function(node: t.Fn, x: np.ndarray, ctx: Context, order: int) -> Jet:
    name = node.name
    if name in ("min", "max"):
        return _select(node.args[0], node.args[1], name == "min", x, ctx, order)
    if name == "clip":
        inner = t.Fn("max", (node.args[0], node.args[1]))
        return _function(t.Fn("min", (inner, node.args[2])), x, ctx, order)
    a = _jet(node.args[0], x, ctx, order)
    av = _arr(a[0])
    if name == "abs":
        sign = np.sign(_arr(_values(node.args[0], x, ctx))) if ctx.decide_at is not None else np.sign(av)
        if ctx.decide_at is not None:
            sign = np.where(np.isnan(av), np.nan, sign)
        return _chain(np.abs(av), sign if order >= 1 else None, None, a, order)
    if av.ndim == 0:  # a constant argument: the kernels work on 1-d arrays
        g, g1, g2 = (None if c is None else float(c[0]) for c in primitive(name, av.reshape(1), order))
    else:
        g, g1, g2 = primitive(name, av, order)
    return _chain(g, g1, g2, a, order)


def _select(first: t.Node, second: t.Node, smaller: bool, x: np.ndarray, ctx: Context, order: int) -> Jet:
    """min/max: the branch whose value is smaller/larger (the first one on ties); NaN wins."""
    a, b = _jet(first, x, ctx, order), _jet(second, x, ctx, order)
    av, bv = _arr(a[0]), _arr(b[0])
    if ctx.decide_at is None:
        da, db = av, bv
    else:
        da, db = _arr(_values(first, x, ctx)), _arr(_values(second, x, ctx))
    take_a = da <= db if smaller else da >= db
    return _pick(take_a, a, b, np.isnan(av) | np.isnan(bv))


def _pick(mask: np.ndarray, a: Jet, b: Jet, bad: np.ndarray) -> Jet:
    out = []
    for p, q in zip(a, b, strict=True):
        if p is None and q is None:
            out.append(None)
            continue
        value = np.where(mask, 0.0 if p is None else p, 0.0 if q is None else q)
        out.append(_nan_where(value, bad))
    return out[0], out[1], out[2]


def _where(node: t.Where, x: np.ndarray, ctx: Context, order: int) -> Jet:
    ca, cb = _arr(_values(node.cond.a, x, ctx)), _arr(_values(node.cond.b, x, ctx))
    mask = _CMP[node.cond.op](ca, cb)
    bad = np.isnan(ca) | np.isnan(cb)
    a, b = _jet(node.a, x, ctx, order), _jet(node.b, x, ctx, order)
    return _pick(mask, a, b, bad)


def _catalog(node: t.Cat, x: np.ndarray, ctx: Context, order: int) -> Jet:
    act = ctx.activation(node)
    a = _jet(node.arg, x, ctx, order)
    av = _arr(a[0])
    g = np.array(act(av), dtype=np.float64)
    g1 = np.array(act.grad(av), dtype=np.float64) if order >= 1 else None
    g2 = np.array(act.grad2(av), dtype=np.float64) if order >= 2 else None
    if ctx.decide_at is not None and act.kinks:
        side = _arr(_values(node.arg, x, ctx))
        for k in act.kinks:
            hit = av == k.x
            if not np.any(hit):
                continue
            left = side < k.x
            if g1 is not None:
                g1 = np.where(hit, np.where(left, k.left, k.right), g1)
            if k.f_jumps:
                beside = np.where(left, np.nextafter(k.x, -np.inf), np.nextafter(k.x, np.inf))
                g = np.where(hit, np.asarray(act(beside), dtype=np.float64), g)
    return _chain(g, g1, g2, a, order)
