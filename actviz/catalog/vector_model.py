"""Catalog entries that are not elementwise: vector entries (over an axis) and gated entries
(input split into a gate half and a value half), their definitions and the bound objects.

A :class:`VectorDefinition` or :class:`GatedDefinition` is written once in ``vector_entries.py``;
:class:`VectorActivation` and :class:`GatedActivation` are what ``actviz.get`` returns for them.
A gated unit seen as a function of its gate at a fixed value of the other half is an ordinary
elementwise :class:`~actviz.catalog.activation.Activation` (:meth:`GatedActivation.at_value`), so
``plot`` and ``derive`` draw and tabulate it like any other entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actviz.catalog.activation import Activation
from actviz.catalog.frameworks import FRAMEWORK_ALIASES, FRAMEWORKS
from actviz.catalog.model import Definition, Formula, KinkSpec, Param, ParamValues, Properties
from actviz.core import gated as core_gated
from actviz.core.numtext import number, spec_value

KINDS = ("elementwise", "vector", "gated")

# Which half gates, per framework or library preset (catalog-gap.md A16, B1, B5).
GATE_PRESETS: Mapping[str, str] = {
    "tensorflow": "last", "keras": "last", "pytorch": "last", "jax": "last", "mlx": "last",
    "flax": "last", "vllm": "first", "phi3": "first", "timm": "first", "gpt-oss": "interleaved",
}
GATE_PRESET_NOTES: Mapping[str, str] = {
    "tensorflow": "keras.activations.glu(axis=-1): x = [value | gate]",
    "keras": "glu(x, axis=-1): x = [value | gate]",
    "pytorch": "torch.nn.GLU(dim=-1): x = [value | gate]",
    "jax": "jax.nn.glu(axis=-1): x = [value | gate]",
    "mlx": "mlx.nn.glu(axis=-1): x = [value | gate]",
    "flax": "re-exports jax.nn.glu: x = [value | gate]",
    "vllm": "SiluAndMul / GeluAndMul: silu(x[:d])·x[d:], x = [gate | value] (MulAndSilu: gate last)",
    "phi3": "HF Phi3MLP: gate, up = chunk(2): x = [gate | value]",
    "timm": "SwiGLUPacked = GluMlp(gate_last=False): x = [gate | value] (GluMlp's default gates last)",
    "gpt-oss": "HF GptOssMLP: gate = x[..., ::2], up = x[..., 1::2] (interleaved)",
}
_PRESET_ALIASES = {**FRAMEWORK_ALIASES, "gpt_oss": "gpt-oss", "gptoss": "gpt-oss", "phi-3": "phi3",
                   "phi_3": "phi3"}


def resolve_gate_preset(name: str | None) -> str | None:
    """Canonical gate preset for ``name`` (None stays None); ValueError if unknown."""
    if name is None:
        return None
    key = name.strip().lower()
    key = _PRESET_ALIASES.get(key, key)
    if key not in GATE_PRESETS:
        raise ValueError(f"unknown framework '{name}'; choose from {', '.join(GATE_PRESETS)}")
    return key


@dataclass(frozen=True, eq=False)
class VectorDefinition:
    """A function of a whole vector along an axis (softmax, sparsemax, crelu, ...)."""

    name: str
    aliases: tuple[str, ...]
    f: Callable[..., Any]  # f(x, axis=..., **params)
    formula: Formula
    dformula: Formula
    description: str
    framework_names: Mapping[str, str | None]
    conventions: Mapping[str, str]  # framework → its axis / argument conventions
    models: tuple[str, ...]
    jacobian: Callable[..., np.ndarray] | None = None  # jacobian(x, axis=..., **params)
    jvp: Callable[..., np.ndarray] | None = None  # jvp(x, v, axis=..., **params)
    params: tuple[Param, ...] = ()
    default_axis: int = -1
    fixed_axis: bool = False  # softmax2d: always the channel axis
    stochastic: bool = False
    output: str = "same shape as the input"
    range_text: str = "[0, 1], sums to 1 along the axis"
    smoothness: str = "C∞"
    nan_is_error: bool = True  # NaN has no defined output (softmax family); crelu just passes it on
    kind: str = "vector"
    validate: Callable[..., None] | None = None  # cross-parameter checks (registry.bind_params)


@dataclass(frozen=True, eq=False)
class GatedDefinition:
    """h(g, u) = a(g)·u (or a variant): gate g, value u, split from one input or given apart."""

    name: str
    aliases: tuple[str, ...]
    f: Callable[..., np.ndarray]  # f(g, u, **params)
    dgate: Callable[..., np.ndarray]  # ∂h/∂g
    dgate2: Callable[..., np.ndarray]  # ∂²h/∂g²
    dvalue: Callable[..., np.ndarray]  # ∂h/∂u
    formula: Formula
    dformula: Formula  # ∂h/∂g
    vformula: Formula  # ∂h/∂u
    d2formula: Formula  # ∂²h/∂g²
    description: str
    framework_names: Mapping[str, str | None]
    models: tuple[str, ...]
    # Properties and kinks of the gate-direction view at value u: (params, u) → ...
    view_properties: Callable[[ParamValues, float], Properties]
    view_kinks: Callable[[float], tuple[KinkSpec, ...]] = lambda _u: ()
    params: tuple[Param, ...] = ()
    default_gate: str = "last"
    follows_presets: bool = True  # False: the layout is part of the definition (gpt-oss)
    notes: tuple[str, ...] = field(default_factory=tuple)
    smoothness: str = "C∞"
    kind: str = "gated"
    validate: Callable[..., None] | None = None  # cross-parameter checks (registry.bind_params)


def _out_dtype(*arrays: np.ndarray) -> np.dtype:
    dts = [a.dtype for a in arrays]
    if all(d in (np.float32, np.float16) for d in dts):
        return np.result_type(*dts)
    return np.dtype(np.float64)


def _check_real(x: Any) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    return arr


class BoundEntry:
    """What a vector and a gated entry bound to parameter values share: the definition, the
    parameter values, the framework, and the name, kind, spec and label made from them."""

    definition: VectorDefinition | GatedDefinition

    def __init__(self, definition: VectorDefinition | GatedDefinition, params: Mapping[str, Any],
                 framework: str):
        self.definition = definition
        self.params: dict[str, Any] = dict(params)
        self.framework = framework

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def kind(self) -> str:
        return self.definition.kind

    @property
    def spec(self) -> str:
        """``NAME:k=v,...`` with every parameter (and what :meth:`_spec_extras` adds), or ``NAME``."""
        parts = [f"{p.name}={spec_value(self.params[p.name])}" for p in self.definition.params]
        parts += self._spec_extras()
        return f"{self.name}:{','.join(parts)}" if parts else self.name

    @property
    def label(self) -> str:
        """``softmax (T=1)``, ``geglu (approx=false)``."""
        return _label(self.name, self.definition.params, self.params)

    def _spec_extras(self) -> list[str]:
        return []


class VectorActivation(BoundEntry):
    """A vector entry bound to parameter values: ``act(x, axis=-1)``, ``act.jacobian(x)``,
    ``act.jvp(x, v)``. float32/float16 stay float32/float16 (computed in float64)."""

    definition: VectorDefinition

    def __repr__(self) -> str:
        return f"VectorActivation({self.spec!r}, framework={self.framework!r})"

    def _axis(self, axis: int | None) -> dict[str, Any]:
        if self.definition.fixed_axis:
            if axis is not None:
                raise ValueError(f"{self.name} always normalises the channel axis −3; it takes no axis")
            return {}
        return {"axis": self.definition.default_axis if axis is None else axis}

    def __call__(self, x: Any, axis: int | None = None) -> Any:
        """f along ``axis``; ValueError for NaN (undefined), an empty axis or a wrong axis."""
        self._check(x)
        return self.definition.f(x, **self._axis(axis), **self.params)

    def jacobian(self, x: Any, axis: int | None = None) -> np.ndarray:
        """The exact Jacobian ∂f_i/∂x_j along the axis: shape (..., n_out, n) (float64)."""
        if self.definition.jacobian is None:
            raise ValueError(f"{self.name} has no Jacobian in actviz ({self._why_not()})")
        self._check(x)
        return self.definition.jacobian(x, **self._axis(axis), **self._jac_params())

    def jvp(self, x: Any, v: Any, axis: int | None = None) -> np.ndarray:
        """The Jacobian-vector product J(x)·v along the axis, without forming J (float64)."""
        if self.definition.jvp is None:
            raise ValueError(f"{self.name} has no Jacobian-vector product in actviz ({self._why_not()})")
        self._check(x)
        return self.definition.jvp(x, v, **self._axis(axis), **self._jac_params())

    def _check(self, x: Any) -> None:
        arr = _check_real(x)
        if self.definition.nan_is_error and arr.dtype.kind == "f":
            bad = np.flatnonzero(np.isnan(arr.reshape(-1)))
            if bad.size:
                raise ValueError(f"input entry {int(bad[0])} (flat index) is NaN: {self.name} is undefined")

    def _jac_params(self) -> dict[str, Any]:
        return {k: v for k, v in self.params.items() if k == "temperature"}

    def _why_not(self) -> str:
        return "it is stochastic" if self.definition.stochastic else "use a fixed axis"


class GatedActivation(BoundEntry):
    """A gated entry: ``act(x)`` splits ``x`` along ``axis`` in the ``gate`` order, ``act(g, u)``
    takes gate and value apart; ``act.partials(...)`` gives (∂h/∂gate, ∂h/∂value)."""

    definition: GatedDefinition

    def __init__(self, definition: GatedDefinition, params: Mapping[str, Any], framework: str,
                 gate: str, preset: str | None = None, value: float = 1.0):
        super().__init__(definition, params, framework)
        self.value = float(value)  # the value half plot/derive hold fixed
        self.gate = core_gated.check_gate_order(gate)
        self.preset = preset

    def _spec_extras(self) -> list[str]:
        """The gate order and the value when they are not the defaults."""
        parts = []
        if self.gate != self.definition.default_gate:
            parts.append(f"gate={self.gate}")
        if self.value != 1.0:
            parts.append(f"value={spec_value(self.value)}")
        return parts

    def __repr__(self) -> str:
        return f"GatedActivation({self.spec!r}, gate={self.gate!r})"

    def __getattr__(self, name: str) -> Any:
        if name in ("grad", "grad2"):
            raise AttributeError(
                f"{self.definition.name} is a gated unit: use .partials(x) for (∂h/∂gate, ∂h/∂value) "
                "or .at_value(v).grad(g)")
        raise AttributeError(name)

    def split(self, x: Any, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """(gate, value) halves of ``x`` along ``axis``; ValueError naming an odd axis length."""
        return core_gated.split(x, self.gate, axis)

    def _parts(self, x: Any, value: Any, axis: int) -> tuple[np.ndarray, np.ndarray, np.dtype]:
        if value is None:
            g, u = self.split(x, axis)
        else:
            g, u = _check_real(x), _check_real(value)
            try:
                g, u = np.broadcast_arrays(g, u)
            except ValueError:
                raise ValueError(
                    f"gate and value must have the same shape, got {np.shape(x)} and {np.shape(value)}"
                ) from None
        dtype = _out_dtype(g, u)
        return np.asarray(g, dtype=np.float64), np.asarray(u, dtype=np.float64), dtype

    def _run(self, kernel, x: Any, value: Any, axis: int) -> Any:
        g, u, dtype = self._parts(x, value, axis)
        shape = g.shape
        with np.errstate(over="ignore"):  # a product beyond float64's range is ±inf, correctly
            out = kernel(g.reshape(-1), u.reshape(-1), **self.params).reshape(shape)
            out = out.astype(dtype) if out.dtype != dtype else out
        return out[()] if out.ndim == 0 else out

    def __call__(self, x: Any, value: Any = None, *, axis: int = -1) -> Any:
        """h = a(gate)·value, from one array (split by ``gate``) or from ``(gate, value)``."""
        return self._run(self.definition.f, x, value, axis)

    def partials(self, x: Any, value: Any = None, *, axis: int = -1) -> tuple[Any, Any]:
        """(∂h/∂gate, ∂h/∂value), each of the output's shape."""
        return (self._run(self.definition.dgate, x, value, axis),
                self._run(self.definition.dvalue, x, value, axis))

    def jvp(self, x: Any, v: Any, *, axis: int = -1) -> np.ndarray:
        """dh = ∂h/∂g·v_g + ∂h/∂u·v_u for a tangent ``v`` laid out like ``x``."""
        dg, du = self.partials(x, axis=axis)
        vg, vu = self.split(v, axis)
        with np.errstate(over="ignore"):
            return np.asarray(dg, np.float64) * vg + np.asarray(du, np.float64) * vu

    def at_value(self, value: float | None = None) -> Activation:
        """h as an elementwise function of the gate at a fixed ``value`` of the other half
        (default: the ``value`` it was made with, 1 unless given)."""
        v = self.value if value is None else float(value)
        if not math.isfinite(v):
            raise ValueError(f"value must be a finite number, got {value}")
        return GateView(self, v)

    def gate_half_text(self) -> str:
        """Which part of the input gates, e.g. "second half (x = [value | gate])"."""
        return GATE_HALF_TEXT[self.gate]


