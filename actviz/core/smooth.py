"""Smooth activations: f, f′ and f″ as analytic, overflow-free float64 NumPy code.

Each kernel takes a float64 array (the catalog converts inputs) and keyword parameters, and
returns a new float64 array. Formulas are in the docstrings; the tricks that keep them exact
(no 1 − σ, no 1 + erf, no exp(x) − 1, no naive log(1 + eˣ)) are named where they are used.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.core import normal, stable
from actviz.core.stable import HUGE

_INV_SQRT_2PI = 0.3989422804014327  # 1/√(2π), correctly rounded
_SQRT_2_OVER_PI = 0.7978845608028654  # √(2/π), correctly rounded
_GELU_CUBIC = 0.044715
_GELU_CUBIC_LO = 2.1960211427085595e-18  # 0.044715 − _GELU_CUBIC
_TWO_SQRT_2_OVER_PI = 1.5957691216057308  # 2√(2/π), correctly rounded
_TWO_SQRT_2_OVER_PI_LO = -9.96930880911092e-17  # 2√(2/π) − _TWO_SQRT_2_OVER_PI


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
def _softplus_z(x: np.ndarray, beta: float) -> np.ndarray:
    if beta == 1.0:
        return x
    with np.errstate(over="ignore"):  # β·x = ±inf is fine below: e^{−inf} = 0
        return beta * x


def softplus(x: np.ndarray, beta: float = 1.0, threshold: float = math.inf) -> np.ndarray:
    """softplus(x) = log(1 + eˣ); PyTorch's form: log(1 + e^{βx})/β, and x where βx > threshold
    (a real jump of log1p(e^{−threshold})/β at x = threshold/β)."""
    if beta == 1.0 and threshold == math.inf:
        return stable.softplus(x)
    # log(1 + e^z)/β = max(x, 0) + log1p(e^{−|z|})/β, z = βx: x itself carries the large part.
    z = _softplus_z(x, beta)
    out = stable.exp_neg_abs(z)
    np.log1p(out, out=out)
    if beta != 1.0:
        np.divide(out, beta, out=out)
    np.add(out, np.maximum(x, 0.0), out=out)
    np.copyto(out, x, where=z > threshold)
    return out


def softplus_grad(x: np.ndarray, beta: float = 1.0, threshold: float = math.inf) -> np.ndarray:
    """softplus′(x) = σ(βx) (1 where βx > threshold)."""
    z = _softplus_z(x, beta)
    out = stable.sigmoid(z)
    if threshold != math.inf:
        np.copyto(out, 1.0, where=z > threshold)
    return out


def softplus_grad2(x: np.ndarray, beta: float = 1.0, threshold: float = math.inf) -> np.ndarray:
    """softplus″(x) = β·σ′(βx) (0 where βx > threshold)."""
    z = _softplus_z(x, beta)
    out = stable.sigmoid_prime(z)
    if beta != 1.0:
        np.multiply(out, beta, out=out)
    if threshold != math.inf:
        np.copyto(out, 0.0, where=z > threshold)
    return out


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log_sigmoid(x) = log σ(x) = −softplus(−x)."""
    return stable.softplus(x, negate=True)


def log_sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """log_sigmoid′(x) = σ(−x)."""
    return stable.sigmoid(x, negate=True)


def log_sigmoid_grad2(x: np.ndarray) -> np.ndarray:
    """log_sigmoid″(x) = −σ′(x)."""
    return -stable.sigmoid_prime(x)


# --- softsign -------------------------------------------------------------------------------
def softsign(x: np.ndarray) -> np.ndarray:
    """softsign(x) = x/(1 + |x|)."""
    xc = np.clip(x, -HUGE, HUGE)
    denom = np.abs(xc)
    np.add(denom, 1.0, out=denom)
    return np.divide(xc, denom, out=xc)


def softsign_grad(x: np.ndarray) -> np.ndarray:
    """softsign′(x) = 1/(1 + |x|)²."""
    r = np.abs(x)
    np.add(r, 1.0, out=r)
    np.divide(1.0, r, out=r)
    return np.multiply(r, r, out=r)


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
def _gelu_exact_grad2(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -40.0, 40.0)
    return stable.exp_neg_half_square(xc) * _INV_SQRT_2PI * (2.0 - xc * xc)


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
    out = np.maximum(x, -50.0) * stable.sigmoid(2.0 * u)
    return np.where(x < -50.0, -0.0, out)


