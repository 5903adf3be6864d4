"""An activation bound to parameter values and a framework preset: the object users call."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np

from actviz.catalog.model import Definition, Formula, Kink, Properties
from actviz.core.arrays import as_array
from actviz.core.exact import ONE_PASS, SAME_IN_FLOAT32
from actviz.core.numtext import number, spec_value

_KEEP_DTYPES = (np.dtype(np.float32), np.dtype(np.float16))
_FLOAT64 = np.dtype(np.float64)
_DIRECT_DTYPES = (_FLOAT64, np.dtype(np.float32))  # dtypes SAME_IN_FLOAT32 kernels see as they are
# Values per kernel call on large inputs: a kernel's few float64 temporaries of this size stay in
# the CPU's L2 cache, so each of its passes costs a fraction of a pass over main memory.
BLOCK = 1 << 15


class Activation:
    """``definition`` with concrete ``params`` under ``framework``'s conventions.

    ``act(x)``, ``act.grad(x)`` and ``act.grad2(x)`` accept scalars, lists and arrays; float32 and
    float16 inputs give results of the same dtype (computed in float64, then rounded once),
    everything else gives float64. A scalar input gives a NumPy scalar. Large inputs are
    evaluated in blocks of ``BLOCK`` values (the kernels are elementwise: same numbers, less
    memory traffic, and memory for the result only).
    """

    def __init__(self, definition: Definition, params: Mapping[str, Any], framework: str,
                 alias: str | None = None):
        self.definition = definition
        self.params: dict[str, Any] = dict(params)
        self.framework = framework
        self.alias = alias  # the alias it was looked up by, when that alias fixes parameters

    # --- identity ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def shown_params(self) -> tuple:
        """The parameters labels and specs name: all but optional extras at their default."""
        return tuple(p for p in self.definition.params
                     if not (p.extra and self.params[p.name] == p.default_for(self.framework)))

    @property
    def label(self) -> str:
        """Legend text, e.g. ``leaky_relu (α=0.2)``."""
        shown = self.shown_params
        if not shown:
            return self.name
        inner = ", ".join(f"{p.symbol}={_fmt(self.params[p.name])}" for p in shown)
        return f"{self.name} ({inner})"

    @property
    def spec(self) -> str:
        """The ``NAME:k=v`` spelling that recreates this activation: every parameter in its
        shortest round-trip text (``leaky_relu:alpha=0.123456789``, ``1e-07``), ASCII, so that
        parsing the spec gives the same numbers (the label rounds for people instead)."""
        shown = self.shown_params
        if not shown:
            return self.name
        inner = ",".join(f"{p.name}={spec_value(self.params[p.name])}" for p in shown)
        return f"{self.name}:{inner}"

    def __repr__(self) -> str:
        return f"Activation({self.spec!r}, framework={self.framework!r})"

    # --- display in Jupyter (the renderer is imported only when a notebook asks) --------------
    def _repr_html_(self) -> str:
        """Formulas, parameters, properties, kinks and saturation as HTML, with a plot of f and f′."""
        from actviz.render.activation_card import html

        return html(self)

    def _repr_png_(self) -> bytes:
        """A small plot of f and f′ (saturation shaded), as PNG bytes (drawn once, then kept)."""
        cached = self.__dict__.get("_card_png")
        if cached is None:
            from actviz.render.activation_card import png

            cached = self.__dict__["_card_png"] = png(self)
        return cached

    # --- evaluation -------------------------------------------------------------------------
    def __call__(self, x: Any) -> Any:
        return self._apply(self.definition.f, x)

    def grad(self, x: Any) -> Any:
        """f′(x), with the framework's value at kinks."""
        return self._apply(self.definition.df, x, overrides=self._grad_overrides)

    def grad2(self, x: Any) -> Any:
        """f″(x) (at a kink: the one-sided value of the branch f′ uses)."""
        return self._apply(self.definition.d2f, x)

    def _apply(self, kernel, x: Any, overrides: tuple[tuple[float, float], ...] = ()) -> Any:
        arr = np.asarray(as_array(x))  # a PyTorch or JAX tensor becomes a NumPy array
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
        out_dtype = arr.dtype if arr.dtype in _KEEP_DTYPES else _FLOAT64
        flat = arr.reshape(-1)  # kernels see 1-d arrays (a view when x is contiguous)
        # float64 and float32 go to the exact kernels as they are; everything else through float64.
        direct = (arr.dtype in _DIRECT_DTYPES and kernel in SAME_IN_FLOAT32
                  and _representable(overrides, arr.dtype))
        if flat.size <= BLOCK or (direct and kernel in ONE_PASS):
            xd = flat if direct else flat.astype(_FLOAT64, copy=False)
            y = _cast(self._evaluate(kernel, xd, overrides), out_dtype)
        else:
            y = np.empty(flat.size, out_dtype)
            for start in range(0, flat.size, BLOCK):
                stop = start + BLOCK
                xd = flat[start:stop] if direct else flat[start:stop].astype(_FLOAT64, copy=False)
                part = self._evaluate(kernel, xd, overrides)
                if part.dtype == out_dtype:
                    y[start:stop] = part
                else:
                    with np.errstate(over="ignore"):  # beyond float32's range is ±inf, correctly
                        y[start:stop] = part
        y = y.reshape(arr.shape)
        return y[()] if arr.ndim == 0 else y

    def _evaluate(self, kernel, xd: np.ndarray, overrides: tuple[tuple[float, float], ...]) -> np.ndarray:
        """``kernel`` on a 1-d array, with the framework's values at the override points."""
        y = kernel(xd, **self.params)
        for at, value in overrides:
            hit = xd == at
            if hit.any():
                y[hit] = value
        return y

    @functools.cached_property
    def _grad_overrides(self) -> tuple[tuple[float, float], ...]:
        """(x, value) pairs where the kernel's own f′ differs from the framework's value."""
        fixes = []
        for kink in self.kinks:
            natural = float(self.definition.df(np.array([kink.x]), **self.params)[0])
            if natural != kink.value:
                fixes.append((kink.x, kink.value))
        return tuple(fixes)

    # --- facts ------------------------------------------------------------------------------
    @functools.cached_property
    def kinks(self) -> tuple[Kink, ...]:
        """Points where f′ jumps, with both one-sided derivatives and each framework's value."""
        from actviz.catalog.frameworks import FRAMEWORKS

        out = []
        for spec in self.definition.kinks:
            at = float(spec.where(self.params))
            if not np.isfinite(at):
                continue  # e.g. relu without max_value: no upper clip
            left, right = float(spec.left(self.params)), float(spec.right(self.params))
            jumps = (self.definition.f_jumps_at_kinks if spec.f_jumps is None
                     else bool(spec.f_jumps(self.params)))
            values = {fw: spec.value_for(fw, left, right) for fw in FRAMEWORKS}
            if left == right and not jumps and all(v == left for v in values.values()):
                continue  # e.g. elu with α = 1 is C¹: no kink
            out.append(
                Kink(
                    x=at,
                    left=left,
                    right=right,
                    framework_values=values,
                    value=values[self.framework],
                    f_jumps=jumps,
                    note=spec.note,
                )
            )
        return tuple(sorted(out, key=lambda k: k.x))

    @functools.cached_property
    def properties(self) -> Properties:
        return self.definition.properties(self.params)

    @functools.cached_property
    def _formulas(self) -> tuple[Formula, Formula, Formula]:
        d = self.definition
        if d.formulas is not None:
            return d.formulas(self.params)
        return d.formula, d.dformula, d.d2formula

    @property
    def formula(self) -> Formula:
        """f as a formula for these parameters (gelu's tanh form when approximate)."""
        return self._formulas[0]

    @property
    def dformula(self) -> Formula:
        return self._formulas[1]

    @property
    def d2formula(self) -> Formula:
        return self._formulas[2]

    def framework_name(self, framework: str | None = None) -> str | None:
        return self.definition.framework_name(framework or self.framework)


def _cast(y: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``y`` rounded once to ``dtype`` (no copy when it already has it)."""
    if y.dtype == dtype:
        return y
    with np.errstate(over="ignore"):  # beyond float32's range is ±inf, correctly rounded
        return y.astype(dtype)


def _representable(overrides: tuple[tuple[float, float], ...], dtype: np.dtype) -> bool:
    """Whether every override point is a number of ``dtype`` (so ``x == at`` compares exactly)."""
    return all(float(dtype.type(at)) == at for at, _ in overrides)


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return number(v, 6)  # the table rules: U+2212 minus, 1e−6

