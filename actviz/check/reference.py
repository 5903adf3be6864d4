"""Exact values for ``check``: what an implementation's results are compared with.

A reference is any *Activation-like* object: ``ref(x)`` and ``ref.grad(x)`` on float64 arrays,
``ref.kinks`` (objects with ``x`` and the convention ``value`` of f′ there; may be empty), ``ref.spec``
and ``ref.label``. Catalog activations are; an expression object from a parser can be too. For
float64 targets it also needs an mpmath evaluation: a method ``mp_functions()`` returning (f, f′)
of an mpf, or a catalog name that :mod:`actviz.check.mpref` knows.

Why float64 suffices for narrower targets: actviz's f and f′ are within 4·max(1, κ) ULP of float64
of the exact value, i.e. within 4·κ·2^−29 ULP of float32 (2^−42 of float16 and 2^−45 of
bfloat16). The fractional error is then exact to better than 1e−6 ULP, and rounding that float64
value into the target gives the correctly rounded one except when the exact value lies within that
distance of a midpoint between two target numbers (about one input in 10^8 for float32).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from actviz.core import ulp as u

Compared = tuple[np.ndarray, np.ndarray, np.ndarray]  # correctly rounded patterns, ULP errors, exact
MP_SAMPLE = 10_000  # at most this many values of a float64 target are evaluated in mpmath


class Float64Reference:
    """Exact values from the float64 kernels, for float32, float16 and bfloat16 targets."""

    description = "actviz's float64 f and f′ (within 4·max(1, κ) ULP of float64), rounded once"

    def __init__(self, act: Any, fmt: u.FloatFormat):
        self.act, self.fmt = act, fmt

    def exact(self, order: int, x: np.ndarray) -> np.ndarray:
        """f (order 0) or f′ (1) at float64 inputs."""
        return np.asarray(self.act(x) if order == 0 else self.act.grad(x), dtype=np.float64)


def mp_functions(act: Any) -> tuple[Callable, Callable] | None:
    """(f, f′) of an mpf for ``act``, or None when no high-precision form is known."""
    own = getattr(act, "mp_functions", None)
    if callable(own):
        return own()
    from actviz.check import mpref

    return mpref.functions(act.name, dict(getattr(act, "params", {})))


class MpReference:
    """Exact values in mpmath (``actviz.check.mpref``) for float64 targets, one value at a time."""

    description = "mpmath at 40 digits, rounded once to float64"

    def __init__(self, act: Any):
        fns = mp_functions(act)
        if fns is None:
            raise ValueError(f"no high-precision reference for '{act.spec}': float64 results cannot be "
                             "checked (float32 and narrower can)")
        from actviz.check import mpref

        self.ctx = mpref.context()
        self.fns = fns
        self.act = act
        self.kinks = {float(k.x): float(k.value) for k in getattr(act, "kinks", ())}

    def value(self, order: int, x: float) -> Any:
        if order == 1 and x in self.kinks:  # f′ at a kink: the framework's convention
            return self.ctx.mpf(self.kinks[x])
        return self.fns[order](self.ctx.mpf(x))

    def compare(self, order: int, x: np.ndarray, got: np.ndarray) -> Compared:
        c = self.ctx
        n = x.size
        cr, err, exact = np.empty(n, np.float64), np.empty(n), np.empty(n)
        got_v = got.view(np.float64)
        for i, (xi, gi) in enumerate(zip(x.tolist(), got_v.tolist(), strict=True)):
            if xi != xi:
                cr[i] = exact[i] = np.nan
                err[i] = 0.0 if gi != gi else np.inf
                continue
            if abs(xi) == np.inf:  # the limit (±inf, 0, a constant): exact in the float64 kernels
                inf = np.array([xi])
                limit = float((self.act(inf) if order == 0 else self.act.grad(inf))[0])
                cr[i] = exact[i] = limit
                err[i] = 0.0 if gi == limit else np.inf
                continue
            v = self.value(order, xi)
            cr[i] = exact[i] = round_mpf(v, c)
            err[i] = ulp_error(gi, v, c)
        return cr.view(np.uint64), err, exact


def round_mpf(v: Any, c: Any) -> float:
    """An mpf correctly rounded to float64 (ties to even), subnormals and overflow included."""
    if not c.isfinite(v):
        return float(v)
    a = abs(v)
    if a < c.ldexp(1, -1022):  # subnormal: round to a multiple of 2^−1074 once
        return float(c.nint(v * c.ldexp(1, 1074))) * 5e-324
    if a >= c.ldexp(2**53 - 1, 971):  # ≥ max + ulp/2 (a tie goes to even: away from max)
        return float("inf") if v > 0 else float("-inf")
    return float(v)  # mpmath rounds the 133-bit value to 53 bits to nearest


def ulp_error(got: float, v: Any, c: Any) -> float:
    """|got − v| / ulp(v) in float64, computed in mpmath."""
    if got != got or abs(got) == np.inf:
        return 0.0 if round_mpf(v, c) == got else np.inf
    # ulp(v) = 2^(e − 52) with 2^e ≤ |v| < 2^(e+1), e clamped to float64's [−1022, 1023]
    e = -1022 if v == 0 else min(max(int(c.frexp(v)[1]) - 1, -1022), 1023)
    return float(abs(c.mpf(got) - v) / c.ldexp(1, e - 52))
