"""Canonical printing of a tree: plain text (parses back to the same tree), Unicode, mathtext."""

from __future__ import annotations

from actviz.expr import tree as t

# Binding strength: conditional 0, + − 1, * / 2, unary − 3, ** 4, atoms 5.
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}
_UNICODE_NAMES = {"sigmoid": "σ", "Phi": "Φ", "sech2": "sech²"}
_TEX_NAMES = {"sigmoid": r"\sigma", "Phi": r"\Phi", "tanh": r"\tanh", "exp": r"\exp", "log": r"\log",
              "sin": r"\sin", "cos": r"\cos", "min": r"\min", "max": r"\max", "sech2": r"\mathrm{sech}^2",
              "erf": r"\mathrm{erf}", "erfc": r"\mathrm{erfc}", "expm1": r"\mathrm{expm1}",
              "log1p": r"\mathrm{log1p}", "softplus": r"\mathrm{softplus}", "clip": r"\mathrm{clip}"}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_UNICODE_CMP = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "="}


def prec(node: t.Node) -> int:
    if isinstance(node, t.Where):
        return 0
    if isinstance(node, t.Bin):
        return _PREC[node.op]
    if isinstance(node, t.Neg):
        return 3
    if isinstance(node, t.Num) and node.text.startswith("-"):
        return 3
    return 5


def text(node: t.Node) -> str:
    """Canonical ASCII form, e.g. ``x*sigmoid(1.702*x)``; ``parse(text(tree))`` gives ``tree``."""
    return _Printer("text").show(node)


def unicode(node: t.Node) -> str:
    """For tables and legends, e.g. ``x·σ(1.702·x)``."""
    return _Printer("unicode").show(node)


def mathtext(node: t.Node) -> str:
    """Matplotlib mathtext (without the surrounding ``$``), e.g. ``x\\cdot\\sigma(1.702\\cdot x)``."""
    return _Printer("tex").show(node)


class _Printer:
    def __init__(self, style: str):
        self.style = style

    def wrap(self, node: t.Node, need: int, strict: bool = False) -> str:
        inner = self.show(node)
        p = prec(node)
        if p < need or (strict and p == need):
            return r"\left(" + inner + r"\right)" if self.style == "tex" else f"({inner})"
        return inner

    def op(self, op: str) -> str:
        if self.style == "text":
            return {"+": " + ", "-": " - ", "*": "*", "/": "/", "**": "**"}[op]
        if self.style == "unicode":
            return {"+": " + ", "-": " − ", "*": "·", "/": "/", "**": "^"}[op]
        return {"+": " + ", "-": " - ", "*": r" \cdot ", "/": " / ", "**": "^"}[op]

    def show(self, node: t.Node) -> str:
        s = self.style
        if isinstance(node, t.X):
            return "x"
        if isinstance(node, t.Num):
            return self.number(node.text)
        if isinstance(node, t.Par):
            return node.name
        if isinstance(node, t.Neg):
            return ("−" if s == "unicode" else "-") + self.wrap(node.a, 4)
        if isinstance(node, t.Bin):
            return self.binary(node)
        if isinstance(node, t.Fn):
            return self.function(node)
        if isinstance(node, t.Where):
            cond = self.comparison(node.cond)
            a, b = self.show(node.a), self.show(node.b)
            if s == "tex":
                return rf"\left\{{{a}\ \mathrm{{if}}\ {cond};\ {b}\ \mathrm{{otherwise}}\right."
            return f"where({cond}, {a}, {b})"
        if type(node).__name__ == "Deriv":  # a catalog derivative (actviz.expr.symbolic), display only
            prime = "′" if node.order == 1 else "″"
            head = node.name + (prime if s != "tex" else "'" * node.order)
            args = [self.show(node.arg)] + [f"{k}={self.param(v)}" for k, v in node.params]
            if s == "tex":
                head = r"\mathrm{" + node.name.replace("_", r"\_") + "}" + "'" * node.order
            return f"{head}({', '.join(args)})"
        if isinstance(node, t.Cat):
            args = [self.show(node.arg)] + [f"{k}={self.param(v)}" for k, v in node.params]
            name = node.name if s != "tex" else r"\mathrm{" + node.name.replace("_", r"\_") + "}"
            return f"{name}({', '.join(args)})"
        raise TypeError(node)  # pragma: no cover

    def number(self, spelling: str) -> str:
        if self.style == "text":
            return spelling
        named = {"pi": "π" if self.style == "unicode" else r"\pi", "e": "e"}
        if spelling.lstrip("-") in named:
            body = named[spelling.lstrip("-")]
        else:
            body = spelling.lstrip("-")
            if self.style == "tex" and "e" in body:
                mant, _, exp = body.partition("e")
                body = rf"{mant}\times 10^{{{int(exp)}}}"
        sign = "" if not spelling.startswith("-") else ("−" if self.style == "unicode" else "-")
        return sign + body

    def param(self, v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, t.Par):
            return v.name
        from actviz.expr.parser import number_text

        return self.number(number_text(float(v)))  # type: ignore[arg-type]

    def binary(self, node: t.Bin) -> str:
        p = _PREC[node.op]
        if node.op == "**":
            base = self.wrap(node.a, 5)
            if self.style == "unicode" and isinstance(node.b, t.Num) and node.b.text.lstrip("-").isdigit():
                return base + node.b.text.translate(_SUPERSCRIPT)
            exponent = self.wrap(node.b, 3)
            if self.style == "tex":
                return f"{base}^{{{self.show(node.b)}}}"
            return base + self.op("**") + exponent
        left = self.wrap(node.a, p)
        right = self.wrap(node.b, p, strict=True)
        return left + self.op(node.op) + right

    def function(self, node: t.Fn) -> str:
        s, name = self.style, node.name
        args = [self.show(a) for a in node.args]
        if name == "abs" and s != "text":
            return rf"\left|{args[0]}\right|" if s == "tex" else f"|{args[0]}|"
        if name == "sqrt" and s != "text":
            return rf"\sqrt{{{args[0]}}}" if s == "tex" else f"√({args[0]})"
        if s == "unicode":
            name = _UNICODE_NAMES.get(name, name)
        elif s == "tex":
            return _TEX_NAMES.get(name, name) + r"\left(" + ", ".join(args) + r"\right)"
        return f"{name}({', '.join(args)})"

    def comparison(self, c: t.Cmp) -> str:
        op = c.op
        if self.style == "unicode":
            op = _UNICODE_CMP.get(op, op)
        elif self.style == "tex":
            op = {"<=": r"\leq", ">=": r"\geq", "!=": r"\neq", "==": "="}.get(op, op)
        return f"{self.show(c.a)} {op} {self.show(c.b)}"