GATE_HALF_TEXT = {
    "last": "second half (x = [value | gate])",
    "first": "first half (x = [gate | value])",
    "interleaved": "even entries (gate = x[0::2], value = x[1::2])",
}


class GateView(Activation):
    """A gated unit as an elementwise function of its gate, g ↦ h(g, value), for plot and derive.

    ``grad`` is ∂h/∂gate; :meth:`dvalue` gives the other partial, ∂h/∂value, at the same gates.
    """

    def __init__(self, unit: GatedActivation, value: float):
        super().__init__(gate_view(unit.definition, unit.gate), {**unit.params, "value": value},
                         _kink_framework(unit.framework))
        self.unit = unit
        self.value = value

    @property
    def label(self) -> str:
        return f"{super().label} [gate: {self.unit.gate_half_text().split(' (')[0]}]"

    def dvalue(self, x: Any) -> Any:
        """∂h/∂value at gates ``x`` (the value held at ``self.value``)."""
        g = np.asarray(x, dtype=np.float64)
        return self.unit.partials(g, np.full_like(g, self.value))[1]

    @property
    def vformula(self) -> Formula:
        return self.unit.definition.vformula

    def note(self) -> str:
        """One line saying what is drawn and which half is the gate under the preset."""
        preset = self.unit.preset or self.unit.framework
        where = (f"under {preset} the gate is" if self.unit.definition.follows_presets
                 or self.unit.gate != self.unit.definition.default_gate else "its gate is always")
        return (f"{self.name} is plotted against its gate at value = {_fmt(self.value)} (f′ is "
                f"∂h/∂gate; the other partial is {self.vformula.text}); "
                f"{where} the {self.unit.gate_half_text()}")


