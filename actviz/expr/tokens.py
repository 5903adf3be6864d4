"""Tokenizer: formula text → tokens with their positions (nothing else is ever run on the text)."""

from __future__ import annotations

import re
from typing import NamedTuple

from actviz.expr.errors import ExprError

NUM, NAME, OP, END = "number", "name", "operator", "end"

_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
# Longest first; the Unicode spellings people paste are mapped to the ASCII ones.
_OPS = ("**", "<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "(", ")", ",", ";", "=", "<", ">")
_ALIASES = {"−": "-", "×": "*", "·": "*", "≤": "<=", "≥": ">=", "≠": "!="}
_SPACE = " \t\r\n"


class Token(NamedTuple):
    kind: str
    text: str  # ASCII spelling (aliases mapped), e.g. "**" for "^" stays "^"
    pos: int
    width: int


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` and a final END token; ExprError at the first character that is
    not part of the language (with a hint for the usual Python spellings that are not allowed)."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
            continue
        m = _NUMBER.match(text, i)
        if m and (c.isdigit() or c == "."):
            out.append(Token(NUM, m.group(0), i, m.end() - i))
            if m.end() < n and (text[m.end()].isalpha() or text[m.end()] == "_"):
                raise ExprError(f"a number cannot run into a name ('{text[m.end()]}'); write 2*x, not 2x",
                                text, m.end())
            i = m.end()
            continue
        m = _NAME.match(text, i)
        if m:
            out.append(Token(NAME, m.group(0), i, m.end() - i))
            i = m.end()
            continue
        if c in _ALIASES:
            out.append(Token(OP, _ALIASES[c], i, 1))
            i += 1
            continue
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op is not None:
            out.append(Token(OP, op, i, len(op)))
            i += len(op)
            continue
        raise ExprError(_bad_char_message(c), text, i)
    out.append(Token(END, "", n, 1))
    return out


def _bad_char_message(c: str) -> str:
    if c == ".":
        return "'.' is not allowed here (no attribute access; numbers are written like 0.5)"
    if c in "[]{}":
        return f"'{c}' is not part of the language (no lists, indexing or comprehensions)"
    if c in "'\"":
        return "strings are not part of the language"
    if c == ":":
        return "':' is not part of the language (no lambdas or slices; parameters go after ';')"
    if not c.isprintable():
        return f"unexpected character {c!r}"
    return f"unexpected character '{c}'"
