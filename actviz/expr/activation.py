"""A parsed formula as an :class:`~actviz.catalog.activation.Activation`: the object every command uses.

The formula's kernels evaluate the stable rewrite of the tree (``rewrite.stable``) with the
forward-mode jets of ``jet.py``; kinks come from ``kinks.py``; properties (range, monotonic,
smoothness, saturating sides, sup abs(f′)) are measured on a grid of the whole float64 line.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from actviz.catalog.activation import Activation
from actviz.catalog.frameworks import FRAMEWORKS, resolve_framework
from actviz.catalog.model import Definition, Formula, Kink, Param, Properties
from actviz.core.checks import user_float
from actviz.core.numtext import number
from actviz.expr import printer, rewrite
from actviz.expr import tree as t
from actviz.expr.jet import Context, evaluate
from actviz.expr.parser import Formula as Parsed
from actviz.expr.parser import number_text, parse

_FLOAT_MAX = float(np.finfo(np.float64).max)

FORMULA_KINK_NOTE = ("formula switches branch; what a framework's autodiff returns here depends on how "
                     "the formula is written there (torch.maximum and jax.numpy.maximum split a tie: "
                     "the mean of both sides), so no framework value is claimed")


class Expression:
    """A parsed formula with its stable rewrite; ``name`` is set for user-defined entries."""

    def __init__(self, parsed: Parsed, name: str | None = None):
        self.parsed = parsed
        self.tree = parsed.tree
        self.rewrites: list[rewrite.Rewrite] = []
        self.fast = rewrite.stable(parsed.tree, self.rewrites)
        self.name = name

    @property
    def text(self) -> str:
        return printer.text(self.tree)

    @property
    def defaults(self) -> dict[str, float]:
        return dict(self.parsed.params)


def expression(text: str, name: str | None = None) -> Expression:
    return Expression(parse(text), name)


def from_text(text: str, framework: str | None = None, name: str | None = None, **params: Any) -> Activation:
    """``actviz.get("x*sigmoid(b*x); b=1.702", b=2.0)`` → an Activation (ExprError if it does
    not parse, ValueError for an unknown parameter)."""
    return bind(expression(text, name), framework, params)


def bind(expr: Expression, framework: str | None, params: Mapping[str, Any]) -> ExprActivation:
    fw = resolve_framework(framework)
    values = expr.defaults
    for key, value in params.items():
        if key not in values:
            valid = ", ".join(values) or "none"
            raise ValueError(f"the formula has no parameter '{key}' (parameters: {valid})")
        try:
            number = user_float(value) if isinstance(value, str) else float(value)  # a table's − too
        except (TypeError, ValueError):
            raise ValueError(f"parameter {key} must be a number, got '{value}'") from None
        if not math.isfinite(number):
            raise ValueError(f"parameter {key} must be a finite number, got '{value}'")
        values[key] = number
    return ExprActivation(expr, values, fw)


def _kernel(tree: t.Node, order: int, framework: str):
    def kernel(x: np.ndarray, **params: float) -> np.ndarray:
        ctx = Context(params, framework)
        out = _component(evaluate(tree, x, ctx, order), order, x.shape)
        if out.size and not np.all(np.isfinite(x)):
            out[np.isnan(x)] = np.nan  # NaN in, NaN out (also where a derivative is constant)
            far = np.isinf(x) & np.isnan(out)  # ±inf: the value far out (0·inf in the tree)
            if far.any():
                out[far] = _component(evaluate(tree, np.copysign(_FLOAT_MAX, x[far]), ctx, order),
                                      order, (int(far.sum()),))
        return out

    return kernel


def _component(jet, order: int, shape: tuple[int, ...]) -> np.ndarray:
    y = jet[order]
    return np.array(np.broadcast_to(0.0 if y is None else y, shape), dtype=np.float64)


def _formulas(expr: Expression) -> tuple[Formula, Formula, Formula]:
    """f, and f′, f″ written as d/dx (f) (the readable forms are :func:`_derivative_formula`)."""
    u, tex = printer.unicode(expr.tree), printer.mathtext(expr.tree)
    return (Formula(f"$f(x) = {tex}$", f"f(x) = {u}"),
            Formula(rf"$f'(x) = \frac{{d}}{{dx}}\left({tex}\right)$", f"f′(x) = d/dx ({u})"),
            Formula(rf"$f''(x) = \frac{{d^2}}{{dx^2}}\left({tex}\right)$", f"f″(x) = d²/dx² ({u})"))


def _derivative_formula(expr: Expression, order: int, fallback: Formula) -> Formula:
    """f′ or f″ as a formula (``symbolic``), or ``fallback`` when it would be too long to read."""
    from actviz.expr.symbolic import shown

    d = shown(expr.tree, order)
    if d is None:
        return fallback
    primes = ("′", "'") if order == 1 else ("″", "''")
    return Formula(f"$f{primes[1]}(x) = {printer.mathtext(d)}$", f"f{primes[0]}(x) = {printer.unicode(d)}")


def literal_notes(tree: t.Node) -> list[str]:
    """What each decimal literal means: the float64 nearest to it, when that is not exact."""
    notes = []
    seen = set()
    for n in t.walk(tree):
        if isinstance(n, t.Num) and n.text not in ("pi", "e", "-pi", "-e") and n.value not in seen:
            seen.add(n.value)
            if not _exact_decimal(n.text, n.value):
                notes.append(f"{n.text} is the float64 {n.value:.25g}…")
    return notes


def _exact_decimal(text: str, value: float) -> bool:
    """Whether the decimal ``text`` is exactly the float64 ``value`` (integer arithmetic only)."""
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, frac = mantissa.lstrip("-").partition(".")
    digits = int((whole + frac) or "0")
    power = int(exponent or "0") - len(frac)
    num, den = abs(value).as_integer_ratio()
    if power >= 0:
        return digits * 10**power * den == num
    return digits * den == num * 10**-power


class ExprActivation(Activation):
    """An Activation whose definition is a typed formula."""

    def __init__(self, expr: Expression, params: Mapping[str, float], framework: str):
        self.expr = expr
        f, df, d2f = _formulas(expr)
        ps = tuple(Param(name, default, name, "parameter of the formula")
                   for name, default in expr.defaults.items())
        kernels = [_kernel(expr.fast, order, framework) for order in (0, 1, 2)]
        notes = literal_notes(expr.tree)
        described = f"A formula: {expr.text}."
        if expr.name is not None:
            described += f" User-defined as '{expr.name}'."
        if expr.rewrites:
            described += " Evaluated in the stable form " + printer.text(expr.fast) + "."
        if notes:
            described += " Literals: " + "; ".join(notes) + "."
        described += " Properties are measured on a grid of the float64 line."
        definition = Definition(
            name=expr.name or "f", aliases=(), f=kernels[0], df=kernels[1], d2f=kernels[2],
            formula=f, dformula=df, d2formula=d2f, properties=self._measure, description=described,
            framework_names={fw: None for fw in FRAMEWORKS}, params=ps,
        )
        super().__init__(definition, params, framework)

    @property
    def label(self) -> str:
        inner = ", ".join(f"{k}={number_text(float(v))}" for k, v in self.params.items())
        head = self.name if self.expr.name else f"f = {printer.unicode(self.expr.tree)}"
        return head + (f" ({inner})" if inner else "")

    @functools.cached_property
    def dformula(self) -> Formula:  # type: ignore[override]
        return _derivative_formula(self.expr, 1, self.definition.dformula)

    @functools.cached_property
    def d2formula(self) -> Formula:  # type: ignore[override]
        return _derivative_formula(self.expr, 2, self.definition.d2formula)

    def derivative_label(self, prime: str) -> str:
        """Legend text of a derivative curve: ``f′ where f = x·σ(x)`` (``gelu_sig′`` for a name)."""
        if self.expr.name:
            return self.label.replace(self.name, self.name + prime, 1)
        return f"f{prime} where {self.label}"

    @property
    def spec(self) -> str:
        values = ",".join(f"{k}={number_text(float(v))}" for k, v in self.params.items())
        if self.expr.name:
            return self.expr.name + (f":{values}" if values else "")
        tail = "".join(f"; {k}={number_text(float(v))}" for k, v in self.params.items())
        return self.expr.text + tail

    @functools.cached_property
    def found_kinks(self):
        if not t.may_switch(self.expr.fast):
            return []  # x*sigmoid(x): no decision anywhere, no kinks module to load
        from actviz.expr.kinks import find

        return find(self.expr.fast, Context(self.params, self.framework))

    @functools.cached_property
    def kinks(self) -> tuple[Kink, ...]:
        """Where the formula switches branch, with both one-sided f′. No framework value is
        claimed (``framework_values`` is empty): it depends on how each framework's code is written."""
        out = []
        for k in self.found_kinks:
            if k.left == k.right and not k.f_jumps:
                continue  # only f″ jumps: C¹ there
            out.append(Kink(x=k.x, left=k.left, right=k.right,
                            framework_values={}, value=k.value, f_jumps=k.f_jumps, note=FORMULA_KINK_NOTE))
        return tuple(out)

    def _measure(self, params: Mapping[str, float]) -> Properties:
        return measure(self)


