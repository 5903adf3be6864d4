"""Smooth activations: f, f′ and f″ as analytic, overflow-free float64 NumPy code.

Each kernel takes a float64 array (the catalog converts inputs) and keyword parameters, and
returns a new float64 array. Formulas are in the docstrings; the tricks that keep them exact
(no 1 − σ, no 1 + erf, no exp(x) − 1, no naive log(1 + eˣ)) are named where they are used.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.core import stable
from actviz.core.stable import HUGE

_INV_SQRT2 = 0.7071067811865476  # 1/√2, correctly rounded
_INV_SQRT_2PI = 0.3989422804014327  # 1/√(2π), correctly rounded
_SQRT_2_OVER_PI = 0.7978845608028654  # √(2/π), correctly rounded
_GELU_CUBIC = 0.044715


# --- identity -------------------------------------------------------------------------------
def identity(x: np.ndarray) -> np.ndarray:
    """identity(x) = x."""
    return x.copy()


def identity_grad(x: np.ndarray) -> np.ndarray:
    """identity′(x) = 1."""
    return stable.keep_nan(np.ones_like(x), x)


def identity_grad2(x: np.ndarray) -> np.ndarray:
    """identity″(x) = 0."""
    return stable.keep_nan(np.zeros_like(x), x)


# --- sigmoid --------------------------------------------------------------------------------
def sigmoid(x: np.ndarray) -> np.ndarray:
    """sigmoid(x) = σ(x) = 1/(1 + e^{−x})."""
    return stable.sigmoid(x)


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """sigmoid′(x) = σ(x)·σ(−x)."""
    return stable.sigmoid_prime(x)


def sigmoid_grad2(x: np.ndarray) -> np.ndarray:
    """sigmoid″(x) = σ′(x)·(1 − 2σ(x))."""
    return stable.sigmoid_second(x)


# --- tanh -----------------------------------------------------------------------------------
def tanh(x: np.ndarray) -> np.ndarray:
    """tanh(x) = (eˣ − e^{−x})/(eˣ + e^{−x})."""
    return np.tanh(x)


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """tanh′(x) = sech²(x)."""
    return stable.sech2(x)


def tanh_grad2(x: np.ndarray) -> np.ndarray:
    """tanh″(x) = −2·tanh(x)·sech²(x)."""
    return -2.0 * np.tanh(x) * stable.sech2(x)


# --- softplus / log_sigmoid -----------------------------------------------------------------
def softplus(x: np.ndarray) -> np.ndarray:
    """softplus(x) = log(1 + eˣ)."""
    return stable.softplus(x)


def softplus_grad(x: np.ndarray) -> np.ndarray:
    """softplus′(x) = σ(x)."""
    return stable.sigmoid(x)


def softplus_grad2(x: np.ndarray) -> np.ndarray:
    """softplus″(x) = σ′(x)."""
    return stable.sigmoid_prime(x)


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log_sigmoid(x) = log σ(x) = −softplus(−x)."""
    return -stable.softplus(-x)


def log_sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """log_sigmoid′(x) = σ(−x)."""
    return stable.sigmoid(-x)


def log_sigmoid_grad2(x: np.ndarray) -> np.ndarray:
    """log_sigmoid″(x) = −σ′(x)."""
    return -stable.sigmoid_prime(x)


# --- softsign -------------------------------------------------------------------------------
def softsign(x: np.ndarray) -> np.ndarray:
    """softsign(x) = x/(1 + |x|)."""
    xc = np.clip(x, -HUGE, HUGE)
    return xc / (1.0 + np.abs(xc))


def softsign_grad(x: np.ndarray) -> np.ndarray:
    """softsign′(x) = 1/(1 + |x|)²."""
    r = 1.0 / (1.0 + np.abs(x))
    return r * r


def softsign_grad2(x: np.ndarray) -> np.ndarray:
    """softsign″(x) = −2·sign(x)/(1 + |x|)³."""
    r = 1.0 / (1.0 + np.abs(x))
    return -2.0 * np.sign(x) * (r * r * r)


# --- exponential ----------------------------------------------------------------------------
def exponential(x: np.ndarray) -> np.ndarray:
    """exponential(x) = eˣ (overflows to +inf, correctly rounded, beyond x ≈ 709.78)."""
    with np.errstate(over="ignore"):
        return np.exp(x)


exponential_grad = exponential
exponential_grad2 = exponential


# --- gelu -----------------------------------------------------------------------------------
def _erfc(x: np.ndarray) -> np.ndarray:
    from scipy.special import erfc  # lazy: scipy is never imported at start-up

    return erfc(x)


