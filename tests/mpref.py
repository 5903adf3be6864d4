"""High-precision reference values of every activation, f′ and f″, written from the textbook
definitions in mpmath (not from actviz's NumPy formulas).

Each entry maps a canonical name to a function ``ref(name, params) -> (f, df, d2f)`` of an mpf
argument. Formulas are chosen so that they are accurate in mpmath itself at ``mp.dps = 40`` (for
example σ(−z) instead of 1 − σ(z)); where a closed form would cancel, a series or a rewritten form
is used, or the precision is raised locally.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 40

SELU_L = mp.mpf("1.0507009873554804934193349852946")
SELU_A = mp.mpf("1.6732632423543772848170429916717")


def sig(z):
    return 1 / (1 + mp.exp(-z))


def dsig(z):
    return sig(z) * sig(-z)


def d2sig(z):
    return -dsig(z) * mp.tanh(z / 2)  # σ(−z) − σ(z) = −tanh(z/2), without cancellation


def sp(z):
    return mp.log1p(mp.exp(z))


def step(cond, a, b):
    return a if cond else b


def _tanh_shrink(x):
    if abs(x) < mp.mpf("1e-3"):
        # x − tanh x = x³/3 − 2x⁵/15 + 17x⁷/315 − 62x⁹/2835 + …
        x2 = x * x
        c3, c5, c7, c9 = (mp.mpf(1) / 3, mp.mpf(2) / 15, mp.mpf(17) / 315, mp.mpf(62) / 2835)
        return x * x2 * (c3 - x2 * (c5 - x2 * (c7 - x2 * c9)))
    with mp.workdps(mp.mp.dps + 40):  # relative to the caller's precision (mp.diff raises it)
        return +(x - mp.tanh(x))


def _squareplus(x, b):
    h = mp.sqrt(x * x + b)
    if x < 0:
        return (b / 2) / (h - x)
    return (x + h) / 2


def _squareplus_d(x, b):
    h = mp.sqrt(x * x + b)
    if x < 0:
        return b / (2 * h * (h - x))
    return (1 + x / h) / 2


def _gelu_tanh(x, order):
    c = mp.sqrt(2 / mp.pi)
    k = mp.mpf("0.044715")

    def f(t):
        u = c * (t + k * t**3)
        return t * sig(2 * u)

    def df(t):
        u = c * (t + k * t**3)
        du = c * (1 + 3 * k * t * t)
        return sig(2 * u) + 2 * t * du * dsig(2 * u)

    if order == 0:
        return f(x)
    if order == 1:
        return df(x)
    # f″ by the product and chain rules: 4u′σ′(2u) + 2x·u″σ′(2u) + 4x·u′²σ″(2u)
    u = c * (x + k * x**3)
    du = c * (1 + 3 * k * x * x)
    d2u = 6 * c * k * x
    return 4 * du * dsig(2 * u) + 2 * x * d2u * dsig(2 * u) + 4 * x * du * du * d2sig(2 * u)


def _mish(x, order):
    def f(t):
        return t * mp.tanh(sp(t))

    def df(t):
        s = sp(t)
        return mp.tanh(s) + t * mp.sech(s) ** 2 * sig(t)

    if order == 0:
        return f(x)
    if order == 1:
        return df(x)
    if abs(x) > 800:  # f″ is below the smallest subnormal: 0 in float64
        return mp.mpf(0)
    # t = tanh(softplus(x)) is within e^{−2x} of 1: differentiate with enough digits to see it.
    with mp.workdps(60 + int(abs(x))):
        return mp.diff(df, x)


def value(name: str, params: dict, x, order: int):
    """f (order 0), f′ (1) or f″ (2) of ``name`` at mpf ``x``."""
    p = params
    zero, one = mp.mpf(0), mp.mpf(1)
    if name == "identity":
        return [x, one, zero][order]
    if name == "sigmoid":
        return [sig, dsig, d2sig][order](x)
    if name == "tanh":
        return [mp.tanh(x), mp.sech(x) ** 2, -2 * mp.tanh(x) * mp.sech(x) ** 2][order]
    if name == "relu":
        defaults = {"negative_slope": 0.0, "max_value": mp.inf, "threshold": 0.0}  # plain relu
        s, m, t = (mp.mpf(p.get(k, v)) for k, v in defaults.items())
        if x > t:
            return [min(x, m), step(x < m, one, zero), zero][order]
        return [s * (x - t), s, zero][order]
    if name == "relu6":
        return [min(max(x, zero), 6), step(0 < x < 6, one, zero), zero][order]
    if name == "leaky_relu":
        a = mp.mpf(p["alpha"])
        return [step(x >= 0, x, a * x), step(x > 0, one, a), zero][order]
    if name in ("elu", "selu"):
        a = mp.mpf(p["alpha"]) if name == "elu" else SELU_A
        lam = one if name == "elu" else SELU_L
        if x > 0:
            return [lam * x, lam, zero][order]
        return [lam * a * mp.expm1(x), lam * a * mp.exp(x), lam * a * mp.exp(x)][order]
    if name == "celu":
        a = mp.mpf(p["alpha"])
        if x > 0:
            return [x, one, zero][order]
        return [a * mp.expm1(x / a), mp.exp(x / a), mp.exp(x / a) / a][order]
    if name == "gelu":
        if p["approximate"]:
            return _gelu_tanh(x, order)
        if abs(x) > 60:  # Φ(−60) ≈ 1e−784: every term beyond is far below float64's resolution
            return [max(x, zero), step(x > 0, one, zero), zero][order]
        return [x * mp.ncdf(x), mp.ncdf(x) + x * mp.npdf(x), mp.npdf(x) * (2 - x * x)][order]
    if name == "silu":
        b = mp.mpf(p["beta"])
        z = b * x
        return [x * sig(z), sig(z) + z * dsig(z), b * (2 * dsig(z) + z * d2sig(z))][order]
    if name == "mish":
        return _mish(x, order)
    if name == "softplus":
        b, thr = mp.mpf(p["beta"]), mp.mpf(p["threshold"])
        if b * x > thr:
            return [x, one, zero][order]
        return [sp(b * x) / b, sig(b * x), b * dsig(b * x)][order]
    if name == "log_sigmoid":
        return [-sp(-x), sig(-x), -dsig(x)][order]
    if name == "softsign":
        return [x / (1 + abs(x)), 1 / (1 + abs(x)) ** 2, -2 * mp.sign(x) / (1 + abs(x)) ** 3][order]
    if name == "hard_sigmoid":
        a, b = mp.mpf(p["slope"]), mp.mpf(p["offset"])
        y = a * x + b
        return [min(max(y, zero), one), step(0 < y < 1, a, zero), zero][order]
    if name == "hard_tanh":
        lo, hi = mp.mpf(p["min_val"]), mp.mpf(p["max_val"])
        return [min(max(x, lo), hi), step(lo < x < hi, one, zero), zero][order]
    if name == "hard_swish":
        if x <= -3:
            return zero
        if x >= 3:
            return [x, one, zero][order]
        return [x * (x + 3) / 6, (2 * x + 3) / 6, one / 3][order]
    if name == "squareplus":
        b = mp.mpf(p["b"])
        h = mp.sqrt(x * x + b)
        return [_squareplus(x, b), _squareplus_d(x, b), b / (2 * h**3)][order]
    if name == "tanh_shrink":
        return [_tanh_shrink(x), mp.tanh(x) ** 2, 2 * mp.tanh(x) * mp.sech(x) ** 2][order]
    if name == "soft_shrink":
        lam = mp.mpf(p["threshold"])
        if abs(x) <= lam:
            return zero
        return [x - mp.sign(x) * lam, one, zero][order]
    if name == "hard_shrink":
        lam = mp.mpf(p["threshold"])
        if abs(x) <= lam:
            return zero
        return [x, one, zero][order]
    if name == "exponential":
        return mp.exp(x)
    from tests import mpref_zoo  # the zoo entries (actviz/catalog/zoo.py)

    return mpref_zoo.value(name, params, x, order)
