"""Strict JSON for every ``--format json``: :func:`dumps` writes data that follows the policy of
:mod:`actviz.core.jsonsafe` (no NaN/Infinity tokens, round-trip floats, ``null`` for unbounded ends).
"""

from __future__ import annotations

import json
from typing import Any

from actviz.core.jsonsafe import bound, clean, number

__all__ = ["bound", "dumps", "number"]


def dumps(obj: Any, indent: int | None = 2) -> str:
    """Serialise ``obj`` (dicts, lists, NumPy values) as strict JSON text."""
    return json.dumps(clean(obj), indent=indent, ensure_ascii=False, allow_nan=False)