def _phi(x: np.ndarray) -> np.ndarray:
    """Standard normal density φ(x) = e^{−x²/2}/√(2π)."""
    return stable.exp_neg_half_square(x) * _INV_SQRT_2PI


def _gelu_exact(x: np.ndarray) -> np.ndarray:
    xc = np.maximum(x, -40.0)  # x·Φ(x) underflows to −0 below −38.5
    out = 0.5 * xc * _erfc(-xc * _INV_SQRT2)
    return np.where(x < -40.0, -0.0, out)


def _gelu_exact_grad(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -40.0, 40.0)
    return 0.5 * _erfc(-xc * _INV_SQRT2) + xc * _phi(xc)


def _gelu_exact_grad2(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -40.0, 40.0)
    return _phi(xc) * (2.0 - xc * xc)


def _gelu_tanh_u(xc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """u = √(2/π)(x + 0.044715x³), u′ and u″ for the tanh form (x already clipped)."""
    x2 = xc * xc
    u = _SQRT_2_OVER_PI * xc * (1.0 + _GELU_CUBIC * x2)
    du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * x2)
    d2u = _SQRT_2_OVER_PI * 6.0 * _GELU_CUBIC * xc
    return u, du, d2u


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    # (x/2)(1 + tanh u) = x·σ(2u): no cancellation for negative x.
    xc = np.clip(x, -50.0, 50.0)
    u, _, _ = _gelu_tanh_u(xc)
    out = x * stable.sigmoid(2.0 * u)
    return np.where(x < -50.0, -0.0, out)


def _gelu_tanh_grad(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -50.0, 50.0)
    u, du, _ = _gelu_tanh_u(xc)
    return stable.sigmoid(2.0 * u) + 2.0 * xc * du * stable.sigmoid_prime(2.0 * u)


def _gelu_tanh_grad2(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -50.0, 50.0)
    u, du, d2u = _gelu_tanh_u(xc)
    s1 = stable.sigmoid_prime(2.0 * u)
    s2 = stable.sigmoid_second(2.0 * u)
    return 4.0 * du * s1 + 2.0 * xc * d2u * s1 + 4.0 * xc * du * du * s2


