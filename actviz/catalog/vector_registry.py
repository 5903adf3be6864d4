"""Looking up and binding the vector and gated entries (``actviz.get`` hands these names here)."""

from __future__ import annotations

import functools
from typing import Any

from actviz.catalog.frameworks import DEFAULT_FRAMEWORK, resolve_framework
from actviz.catalog.vector_model import (
    GATE_PRESETS,
    GatedActivation,
    GatedDefinition,
    VectorActivation,
    VectorDefinition,
    resolve_gate_preset,
)
from actviz.core.checks import user_float

StructuredDefinition = VectorDefinition | GatedDefinition


@functools.lru_cache(maxsize=1)
def _index() -> tuple[dict[str, StructuredDefinition], tuple[StructuredDefinition, ...]]:
    from actviz.catalog.registry import normalise
    from actviz.catalog.vector_entries import GATED_DEFINITIONS, VECTOR_DEFINITIONS

    all_defs: tuple[StructuredDefinition, ...] = (*VECTOR_DEFINITIONS, *GATED_DEFINITIONS)
    index: dict[str, StructuredDefinition] = {}
    for d in all_defs:
        for key in (d.name, *d.aliases):
            k = normalise(key)
            if k in index:
                raise RuntimeError(f"catalog name clash: {key}")
            index[k] = d
    return index, all_defs


def definitions(kind: str | None = None) -> tuple[StructuredDefinition, ...]:
    """The vector and gated entries (or those of one ``kind``), in catalog order."""
    return tuple(d for d in _index()[1] if kind is None or d.kind == kind)


def find(name: str) -> StructuredDefinition | None:
    from actviz.catalog.registry import normalise

    return _index()[0].get(normalise(name))


def bind(d: StructuredDefinition, framework: str | None, params: dict[str, Any]) -> Any:
    """A VectorActivation or GatedActivation for ``d`` with ``params`` (checked, coerced).

    Gated entries also take ``gate`` ("first", "last", "interleaved") and ``value`` (the value
    half held fixed by :meth:`GatedActivation.at_value`, default 1); ``framework`` may then be a
    library preset as well (vllm, phi3, timm, gpt-oss), which picks the gate half.
    """
    from actviz.catalog.registry import bind_params

    given = dict(params)
    if isinstance(d, VectorDefinition):
        fw = resolve_framework(framework)
        return VectorActivation(d, bind_params(d, given, fw), fw)
    gate = given.pop("gate", None)
    value = _number(given.pop("value", 1.0), "value")
    preset = resolve_gate_preset(framework)
    fw = DEFAULT_FRAMEWORK if preset is None else preset
    param_fw = fw if fw in GATE_PRESETS and _is_framework(fw) else DEFAULT_FRAMEWORK
    bound = bind_params(d, given, param_fw)
    if gate is None:
        gate = GATE_PRESETS[preset] if (preset is not None and d.follows_presets) else d.default_gate
    return GatedActivation(d, bound, fw, str(gate), preset, value)


def _number(v: Any, what: str) -> float:
    try:
        out = user_float(v) if isinstance(v, str) else float(v)  # a table's − too
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got '{v}'") from None
    if out != out or out in (float("inf"), float("-inf")):
        raise ValueError(f"{what} must be a finite number, got '{v}'")
    return out


def _is_framework(name: str) -> bool:
    try:
        resolve_framework(name)
    except ValueError:
        return False
    return True