def _gelu_tanh_grad(x: np.ndarray) -> np.ndarray:
    """σ(z) + g·σ′(z) = σ(z)·(1 + g·σ(−z)), z = 2u, g = 2x·u′, over w = e^{−|z|} as in silu′:
    z < 0: w·((1 + g) + w)/(1 + w)², z ≥ 0: (1 + w·(1 + g))/(1 + w)².

    z and g are carried as exact pairs (:func:`_gelu_tanh_zg`): w = e^{z} turns an absolute error
    of z into a relative one of w, and on (−1.8, −1.2), where abs(z) ≈ 2…4 and 1 + g ≈ −2, plain
    rounding of z and g cost up to 10 ULP."""
    xc = np.clip(x, -50.0, 50.0)
    z, ze, g, ge = _gelu_tanh_zg(xc)
    neg = z < 0
    w = np.exp(-np.abs(z))
    wl = w * np.where(neg, ze, -ze)  # e^{−|z + ze|} = w + wl to first order in ze
    q, qe = stable.two_sum(w, 1.0)
    d, de = stable.two_product(q, q)
    de = de + 2.0 * q * (qe + wl)  # (1 + w)² = d + de
    s, se = stable.two_sum(g, 1.0)
    sl = se + ge  # 1 + g = s + sl
    # z < 0: w·((1 + g) + w)
    s2, s2e = stable.two_sum(s, w)
    s2e = s2e + (sl + wl)
    n_neg, n_neg_e = stable.two_product(w, s2)
    n_neg_e = n_neg_e + (w * s2e + wl * s2)
    # z ≥ 0: 1 + w·(1 + g)
    m, me = stable.two_product(w, s)
    n_pos, n_pos_e = stable.two_sum(m, 1.0)
    n_pos_e = n_pos_e + (me + w * sl + wl * s)
    n = np.where(neg, n_neg, n_pos)
    ne = np.where(neg, n_neg_e, n_pos_e)
    return stable.div_pairs(n, ne, d, de)