def _kink_framework(framework: str) -> str:
    """The autodiff convention for kinks: the library presets all run on PyTorch."""
    return framework if framework in FRAMEWORKS else "pytorch"


VALUE = Param("value", 1.0, "value", "the other half (the value input) held fixed")
_VIEWS: dict[tuple[str, str], Definition] = {}


def gate_view(d: GatedDefinition, gate: str) -> Definition:
    """The elementwise Definition of ``g ↦ h(g, value)`` (cached per entry and gate order)."""
    key = (d.name, gate)
    if key in _VIEWS:
        return _VIEWS[key]

    def fix(kernel):
        def at(x: np.ndarray, value: float = 1.0, **params: Any) -> np.ndarray:
            with np.errstate(over="ignore"):
                return kernel(x, np.full_like(x, value), **params)
        return at

    half = {"last": "second half", "first": "first half", "interleaved": "even entries"}[gate]
    view = Definition(
        name=d.name,
        aliases=(),
        f=fix(d.f), df=fix(d.dgate), d2f=fix(d.dgate2),
        formula=d.formula, dformula=d.dformula, d2formula=d.d2formula,
        properties=lambda p: d.view_properties(p, p["value"]),
        description=f"{d.name} as a function of its gate (the {half} of the input) at a fixed value.",
        framework_names={fw: d.framework_names.get(fw) for fw in FRAMEWORKS},
        params=(*d.params, VALUE),
        kinks=_view_kinks(d),
    )
    _VIEWS[key] = view
    return view


