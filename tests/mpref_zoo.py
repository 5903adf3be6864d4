"""mpmath references for the zoo entries (actviz/catalog/zoo.py), from the textbook definitions.

``value(name, params, x, order)`` as in ``tests/mpref.py``; NaN where x is outside the domain
(log1mexp for x < 0).
"""

from __future__ import annotations

import mpmath as mp

from tests.mpref import d2sig, dsig, sig, sp

K_QUICK = mp.mpf("1.702")


def _leaky(x, a, order):
    return [x if x >= 0 else a * x, mp.mpf(1) if x > 0 else a, mp.mpf(0)][order]


def _log1mexp(x, order):
    if x < 0:
        return mp.nan
    if x == 0:
        return [-mp.inf, mp.inf, -mp.inf][order]
    em1 = mp.expm1(x)
    f = mp.log(-mp.expm1(-x)) if x < 1 else mp.log1p(-mp.exp(-x))  # both exact in mpmath
    return [f, 1 / em1, -mp.exp(x) / em1**2][order]


def _xielu(x, p, order):
    ap, an, b, eps = (mp.mpf(p[k]) for k in ("alpha_p", "alpha_n", "beta", "eps"))
    if x > 0:
        return [ap * x * x + b * x, 2 * ap * x + b, 2 * ap][order]
    if x <= eps:
        if abs(x) < mp.mpf("1e-6"):  # expm1(x) − x = x²/2 + x³/6 + …, no cancellation
            em = x * x * (mp.mpf(1) / 2 + x * (mp.mpf(1) / 6 + x * (mp.mpf(1) / 24 + x / 120)))
        else:
            em = mp.expm1(x) - x
        return [an * em + b * x, an * mp.expm1(x) + b, an * mp.exp(x)][order]
    return [an * (mp.expm1(eps) - x) + b * x, b - an, mp.mpf(0)][order]


def _reduced(t):
    """t mod 2π with enough digits for any float64 t (mpmath's sin fails beyond ~1e300)."""
    if abs(t) < 1e6:
        return t
    digits = int(mp.log10(abs(t) + 1)) + 60
    with mp.workdps(digits):
        return +mp.fmod(t, 2 * mp.pi)


def _snake_beta(x, a, b, order):
    if mp.isinf(x):
        return x if order == 0 else mp.nan
    s1, s2, c2 = mp.sin(_reduced(a * x)), mp.sin(_reduced(2 * a * x)), mp.cos(_reduced(2 * a * x))
    return [x + s1**2 / b, 1 + (a / b) * s2, (2 * a * a / b) * c2, -(4 * a**3 / b) * s2][order]


def _gelu(x, order):
    if abs(x) > 60:
        return [max(x, 0), mp.mpf(1) if x > 0 else mp.mpf(0), mp.mpf(0)][order]
    return [x * mp.ncdf(x), mp.ncdf(x) + x * mp.npdf(x), mp.npdf(x) * (2 - x * x)][order]


def _tanhexp(x, order):
    if x > 60:  # tanh(eˣ) = 1 to far beyond float64 precision; the derivatives underflow
        return [x, mp.mpf(1), mp.mpf(0)][order]
    e = mp.exp(x)
    t, s2 = mp.tanh(e), mp.sech(e) ** 2
    return [x * t, t + x * e * s2, e * s2 * (2 + x - 2 * x * e * t)][order]


def _sqrt_softplus(x, order):
    s = sp(x)
    r = mp.sqrt(s)
    d = sig(x) / (2 * r)
    return [r, d, (dsig(x) / 2 - d * d) / r][order]


def _smu1(x, p, order):
    """x < 0 rationalised: (A + B) = (B² − A²)/(B − A), A = (1 + α)x, B = √(((1 − α)x)² + μ²)."""
    a, mu = p["alpha"], p["mu"]
    b = mp.sqrt(((1 - a) * x) ** 2 + mu**2)
    if order == 0:
        if x < 0:
            return (mu**2 - 4 * a * x * x) / (2 * (b - (1 + a) * x))
        return ((1 + a) * x + b) / 2
    if order == 1:
        if x < 0:
            num = 4 * a * (1 - a) ** 2 * x * x + (1 + a) ** 2 * mu**2
            return num / (2 * b * ((1 + a) * b + (1 - a) ** 2 * abs(x)))
        return (1 + a + (1 - a) ** 2 * x / b) / 2
    return (1 - a) ** 2 * mu**2 / (2 * b**3)


def value(name: str, params: dict, x, order: int):
    """f (order 0), f′ (1) or f″ (2) of zoo entry ``name`` at mpf ``x``."""
    p = {k: (mp.mpf(v) if not isinstance(v, bool) else v) for k, v in params.items()}
    zero, one = mp.mpf(0), mp.mpf(1)
    if name == "threshold":
        t = p["threshold"]
        return [x if x > t else p["value"], one if x > t else zero, zero][order]
    if name == "step":
        return [one if x >= p["threshold"] else zero, zero, zero][order]
    if name == "prelu":
        return _leaky(x, p["alpha"], order)
    if name == "rrelu":
        return _leaky(x, (p["lower"] + p["upper"]) / 2, order)
    if name == "sparse_plus":
        if x <= -1:
            return zero
        if x >= 1:
            return [x, one, zero][order]
        return [(x + 1) ** 2 / 4, (x + 1) / 2, one / 2][order]
    if name == "sparse_sigmoid":
        if abs(x) >= 1:
            return [zero if x < 0 else one, zero, zero][order]
        return [(x + 1) / 2, one / 2, zero][order]
    if name == "log1mexp":
        return _log1mexp(x, order)
    if name in ("relu2", "star_relu"):
        s, b = (p["scale"], p["bias"]) if name == "star_relu" else (one, zero)
        r = max(x, zero)
        return [s * r * r + b, 2 * s * r, 2 * s if x > 0 else zero][order]
    if name == "quick_gelu":
        k = K_QUICK
        z = k * x
        return [x * sig(z), sig(z) + z * dsig(z), k * (2 * dsig(z) + z * d2sig(z))][order]
    if name == "hard_mish":
        if x < -2 or (x == -2 and order == 0):
            return zero
        if x >= 0:
            return [x, one, zero][order]
        return [x * (x + 2) / 2, x + 1, one][order]
    if name == "xielu":
        return _xielu(x, p, order)
    if name == "snake":
        return _snake_beta(x, p["alpha"], p["alpha"], order)
    if name == "snake_beta":
        return _snake_beta(x, p["alpha"], p["beta"], order)
    if name == "softcap":
        c = p["cap"]
        u = x / c
        return [c * mp.tanh(u), mp.sech(u) ** 2, -(2 / c) * mp.tanh(u) * mp.sech(u) ** 2][order]
    if name == "clipped_gelu":
        g = _gelu(x, 0)
        if g >= p["max_val"]:
            return [p["max_val"], zero, zero][order]
        if g <= p["min_val"]:
            return [p["min_val"], zero, zero][order]
        return _gelu(x, order)
    if name == "laplace":
        mu, sg = p["mu"], p["sigma"]
        z = (x - mu) / sg
        if abs(z) > 1e4:  # Φ is 0 or 1 and φ is 0 far beyond float64's resolution
            return [zero if z < 0 else one, zero, zero][order]
        return [mp.ncdf(z), mp.npdf(z) / sg, -z * mp.npdf(z) / sg**2][order]
    if name == "sqrt_softplus":
        return _sqrt_softplus(x, order)
    if name == "tanhexp":
        return _tanhexp(x, order)
    if name == "smu1":
        return _smu1(x, p, order)
    raise KeyError(name)