def _gelu_tanh_zg(xc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """z = 2u = 2√(2/π)·x·(1 + c·x²) and g = 2x·u′ = 2√(2/π)·x·(1 + 3c·x²), c = 0.044715, each as
    a pair hi + lo accurate to about 2⁻¹⁰⁰ relative (error-free products and sums; x clipped)."""
    p, pe = stable.two_product(xc, xc)
    t, te = stable.two_product(p, _GELU_CUBIC)
    te = te + (_GELU_CUBIC * pe + _GELU_CUBIC_LO * p)  # c·x² = t + te
    a, ae = stable.two_sum(t, 1.0)
    t3, t3e = stable.two_product(t, 3.0)
    b, be = stable.two_sum(t3, 1.0)
    out = []
    for h, lo in ((a, ae + te), (b, be + (t3e + 3.0 * te))):
        m, me = stable.two_product(xc, h)
        me = me + xc * lo
        v, ve = stable.two_product(m, _TWO_SQRT_2_OVER_PI)
        out += [v, ve + (m * _TWO_SQRT_2_OVER_PI_LO + me * _TWO_SQRT_2_OVER_PI)]
    return out[0], out[1], out[2], out[3]


def _gelu_tanh_grad2(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -50.0, 50.0)
    u, du, d2u = _gelu_tanh_u(xc)
    s1 = stable.sigmoid_prime(2.0 * u)
    s2 = stable.sigmoid_second(2.0 * u)
    out = 4.0 * du * s1 + 2.0 * xc * d2u * s1 + 4.0 * xc * du * du * s2
    far = np.abs(u) > 300.0  # σ′(2u) is subnormal or 0: scale it in the exponent, not after
    if far.any():
        # σ′(z)·B with B = 4u′ + 2x·u″ − 4x·u′²·tanh(u), σ′(z) = e^{−|z|}/(1 + e^{−|z|})² = e^{−|z|}
        uf, xf, duf = u[far], xc[far], du[far]
        b = 4.0 * duf + 2.0 * xf * d2u[far] - 4.0 * xf * duf * duf * np.sign(uf)
        out[far] = np.sign(b) * np.exp(np.log(np.abs(b)) - 2.0 * np.abs(uf))
    return out


def gelu(x: np.ndarray, approximate: bool = False) -> np.ndarray:
    """gelu(x) = x·Φ(x) = (x/2)·erfc(−x/√2); approximate: (x/2)(1 + tanh(√(2/π)(x + 0.044715x³))).

    Exact: max(x, 0) − abs(x)·Φ(−abs(x)) from one table polynomial, no 1 + erf and no branch
    (:func:`actviz.core.normal.x_ndtr`)."""
    return _gelu_tanh(x) if approximate else normal.x_ndtr(x)


def gelu_grad(x: np.ndarray, approximate: bool = False) -> np.ndarray:
    """gelu′(x) = Φ(x) + x·φ(x); approximate: σ(2u) + 2x·u′·σ′(2u) with u as above.

    Exact: Φ(−t) − tφ(t) = e^{−t²/2}·N(t) for x = −t < 0 and one minus that for x ≥ 0, N its own
    table polynomial, so the terms' cancellation on (−2, 0) happened in mpmath, not in float64
    (:func:`actviz.core.normal.ndtr_plus_x_pdf`)."""
    return _gelu_tanh_grad(x) if approximate else normal.ndtr_plus_x_pdf(x)


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
    if beta == 1.0:  # no product to overflow: σ(x) itself, the same numbers without the clip
        out = stable.sigmoid(x)
        return np.multiply(out, np.maximum(x, -HUGE), out=out)
    xf, z = _silu_args(x, beta)
    return xf * stable.sigmoid(z)


def silu_grad(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """silu′(x) = σ(z) + z·σ′(z) = σ(z)·(1 + z·σ(−z)), z = βx.

    Written over w = e^{−|z|} so that nothing cancels except near the root z ≈ −1.28:
    z < 0: w·((1 + z) + w)/(1 + w)²;  z ≥ 0: (1 + w·(1 + z))/(1 + w)².
    """
    z = np.clip(x, -800.0 / beta, 800.0 / beta)
    if beta != 1.0:
        np.multiply(z, beta, out=z)
    w = stable.exp_neg_abs(z)
    neg = z < 0
    num = z + 1.0  # 1 + z
    np.add(num, w, out=num, where=neg)  # z < 0: (1 + z) + w
    np.multiply(num, w, out=num)
    np.logical_not(neg, out=neg)
    np.add(num, 1.0, out=num, where=neg)  # z ≥ 0 (and NaN): 1 + w·(1 + z)
    np.add(w, 1.0, out=z)
    np.multiply(z, z, out=z)  # (1 + w)²
    return np.divide(num, z, out=num)


def silu_grad2(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """silu″(x) = β·(2σ′(βx) + βx·σ″(βx))."""
    z = beta * np.clip(x, -800.0 / beta, 800.0 / beta)
    return beta * (2.0 * stable.sigmoid_prime(z) + z * stable.sigmoid_second(z))


# --- mish -----------------------------------------------------------------------------------
def _mish_t(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """t = tanh(softplus(x)) and its first two derivatives, free of overflow and cancellation.

    With e = eˣ and n = e(e + 2): t = n/(n + 2), t′ = 4e(1 + e)/(n + 2)² and
    t″ = 4e(2 + 2e − 3e² − 2e³)/(n + 2)³. For x ≥ 0 the same expressions are rewritten in
    q = e^{−x} ≤ 1: t = (1 + 2q)/D, t′ = 4q²(1 + q)/D², t″ = 4q²(2q³ + 2q² − 3q − 2)/D³ with
    D = 1 + 2q + 2q², so no power of eˣ is ever formed.
    """
    w = np.exp(-np.abs(x))
    # x < 0 (w = eˣ)
    m = w * (w + 2.0) + 2.0
    t_neg = w * (w + 2.0) / m
    dt_neg = (4.0 * w * (1.0 + w)) / m / m
    d2t_neg = (4.0 * w * (2.0 + w * (2.0 - w * (3.0 + 2.0 * w)))) / m / m / m
    # x ≥ 0 (w = e^{−x})
    d = 1.0 + 2.0 * w * (1.0 + w)
    t_pos = (1.0 + 2.0 * w) / d
    w2 = w * w
    dt_pos = (4.0 * w2 * (1.0 + w)) / d / d
    d2t_pos = (4.0 * w2 * (w * (w * (2.0 * w + 2.0) - 3.0) - 2.0)) / d / d / d
    neg = x < 0
    return (
        np.where(neg, t_neg, t_pos),
        np.where(neg, dt_neg, dt_pos),
        np.where(neg, d2t_neg, d2t_pos),
    )


def _mish_t_only(x: np.ndarray) -> np.ndarray:
    """t = tanh(softplus(x)) alone, by the same formulas as :func:`_mish_t`."""
    w = stable.exp_neg_abs(x)
    neg = x < 0
    # x < 0 (w = eˣ): w(w + 2)/(w(w + 2) + 2)
    num = w + 2.0
    np.multiply(num, w, out=num)
    t_neg = num + 2.0
    np.divide(num, t_neg, out=t_neg)
    # x ≥ 0 (w = e^{−x}): (1 + 2w)/(1 + 2w(1 + w))
    np.add(w, 1.0, out=num)
    np.multiply(num, w, out=num)
    np.multiply(num, 2.0, out=num)
    np.add(num, 1.0, out=num)
    np.multiply(w, 2.0, out=w)
    np.add(w, 1.0, out=w)
    np.divide(w, num, out=w)
    np.copyto(w, t_neg, where=neg)
    return w


def mish(x: np.ndarray) -> np.ndarray:
    """mish(x) = x·tanh(softplus(x))."""
    t = _mish_t_only(x)
    return np.multiply(np.maximum(x, -HUGE), t, out=t)


def mish_grad(x: np.ndarray) -> np.ndarray:
    """mish′(x) = t + x·t′ with t = tanh(softplus(x)), t′ = sech²(softplus(x))·σ(x).

    For x < 0 the two terms have opposite signs, so there it is evaluated in the equivalent
    form eˣ·ω/δ², ω = 4(x + 1) + eˣ(4x + 6) + e^{2x}(4 + eˣ), δ = e^{2x} + 2eˣ + 2, whose
    terms do not cancel; ω, δ² and the quotient are carried as exact pairs
    (:func:`_mish_grad_neg`), so only the rounding of eˣ itself remains.
    """
    xc = np.clip(x, -HUGE, HUGE)
    w = stable.exp_neg_abs(xc)  # eˣ for x < 0, e^{−x} for x ≥ 0
    # x ≥ 0: t + x·t′ with t = (1 + 2w)/d, t′ = 4w²(1 + w)/d/d, d = 1 + 2w(1 + w) (as in _mish_t)
    d = 1.0 + 2.0 * w * (1.0 + w)
    out = (1.0 + 2.0 * w) / d + xc * ((4.0 * (w * w) * (1.0 + w)) / d / d)
    neg = xc < 0
    if neg.any():
        out[neg] = _mish_grad_neg(np.maximum(xc[neg], -1e6), w[neg])  # eˣ = 0 below −746 anyway
    return out


def _mish_grad_neg(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    """e·ω/δ² for x < 0 (e = eˣ) with ω and δ² as hi + lo pairs from error-free sums and
    products: the plain evaluation's dozen roundings cost up to 4.4 ULP."""
    two_sum, two_product = stable.two_sum, stable.two_product
    a, ae = two_sum(e, 2.0)
    p, pe = two_product(e, a)
    dl_, dle = two_sum(p, 2.0)  # δ = e(e + 2) + 2
    dle = dle + (pe + e * ae)
    dd, dde = two_product(dl_, dl_)
    dde = dde + 2.0 * dl_ * dle  # δ²
    # ω = 4(x + 1) + e·(4x + 6) + e²·(4 + e)
    s1, s1e = two_sum(x, 1.0)
    b, be = two_sum(4.0 * x, 6.0)
    t2, t2e = two_product(e, b)
    t2e = t2e + e * be
    e2, e2e = two_product(e, e)
    f, fe = two_sum(e, 4.0)
    t3, t3e = two_product(e2, f)
    t3e = t3e + (e2 * fe + e2e * f)
    o, oe = two_sum(4.0 * s1, t2)
    o2, o2e = two_sum(o, t3)
    o2e = o2e + (oe + 4.0 * s1e + t2e + t3e)
    n, ne = two_product(e, o2)
    ne = ne + e * o2e
    return stable.div_pairs(n, ne, dd, dde)


def mish_grad2(x: np.ndarray) -> np.ndarray:
    """mish″(x) = 2t′ + x·t″."""
    _, dt, d2t = _mish_t(x)
    return 2.0 * dt + np.clip(x, -HUGE, HUGE) * d2t


# --- squareplus -----------------------------------------------------------------------------
def squareplus(x: np.ndarray, b: float = 4.0) -> np.ndarray:
    """squareplus(x) = (x + √(x² + b))/2; for x < 0 as (b/2)/(√(x² + b) − x), no cancellation."""
    h = np.hypot(x, math.sqrt(b))
    # Halves first: no overflow near 1e308. Each branch sees only its own side of 0.
    pos = 0.5 * np.maximum(x, 0.0) + 0.5 * h
    neg = (0.25 * b) / (0.5 * h - 0.5 * np.minimum(x, 0.0))
    return np.where(x >= 0, pos, np.where(x < 0, neg, x))


def squareplus_grad(x: np.ndarray, b: float = 4.0) -> np.ndarray:
    """squareplus′(x) = (1 + x/√(x² + b))/2; for x < 0 as b/(2h·(h − x)), h = √(x² + b).

    For −1e140 < x < 0, h and h·(h − x) are carried as exact pairs (:func:`_squareplus_grad_neg`):
    the rounding of √b and of h entered the quotient three times (up to 4.1 ULP). Below −1e140,
    h = |x| exactly, and h·(h − x) ≈ 2x² would overflow the pairs' Veltkamp split."""
    xc = np.clip(x, -HUGE, HUGE)
    h = np.hypot(xc, math.sqrt(b))
    pos = 0.5 * (1.0 + xc / h)
    neg = 0.5 * ((b / h) / (h - np.minimum(xc, 0.0)))
    out = np.where(xc >= 0, pos, np.where(xc < 0, neg, xc))
    near = (xc < 0) & (xc > -1e140)
    if near.any():
        out[near] = _squareplus_grad_neg(xc[near], b)
    return out


def _squareplus_grad_neg(x: np.ndarray, b: float) -> np.ndarray:
    """b/(2h·(h − x)) for −1e140 < x < 0: x² + b, h (one Newton step on the rounded root) and
    h·(h − x) as hi + lo pairs, then one corrected division."""
    p, pe = stable.two_product(x, x)
    s, se = stable.two_sum(p, b)
    se = se + pe  # x² + b = s + se
    r = np.sqrt(s)
    r2, r2e = stable.two_product(r, r)
    rl = ((s - r2) - r2e + se) / (2.0 * r)  # h = r + rl
    q, qe = stable.two_sum(r, -x)
    qe = qe + rl  # h − x = q + qe
    d, de = stable.two_product(r, q)
    de = de + (r * qe + rl * q)  # h·(h − x) = d + de
    bb = np.full_like(x, 0.5 * b)
    return stable.div_pairs(bb, np.zeros_like(x), d, de)


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
    for c in reversed(_SHRINK_COEFFS[:-1]):  # Horner, in place
        np.multiply(acc, x2, out=acc)
        np.add(acc, c, out=acc)
    np.multiply(x2, xs, out=x2)
    np.multiply(x2, acc, out=acc)  # xs·x2·acc, in that order
    np.cosh(xs, out=xs)
    np.divide(acc, xs, out=acc)
    far = np.abs(x) > _SHRINK_SWITCH
    if far.any():
        xf = x[far]
        acc[far] = xf - np.tanh(xf)
    return acc


def tanh_shrink_grad(x: np.ndarray) -> np.ndarray:
    """tanh_shrink′(x) = tanh²(x)."""
    t = np.tanh(x)
    return t * t


def tanh_shrink_grad2(x: np.ndarray) -> np.ndarray:
    """tanh_shrink″(x) = 2·tanh(x)·sech²(x)."""
    return 2.0 * np.tanh(x) * stable.sech2(x)
