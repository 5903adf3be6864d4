"""f′ and f″ of a formula as formulas, for display (``info``, ``derive``, plot titles).

The numbers never come from here: every value is computed by the jets of ``jet.py``. This module
applies the same rules symbolically (σ′ = σ(u)σ(−u), tanh′ = sech², softplus′ = σ, …; a catalog
call g(u) gives g′(u)·u′) and simplifies the result a little (0 and 1 terms, constant factors,
double negation), so the derivative reads like the one a person would write.
"""

from __future__ import annotations

import functools
import math

from actviz.expr import tree as t
from actviz.expr.parser import number_text

MAX_TEXT = 120  # longer derivatives are shown as d/dx (…) instead


class Deriv(t.Node):
    """g′(u) (order 1) or g″(u) (order 2) of a catalog activation g: display only."""

    __slots__ = ("name", "arg", "params", "order")

    @property
    def children(self) -> tuple[t.Node, ...]:
        return (self.arg,)


def _n(v: float) -> t.Num:
    return t.Num(v, number_text(v) if v not in (math.pi, math.e) else ("pi" if v == math.pi else "e"))


ZERO, ONE, TWO = _n(0.0), _n(1.0), _n(2.0)


def _plain(node: t.Node) -> bool:
    """A number spelled as digits (pi and e stay by name when multiplied)."""
    return isinstance(node, t.Num) and node.text not in ("pi", "e")


def _is(node: t.Node, v: float) -> bool:
    return isinstance(node, t.Num) and node.value == v


def add(a: t.Node, b: t.Node) -> t.Node:
    if _is(a, 0):
        return b
    if _is(b, 0):
        return a
    if isinstance(a, t.Num) and isinstance(b, t.Num):
        return _n(a.value + b.value)
    if isinstance(b, t.Neg):
        return sub(a, b.a)
    if isinstance(b, t.Bin) and b.op == "*" and isinstance(b.a, t.Neg):  # a + (−p)·q → a − p·q
        return sub(a, t.Bin("*", b.a.a, b.b))
    if isinstance(b, t.Bin) and b.op == "*" and _plain(b.a) and b.a.value < 0:
        return sub(a, mul(_n(-b.a.value), b.b))
    return t.Bin("+", a, b)


def sub(a: t.Node, b: t.Node) -> t.Node:
    if _is(b, 0):
        return a
    if _is(a, 0):
        return neg(b)
    if isinstance(a, t.Num) and isinstance(b, t.Num):
        return _n(a.value - b.value)
    if isinstance(b, t.Neg):
        return add(a, b.a)
    return t.Bin("-", a, b)


def neg(a: t.Node) -> t.Node:
    if isinstance(a, t.Num):
        return _n(-a.value)
    if isinstance(a, t.Neg):
        return a.a
    if isinstance(a, t.Bin) and a.op == "*":  # −(p·q) → (−p)·q, reads −p·q
        return mul(_n(-a.a.value), a.b) if _plain(a.a) else t.Bin("*", neg(a.a), a.b)
    return t.Neg(a)


def mul(a: t.Node, b: t.Node) -> t.Node:
    if _is(a, 0) or _is(b, 0):
        return ZERO
    if _is(a, 1):
        return b
    if _is(b, 1):
        return a
    if _is(a, -1):
        return neg(b)
    if _is(b, -1):
        return neg(a)
    if isinstance(b, t.Num) and not isinstance(a, t.Num):
        a, b = b, a  # constants first
    if _plain(a) and _plain(b):
        return _n(a.value * b.value)
    if _plain(a) and isinstance(b, t.Bin) and b.op == "*" and _plain(b.a):
        return mul(_n(a.value * b.a.value), b.b)
    if isinstance(a, t.Neg):
        return neg(mul(a.a, b))
    if isinstance(b, t.Neg):
        return neg(mul(a, b.a))
    if isinstance(b, t.Bin) and b.op == "*":  # a·(p·q) → (a·p)·q: a product reads left to right
        return mul(mul(a, b.a), b.b)
    return t.Bin("*", a, b)


def div(a: t.Node, b: t.Node) -> t.Node:
    if _is(a, 0):
        return ZERO
    if _is(b, 1):
        return a
    if a == b:
        return ONE
    return t.Bin("/", a, b)


def power(a: t.Node, p: t.Node) -> t.Node:
    if _is(p, 1):
        return a
    if _is(p, 0):
        return ONE
    return t.Bin("**", a, p)


