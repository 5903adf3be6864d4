"""The shapes of catalog data: parameters, kinks, properties, formulas and definitions.

A :class:`Definition` is one catalog entry (written once, in ``entries.py``); an
:class:`actviz.catalog.activation.Activation` is a definition bound to parameter values and a
framework preset.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from actviz.catalog.frameworks import BASE_FRAMEWORKS, framework_name, pick
from actviz.core.numtext import number, scientific

Kernel = Callable[..., np.ndarray]
ParamValues = Mapping[str, float]


@dataclass(frozen=True)
class Param:
    """A parameter of an activation, with its default and valid range."""

    name: str
    default: float | bool
    symbol: str
    description: str
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = True
    high_open: bool = True
    is_bool: bool = False
    # Framework presets whose default differs from ``default`` (the TensorFlow value); a preset
    # not listed takes its parent's (frameworks.PARENT).
    framework_defaults: Mapping[str, float | bool] = field(default_factory=dict)
    # Presets where the parameter does not exist (tf.nn.elu has no α): the value is fixed there.
    fixed_in: tuple[str, ...] = ()
    # Other spellings accepted in ``NAME:k=v`` (PyTorch's ``lambd`` for λ).
    aliases: tuple[str, ...] = ()
    # An optional extra (relu's Keras parameters): left out of labels and specs at its default.
    extra: bool = False

    def default_for(self, framework: str) -> float | bool:
        return pick(self.framework_defaults, framework, self.default)

    def range_text(self) -> str:
        if self.is_bool:
            return "true | false"
        lo = "−∞" if self.low == -math.inf else _num(self.low)
        hi = "∞" if self.high == math.inf else _num(self.high)
        return f"{'(' if self.low_open else '['}{lo}, {hi}{')' if self.high_open else ']'}"

    def check(self, value: float) -> None:
        """Raise ValueError unless ``value`` is inside the valid range."""
        if self.is_bool:
            return
        ok = math.isfinite(value) or value in (self.low, self.high)
        if ok and (value < self.low or (self.low_open and value == self.low)):
            ok = False
        if ok and (value > self.high or (self.high_open and value == self.high)):
            ok = False
        if not ok:
            raise ValueError(
                f"parameter {self.name}={_num(value)} is out of range; valid: {self.range_text()}"
            )


@dataclass(frozen=True)
class KinkSpec:
    """A point where f′ (or f) jumps, with both one-sided derivatives, as functions of the
    parameters.

    ``taken`` says what each framework's autodiff returns there: "left" or "right" (that
    one-sided derivative), "mean" (their average: a max/min/clip that splits a tie), "sum"
    (both branches pass the tie, e.g. max(x, 0) + a·min(x, 0) under MLX) or "zero". A framework
    missing from it takes its parent's choice (frameworks.PARENT), then the TensorFlow one.
    ``f_jumps`` says whether f itself is discontinuous there (None: the entry's
    ``f_jumps_at_kinks``).
    """

    where: Callable[[ParamValues], float]
    left: Callable[[ParamValues], float]
    right: Callable[[ParamValues], float]
    taken: Mapping[str, str]
    note: str = ""
    f_jumps: Callable[[ParamValues], bool] | None = None

    def side_for(self, framework: str) -> str:
        return pick(self.taken, framework, "left")

    def value_for(self, framework: str, left: float, right: float) -> float:
        """What ``framework``'s autodiff returns at this point, given both one-sided values."""
        rule = self.side_for(framework)
        if rule == "left":
            return left
        if rule == "right":
            return right
        if rule == "mean":
            return 0.5 * (left + right)
        if rule == "sum":
            return left + right
        if rule == "zero":
            return 0.0
        raise ValueError(f"unknown kink rule {rule!r}")


@dataclass(frozen=True)
class Kink:
    """A kink evaluated for concrete parameters: location and both one-sided derivatives."""

    x: float
    left: float
    right: float
    framework_values: Mapping[str, float]
    value: float  # what the active framework returns
    f_jumps: bool = False  # f itself is discontinuous here (hard_shrink)
    note: str = ""


# "Zero-centred" as ML texts use it (tanh is, relu is not): abs(E[f(z)]) ≤ this · √E[f(z)²]
# for z ~ N(0, 1). ``actviz.catalog.normal_moments`` measures it; the catalog declares it.
ZERO_CENTRED_TOL = 0.05


@dataclass(frozen=True)
class Properties:
    """Shape facts about an activation for given parameters.

    ``zero_centred``: abs(E[f(z)]) ≤ ZERO_CENTRED_TOL · √E[f(z)²] for z ~ N(0, 1) (mean output
    near 0 on inputs symmetric about 0, as for tanh). ``monotonic``: f non-decreasing or
    non-increasing on the whole line. ``saturates``: the sides where f′ → 0.
    """

    range_low: float
    range_high: float
    range_text: str
    zero_centred: bool
    monotonic: bool
    smoothness: str
    saturates: tuple[str, ...]
    sup_abs_grad: float

    @property
    def bounded_below(self) -> bool:
        return math.isfinite(self.range_low)

    @property
    def bounded_above(self) -> bool:
        return math.isfinite(self.range_high)


@dataclass(frozen=True)
class Formula:
    """One formula as Matplotlib mathtext and as plain Unicode text."""

    tex: str
    text: str


@dataclass(frozen=True)
class Definition:
    """One catalog entry: everything actviz knows about an activation, defined once."""

    name: str
    aliases: tuple[str, ...]
    f: Kernel
    df: Kernel
    d2f: Kernel
    formula: Formula
    dformula: Formula
    d2formula: Formula
    properties: Callable[[ParamValues], Properties]
    description: str
    framework_names: Mapping[str, str | None]
    params: tuple[Param, ...] = ()
    kinks: tuple[KinkSpec, ...] = ()
    f_jumps_at_kinks: bool = False
    # Formulas that depend on the parameters (gelu's tanh form): params → (f, f′, f″). When
    # set, it is what every view shows; ``formula`` etc. are then the default-parameter case.
    formulas: Callable[[ParamValues], tuple[Formula, Formula, Formula]] | None = None
    # Aliases that also fix parameters: ``gelu_new`` is gelu with approximate=true.
    alias_params: Mapping[str, Mapping[str, float | bool]] = field(default_factory=dict)
    # Facts shown under the description in ``info`` (pitfalls, measured framework behaviour).
    notes: tuple[str, ...] = ()
    # A note for plots of this entry (rrelu's training-time band), from the parameters.
    plot_note: Callable[[ParamValues], str] | None = None
    # Slopes (lowest, highest) that x < 0 may get while training (rrelu draws one per element
    # from U(lower, upper)): ``info`` states the band, ``plot`` shades it around f and f′.
    training_band: Callable[[ParamValues], tuple[float, float]] | None = None
    # Checks across parameters (hard_tanh's min < max): raises ValueError.
    validate: Callable[[ParamValues], None] | None = None

    def __post_init__(self) -> None:
        missing = set(BASE_FRAMEWORKS) - set(self.framework_names)
        if missing:
            raise ValueError(f"{self.name}: framework_names lacks {sorted(missing)}")

    def framework_name(self, framework: str) -> str | None:
        """The API name under ``framework`` (derived presets inherit; see frameworks.py)."""
        return framework_name(self.framework_names, framework)


def _num(v: float) -> str:
    """A range end or a parameter value: every digit, the table rules (U+2212 minus, 1e−6);
    a large power of ten as ``1e6``, not ``1000000``."""
    if abs(v) >= 1e5 and math.isfinite(v) and v == float(f"{v:.0e}"):
        return scientific(v, 1)
    return number(v)
