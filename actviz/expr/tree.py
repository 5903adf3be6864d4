"""The expression tree: a few immutable node types, built only by the parser (or a rewrite)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Primitives: name → number of arguments. ``sech2`` is internal (the stable form of 1 − tanh²);
# ``clip`` is (u, lo, hi).
UNARY = ("abs", "exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "softplus",
         "erf", "erfc", "Phi", "sech2")
ARITY = {**{name: 1 for name in UNARY}, "min": 2, "max": 2, "clip": 3}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


class Node:
    """Base of every node; ``children`` lists the sub-expressions in order."""

    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Num(Node):
    """A constant: the float64 nearest the decimal as typed (``text`` is how it is printed)."""

    value: float
    text: str


@dataclass(frozen=True)
class X(Node):
    """The variable x."""


@dataclass(frozen=True)
class Par(Node):
    """A named parameter (``b`` in ``x*sigmoid(b*x); b=1.702``); its value comes at evaluation."""

    name: str


@dataclass(frozen=True)
class Neg(Node):
    a: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a,)


@dataclass(frozen=True)
class Bin(Node):
    """``a op b`` for op in + − * / **."""

    op: str
    a: Node
    b: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


@dataclass(frozen=True)
class Fn(Node):
    """A primitive function (see ``ARITY``)."""

    name: str
    args: tuple[Node, ...]

    @property
    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True)
class Cmp(Node):
    """A comparison, only ever the condition of a :class:`Where`."""

    op: str
    a: Node
    b: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


@dataclass(frozen=True)
class Where(Node):
    """``where(cond, a, b)`` (also written ``a if cond else b``): a where cond holds, else b."""

    cond: Cmp
    a: Node
    b: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.cond, self.a, self.b)


@dataclass(frozen=True)
class Cat(Node):
    """A catalog activation applied to ``arg`` with constant parameters (numbers or ``Par``)."""

    name: str  # canonical catalog name
    arg: Node
    params: tuple[tuple[str, Any], ...] = ()  # (name, float | bool | Par)

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.arg,)


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def depends_on_x(node: Node) -> bool:
    return any(isinstance(n, X) for n in walk(node))


def param_names(node: Node) -> list[str]:
    """Named parameters used in the tree, in order of first use."""
    out: list[str] = []
    for n in walk(node):
        names = [n.name] if isinstance(n, Par) else [v.name for _, v in getattr(n, "params", ()) if
                                                      isinstance(v, Par)]
        out += [name for name in names if name not in out]
    return out
