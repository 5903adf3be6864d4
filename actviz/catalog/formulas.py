"""Formulas that change with the parameters: each returns (f, f′, f″) for the case at hand,
so that every view shows the formula of the numbers next to it (gelu's tanh form when
approximate, PyTorch's softplus when β or the threshold is set, Keras's relu with its extras).
"""

from __future__ import annotations

import math

from actviz.catalog.model import Formula, ParamValues
from actviz.core.numtext import number

Triple = tuple[Formula, Formula, Formula]


def _n(v: float) -> str:
    """A parameter value inside a formula: ``0.2``, ``−1``, ``1/6``."""
    if v == 1.0 / 6.0:
        return "1/6"
    return number(v, 6)


def _t(v: float) -> str:
    """The same for mathtext (a plain minus)."""
    return r"\frac{1}{6}" if v == 1.0 / 6.0 else f"{v:g}"


def _gelu_formulas(p: ParamValues) -> Triple:
    if not p["approximate"]:
        return (
            Formula(r"$f(x) = x\,\Phi(x) = \frac{x}{2}\,\mathrm{erfc}(-x/\sqrt{2})$",
                    "f(x) = x·Φ(x) = (x/2)·erfc(−x/√2)"),
            Formula(r"$f'(x) = \Phi(x) + x\,\phi(x)$", "f′(x) = Φ(x) + x·φ(x)"),
            Formula(r"$f''(x) = \phi(x)\,(2 - x^2)$", "f″(x) = φ(x)·(2 − x²)"),
        )
    return (
        Formula(r"$f(x) = \frac{x}{2}\left(1 + \tanh u\right),\ "
                r"u = \sqrt{2/\pi}\,(x + 0.044715x^3)$",
                "f(x) = (x/2)·(1 + tanh u), u = √(2/π)·(x + 0.044715x³)"),
        Formula(r"$f'(x) = \sigma(2u) + 2x\,u'\,\sigma'(2u)$",
                "f′(x) = σ(2u) + 2x·u′·σ′(2u), u′ = √(2/π)·(1 + 0.134145x²)"),
        Formula(r"$f''(x) = 4u'\sigma'(2u) + 2x\,u''\sigma'(2u) + 4x\,u'^2\sigma''(2u)$",
                "f″(x) = 4u′·σ′(2u) + 2x·u″·σ′(2u) + 4x·u′²·σ″(2u)"),
    )


def _softplus_formulas(p: ParamValues) -> Triple:
    beta, thr = p["beta"], p["threshold"]
    if beta == 1.0 and thr == math.inf:
        return (
            Formula(r"$f(x) = \log(1 + e^{x})$", "f(x) = log(1 + eˣ)"),
            Formula(r"$f'(x) = \sigma(x)$", "f′(x) = σ(x)"),
            Formula(r"$f''(x) = \sigma'(x)$", "f″(x) = σ′(x)"),
        )
    b = _n(beta)
    if thr == math.inf:
        return (
            Formula(rf"$f(x) = \log(1 + e^{{{_t(beta)}x}})/{_t(beta)}$",
                    f"f(x) = log(1 + e^({b}x))/{b}"),
            Formula(rf"$f'(x) = \sigma({_t(beta)}x)$", f"f′(x) = σ({b}x)"),
            Formula(rf"$f''(x) = {_t(beta)}\,\sigma'({_t(beta)}x)$", f"f″(x) = {b}·σ′({b}x)"),
        )
    cut = _n(thr / beta)
    return (
        Formula(rf"$f(x) = \log(1 + e^{{{_t(beta)}x}})/{_t(beta)}\ (x \leq {_t(thr / beta)}),"
                r"\ x\ \mathrm{beyond}$",
                f"f(x) = log(1 + e^({b}x))/{b} if x ≤ {cut} else x"),
        Formula(rf"$f'(x) = \sigma({_t(beta)}x)\ (x \leq {_t(thr / beta)}),\ 1\ \mathrm{{beyond}}$",
                f"f′(x) = σ({b}x) if x ≤ {cut} else 1"),
        Formula(rf"$f''(x) = {_t(beta)}\,\sigma'({_t(beta)}x)\ (x \leq {_t(thr / beta)}),"
                r"\ 0\ \mathrm{beyond}$",
                f"f″(x) = {b}·σ′({b}x) if x ≤ {cut} else 0"),
    )


