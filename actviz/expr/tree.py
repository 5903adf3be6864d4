"""The expression tree: a few immutable node types, built only by the parser (or a rewrite).

Nodes are small slotted classes compared and hashed by their fields (like frozen dataclasses,
without the start-up cost of generating them: this module is imported by every formula command).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Primitives: name → number of arguments. ``sech2`` is internal (the stable form of 1 − tanh²);
# ``clip`` is (u, lo, hi).
UNARY = ("abs", "exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "softplus",
         "erf", "erfc", "Phi", "sech2")
ARITY = {**{name: 1 for name in UNARY}, "min": 2, "max": 2, "clip": 3}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


class Node:
    """Base of every node; ``children`` lists the sub-expressions in order."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any):
        values = dict(zip(self.__slots__, args, strict=False))
        values.update(kwargs)
        if set(values) != set(self.__slots__):
            raise TypeError(f"{type(self).__name__} needs {', '.join(self.__slots__)}")
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._key()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"

    @property
    def children(self) -> tuple[Node, ...]:
        return ()


class Num(Node):
    """A constant: the float64 nearest the decimal as typed (``text`` is how it is printed)."""

    __slots__ = ("value", "text")


class X(Node):
    """The variable x."""

    __slots__ = ()


class Par(Node):
    """A named parameter (``b`` in ``x*sigmoid(b*x); b=1.702``); its value comes at evaluation."""

    __slots__ = ("name",)


class Neg(Node):
    __slots__ = ("a",)

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a,)


class Bin(Node):
    """``a op b`` for op in + − * / **."""

    __slots__ = ("op", "a", "b")

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


class Fn(Node):
    """A primitive function (see ``ARITY``)."""

    __slots__ = ("name", "args")

    @property
    def children(self) -> tuple[Node, ...]:
        return self.args


class Cmp(Node):
    """A comparison, only ever the condition of a :class:`Where`."""

    __slots__ = ("op", "a", "b")

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


class Where(Node):
    """``where(cond, a, b)`` (also written ``a if cond else b``): a where cond holds, else b."""

    __slots__ = ("cond", "a", "b")

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.cond, self.a, self.b)


class Cat(Node):
    """A catalog activation applied to ``arg`` with constant parameters (numbers or ``Par``)."""

    __slots__ = ("name", "arg", "params")  # params: ((name, float | bool | Par), ...)

    def __init__(self, name: str, arg: Node, params: tuple[tuple[str, Any], ...] = ()):
        super().__init__(name, arg, params)

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


SWITCHING = ("abs", "min", "max", "clip")  # the primitives that decide between branches


def may_switch(node: Node) -> bool:
    """Whether the tree decides between branches anywhere (a kink is possible): abs, min, max,
    clip, a conditional or a catalog call."""
    return any(isinstance(n, (Where, Cat)) or (isinstance(n, Fn) and n.name in SWITCHING)
               for n in walk(node))


def param_names(node: Node) -> list[str]:
    """Named parameters used in the tree, in order of first use."""
    out: list[str] = []
    for n in walk(node):
        names = [n.name] if isinstance(n, Par) else [v.name for _, v in getattr(n, "params", ()) if
                                                      isinstance(v, Par)]
        out += [name for name in names if name not in out]
    return out
