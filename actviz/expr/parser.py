"""Recursive-descent parser: formula text → :class:`Formula` (tree + named parameters).

Grammar (everything else is rejected with a caret under the offending token)::

    input      := expr ( ';' NAME '=' number )* [';']
    expr       := additive [ 'if' condition 'else' expr ]
    condition  := additive ( '<' | '<=' | '>' | '>=' | '==' | '!=' ) additive
    additive   := term ( ( '+' | '-' ) term )*
    term       := unary ( ( '*' | '/' ) unary )*
    unary      := ( '-' | '+' ) unary | power
    power      := atom [ ( '**' | '^' ) unary ]            right-associative: 2**-x, x**2**3
    atom       := NUMBER | 'x' | 'pi' | 'e' | PARAM | '(' expr ')'
                | FUNC '(' expr ')'                        exp expm1 log log1p sqrt sin cos tanh
                                                           sigmoid softplus erf erfc Phi abs
                | ( 'min' | 'max' ) '(' expr ',' expr ')' | 'clip' '(' expr ',' expr ',' expr ')'
                | 'where' '(' condition ',' expr ',' expr ')'
                | CATALOG '(' expr ( ',' [NAME '='] number )* ')'     gelu(x), leaky_relu(x, alpha=0.3)
    number     := [ '-' | '+' ] ( NUMBER | 'pi' | 'e' | PARAM )

A NUMBER means the float64 nearest the decimal as typed (``1.702`` is 1.70199999999999995737…).
Limits keep every input cheap: ``MAX_LENGTH`` characters, nesting ``MAX_DEPTH``, ``MAX_NODES`` nodes,
finite non-vanishing constants, constant exponents of magnitude ≤ ``MAX_EXPONENT``. Nothing of the
text is ever executed: it is read token by token into the node types of ``actviz.expr.tree``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from actviz.expr import tree as t
from actviz.expr.errors import ExprError
from actviz.expr.tokens import END, NAME, NUM, OP, Token, tokenize

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_NODES = 400
MAX_EXPONENT = 1024.0
MAX_PARAMS = 16
CONSTANTS = {"pi": math.pi, "e": math.e}
SPECIAL = ("x", "where", "if", "else", *CONSTANTS)
PYTHON_KEYWORDS = frozenset(("lambda", "for", "in", "import", "not", "and", "or", "is", "def", "class",
                             "return", "yield", "await", "async", "del", "global", "with", "while",
                             "try", "except", "raise", "from", "as", "pass", "None", "True", "False"))


class Formula(NamedTuple):
    """A parsed formula: the tree, its named parameters with values, and the text it came from."""

    tree: t.Node
    params: tuple[tuple[str, float], ...]
    source: str


def parse(text: str) -> Formula:
    """Parse ``text``; ExprError (a ValueError) with the position for anything not allowed."""
    if not isinstance(text, str):
        raise ExprError("a formula must be text", "", 0)
    if len(text) > MAX_LENGTH:
        raise ExprError(f"formula too long ({len(text)} characters; at most {MAX_LENGTH})", text,
                        MAX_LENGTH, 1)
    return _Parser(text).formula()


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.param_tokens: dict[str, Token] = {}
        self.param_values: dict[str, float] = {}

    # --- helpers ---------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def error(self, message: str, tok: Token | None = None) -> ExprError:
        tok = tok or self.tok
        return ExprError(message, self.text, tok.pos, tok.width)

    def take(self) -> Token:
        tok = self.tok
        if tok.kind != END:
            self.i += 1
        return tok

    def at(self, *ops: str) -> bool:
        return self.tok.kind == OP and self.tok.text in ops

    def expect(self, op: str, what: str) -> Token:
        if not self.at(op):
            found = "the end of the formula" if self.tok.kind == END else f"'{self.tok.text}'"
            raise self.error(f"expected '{op}' {what}, found {found}")
        return self.take()

    def node(self, n: t.Node, tok: Token) -> t.Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(f"formula too large (more than {MAX_NODES} nodes)", tok)
        return n

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"formula nested too deeply (more than {MAX_DEPTH} levels)", tok)

    # --- grammar ---------------------------------------------------------------------------
    def formula(self) -> Formula:
        # Parameters come after the formula but are needed while reading it: read them first.
        body_end = self._split_parameters()
        tree = self.expr()
        if self.i != body_end:
            raise self.error(self._unexpected())
        used = t.param_names(tree)
        for name, tok in self.param_tokens.items():
            if name not in used:
                raise self.error(f"parameter '{name}' is not used in the formula", tok)
        params = tuple((name, self.param_values[name]) for name in used)
        return Formula(tree, params, self.text)

    def _unexpected(self) -> str:
        tok = self.tok
        if tok.kind == NAME:
            return f"unexpected name '{tok.text}' (an operator is missing before it?)"
        if tok.kind == NUM:
            return f"unexpected number '{tok.text}' (an operator is missing before it?)"
        if tok.text == ")":
            return "unbalanced ')'"
        return f"unexpected '{tok.text}'"

    def _split_parameters(self) -> int:
        """Read ``; name = number`` items from the first top-level ';'; return its token index."""
        semis = [k for k, tok in enumerate(self.toks) if tok.kind == OP and tok.text == ";"]
        if not semis:
            return len(self.toks) - 1
        first = semis[0]
        k = first
        while k < len(self.toks) - 1:
            assert self.toks[k].text == ";"
            k += 1
            if self.toks[k].kind == END:
                break  # a trailing ';'
            name, eq = self.toks[k], self.toks[k + 1]
            if name.kind != NAME or eq.text != "=":
                raise self.error("expected a parameter 'name=value' after ';'", name)
            self._check_param_name(name)
            if len(self.param_tokens) >= MAX_PARAMS:
                raise self.error(f"at most {MAX_PARAMS} parameters", name)
            self.i = k + 2
            value = self.signed_number(allow_params=False)
            self.param_tokens[name.text] = name
            self.param_values[name.text] = value
            k = self.i
            if self.toks[k].kind != END and self.toks[k].text != ";":
                raise self.error("expected ';' or the end after a parameter value", self.toks[k])
        self.i = 0
        return first

    def _check_param_name(self, tok: Token) -> None:
        from actviz.catalog.registry import normalise
        from actviz.expr.resolve import catalog_keys

        name = tok.text
        if name in self.param_tokens:
            raise self.error(f"parameter '{name}' is given twice", tok)
        if name in SPECIAL or name in t.ARITY or name in PYTHON_KEYWORDS or name.startswith("_"):
            raise self.error(f"'{name}' cannot be a parameter name", tok)
        if normalise(name) in catalog_keys():
            raise self.error(f"'{name}' is a catalog activation and cannot be a parameter name", tok)

    def expr(self) -> t.Node:
        start = self.tok
        self.enter(start)
        body = self.additive()
        if self.tok.kind == NAME and self.tok.text == "if":
            self.take()
            cond = self.condition()
            if not (self.tok.kind == NAME and self.tok.text == "else"):
                raise self.error("expected 'else' in 'a if condition else b'")
            self.take()
            other = self.expr()
            body = self.node(t.Where(cond, body, other), start)
        self.depth -= 1
        return body

    def condition(self) -> t.Cmp:
        a = self.additive()
        if not self.at(*t.COMPARISONS):
            raise self.error("expected a comparison (<, <=, >, >=, ==, !=)")
        op = self.take()
        b = self.additive()
        if self.at(*t.COMPARISONS):
            raise self.error("chained comparisons are not supported")
        return self.node(t.Cmp(op.text, a, b), op)  # type: ignore[return-value]

    def additive(self) -> t.Node:
        a = self.term()
        while self.at("+", "-"):
            op = self.take()
            a = self.node(t.Bin(op.text, a, self.term()), op)
        return a

    def term(self) -> t.Node:
        a = self.unary()
        while self.at("*", "/"):
            op = self.take()
            a = self.node(t.Bin(op.text, a, self.unary()), op)
        return a

    def unary(self) -> t.Node:
        if self.at("-", "+"):
            op = self.take()
            self.enter(op)
            inner = self.unary()
            self.depth -= 1
            if op.text == "+":
                return inner
            if isinstance(inner, t.Num):  # −2 is a number, not an operation
                return t.Num(-inner.value, _neg_text(inner.text))
            return self.node(t.Neg(inner), op)
        return self.power()

    def power(self) -> t.Node:
        base = self.atom()
        if self.at("**", "^"):
            op = self.take()
            self.enter(op)
            exponent = self.unary()
            self.depth -= 1
            if not t.depends_on_x(exponent):
                value = self._constant_value(exponent)
                if value is not None and not abs(value) <= MAX_EXPONENT:
                    raise self.error(f"exponent too large (at most {MAX_EXPONENT:g} in magnitude)", op)
            if isinstance(base, t.Num) and not t.depends_on_x(exponent):
                value = self._constant_value(t.Bin("**", base, exponent))
                if value is not None and not math.isfinite(value):
                    raise self.error("constant power out of float64 range", op)
            return self.node(t.Bin("**", base, exponent), op)
        return base

    def _constant_value(self, node: t.Node) -> float | None:
        """The float64 value of a constant sub-expression (None if it needs more than + − * / **)."""
        from actviz.expr.jet import constant_value

        env = dict(self.param_values)
        try:
            return constant_value(node, env)
        except (KeyError, ValueError, OverflowError, ZeroDivisionError):
            return None

    def atom(self) -> t.Node:
        tok = self.tok
        if tok.kind == NUM:
            self.take()
            return self.node(_number(tok, self), tok)
        if tok.kind == OP and tok.text == "(":
            self.take()
            inner = self.expr()
            self.expect(")", "to close the '(' here")
            return inner
        if tok.kind == NAME:
            return self.name_atom()
        if tok.kind == END:
            raise self.error("the formula ends too early" if self.i else "empty formula")
        raise self.error(self._unexpected())

    def name_atom(self) -> t.Node:
        tok = self.take()
        name = tok.text
        calls = self.at("(")
        if name in PYTHON_KEYWORDS:
            raise self.error(f"Python keyword '{name}' is not part of the language", tok)
        if name.startswith("__"):
            raise self.error(f"'{name}' is not allowed (no Python names)", tok)
        if name == "x" and not calls:
            return self.node(t.X(), tok)
        if name in CONSTANTS and not calls:
            return self.node(t.Num(CONSTANTS[name], name), tok)
        if name in self.param_values and not calls:
            return self.node(t.Par(name), tok)
        if name in t.ARITY and name != "sech2" or name == "where":
            if not calls:
                raise self.error(f"'{name}' is a function: write {name}(...)", tok)
            return self.call(tok)
        try:
            catalog = _catalog_name(name)
        except ValueError as exc:  # a vector or gated entry: not a function of one number
            raise self.error(f"{exc}; a formula can call elementwise activations only", tok) from None
        if catalog is not None:
            if not calls:
                raise self.error(f"'{name}' is an activation: write {name}(x)", tok)
            return self.catalog_call(tok, catalog)
        raise self.error(self._unknown(name, calls), tok)

    def _unknown(self, name: str, calls: bool) -> str:
        import difflib  # only for an unknown name: not on every formula's start-up

        from actviz.catalog.registry import all_spellings

        if calls:
            pool = [*t.ARITY, "where", *all_spellings()]
        else:
            pool = ["x", *CONSTANTS, *self.param_values]
        pool = list(dict.fromkeys(p for p in pool if p != "sech2"))  # tanh is a primitive and an entry
        close = difflib.get_close_matches(name, pool, n=2, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        what = "function" if calls else "name"
        extra = "" if calls or close else " (parameters are defined after ';', e.g. 'x*sigmoid(b*x); b=1.7')"
        return f"unknown {what} '{name}'{hint}{extra}"

    def call(self, tok: Token) -> t.Node:
        name = tok.text
        open_tok = self.expect("(", "")
        self.enter(open_tok)
        if name == "where":
            cond = self.condition()
            self.expect(",", "after the condition of where")
            a = self.expr()
            self.expect(",", "in where(condition, a, b)")
            b = self.expr()
            self.expect(")", "to close where(")
            self.depth -= 1
            return self.node(t.Where(cond, a, b), tok)
        args = [self.expr()]
        while self.at(","):
            self.take()
            args.append(self.expr())
        want = t.ARITY[name]
        if len(args) != want:
            raise self.error(f"{name} takes {want} argument{'s' * (want > 1)}, got {len(args)}", tok)
        self.expect(")", f"to close {name}(")
        self.depth -= 1
        return self.node(t.Fn(name, tuple(args)), tok)

    def catalog_call(self, tok: Token, canonical: str) -> t.Node:
        from actviz.catalog.registry import bind_params, lookup

        d = lookup(canonical)
        open_tok = self.expect("(", "")
        self.enter(open_tok)
        arg = self.expr()
        given: dict[str, object] = {}
        k = 0
        while self.at(","):
            self.take()
            key_tok = self.tok
            if key_tok.kind == NAME and self.toks[self.i + 1].text == "=":
                self.i += 2
                key = _param_key(d, key_tok.text)
            else:
                if k >= len(d.params):
                    raise self.error(f"{d.name} takes at most {len(d.params)} parameter(s)", key_tok)
                key = d.params[k].name
            if key not in {p.name for p in d.params}:
                valid = ", ".join(p.name for p in d.params) or "none"
                raise self.error(f"{d.name} has no parameter '{key_tok.text}' (parameters: {valid})", key_tok)
            if key in given:
                raise self.error(f"parameter '{key}' given twice", key_tok)
            value_tok = self.tok
            given[key] = self.param_value(next(p for p in d.params if p.name == key))
            try:  # check the value now (with defaults for the rest) so the caret points here
                bind_params(d, {key: self.param_values.get(given[key].name, 0.0)
                                if isinstance(given[key], t.Par) else given[key]}, "tensorflow")
            except ValueError as exc:
                raise self.error(str(exc), value_tok) from None
            k += 1
        self.expect(")", f"to close {tok.text}(")
        self.depth -= 1
        return self.node(t.Cat(d.name, arg, tuple(given.items())), tok)

    def param_value(self, p) -> object:
        if p.is_bool:
            tok = self.take()
            text = tok.text.lower()
            if text in ("true", "1", "tanh"):
                return True
            if text in ("false", "0", "exact", "erf"):
                return False
            raise self.error(f"parameter {p.name} must be true or false", tok)
        return self.signed_number(allow_params=True)

    def signed_number(self, allow_params: bool) -> object:
        sign = 1.0
        while self.at("-", "+"):
            if self.take().text == "-":
                sign = -sign
        tok = self.take()
        if tok.kind == NUM:
            return sign * _number(tok, self).value
        if tok.kind == NAME and tok.text in CONSTANTS:
            return sign * CONSTANTS[tok.text]
        if allow_params and tok.kind == NAME and tok.text in self.param_values:
            if sign < 0:
                raise self.error("write a negative parameter value after ';' instead", tok)
            return t.Par(tok.text)
        raise self.error("expected a number", tok)


def _number(tok: Token, parser: _Parser) -> t.Num:
    try:
        value = float(tok.text)
    except ValueError:  # pragma: no cover - the tokenizer only passes decimal literals
        raise parser.error(f"bad number '{tok.text}'", tok) from None
    if not math.isfinite(value):
        raise parser.error(f"number '{tok.text}' is beyond float64's range (±1.8e308)", tok)
    if value == 0.0 and any(c in "123456789" for c in tok.text.split("e")[0].split("E")[0]):
        raise parser.error(f"number '{tok.text}' is too small for float64 (it would be 0)", tok)
    return t.Num(value, number_text(value))


def number_text(value: float) -> str:
    """Shortest spelling that gives the same float64: 2 for 2.0, 1.702 for 1.702."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _neg_text(text: str) -> str:
    return text[1:] if text.startswith("-") else "-" + text


def _catalog_name(name: str) -> str | None:
    from actviz.catalog.registry import lookup, normalise
    from actviz.expr.resolve import catalog_keys

    return lookup(name).name if normalise(name) in catalog_keys() else None


def _param_key(d, key: str) -> str:
    for p in d.params:
        if key.lower() in (p.name, p.symbol.lower()):
            return p.name
    return key
