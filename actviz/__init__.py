"""actviz: see and check neural-network activation functions.

Public API::

    import actviz
    act = actviz.get("leaky_relu", alpha=0.1)       # or framework="pytorch"
    act = actviz.get("x*sigmoid(b*x); b=1.702")     # a formula (see actviz.expr)
    act(x); act.grad(x); act.grad2(x)
    actviz.softmax(z, temperature=1.0, axis=-1)
    actviz.log_softmax(z, temperature=1.0, axis=-1)
    actviz.names()

Attributes are imported on first use so that ``import actviz`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from typing import Any

from actviz._version import __version__

__all__ = ["__version__", "get", "names", "parse_spec", "softmax", "log_softmax", "Activation"]

_LAZY = {
    "get": ("actviz.expr.resolve", "get"),
    "names": ("actviz.catalog.registry", "names"),
    "parse_spec": ("actviz.expr.resolve", "parse_spec"),
    "Activation": ("actviz.catalog.activation", "Activation"),
    "softmax": ("actviz.core.vector", "softmax"),
    "log_softmax": ("actviz.core.vector", "log_softmax"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'actviz' has no attribute '{name}'")