def gelu(x: np.ndarray, approximate: bool = False) -> np.ndarray:
    """gelu(x) = x·Φ(x) = (x/2)·erfc(−x/√2); approximate: (x/2)(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    return _gelu_tanh(x) if approximate else _gelu_exact(x)


def gelu_grad(x: np.ndarray, approximate: bool = False) -> np.ndarray:
    """gelu′(x) = Φ(x) + x·φ(x); approximate: σ(2u) + 2x·u′·σ′(2u) with u as above."""
    return _gelu_tanh_grad(x) if approximate else _gelu_exact_grad(x)


def gelu_grad2(x: np.ndarray, approximate: bool = False) -> np.ndarray:
    """gelu″(x) = φ(x)·(2 − x²); approximate: 4u′σ′(2u) + 2x·u″σ′(2u) + 4x·u′²σ″(2u)."""
    return _gelu_tanh_grad2(x) if approximate else _gelu_exact_grad2(x)


# --- silu / swish ---------------------------------------------------------------------------
def _silu_args(x: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """(x floored at −HUGE, z = β·x clipped) so that no product overflows or makes inf·0."""
    xf = np.maximum(x, -HUGE)
    z = beta * np.clip(x, -HUGE / 1e3, HUGE / 1e3)
    return xf, z


def silu(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """silu(x) = x·σ(βx) (swish)."""
    xf, z = _silu_args(x, beta)
    return xf * stable.sigmoid(z)


def silu_grad(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """silu′(x) = σ(βx) + βx·σ′(βx)."""
    z = beta * np.clip(x, -800.0 / beta, 800.0 / beta)
    return stable.sigmoid(z) + z * stable.sigmoid_prime(z)


def silu_grad2(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """silu″(x) = β·(2σ′(βx) + βx·σ″(βx))."""
    z = beta * np.clip(x, -800.0 / beta, 800.0 / beta)
    return beta * (2.0 * stable.sigmoid_prime(z) + z * stable.sigmoid_second(z))


# --- mish -----------------------------------------------------------------------------------
def _mish_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """e = eˣ, n = eˣ(eˣ + 2) and t = tanh(softplus(x)) = n/(n + 2), x clipped to [−800, 40].

    tanh(log(1 + e)) = ((1+e)² − 1)/((1+e)² + 1) = n/(n + 2), exact in form and free of overflow
    once x ≤ 40 (beyond 40, t, mish′ and mish″ have reached their float64 limits 1, 1 and 0).
    """
    xc = np.clip(x, -800.0, 40.0)
    e = np.exp(xc)
    n = e * (e + 2.0)
    return e, n, n / (n + 2.0)


def mish(x: np.ndarray) -> np.ndarray:
    """mish(x) = x·tanh(softplus(x))."""
    _, _, t = _mish_parts(x)
    return np.maximum(x, -HUGE) * t


def mish_grad(x: np.ndarray) -> np.ndarray:
    """mish′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x), with sech²(sp)·σ = 4e(1+e)/(n+2)²."""
    xc = np.clip(x, -800.0, 40.0)
    e, n, t = _mish_parts(xc)
    m = n + 2.0
    dt = (4.0 * e * (1.0 + e)) / m / m
    return t + xc * dt


def mish_grad2(x: np.ndarray) -> np.ndarray:
    """mish″(x) = 2t′ + x·t″, t′ = 4e(1+e)/(n+2)², t″ = 4e(2 + 2e − 3e² − 2e³)/(n+2)³."""
    xc = np.clip(x, -800.0, 40.0)
    e, n, _ = _mish_parts(xc)
    m = n + 2.0
    dt = (4.0 * e * (1.0 + e)) / m / m
    d2t = (4.0 * e * (2.0 + e * (2.0 - e * (3.0 + 2.0 * e)))) / m / m / m
    return 2.0 * dt + xc * d2t


# --- squareplus -----------------------------------------------------------------------------
def squareplus(x: np.ndarray, b: float = 4.0) -> np.ndarray:
    """squareplus(x) = (x + √(x² + b))/2; for x < 0 as (b/2)/(√(x² + b) − x), no cancellation."""
    h = np.hypot(x, math.sqrt(b))
    # Halves first: no overflow near 1e308. Each branch sees only its own side of 0.
    pos = 0.5 * np.maximum(x, 0.0) + 0.5 * h
    neg = (0.25 * b) / (0.5 * h - 0.5 * np.minimum(x, 0.0))
    return np.where(x >= 0, pos, np.where(x < 0, neg, x))


def squareplus_grad(x: np.ndarray, b: float = 4.0) -> np.ndarray:
    """squareplus′(x) = (1 + x/√(x² + b))/2; for x < 0 as (b/√(x²+b))/(√(x²+b) − x)/2."""
    xc = np.clip(x, -HUGE, HUGE)
    h = np.hypot(xc, math.sqrt(b))
    pos = 0.5 * (1.0 + xc / h)
    neg = 0.5 * ((b / h) / (h - np.minimum(xc, 0.0)))
    return np.where(xc >= 0, pos, np.where(xc < 0, neg, xc))


def squareplus_grad2(x: np.ndarray, b: float = 4.0) -> np.ndarray:
    """squareplus″(x) = b/(2(x² + b)^{3/2})."""
    h = np.hypot(x, math.sqrt(b))
    return 0.5 * (((b / h) / h) / h)


# --- tanh_shrink ----------------------------------------------------------------------------
# x·cosh x − sinh x = Σ_{k≥1} 2k·x^{2k+1}/(2k+1)!: positive terms, so x − tanh x = that/cosh x
# has no cancellation near 0. 14 terms reach full precision for abs(x) ≤ 1.5.
_SHRINK_COEFFS = [2.0 * k / math.factorial(2 * k + 1) for k in range(1, 15)]
_SHRINK_SWITCH = 1.5


def tanh_shrink(x: np.ndarray) -> np.ndarray:
    """tanh_shrink(x) = x − tanh(x)."""
    xs = np.clip(x, -_SHRINK_SWITCH, _SHRINK_SWITCH)
    x2 = xs * xs
    acc = np.full_like(xs, _SHRINK_COEFFS[-1])
    for c in reversed(_SHRINK_COEFFS[:-1]):
        acc = acc * x2 + c
    series = xs * x2 * acc / np.cosh(xs)
    direct = x - np.tanh(x)
    return np.where(np.abs(x) <= _SHRINK_SWITCH, series, direct)


def tanh_shrink_grad(x: np.ndarray) -> np.ndarray:
    """tanh_shrink′(x) = tanh²(x)."""
    t = np.tanh(x)
    return t * t


def tanh_shrink_grad2(x: np.ndarray) -> np.ndarray:
    """tanh_shrink″(x) = 2·tanh(x)·sech²(x)."""
    return 2.0 * np.tanh(x) * stable.sech2(x)
