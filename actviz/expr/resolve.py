"""One entry point for every activation spec: catalog ``NAME[:k=v,...]``, a user-defined name, or a
formula. ``actviz.get``, ``actviz.parse_spec`` and the CLI all resolve through here, so a formula
works wherever a catalog name does.

A spec is a formula when it is not a plain name (letters, digits, ``_``, ``-``) optionally
followed by ``:k=v`` items, or when the variable ``x`` appears in it as a word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from actviz.catalog import registry
from actviz.catalog.activation import Activation

_PLAIN_NAME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9_\- ]*\s*$")
_X_WORD = re.compile(r"(?<![A-Za-z0-9_])x(?![A-Za-z0-9_])")


@functools.cache
def catalog_keys() -> frozenset[str]:
    """Normalised catalog names and aliases, from the generated table ``actviz.catalog.spellings``
    (tests/test_completions.py keeps it equal to the catalog): telling a formula or a user-defined
    name from a catalog name loads no catalog entry."""
    from actviz.catalog.spellings import SPELLINGS

    return frozenset(registry.normalise(s) for s in SPELLINGS)


def is_formula(spec: str) -> bool:
    """Whether ``spec`` is a formula (``x*sigmoid(x)``) rather than ``NAME[:k=v,...]``."""
    from actviz.expr.parser import MAX_LENGTH

    if len(spec) > MAX_LENGTH:
        return True  # the parser says it is too long (a name that long would be echoed in full)
    name, colon, _ = spec.partition(":")
    if colon and _PLAIN_NAME.match(name) and not _X_WORD.search(name):
        return False
    return not _PLAIN_NAME.match(spec) or _X_WORD.search(spec) is not None


def user_names() -> list[str]:
    """Names defined in the user's activations file (for completion and suggestions)."""
    from actviz.expr.user import entries

    return [e.name for e in entries().values()]


def _custom(spec: str, framework: str | None, params: Mapping[str, Any]) -> Activation | None:
    """The Activation for a user-defined name or a formula; None for a catalog (or unknown) name."""
    name, _, rest = spec.partition(":")
    if len(spec) <= 200 and registry.normalise(name) in catalog_keys():  # also relu², an alias
        return None
    from actviz.expr import activation as expr

    if _PLAIN_NAME.match(name):
        from actviz.expr.user import lookup

        entry = lookup(name)
        if entry is not None:
            given = dict(params)
            for item in filter(str.strip, rest.split(",")):
                key, eq, value = item.partition("=")
                if not eq or not key.strip() or not value.strip():
                    raise ValueError(f"bad parameter '{item}' in '{spec}'; expected k=v")
                given[key.strip()] = value.strip()
            return expr.bind(expr.expression(entry.formula, entry.name), framework, given)
    if is_formula(spec):
        return expr.from_text(spec, framework, **params)
    return None


def _unknown(name: str, exc: ValueError) -> ValueError:
    """The catalog's 'unknown activation' error, with the closest user-defined name suggested first
    (any other error, a bad parameter say, stays as it is)."""
    import difflib  # only for an unknown name

    if not str(exc).startswith("unknown activation"):
        return exc
    close = difflib.get_close_matches(name, user_names(), n=1, cutoff=0.6)
    if not close:
        return exc
    hint = " or ".join(repr(h) for h in [*close, *registry.suggest(name, limit=2)])
    return ValueError(f"unknown activation '{name}'; did you mean {hint}? (see 'actviz list')")


def get(name: str, framework: str | None = None, **params: Any) -> Activation:
    """``actviz.get``: a catalog name (``get("leaky_relu", alpha=0.1)``), a user-defined name or a
    formula (``get("x*sigmoid(b*x); b=1.702", b=2)``)."""
    custom = _custom(name, framework, params)
    if custom is not None:
        return custom
    try:
        return registry.get(name, framework=framework, **params)
    except ValueError as exc:
        raise _unknown(name, exc) from None


def parse_spec(spec: str, framework: str | None = None) -> Activation:
    """``actviz.parse_spec``: ``NAME[:k=v,...]``, a user-defined name or a formula."""
    custom = _custom(spec, framework, {})
    if custom is not None:
        return custom
    try:
        return registry.parse_spec(spec, framework=framework)
    except ValueError as exc:
        raise _unknown(spec.partition(":")[0], exc) from None