def _view_kinks(d: GatedDefinition) -> tuple[KinkSpec, ...]:
    """Kinks in the gate direction; their one-sided slopes depend on the value (a parameter)."""
    return tuple(
        KinkSpec(
            where=(lambda p, i=i: d.view_kinks(p["value"])[i].where(p)),
            left=(lambda p, i=i: d.view_kinks(p["value"])[i].left(p)),
            right=(lambda p, i=i: d.view_kinks(p["value"])[i].right(p)),
            taken=d.view_kinks(1.0)[i].taken,
            note=d.view_kinks(1.0)[i].note,
        )
        for i in range(len(d.view_kinks(1.0)))
    )


def scaled_properties(pr: Properties, u: float) -> Properties:
    """Properties of u·a(g) from those of a(g)."""
    if u == 0:
        return Properties(0.0, 0.0, "{0}", True, True, "C∞", ("left", "right"), 0.0)
    lo, hi = pr.range_low * u, pr.range_high * u
    left, right = pr.range_text[0], pr.range_text[-1]
    if u < 0:
        lo, hi = hi, lo
        left, right = {"]": "[", ")": "("}[right], {"[": "]", "(": ")"}[left]
    text = f"{left}{_end(lo)}, {_end(hi)}{right}"
    return Properties(lo, hi, text, pr.zero_centred, pr.monotonic, pr.smoothness, pr.saturates,
                      abs(u) * pr.sup_abs_grad)


def _end(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return number(v + 0.0, 4)


def _label(name: str, params: tuple[Param, ...], values: Mapping[str, Any]) -> str:
    if not params:
        return name
    return f"{name} ({', '.join(f'{p.symbol}={_fmt(values[p.name])}' for p in params)})"


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return number(v, 6) if isinstance(v, float) else str(v)
