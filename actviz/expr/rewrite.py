"""The stable forms of the formulas everyone writes, as tree rewrites.

Each rule replaces a sub-tree that loses accuracy in float64 by one that does not:

    log(1 + exp(u))       → softplus(u)       overflow for u > 709, 0 instead of e^u for u < −37
    1/(1 + exp(−u))       → sigmoid(u)        overflow warning for u < −709
    log(sigmoid(u))       → −softplus(−u)     −inf instead of u for u < −745
    exp(u) − 1            → expm1(u)          cancellation near u = 0
    log(1 + u)            → log1p(u)          cancellation near u = 0
    1 − tanh(u)**2        → sech2(u)          0 instead of 4e^{−2|u|} for |u| > 19
    1 + erf(u/sqrt(2))    → 2*Phi(u)          cancellation for u < 0 (gelu's left tail)
    1 + erf(u)            → erfc(−u),  1 − erf(u) → erfc(u)

actviz evaluates the rewritten tree (its fast path); ``info --accuracy`` reports both.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from actviz.expr import tree as t


class Rewrite(NamedTuple):
    before: t.Node
    after: t.Node
    why: str


def _is_num(node: t.Node, value: float) -> bool:
    return isinstance(node, t.Num) and node.value == value


def _fn(node: t.Node, name: str) -> t.Node | None:
    """The argument of ``name(arg)`` or None."""
    return node.args[0] if isinstance(node, t.Fn) and node.name == name else None


def _plus_one(node: t.Node) -> t.Node | None:
    """u when node is 1 + u or u + 1."""
    if isinstance(node, t.Bin) and node.op == "+":
        if _is_num(node.a, 1.0):
            return node.b
        if _is_num(node.b, 1.0):
            return node.a
    return None


def _negated(node: t.Node) -> t.Node:
    if isinstance(node, t.Neg):
        return node.a
    if isinstance(node, t.Num):
        from actviz.expr.parser import number_text

        return t.Num(-node.value, number_text(-node.value))
    return t.Neg(node)


def _over_sqrt2(node: t.Node) -> t.Node | None:
    """u when node is u/sqrt(2) or u*(1/sqrt(2)) spelled as u/sqrt(2)."""
    if isinstance(node, t.Bin) and node.op == "/":
        root = _fn(node.b, "sqrt")
        if root is not None and _is_num(root, 2.0) or _is_num(node.b, math.sqrt(2.0)):
            return node.a
    return None


def _rule(node: t.Node) -> tuple[t.Node, str] | None:
    if isinstance(node, t.Fn) and node.name == "log":
        inner = node.args[0]
        u = _plus_one(inner)
        if u is not None and _fn(u, "exp") is not None:
            return t.Fn("softplus", (_fn(u, "exp"),)), "log(1+exp(u)) overflows for u > 709"
        if _fn(inner, "sigmoid") is not None:
            u = _fn(inner, "sigmoid")
            return t.Neg(t.Fn("softplus", (_negated(u),))), "log(σ(u)) is −inf for u < −745"
        if u is not None:
            return t.Fn("log1p", (u,)), "log(1+u) cancels for small u"
    if isinstance(node, t.Bin) and node.op == "/" and _is_num(node.a, 1.0):
        u = _plus_one(node.b)
        e = _fn(u, "exp") if u is not None else None
        if e is not None:
            return t.Fn("sigmoid", (_negated(e),)), "1/(1+exp(−u)) overflows in exp for u < −709"
    if isinstance(node, t.Bin) and node.op == "-" and _is_num(node.b, 1.0) and _fn(node.a, "exp") is not None:
        return t.Fn("expm1", (_fn(node.a, "exp"),)), "exp(u)−1 cancels near u = 0"
    if isinstance(node, t.Bin) and node.op == "-" and _is_num(node.a, 1.0):
        b = node.b
        if isinstance(b, t.Bin) and b.op == "**" and _is_num(b.b, 2.0) and _fn(b.a, "tanh") is not None:
            return t.Fn("sech2", (_fn(b.a, "tanh"),)), "1−tanh(u)² is 0 for |u| > 19"
        if _fn(b, "erf") is not None:
            return t.Fn("erfc", (_fn(b, "erf"),)), "1−erf(u) cancels for u > 0"
    u = _plus_one(node)
    if u is not None and _fn(u, "erf") is not None:
        arg = _fn(u, "erf")
        inner = _over_sqrt2(arg)
        if inner is not None:
            return t.Bin("*", t.Num(2.0, "2"), t.Fn("Phi", (inner,))), "1+erf(u/√2) cancels for u < 0"
        return t.Fn("erfc", (_negated(arg),)), "1+erf(u) cancels for u < 0"
    return None


def stable(node: t.Node, found: list[Rewrite] | None = None) -> t.Node:
    """``node`` with every classic pattern replaced, bottom-up; rewrites appended to ``found``."""
    node = _rebuild(node, [stable(c, found) for c in node.children])
    hit = _rule(node)
    if hit is None:
        return node
    after, why = hit
    if found is not None:
        found.append(Rewrite(node, after, why))
    return after


def _rebuild(node: t.Node, kids: list[t.Node]) -> t.Node:
    if not kids:
        return node
    if isinstance(node, t.Neg):
        return t.Neg(kids[0])
    if isinstance(node, t.Bin):
        return t.Bin(node.op, kids[0], kids[1])
    if isinstance(node, t.Fn):
        return t.Fn(node.name, tuple(kids))
    if isinstance(node, t.Cmp):
        return t.Cmp(node.op, kids[0], kids[1])
    if isinstance(node, t.Where):
        return t.Where(kids[0], kids[1], kids[2])  # type: ignore[arg-type]
    if isinstance(node, t.Cat):
        return t.Cat(node.name, kids[0], node.params)
    raise TypeError(node)  # pragma: no cover