def _relu_formulas(p: ParamValues) -> Triple:
    s, m, t = p["negative_slope"], p["max_value"], p["threshold"]
    if s == 0 and m == math.inf and t == 0:
        return (
            Formula(r"$f(x) = \max(0, x)$", "f(x) = max(0, x)"),
            Formula(r"$f'(x) = 1\ \mathrm{if}\ x > 0\ \mathrm{else}\ 0$",
                    "f′(x) = 1 if x > 0 else 0"),
            Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ 0)"),
        )
    top = "x" if m == math.inf else f"min(x, {_n(m)})"
    top_tex = "x" if m == math.inf else rf"\min(x, {_t(m)})"
    low = "0" if s == 0 else (f"{_n(s)}·x" if t == 0 else f"{_n(s)}·(x − {_n(t)})")
    low_tex = "0" if s == 0 else (f"{_t(s)}x" if t == 0 else f"{_t(s)}(x - {_t(t)})")
    inner = "1" if m == math.inf else f"1 if x < {_n(m)}, 0 if x > {_n(m)}"
    return (
        Formula(rf"$f(x) = {top_tex}\ \mathrm{{if}}\ x > {_t(t)}\ \mathrm{{else}}\ {low_tex}$",
                f"f(x) = {top} if x > {_n(t)} else {low}"),
        Formula(rf"$f'(x) = \mathrm{{inside}}\ 1,\ \mathrm{{below}}\ {_t(t)}:\ {_t(s)}$",
                f"f′(x) = {inner} (x > {_n(t)}); {_n(s)} if x < {_n(t)}"),
        Formula(r"$f''(x) = 0$", "f″(x) = 0 (away from the kinks)"),
    )


def _hard_tanh_formulas(p: ParamValues) -> Triple:
    lo, hi = p["min_val"], p["max_val"]
    a, b = _n(lo), _n(hi)
    return (
        Formula(rf"$f(x) = \mathrm{{clip}}(x, {_t(lo)}, {_t(hi)})$", f"f(x) = clip(x, {a}, {b})"),
        Formula(rf"$f'(x) = 1\ \mathrm{{if}}\ {_t(lo)} < x < {_t(hi)}\ \mathrm{{else}}\ 0$",
                f"f′(x) = 1 if {a} < x < {b} else 0"),
        Formula(r"$f''(x) = 0$", f"f″(x) = 0 (x ≠ {a}, {b})"),
    )


def _hard_sigmoid_formulas(p: ParamValues) -> Triple:
    a, b = p["slope"], p["offset"]
    if a == 1.0 / 6.0 and b == 0.5:
        return (
            Formula(r"$f(x) = \mathrm{relu6}(x + 3)/6$", "f(x) = relu6(x + 3)/6"),
            Formula(r"$f'(x) = 1/6\ \mathrm{if}\ -3 < x < 3\ \mathrm{else}\ 0$",
                    "f′(x) = 1/6 if −3 < x < 3 else 0"),
            Formula(r"$f''(x) = 0$", "f″(x) = 0 (x ≠ ±3)"),
        )
    lo, hi = _n(-b / a), _n((1.0 - b) / a)
    return (
        Formula(rf"$f(x) = \mathrm{{clip}}({_t(a)}x + {_t(b)}, 0, 1)$",
                f"f(x) = clip({_n(a)}x + {_n(b)}, 0, 1)"),
        Formula(rf"$f'(x) = {_t(a)}\ \mathrm{{between\ the\ knees}}$",
                f"f′(x) = {_n(a)} if {lo} < x < {hi} else 0"),
        Formula(r"$f''(x) = 0$", f"f″(x) = 0 (x ≠ {lo}, {hi})"),
    )
