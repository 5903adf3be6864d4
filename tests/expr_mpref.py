"""An independent high-precision reading of an expression tree (mpmath), for the expr tests.

Values come from mpmath's own functions (σ(u) = 1/(1+e^{−u}), Φ = ncdf, softplus = log1p(e^u), …)
and the catalog references of ``tests/mpref.py``; derivatives from ``mpmath.diff`` — nothing from
actviz's float64 rules. ``condition`` is the tolerance model: the first-order sensitivity of f^(k)
to a relative error of one ULP in each node's value, f′ and f″ (perturbations ε·|v^(j)|·(x−x0)^j/j!
added to each node in turn), summed over nodes: the κ of "4·max(1, κ) ULP" for a whole formula.
"""

from __future__ import annotations

import mpmath as mp

from actviz.expr import tree as t
from tests.mpref import value as catalog_value

mp.mp.dps = 40
_EPS = mp.mpf("1e-30")


def _fn(name: str, a):
    if name == "abs":
        return abs(a)
    if name == "sigmoid":
        return 1 / (1 + mp.exp(-a))
    if name == "softplus":
        return mp.log1p(mp.exp(a)) if a < 0 else a + mp.log1p(mp.exp(-a))
    if name == "Phi":
        return mp.ncdf(a)
    if name == "sech2":
        return mp.sech(a) ** 2
    if name == "expm1":
        return mp.expm1(a)
    if name == "log1p":
        return mp.log1p(a)
    return getattr(mp, name)(a)


def evaluate(node: t.Node, x, env: dict, perturb: dict | None = None):
    """The exact value of ``node`` at mpf ``x`` (plus ``perturb[id(node)](x)`` where given)."""
    if isinstance(node, t.X):
        v = x
    elif isinstance(node, t.Num):
        v = mp.mpf(node.value)  # the literal means its float64 value
    elif isinstance(node, t.Par):
        v = mp.mpf(env[node.name])
    elif isinstance(node, t.Neg):
        v = -evaluate(node.a, x, env, perturb)
    elif isinstance(node, t.Bin):
        a, b = evaluate(node.a, x, env, perturb), evaluate(node.b, x, env, perturb)
        v = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
             "**": lambda: a**b}[node.op]()
    elif isinstance(node, t.Fn):
        args = [evaluate(c, x, env, perturb) for c in node.args]
        if node.name == "min":
            v = min(args)
        elif node.name == "max":
            v = max(args)
        elif node.name == "clip":
            v = min(max(args[0], args[1]), args[2])
        else:
            v = _fn(node.name, args[0])
    elif isinstance(node, t.Where):
        ca, cb = evaluate(node.cond.a, x, env, perturb), evaluate(node.cond.b, x, env, perturb)
        holds = {"<": ca < cb, "<=": ca <= cb, ">": ca > cb, ">=": ca >= cb, "==": ca == cb,
                 "!=": ca != cb}[node.cond.op]
        v = evaluate(node.a if holds else node.b, x, env, perturb)
    elif type(node).__name__ == "Deriv":  # g′ or g″ of a catalog entry (actviz.expr.symbolic)
        from actviz.expr.resolve import get

        params = dict(get(node.name).params)
        params.update({k: (env[p.name] if isinstance(p, t.Par) else p) for k, p in node.params})
        v = catalog_value(node.name, params, evaluate(node.arg, x, env, perturb), node.order)
    elif isinstance(node, t.Cat):
        from actviz.expr.resolve import get

        params = dict(get(node.name).params)
        params.update({k: (env[p.name] if isinstance(p, t.Par) else p) for k, p in node.params})
        v = catalog_value(node.name, params, evaluate(node.arg, x, env, perturb), 0)
    else:  # pragma: no cover
        raise TypeError(node)
    if perturb and id(node) in perturb:
        v = v + perturb[id(node)](x)
    return v


def derivative(node: t.Node, x0, env: dict, order: int, perturb: dict | None = None, step: int = 20):
    """f^(order) at x0 by ``mpmath.diff`` with the step 10^−step·min(1, abs(x0)) (a step wider
    than a tiny x0 would not see what happens at its scale: a perturbation of one node there,
    for ``condition``), at a working precision that leaves 40 digits after the differences'
    cancellation."""
    x = mp.mpf(x0)
    scale = min(mp.mpf(1), abs(x)) if x else mp.mpf(1)
    extra = int(-mp.log10(scale))
    base = 40 + (order + 1) * (step + extra) + extra if order else 40
    previous = None
    for more in (0, 40, 120, 360, 1000):  # until the formula's own cancellations are resolved
        with mp.workdps(base + more):
            if order == 0:
                v = +evaluate(node, x, env, perturb)
            else:
                h = mp.mpf(10) ** -step * scale
                v = +mp.diff(lambda z: evaluate(node, z, env, perturb), x, order, h=h)
        if previous is not None and v != 0 and abs(v - previous) <= mp.mpf("1e-32") * abs(v):
            return v
        previous = v
    return v


def reliable(node: t.Node, x0, env: dict, order: int):
    """f^(order) at x0, or None where two steps disagree (at a zero of f^(order) the difference
    quotient's O(h²) error is all there is)."""
    a = derivative(node, x0, env, order)
    if order == 0:
        return a
    b = derivative(node, x0, env, order, step=21)
    return b if abs(a - b) <= mp.mpf("1e-25") * abs(b) else None


def condition(tree: t.Node, x0: float, env: dict, order: int, exact) -> mp.mpf:
    """Σ over nodes and j ≤ order of |∂f^(order)/∂(relative error of v_node^(j))| / |f^(order)|."""
    if exact == 0:
        return mp.inf
    total = mp.mpf(0)
    x0m = mp.mpf(x0)
    for node in t.walk(tree):
        if isinstance(node, (t.X, t.Num, t.Par, t.Cmp)):
            continue  # x and constants are exact float64 numbers; comparisons only decide
        for j in range(order + 1):
            size = abs(derivative(node, x0, env, j))
            if size == 0:
                continue
            bump = {id(node): lambda z, s=size, j=j: _EPS * s * (z - x0m) ** j / mp.factorial(j)}
            moved = derivative(tree, x0, env, order, bump)
            total += abs(moved - exact) / (_EPS * abs(exact))
    return total