def measure(act: ExprActivation) -> Properties:
    """Range, monotonicity, smoothness, saturating sides and sup abs(f′), measured numerically."""
    tail = np.geomspace(60.0, 1e300, 700)
    kinks = [k.x for k in act.kinks]
    near = [np.nextafter(k, s) for k in kinks for s in (-np.inf, np.inf)]
    x = np.unique(np.concatenate([np.linspace(-60, 60, 24001), tail, -tail, [-np.inf, np.inf], kinks, near]))
    f, df = act(x), act.grad(x)
    ok = ~np.isnan(f)
    lo, hi = (float(np.min(f[ok])), float(np.max(f[ok]))) if ok.any() else (math.nan, math.nan)
    d = df[~np.isnan(df)]
    monotonic = bool(d.size and (np.all(d >= 0) or np.all(d <= 0)))
    sides = []
    for name, at in (("left", -1e300), ("right", 1e300)):
        g = float(act.grad(at))
        if not math.isnan(g) and abs(g) < 1e-6:
            sides.append(name)
    one_sided = [v for k in act.kinks for v in (k.left, k.right)]
    sup = float(np.max(np.abs(np.concatenate([d, one_sided])))) if d.size else math.nan
    if any(k.f_jumps for k in act.kinks):
        smooth = "discontinuous"
    elif act.kinks:
        smooth = "C⁰"
    elif any(k.d2_jumps for k in act.found_kinks):
        smooth = "C¹"
    else:
        smooth = _catalog_smoothness(act)
    from actviz.catalog.normal_moments import normal_moments  # catalog floor: below expr

    text = f"{'(' if lo == -math.inf else '['}{_num(lo)}, {_num(hi)}{')' if hi == math.inf else ']'}"
    zero_centred = normal_moments(act).zero_centred is True  # measured, as the catalog declares
    return Properties(lo, hi, text, zero_centred, monotonic, smooth, tuple(sides), sup)


def _catalog_smoothness(act: ExprActivation) -> str:
    """The least smooth catalog call in the formula (C∞ when there is none)."""
    from actviz.catalog.registry import get

    order = ["discontinuous", "C⁰", "C¹", "C∞"]
    worst = "C∞"
    for n in t.walk(act.expr.fast):
        if isinstance(n, t.Cat):
            s = get(n.name).properties.smoothness
            if s in order and order.index(s) < order.index(worst):
                worst = s
    return worst


def _num(v: float) -> str:
    return number(v, 4)
