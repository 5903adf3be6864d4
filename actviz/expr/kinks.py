"""Where a formula switches branch (abs, min, max, clip, where, catalog kinks), found numerically.

Every branch decision compares two values; their difference s(x) (a switching function) is
scanned on a grid of the float64 line (dense on [−60, 60], log-spaced beyond); at each sign
change the switching point is bisected to the float where the decision flips. There f′ (and f)
is evaluated with the decisions of the float just left and just right, by the same jet rules:
both one-sided derivatives and whether f itself jumps.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from actviz.expr import tree as t
from actviz.expr.jet import Context, evaluate

MAX_KINKS = 64


class Switch(NamedTuple):
    node: t.Node  # the node that decides
    s: t.Node  # switching function: the decision flips where s changes sign


class FoundKink(NamedTuple):
    x: float
    left: float
    right: float
    value: float  # f′ as the fast path evaluates it at x
    f_left: float
    f_right: float
    f_jumps: bool
    d2_jumps: bool
    where: str  # the deciding sub-expression, printed


def switches(tree: t.Node, ctx: Context) -> list[Switch]:
    out: list[Switch] = []
    for n in t.walk(tree):
        pairs: list[t.Node] = []
        if isinstance(n, t.Fn) and n.name == "abs":
            pairs = [n.args[0]]
        elif isinstance(n, t.Fn) and n.name in ("min", "max"):
            pairs = [t.Bin("-", n.args[0], n.args[1])]
        elif isinstance(n, t.Fn) and n.name == "clip":
            pairs = [t.Bin("-", n.args[0], n.args[1]), t.Bin("-", n.args[0], n.args[2])]
        elif isinstance(n, t.Where):
            pairs = [t.Bin("-", n.cond.a, n.cond.b)]
        elif isinstance(n, t.Cat):
            pairs = [t.Bin("-", n.arg, t.Num(k.x, repr(k.x))) for k in ctx.activation(n).kinks]
        out += [Switch(n, s) for s in pairs if t.depends_on_x(s)]
    return out


@functools.cache
def _grid() -> np.ndarray:
    """[−60, 60] every 0.01, then log-spaced to 1e6 (400 points) and on to the largest float (3 a
    decade): a kink at 2e6 or 1e100 is found too, wherever a command derives or plots."""
    near = np.geomspace(60.0, 1e6, 400)[1:]
    far = np.geomspace(1e6, 1e308, 907)[1:]
    tail = np.concatenate([near, far, [float(np.finfo(np.float64).max)]])
    return np.concatenate([-tail[::-1], np.linspace(-60.0, 60.0, 12001), tail])  # sorted, 0 included


def _ordered(x: float) -> int:
    i = int(np.array(x, dtype=np.float64).view(np.int64))
    return i if i >= 0 else -(i & 0x7FFFFFFFFFFFFFFF)


def _from_ordered(i: int) -> float:
    bits = i if i >= 0 else (-i) | (-0x8000000000000000)
    return float(np.array(bits, dtype=np.int64).view(np.float64))


def _value(node: t.Node, x: float, ctx: Context) -> float:
    v = evaluate(node, np.array([x]), ctx, 0)[0]
    return float(np.broadcast_to(v, (1,))[0])


def _flip_point(s: t.Node, lo: float, hi: float, ctx: Context) -> float:
    """The first float in (lo, hi] whose sign of s differs from s(lo)'s (bisection on floats)."""
    side = _value(s, lo, ctx) > 0
    a, b = _ordered(lo), _ordered(hi)
    while b - a > 1:
        mid = (a + b) // 2
        v = _value(s, _from_ordered(mid), ctx)
        if v == 0 or (v > 0) != side:
            b = mid
        else:
            a = mid
    return _from_ordered(b) + 0.0  # −0 → 0


def find(tree: t.Node, ctx: Context) -> list[FoundKink]:
    """Kinks of ``tree`` on the float64 line: the ``MAX_KINKS`` nearest to 0, in ascending order."""
    points: set[float] = set()
    found = switches(tree, ctx)
    grid = _grid() if found else np.empty(0)
    candidates: list[tuple[float, int, int]] = []  # (distance from 0, switch, grid index)
    for k, sw in enumerate(found):
        s = np.broadcast_to(evaluate(sw.s, grid, ctx, 0)[0], grid.shape)
        with np.errstate(invalid="ignore"):
            sign = np.sign(s)
        zero = np.flatnonzero(sign == 0)
        zero = zero[np.argsort(np.abs(grid[zero]), kind="stable")[:MAX_KINKS]]  # those nearest 0
        points.update(float(grid[i]) + 0.0 for i in zero)
        change = np.flatnonzero((sign[:-1] * sign[1:]) < 0)
        nearest = change[np.argsort(np.abs(grid[change]), kind="stable")[: 2 * MAX_KINKS]]
        candidates += [(abs(float(grid[i])), k, int(i)) for i in nearest]
    # Bisect the sign changes nearest 0 first, at most 2·MAX_KINKS in all: every formula stays cheap
    # (a periodic switch such as abs(sin(100*x)) changes sign thousands of times on the grid).
    for _, k, i in sorted(candidates)[: 2 * MAX_KINKS]:
        points.add(_flip_point(found[k].s, float(grid[i]), float(grid[i + 1]), ctx))
    out = []
    for x0 in sorted(points, key=abs):
        k = _one_sided(tree, x0, ctx)
        if k is not None:
            out.append(k)
        if len(out) == MAX_KINKS:
            break
    return sorted(out, key=lambda k: k.x)


def _one_sided(tree: t.Node, x0: float, ctx: Context) -> FoundKink | None:
    x = np.array([x0])
    sides = []
    for towards in (-np.inf, np.inf):
        side_ctx = Context(ctx.env, ctx.framework, decide_at=np.array([np.nextafter(x0, towards)]))
        side_ctx._acts = ctx._acts
        v, d1, d2 = (float(np.broadcast_to(c if c is not None else 0.0, (1,))[0])
                     for c in evaluate(tree, x, side_ctx, 2))
        sides.append((v, d1, d2))
    (fl, l1, l2), (fr, r1, r2) = sides
    natural = evaluate(tree, x, ctx, 1)[1]
    natural = float(np.broadcast_to(natural if natural is not None else 0.0, (1,))[0])
    f_jumps = not _close(fl, fr)
    d2_jumps = not _close(l2, r2)
    if _close(l1, r1) and not f_jumps and not d2_jumps:
        return None
    return FoundKink(x0, l1, r1, natural, fl, fr, f_jumps, d2_jumps, "")


def _close(a: float, b: float) -> bool:
    if a == b or (np.isnan(a) and np.isnan(b)):
        return True
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
