"""Looking activations up by name or ``NAME:k=v`` spec and binding their parameters."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from actviz.catalog.activation import Activation
from actviz.catalog.frameworks import resolve_framework
from actviz.catalog.model import Definition, Param
from actviz.core.checks import user_float


def normalise(name: str) -> str:
    """Lookup key: case-insensitive, '-' and '_' alike, and both optional (``leaky-ReLU``)."""
    return name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")


@functools.lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Definition], tuple[Definition, ...]]:
    from actviz.catalog.entries import DEFINITIONS as BASE
    from actviz.catalog.smu1 import SMU1
    from actviz.catalog.zoo import ZOO

    DEFINITIONS = BASE + ZOO + SMU1
    index: dict[str, Definition] = {}
    for d in DEFINITIONS:
        for key in (d.name, *d.aliases):
            k = normalise(key)
            if k in index and index[k] is not d:
                raise RuntimeError(f"catalog name clash: {key}")
            index[k] = d
    return index, DEFINITIONS


def definitions() -> tuple[Definition, ...]:
    """Every catalog entry, in catalog order."""
    return _index()[1]


def names(kind: str = "elementwise") -> list[str]:
    """Canonical names in catalog order: the elementwise entries (the default), or those of
    ``kind`` "vector" or "gated", or "all" of them."""
    from actviz.catalog import vector_registry

    if kind not in ("elementwise", "vector", "gated", "all"):
        raise ValueError(f"unknown kind '{kind}'; choose from elementwise, vector, gated, all")
    out = [d.name for d in definitions()] if kind in ("elementwise", "all") else []
    return out + [d.name for d in vector_registry.definitions(None if kind == "all" else kind)
                  if kind != "elementwise"]


def all_spellings() -> list[str]:
    """Canonical names and aliases of every entry, any kind (for completion and suggestions)."""
    from actviz.catalog import vector_registry

    every = (*definitions(), *vector_registry.definitions())
    return [n for d in every for n in (d.name, *d.aliases)]


def suggest(name: str, limit: int = 3) -> list[str]:
    """The catalog names closest to ``name``."""
    import difflib  # only for a misspelt name: not on every command's start-up

    spellings = all_spellings()
    by_key = {normalise(s): s for s in spellings}
    close = difflib.get_close_matches(normalise(name), list(by_key), n=limit, cutoff=0.6)
    out: list[str] = []
    for key in close:
        canonical = (_structured(by_key[key]) or lookup(by_key[key])).name
        if canonical not in out:
            out.append(canonical)
    return out


def lookup(name: str) -> Definition:
    """The definition for ``name`` or an alias; ValueError with suggestions if unknown."""
    d = _index()[0].get(normalise(name))
    if d is None:
        from actviz.catalog import vector_registry

        other = vector_registry.find(name)
        if other is not None:
            raise ValueError(f"{other.name} is a {other.kind} function, not an elementwise one")
        hint = suggest(name)
        tail = f"; did you mean {' or '.join(repr(h) for h in hint)}?" if hint else ""
        raise ValueError(f"unknown activation '{name}'{tail} (see 'actviz list')")
    return d


def get(name: str, framework: str | None = None, **params: Any) -> Activation:
    """Bind ``name`` to parameters (defaults from ``framework``, TensorFlow if omitted).

    >>> get("leaky_relu", alpha=0.1)(-1.0)
    np.float64(-0.1)

    Vector and gated entries (softmax, glu, swiglu, ...) give a VectorActivation or a
    GatedActivation (see ``actviz.catalog.vector_registry.bind``).
    """
    structured = _structured(name)
    if structured is not None:
        from actviz.catalog import vector_registry

        return vector_registry.bind(structured, framework, params)
    d = lookup(name)
    fw = resolve_framework(framework)
    preset = alias_preset(d, name)
    alias = name.strip() if normalise(name) != normalise(d.name) else None
    # gelu_new: gelu with approximate=true (an explicit parameter still wins)
    return Activation(d, bind_params(d, {**preset, **params}, fw), fw, alias=alias)


def alias_preset(d: Definition, name: str) -> dict[str, Any]:
    """The parameters an alias such as ``gelu_new`` fixes ({} for plain names and aliases)."""
    key = normalise(name)
    for alias, values in d.alias_params.items():
        if normalise(alias) == key:
            return dict(values)
    return {}


def bind_params(d: Definition, given: Mapping[str, Any], framework: str) -> dict[str, Any]:
    """Defaults for ``framework`` overridden by ``given``; every value checked."""
    by_name = {p.name: p for p in d.params}
    for key in given:
        if key not in by_name:
            valid = ", ".join(by_name) or "none"
            raise ValueError(f"{d.name} has no parameter '{key}' (parameters: {valid})")
    out: dict[str, Any] = {}
    for p in d.params:
        out[p.name] = _coerce(p, given[p.name]) if p.name in given else p.default_for(framework)
    if d.validate is not None:
        d.validate(out)
    return out


def _coerce(p: Param, value: Any) -> Any:
    if p.is_bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "tanh", "precise"):
            return True
        if text in ("0", "false", "no", "off", "exact", "erf", "none"):
            return False
        if text == "fast":
            raise ValueError(f"parameter {p.name}=fast is a different function: use quick_gelu")
        raise ValueError(f"parameter {p.name} must be true or false, got '{value}'")
    if isinstance(value, bool):
        raise ValueError(f"parameter {p.name} must be a number, got {value}")
    try:
        number = user_float(value) if isinstance(value, str) else float(value)  # a table's − too
    except (TypeError, ValueError):
        raise ValueError(f"parameter {p.name} must be a number, got '{value}'") from None
    if math.isnan(number):
        raise ValueError(f"parameter {p.name} must be a number, got NaN")
    p.check(number)
    return number


def parse_spec(spec: str, framework: str | None = None) -> Activation:
    """``NAME`` or ``NAME:k=v,k=v`` (e.g. ``leaky_relu:alpha=0.1``) → an Activation."""
    name, _, rest = spec.partition(":")
    if not name.strip():
        raise ValueError(f"missing activation name in '{spec}'")
    params: dict[str, str] = {}
    if rest.strip():
        d = _structured(name) or lookup(name)
        for item in rest.split(","):
            key, eq, value = item.partition("=")
            key = key.strip()
            if not eq or not key or not value.strip():
                if not eq and len(d.params) == 1 and key:
                    key, value = d.params[0].name, key  # leaky_relu:0.1
                else:
                    raise ValueError(f"bad parameter '{item}' in '{spec}'; expected k=v")
            if key in params:
                raise ValueError(f"parameter '{key}' given twice in '{spec}'")
            params[_param_key(d, key)] = value.strip()
    return get(name, framework=framework, **params)


def _structured(name: str) -> Any:
    """The vector or gated definition called ``name`` (None for elementwise or unknown names)."""
    if normalise(name) in _index()[0]:
        return None
    from actviz.catalog import vector_registry

    return vector_registry.find(name)


def _param_key(d: Definition, key: str) -> str:
    """Accept a parameter by name, symbol or alias (``alpha`` or ``α``; ``lambd`` or ``λ``)."""
    for p in d.params:
        if key.lower() in (p.name, p.symbol.lower(), *p.aliases):
            return p.name
    return key
