"""Exact f and f′ of the catalog activations in mpmath (the reference for float64 targets).

Written from the textbook definitions, independently of the NumPy kernels, at ``DPS`` decimal
digits (133 bits: 80 bits beyond float64, so that rounding the result once to float64 is correct
except for inputs within 2^−80 relative of a rounding boundary). Forms that would cancel in mpmath
itself use their stable equivalents (σ(−x) for 1 − σ(x), log1p, expm1). mpmath is imported only
by this module, which only the float64 path of ``check`` loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath as mp

DPS = 40
_CTX = mp.MPContext()
_CTX.dps = DPS

LAMBDA = _CTX.mpf("1.0507009873554804934193349852946")  # selu's λ and α (Klambauer et al.)
ALPHA = _CTX.mpf("1.6732632423543772848170429916717")


def _fns(name: str, p: dict[str, Any]) -> tuple[Callable, Callable]:
    c = _CTX
    one, zero = c.mpf(1), c.mpf(0)

    def sig(t):
        return 1 / (1 + c.exp(-t))

    def dsig(t):
        return sig(t) * sig(-t)

    def softplus(t):
        return c.log1p(c.exp(t)) if t < 0 else t + c.log1p(c.exp(-t))

    if name == "identity":
        return (lambda x: x), (lambda x: one)
    if name == "sigmoid":
        return sig, dsig
    if name == "tanh":
        return c.tanh, (lambda x: c.sech(x) ** 2)
    if name == "relu":
        return (lambda x: max(x, zero)), (lambda x: one if x > 0 else zero)
    if name == "relu6":
        return (lambda x: min(max(x, zero), c.mpf(6))), (lambda x: one if 0 < x < 6 else zero)
    if name == "leaky_relu":
        a = c.mpf(p["alpha"])
        return (lambda x: x if x >= 0 else a * x), (lambda x: one if x > 0 else a)
    if name in ("elu", "selu", "celu"):
        a = ALPHA if name == "selu" else c.mpf(p["alpha"])
        s = LAMBDA if name == "selu" else one
        d = a if name == "celu" else one  # celu: α·(e^{x/α} − 1)
        return ((lambda x: s * x if x > 0 else s * a * c.expm1(x / d)),
                (lambda x: s if x > 0 else s * a / d * c.exp(x / d)))
    if name == "gelu" and p["approximate"]:
        k, r = c.mpf("0.044715"), c.sqrt(2 / c.pi)

        def gt(x):
            return x * sig(2 * r * (x + k * x**3))

        def dgt(x):
            z = 2 * r * (x + k * x**3)
            return sig(z) + x * dsig(z) * 2 * r * (1 + 3 * k * x * x)

        return gt, dgt
    if name == "gelu":
        return (lambda x: x * c.ncdf(x)), (lambda x: c.ncdf(x) + x * c.npdf(x))
    if name == "silu":
        b = c.mpf(p["beta"])
        return (lambda x: x * sig(b * x)), (lambda x: sig(b * x) + b * x * dsig(b * x))
    if name == "mish":
        return ((lambda x: x * c.tanh(softplus(x))),
                (lambda x: c.tanh(softplus(x)) + x * c.sech(softplus(x)) ** 2 * sig(x)))
    if name == "softplus":
        return softplus, sig
    if name == "log_sigmoid":
        return (lambda x: -softplus(-x)), (lambda x: sig(-x))
    if name == "softsign":
        return (lambda x: x / (1 + abs(x))), (lambda x: 1 / (1 + abs(x)) ** 2)
    if name == "hard_sigmoid":
        return ((lambda x: min(max((x + 3) / 6, zero), one)), (lambda x: one / 6 if -3 < x < 3 else zero))
    if name == "hard_tanh":
        return (lambda x: min(max(x, -one), one)), (lambda x: one if -1 < x < 1 else zero)
    if name == "hard_swish":
        return ((lambda x: x * min(max(x + 3, zero), c.mpf(6)) / 6),
                (lambda x: zero if x <= -3 else one if x >= 3 else (2 * x + 3) / 6))
    if name == "squareplus":
        b = c.mpf(p["b"])
        # (x + √(x² + b))/2, written as (b/2)/(√(x² + b) − x) for x < 0 (no cancellation)
        return ((lambda x: (x + c.sqrt(x * x + b)) / 2 if x >= 0 else (b / 2) / (c.sqrt(x * x + b) - x)),
                (lambda x: (1 + x / c.sqrt(x * x + b)) / 2))
    if name == "tanh_shrink":
        def tanh_shrink(x):  # x − tanh x ≈ x³/3 loses 2·log2(1/|x|) bits: carry them
            extra = 2 * max(0, -int(c.floor(c.log(abs(x), 2)))) if x else 0
            with c.extraprec(extra + 10):
                return x - c.tanh(x)

        return tanh_shrink, (lambda x: c.tanh(x) ** 2)
    if name in ("soft_shrink", "hard_shrink"):
        lam = c.mpf(p["threshold"])
        soft = name == "soft_shrink"
        return ((lambda x: zero if abs(x) <= lam else (x - c.sign(x) * lam if soft else x)),
                (lambda x: zero if abs(x) <= lam else one))
    if name == "exponential":
        return c.exp, c.exp
    raise KeyError(name)


def functions(name: str, params: dict[str, Any]) -> tuple[Callable, Callable] | None:
    """(f, f′) of a catalog activation as functions of an mpf; None if the name has none here."""
    try:
        return _fns(name, params)
    except KeyError:
        return None


def context() -> mp.MPContext:
    """The mpmath context the functions compute in (``DPS`` digits)."""
    return _CTX