def fn(name: str, *args: t.Node) -> t.Node:
    return t.Fn(name, tuple(args))


def derivative(node: t.Node) -> t.Node:
    """d/dx of ``node``, simplified (a tree of the same node types, plus :class:`Deriv`)."""
    if isinstance(node, t.X):
        return ONE
    if isinstance(node, (t.Num, t.Par)):
        return ZERO
    if isinstance(node, t.Neg):
        return neg(derivative(node.a))
    if isinstance(node, t.Bin):
        a, b = node.a, node.b
        da, db = derivative(a), derivative(b)
        if node.op == "+":
            return add(da, db)
        if node.op == "-":
            return sub(da, db)
        if node.op == "*":
            return add(mul(da, b), mul(a, db))
        if node.op == "/":
            return sub(div(da, b), div(mul(a, db), power(b, TWO)))
        if not t.depends_on_x(b):  # a^p: p·a^(p−1)·a′
            p = b.value - 1 if isinstance(b, t.Num) else None
            return mul(mul(b, power(a, _n(p) if p is not None else sub(b, ONE))), da)
        if not t.depends_on_x(a):  # c^u: c^u·log(c)·u′
            return mul(mul(node, fn("log", a)), db)
        return mul(node, add(mul(db, fn("log", a)), div(mul(b, da), a)))
    if isinstance(node, t.Fn):
        return _function(node)
    if isinstance(node, t.Where):
        return _where(node.cond, derivative(node.a), derivative(node.b))
    if isinstance(node, t.Cat):
        return mul(Deriv(node.name, node.arg, node.params, 1), derivative(node.arg))
    if isinstance(node, Deriv):
        if node.order >= 2:
            raise ValueError("third derivatives are not shown")
        return mul(Deriv(node.name, node.arg, node.params, 2), derivative(node.arg))
    raise TypeError(node)  # pragma: no cover


def _function(node: t.Fn) -> t.Node:
    name, args = node.name, node.args
    if name in ("min", "max"):
        a, b = args
        op = "<=" if name == "min" else ">="
        return _where(t.Cmp(op, a, b), derivative(a), derivative(b))
    if name == "clip":
        u, lo, hi = args
        return _where(t.Cmp("<", u, lo), derivative(lo),
                      _where(t.Cmp(">", u, hi), derivative(hi), derivative(u)))
    u = args[0]
    du = derivative(u)
    if _is(du, 0):
        return ZERO
    outer = {
        "abs": lambda: _where(t.Cmp("<", u, ZERO), _n(-1.0), ONE),
        "exp": lambda: node,
        "expm1": lambda: fn("exp", u),
        "log": lambda: div(ONE, u),
        "log1p": lambda: div(ONE, add(ONE, u)),
        "sqrt": lambda: div(ONE, mul(TWO, node)),
        "sin": lambda: fn("cos", u),
        "cos": lambda: neg(fn("sin", u)),
        "tanh": lambda: fn("sech2", u),
        "sech2": lambda: mul(_n(-2.0), mul(fn("tanh", u), node)),
        "sigmoid": lambda: mul(node, fn("sigmoid", neg(u))),
        "softplus": lambda: fn("sigmoid", u),
        "erf": lambda: mul(div(TWO, fn("sqrt", _n(math.pi))), fn("exp", neg(power(u, TWO)))),
        "erfc": lambda: mul(div(_n(-2.0), fn("sqrt", _n(math.pi))), fn("exp", neg(power(u, TWO)))),
        "Phi": lambda: div(fn("exp", div(neg(power(u, TWO)), TWO)), fn("sqrt", mul(TWO, _n(math.pi)))),
    }[name]()
    if name == "abs" and _is(du, 1):
        return outer
    return mul(outer, du)


def _where(cond: t.Cmp, a: t.Node, b: t.Node) -> t.Node:
    return a if a == b else t.Where(cond, a, b)


@functools.lru_cache(maxsize=64)
def shown(tree: t.Node, order: int) -> t.Node | None:
    """f′ (order 1) or f″ (order 2) as a tree, None where it would be too long to read."""
    from actviz.expr import printer

    try:
        d = derivative(tree) if order == 1 else shown_raw(tree)
    except (ValueError, RecursionError):
        return None
    return d if len(printer.unicode(d)) <= MAX_TEXT else None


def shown_raw(tree: t.Node) -> t.Node:
    return derivative(derivative(tree))
