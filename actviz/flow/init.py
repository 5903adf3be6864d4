"""Weight initialisers for ``actviz flow`` and the default one for each activation.

All schemes draw weights from a normal distribution N(0, std²); they differ only in the std:

- ``he``      std = √(2 / fan_in)            (He et al. 2015, for rectifiers)
- ``glorot``  std = √(2 / (fan_in + fan_out)) (Glorot & Bengio 2010; "xavier")
- ``lecun``   std = √(1 / fan_in)            (LeCun 1998; what SELU is derived for)
- ``normal:STD`` a fixed std.

The default for an activation comes from catalog facts: a rectifier (flat on the left only,
unbounded above) gets He, everything else (saturating on both sides, bounded, linear-like) gets
Glorot. ``_EXCEPTIONS`` lists the few activations where that rule is not the common practice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from actviz.catalog.activation import Activation
from actviz.core.checks import user_float

SCHEMES = ("he", "glorot", "lecun", "normal")
_ALIASES = {"xavier": "glorot", "kaiming": "he"}

# name → (scheme, why). Everything else follows the rule in default_init().
_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "selu": ("lecun", "SELU's constants are derived for LeCun-normal weights (self-normalising)"),
    "leaky_relu": ("he", "a rectifier with a small negative slope"),
    "relu6": ("he", "a ReLU capped at 6"),
    "exponential": ("glorot", "not a rectifier: f′ = eˣ grows without bound"),
}


@dataclass(frozen=True)
class Init:
    """A weight initialiser: a scheme and, for ``normal``, its fixed std."""

    scheme: str
    std: float | None = None

    def weight_std(self, fan_in: int, fan_out: int) -> float:
        """The standard deviation of the weights of a fan_in × fan_out layer."""
        if self.scheme == "he":
            return math.sqrt(2.0 / fan_in)
        if self.scheme == "glorot":
            return math.sqrt(2.0 / (fan_in + fan_out))
        if self.scheme == "lecun":
            return math.sqrt(1.0 / fan_in)
        assert self.std is not None
        return self.std

    @property
    def spec(self) -> str:
        """The command-line spelling: ``he`` or ``normal:0.05``."""
        return f"{self.scheme}:{self.std:g}" if self.scheme == "normal" else self.scheme


@dataclass(frozen=True)
class InitChoice:
    """The initialiser used for one activation, whether it was the default, and why."""

    init: Init
    default: bool
    reason: str


def parse_init(text: str) -> Init:
    """``he``, ``glorot`` (``xavier``), ``lecun`` or ``normal:STD``; ValueError otherwise."""
    raw = text.strip().lower()
    scheme, colon, rest = raw.partition(":")
    scheme = _ALIASES.get(scheme, scheme)
    if scheme not in SCHEMES:
        raise ValueError(f"unknown init '{text}'; choose he, glorot, lecun or normal:STD")
    if scheme != "normal":
        if colon:
            raise ValueError(f"init '{scheme}' takes no value, got '{text}'")
        return Init(scheme)
    if not rest.strip():
        raise ValueError(f"init normal needs a standard deviation, e.g. normal:0.05 (got '{text}')")
    try:
        std = user_float(rest)
    except ValueError:
        raise ValueError(f"init normal:STD needs a number, got '{rest.strip()}'") from None
    if not (math.isfinite(std) and std > 0):
        raise ValueError(f"init normal:STD needs a finite std > 0, got '{rest.strip()}'")
    return Init("normal", std)


def default_init(act: Activation) -> InitChoice:
    """The initialiser that suits ``act``: the exception table, else the rectifier rule."""
    if act.name in _EXCEPTIONS:
        scheme, why = _EXCEPTIONS[act.name]
        return InitChoice(Init(scheme), True, why)
    props = act.properties
    if props.saturates == ("left",) and not props.bounded_above:
        return InitChoice(Init("he"), True, "a rectifier: flat on the left only, unbounded above")
    if props.saturates:
        return InitChoice(Init("glorot"), True, "saturates on " + _sides(props.saturates))
    return InitChoice(Init("glorot"), True, "no saturation, slope ≈ 1 near 0 (linear-like)")


def choose_init(act: Activation, chosen: Init | None) -> InitChoice:
    """``chosen`` if the user gave one, else the activation's default."""
    if chosen is None:
        return default_init(act)
    return InitChoice(chosen, False, "given as init")


def _sides(sides: tuple[str, ...]) -> str:
    return "both sides" if len(sides) == 2 else f"the {sides[0]}"
