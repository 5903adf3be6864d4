"""actviz: see and check neural-network activation functions.

Public API::

    import actviz
    act = actviz.get("leaky_relu", alpha=0.1)       # or framework="pytorch"
    act = actviz.get("x*sigmoid(b*x); b=1.702")     # a formula (see actviz.expr)
    act(x); act.grad(x); act.grad2(x)
    actviz.softmax(z, temperature=1.0, axis=-1)
    actviz.log_softmax(z, temperature=1.0, axis=-1)
    actviz.names()

One call per command (see :mod:`actviz.api`), each returning a report object with ``to_dict()``
(the command's JSON), rich and Jupyter display, and ``figure()`` where the command draws::

    fig = actviz.plot("relu", "gelu", grad=True)    # a Matplotlib Figure, or ax=your_axes
    rep = actviz.derive("sigmoid", at=[4.6])        # or data=array for the --input summary
    res = actviz.softmax_report([0.2, 1.3, 3.75])
    adv = actviz.recommend("multiclass", depth=12)
    flo = actviz.flow(["sigmoid", "relu"], depth=10)
    chk = actviz.check("gelu", x, y)                # the ULP error of your gelu's y = f(x)
    run = actviz.train(["sigmoid", "relu"], depth=6, data="spirals")
    actviz.info("gelu"); actviz.catalog_report()

Attributes are imported on first use so that ``import actviz`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from actviz._version import __version__

__all__ = ["__version__", "get", "names", "parse_spec", "softmax", "log_softmax", "Activation",
           "plot", "derive", "softmax_report", "recommend", "flow", "info", "catalog_report",
           "check", "train"]

_LAZY = {
    "get": ("actviz.expr.resolve", "get"),
    "names": ("actviz.catalog.registry", "names"),
    "parse_spec": ("actviz.expr.resolve", "parse_spec"),
    "Activation": ("actviz.catalog.activation", "Activation"),
    "softmax": ("actviz.core.vector", "softmax"),
    "log_softmax": ("actviz.core.vector", "log_softmax"),
    "plot": ("actviz.api", "plot"),
    "derive": ("actviz.api", "derive"),
    "softmax_report": ("actviz.api", "softmax_report"),
    "recommend": ("actviz.api", "recommend"),
    "flow": ("actviz.api", "flow"),
    "info": ("actviz.api", "info"),
    "catalog_report": ("actviz.api", "catalog_report"),
    "check": ("actviz.api", "check"),
    "train": ("actviz.api", "train"),
}


# ``actviz.flow``, ``actviz.check`` and ``actviz.train`` are API functions (:func:`actviz.api.flow`
# …); the code behind them lives in packages of the same names (``from actviz.flow.simulate import
# ...``). Those packages run nothing on import (no NumPy): importing them now puts them in
# sys.modules, so that importing their modules later never rebinds ``actviz.flow`` to the package.
for _package in ("flow", "check", "train"):
    importlib.import_module(f"actviz.{_package}")
    del globals()[_package]
del _package


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'actviz' has no attribute '{name}'")


def __dir__() -> list[str]:
    submodules = (n for n, v in globals().items() if getattr(v, "__name__", "") == f"actviz.{n}")
    return sorted({*__all__, *submodules})
