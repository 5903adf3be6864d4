"""Kernels of the model-zoo and framework-completeness activations: f, f′, f″ in float64.

The same contract as ``smooth.py`` and ``piecewise.py``: float64 arrays in, new float64 arrays
out, no overflow warning for any float64 input, NaN propagates, ±inf gives the limit. At a kink
f′ is the catalog's default-preset value (named in each docstring); the catalog overrides it for
other presets. Erf-like pieces call the shared helpers in ``smooth.py`` by name.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from actviz.core import normal, sincos_table, stable, workspace
from actviz.core import piecewise as pw
from actviz.core import smooth as sm
from actviz.core.stable import HUGE

QUICK_GELU_BETA = 1.702  # x·σ(1.702x) (OpenAI CLIP, timm, HF, MLX gelu_fast_approx)
LN2 = math.log(2.0)


def _const(x: np.ndarray, value: float) -> np.ndarray:
    return stable.keep_nan(np.full_like(x, value), x)


# --- threshold / step -----------------------------------------------------------------------
def threshold(x: np.ndarray, threshold: float = 0.0, value: float = 0.0) -> np.ndarray:
    """threshold(x) = x if x > t else v (PyTorch ``Threshold``; f jumps at t unless v = t).

    max(x, t) is x above t and t elsewhere (NaN stays NaN); then the t's become v. In x's own
    dtype when t is a number of it (v need not be: copying it rounds it once, as the cast of the
    float64 result would).
    """
    x = pw.exact_dtype(x, threshold)
    out = np.maximum(x, threshold)  # max(−0, +0) = +0
    if value != threshold:
        np.copyto(out, value, where=out == threshold)
    if threshold == 0.0 and math.copysign(1.0, threshold) < 0:
        np.add(out, 0.0, out=out)  # t = −0: −0 → +0
    return out


def threshold_grad(x: np.ndarray, threshold: float = 0.0, value: float = 0.0) -> np.ndarray:
    """threshold′(x) = 1 if x > t else 0 (0 at t: every framework)."""
    x = pw.exact_dtype(x, threshold)
    return stable.keep_nan(np.greater(x, threshold).astype(x.dtype), x)


def zero_grad2(x: np.ndarray, **_params: float) -> np.ndarray:
    """f″(x) = 0 (piecewise-linear or piecewise-constant functions)."""
    return _const(x, 0.0)


def step(x: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """step(x) = 1 if x ≥ t else 0 (Heaviside; MLX ``step``)."""
    x = pw.exact_dtype(x, threshold)
    return stable.keep_nan(np.greater_equal(x, threshold).astype(x.dtype), x)


def step_grad(x: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """step′(x) = 0 (also at t: no surrogate gradient)."""
    return _const(x, 0.0)


# --- prelu / rrelu --------------------------------------------------------------------------
def prelu(x: np.ndarray, alpha: float = 0.25) -> np.ndarray:
    """prelu(x) = x if x ≥ 0 else a·x (a learned; one scalar here)."""
    return pw.leaky_relu(x, alpha)


def prelu_grad(x: np.ndarray, alpha: float = 0.25) -> np.ndarray:
    """prelu′(x) = 1 if x > 0 else a."""
    return pw.leaky_relu_grad(x, alpha)


def rrelu_slope(lower: float, upper: float) -> float:
    """RReLU's inference slope (lower + upper)/2."""
    return 0.5 * (lower + upper)


def rrelu(x: np.ndarray, lower: float = 0.125, upper: float = 1.0 / 3.0) -> np.ndarray:
    """rrelu(x) = x if x ≥ 0 else a·x with a = (lower + upper)/2 (evaluation mode)."""
    return pw.leaky_relu(x, rrelu_slope(lower, upper))


def rrelu_grad(x: np.ndarray, lower: float = 0.125, upper: float = 1.0 / 3.0) -> np.ndarray:
    """rrelu′(x) = 1 if x > 0 else (lower + upper)/2."""
    return pw.leaky_relu_grad(x, rrelu_slope(lower, upper))


# --- sparse_plus / sparse_sigmoid -----------------------------------------------------------
def sparse_plus(x: np.ndarray) -> np.ndarray:
    """sparse_plus(x) = 0 (x ≤ −1), (x + 1)²/4 (−1 < x < 1), x (x ≥ 1)."""
    c = np.clip(x, -1.0, 1.0)
    np.add(c, 1.0, out=c)
    np.multiply(c, c, out=c)
    np.multiply(c, 0.25, out=c)
    np.copyto(c, x, where=x >= 1.0)
    return c


def sparse_plus_grad(x: np.ndarray) -> np.ndarray:
    """sparse_plus′(x) = clip((x + 1)/2, 0, 1) = sparse_sigmoid(x)."""
    return sparse_sigmoid(x)


def sparse_plus_grad2(x: np.ndarray) -> np.ndarray:
    """sparse_plus″(x) = ½ if −1 < x < 1 else 0."""
    return pw.indicator(x, np.abs(x) < 1.0, 0.5)


def sparse_sigmoid(x: np.ndarray) -> np.ndarray:
    """sparse_sigmoid(x) = clip((x + 1)/2, 0, 1), as (clip(x, −1, 1) + 1)·½: one rounding (the
    sum; halving a value ≥ 2⁻²⁴ is exact), so float32 runs directly."""
    c = np.clip(x, -1.0, 1.0)
    np.add(c, 1.0, out=c)
    return np.multiply(c, 0.5, out=c)


def sparse_sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """sparse_sigmoid′(x) = ½ if −1 < x < 1 else 0 (Keras-TF: 0 at ±1)."""
    return sparse_plus_grad2(x)


# --- log1mexp -------------------------------------------------------------------------------
def log1mexp(x: np.ndarray) -> np.ndarray:
    """log1mexp(x) = log(1 − e^{−x}) for x > 0 (−∞ at 0, NaN for x < 0).

    Mächler's switch: log(−expm1(−x)) for x ≤ ln 2, log1p(−e^{−x}) above, each accurate where
    it is used.
    """
    out = np.full_like(x, np.nan)
    near = (x > 0) & (x <= LN2)
    far = x > LN2
    xn = x[near]
    out[near] = np.log(-np.expm1(-xn))
    out[far] = np.log1p(-np.exp(-x[far]))
    out[x == 0] = -np.inf
    return out


def _log1mexp_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(e^{−x}, −expm1(−x)) on the whole block; for x < 0 they may overflow (the callers set
    NaN there). 0 − expm1(−x) is +0 at x = ±0, so f′(0) = +∞."""
    with np.errstate(over="ignore"):
        m = np.negative(x)
        e = np.exp(m)
        np.expm1(m, out=m)
    np.subtract(0.0, m, out=m)
    return e, m


def log1mexp_grad(x: np.ndarray) -> np.ndarray:
    """log1mexp′(x) = 1/expm1(x) = e^{−x}/(1 − e^{−x}) (+∞ at 0, NaN for x < 0)."""
    e, m = _log1mexp_parts(x)
    # x = 0 and subnormal x: +inf; x < 0 (inf/inf possible): NaN below
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        np.divide(e, m, out=e)
    np.copyto(e, np.nan, where=x < 0)
    return e


def log1mexp_grad2(x: np.ndarray) -> np.ndarray:
    """log1mexp″(x) = −eˣ/expm1(x)² = −e^{−x}/(1 − e^{−x})² (−∞ at 0, NaN for x < 0)."""
    e, m = _log1mexp_parts(x)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        np.divide(e, m, out=e)
        np.negative(e, out=e)
        np.divide(e, m, out=e)
    np.copyto(e, np.nan, where=x < 0)
    return e


# --- relu2 / star_relu ----------------------------------------------------------------------
_BIG = 2.0**500
_DOWN, _UP = 2.0**-300, 2.0**600


def _scaled_square(r: np.ndarray, scale: float) -> np.ndarray:
    """scale·r² for r ≥ 0 (NaN allowed) in place of r, without a spurious overflow of r² when
    scale·r² is finite: the few abs(r) > 2⁵⁰⁰ are squared scaled by powers of two (exact)."""
    with np.errstate(over="ignore"):
        rb = None
        if scale != 1.0 and r.size and np.fmax.reduce(r, axis=None) > _BIG:  # fmax: NaN ignored
            big = r > _BIG
            rb = r[big] * _DOWN
        np.multiply(r, r, out=r)
        if scale != 1.0:
            np.multiply(r, scale, out=r)
            if rb is not None:
                r[big] = (scale * (rb * rb)) * _UP
    return r


def relu2(x: np.ndarray) -> np.ndarray:
    """relu2(x) = max(0, x)² (squared ReLU)."""
    return _scaled_square(np.maximum(x, 0.0, out=np.empty_like(x)), 1.0)


def relu2_grad(x: np.ndarray) -> np.ndarray:
    """relu2′(x) = 2·max(0, x)."""
    with np.errstate(over="ignore"):
        return 2.0 * np.maximum(x, 0.0)


def relu2_grad2(x: np.ndarray) -> np.ndarray:
    """relu2″(x) = 2 if x > 0 else 0."""
    return pw.indicator(x, x > 0, 2.0)


def star_relu(x: np.ndarray, scale: float = 1.0, bias: float = 0.0) -> np.ndarray:
    """star_relu(x) = s·max(0, x)² + b."""
    if scale == 0.0:
        return _const(x, bias)
    out = _scaled_square(np.maximum(x, 0.0, out=np.empty_like(x)), scale)
    if bias != 0.0:
        np.add(out, bias, out=out)
    return out


def star_relu_grad(x: np.ndarray, scale: float = 1.0, bias: float = 0.0) -> np.ndarray:
    """star_relu′(x) = 2s·max(0, x)."""
    out = np.maximum(x, 0.0, out=np.empty_like(x))
    with np.errstate(over="ignore"):
        np.multiply(out, 2.0 * scale, out=out)
    np.add(out, 0.0, out=out)  # −0 → +0 (s < 0)
    return out


def star_relu_grad2(x: np.ndarray, scale: float = 1.0, bias: float = 0.0) -> np.ndarray:
    """star_relu″(x) = 2s if x > 0 else 0."""
    return pw.indicator(x, x > 0, 2.0 * scale) + 0.0


# --- quick_gelu -----------------------------------------------------------------------------
def quick_gelu(x: np.ndarray) -> np.ndarray:
    """quick_gelu(x) = x·σ(1.702x) (silu with β = 1.702)."""
    return sm.silu(x, beta=QUICK_GELU_BETA)


def quick_gelu_grad(x: np.ndarray) -> np.ndarray:
    """quick_gelu′(x) = σ(kx) + kx·σ′(kx), k = 1.702."""
    return sm.silu_grad(x, beta=QUICK_GELU_BETA)


def quick_gelu_grad2(x: np.ndarray) -> np.ndarray:
    """quick_gelu″(x) = k·(2σ′(kx) + kx·σ″(kx))."""
    return sm.silu_grad2(x, beta=QUICK_GELU_BETA)


# --- hard_mish ------------------------------------------------------------------------------
def hard_mish(x: np.ndarray) -> np.ndarray:
    """hard_mish(x) = ½x·clip(x + 2, 0, 2): 0 (x ≤ −2), ½x(x + 2) (−2 < x < 0), x (x ≥ 0)."""
    c = np.clip(x, -2.0, 0.0)
    out = c + 2.0
    np.multiply(out, c, out=out)
    np.multiply(out, 0.5, out=out)
    np.add(out, 0.0, out=out)  # −2·0 = −0 → +0
    np.copyto(out, x, where=x >= 0)
    return out


def hard_mish_grad(x: np.ndarray) -> np.ndarray:
    """hard_mish′(x) = 0 (x < −2), x + 1 (−2 ≤ x < 0), 1 (x ≥ 0); −1 at −2 (timm's default
    memory-efficient backward)."""
    out = np.clip(x, -2.0, 0.0)
    np.add(out, 1.0, out=out)
    np.copyto(out, 0.0, where=x < -2.0)
    return out


def hard_mish_grad2(x: np.ndarray) -> np.ndarray:
    """hard_mish″(x) = 1 if −2 ≤ x < 0 else 0."""
    return pw.indicator(x, (x >= -2.0) & (x < 0))


# --- xielu ----------------------------------------------------------------------------------
_EXPM1_C = (1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0,
            1.0 / 362880.0)


def _fast_pair(h: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h + lo renormalised (abs(lo) ≤ abs(h) or h = 0): fl(h + lo) and the exact remainder."""
    s = h + lo
    return s, lo - (s - h)


def _expm1_minus_x_pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """expm1(x) − x = hi + lo to about 2⁻¹⁰⁰ relative, for −128 < x ≤ 0.

    x = 2ᵏ·r with abs(r) < 2⁻⁸ (k = 0 for abs(x) < 2⁻⁸): r²·(½ + r/6 + …) as a pair from a
    short Taylor series, then expm1(2t) = expm1(t)·(2 + expm1(t)) k times in pair arithmetic
    (for x < 0 it contracts relative errors), and finally − x.
    """
    _, e = np.frexp(x)
    k = np.maximum(e + 8, 0)
    r = np.ldexp(x, -k)
    qp = np.full_like(r, _EXPM1_C[-1])
    for c in _EXPM1_C[-2::-1]:
        qp = qp * r + c
    t, te = stable.two_product(r, qp)
    qh, qe = stable.two_sum(np.full_like(r, 0.5), t)
    ql = qe + te
    p, pe = stable.two_product(r, r)
    gh, ge = stable.two_product(p, qh)
    gh, gl = _fast_pair(gh, ge + (p * ql + pe * qh))
    big = k > 0
    if big.any():
        kb = k[big]
        mh, me = stable.two_sum(r[big], gh[big])
        mh, ml = _fast_pair(mh, me + gl[big])
        for j in range(1, int(kb.max()) + 1):
            sq, sqe = stable.two_product(mh, mh)
            nh, ne = stable.two_sum(2.0 * mh, sq)
            nh, nl = _fast_pair(nh, ne + (2.0 * ml + (sqe + 2.0 * mh * ml)))
            sel = kb >= j
            mh = np.where(sel, nh, mh)
            ml = np.where(sel, nl, ml)
        dh, de = stable.two_sum(mh, -x[big])
        gh[big], gl[big] = _fast_pair(dh, de + ml)
    return gh, gl


_EFT_MAX = 1e280  # below this abs(x), Dekker's split cannot overflow
_SPLITTER = 134217729.0  # 2²⁷ + 1


def _split_scalar(b: float) -> tuple[float, float]:
    """Veltkamp's split of a Python float: b = hi + lo, both 26 bits."""
    c = _SPLITTER * b
    hi = c - (c - b)
    return hi, b - hi


def _mul_exact(a: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Dekker's a·b = p + err exactly (abs(a) < 1e280), with b's split done once and every
    step in place: four temporaries instead of ``stable.two_product``'s dozen."""
    bh, bl = _split_scalar(b)
    p = a * b
    hi = a * _SPLITTER
    lo = hi - a
    np.subtract(hi, lo, out=hi)  # a's high half
    np.subtract(a, hi, out=lo)  # its low half
    err = hi * bh
    err -= p
    hi *= bl
    err += hi
    np.multiply(lo, bh, out=hi)
    err += hi
    lo *= bl
    err += lo
    return p, err


def _exact_difference(a: float, b: float) -> tuple[float, float]:
    """a − b as hi + lo exactly (Knuth's two_sum of a and −b)."""
    hi = a - b
    bb = hi - a
    return hi, (a - (hi - bb)) + (-b - bb)


def _two_sum_into(a: np.ndarray, b: np.ndarray, err: np.ndarray) -> np.ndarray:
    """a + b rounded, its rounding error added into ``err`` (Knuth's two_sum, in place: ``a``
    and ``b`` are used up)."""
    out = a + b
    bb = out - a
    b -= bb
    np.subtract(out, bb, out=bb)
    a -= bb
    a += b
    err += a
    return out


def _xielu_neg_long(xm: np.ndarray, cm: np.ndarray, alpha_n: float, beta: float) -> np.ndarray:
    """αn·(expm1(c) − x) + β·x in x87 long double (expm1l good to ~2⁻⁶³): rounded about once
    wherever the cancellation of αn·(expm1 − x) against β·x is below 2¹¹."""
    xl = xm.astype(np.longdouble)
    g = np.expm1(cm.astype(np.longdouble))
    g -= xl
    g *= alpha_n
    xl *= beta
    g += xl
    return g.astype(np.float64)


def _xielu_neg_pairs(xm: np.ndarray, cm: np.ndarray, alpha_n: float, beta: float) -> np.ndarray:
    """αn·g(c) + αn·(c − x) + β·x on −64 < x ≤ 0 (c = min(x, ε)) with g = expm1 − x as a pair
    (:func:`_expm1_minus_x_pair`, ~2⁻¹⁰⁰) and every product and sum error-free: rounded about
    once at any cancellation (the slow path, without long double)."""
    gh, gl = _expm1_minus_x_pair(cm)
    dh, de = stable.two_sum(cm, -xm)  # c − x: 0 for x ≤ ε
    p1, e1 = stable.two_product(gh, alpha_n)
    p2, e2 = stable.two_product(dh, alpha_n)
    p3, e3 = stable.two_product(xm, beta)
    s, es = stable.two_sum(p1, p3)
    s, es2 = stable.two_sum(s, p2)
    return s + ((es + es2) + ((e1 + e2 + e3) + alpha_n * (gl + de)))


@functools.lru_cache(maxsize=64)
def _xielu_at_zero(alpha_n: float, beta: float, eps: float) -> float:
    """What xielu's negative-branch arithmetic gives for x > 0 (subtracted again there)."""
    return float(_xielu_neg(np.ones(1), np.zeros(1), alpha_n, beta, eps)[0])


def _xielu_neg(x: np.ndarray, xn: np.ndarray, alpha_n: float, beta: float,
               eps: float) -> np.ndarray:
    """xielu's negative branch on xn = min(x, 0) (see :func:`xielu`); NaN through, no warning."""
    em = np.minimum(xn, eps)
    np.expm1(em, out=em)
    s_hi, s_lo = _exact_difference(beta, alpha_n)
    xe = xn  # below −1e280 the split overflows: those values are redone at the end
    with np.errstate(over="ignore", invalid="ignore"):
        p1, e1 = _mul_exact(em, alpha_n)
        p2, e2 = _mul_exact(xe, s_hi)
        out = _two_sum_into(p1, p2, e1)
        e1 += e2
        if s_lo:
            e2 = xe * s_lo
            e1 += e2
        out += e1
        # Redo where αn·abs(expm1) > 3.4·max(abs(f), abs(x·f′)), f′ = αn·expm1 + β, and near
        # a root of f (κ > 64), where the error may be large in ULP though within κ.
        np.multiply(em, alpha_n, out=e2)
        e2 += beta
        e2 *= xe
        np.abs(e2, out=e2)
        np.abs(out, out=e1)
        e1 *= 64.0
        redo = e2 > e1  # κ > 64
        e1 *= 1.0 / 64.0
        np.maximum(e2, e1, out=e2)
        np.abs(em, out=em)
        em *= alpha_n / 3.4
        redo |= em > e2
    redo |= xn > eps
    redo &= xn > -64.0
    redo &= x <= 0
    if redo.any():
        xm = xn[redo]
        exact = _xielu_neg_long if _EXTENDED else _xielu_neg_pairs
        out[redo] = exact(xm, np.minimum(xm, eps), alpha_n, beta)
    far = xn < -_EFT_MAX  # beyond, the products' errors do not matter
    if far.any():
        with np.errstate(over="ignore"):
            out[far] = (alpha_n * -1.0) + s_hi * xn[far] if s_hi else -alpha_n
    return out


def xielu(x: np.ndarray, alpha_p: float = 0.8, alpha_n: float = 0.8, beta: float = 0.5,
          eps: float = -1e-6) -> np.ndarray:
    """xielu(x) = αp·x² + β·x (x > 0); αn·(expm1(min(x, ε)) − x) + β·x (x ≤ 0).

    For x ≤ ε it is αn·expm1(x) + (β − αn)·x with both products and the sum error-free
    (β − αn carried as a pair): only libm's rounding of expm1 (≤ ½ ULP in glibc) reaches the
    result, at most αn·abs(expm1)·2⁻⁵³ absolute. Where that could pass 3.4·max(1, κ) ULP of f
    (αn·expm1 and (β − αn)·x cancel; κ = abs(x·f′/f)), where κ > 64 (near a root of f: there the
    error would be within the contract but large in ULP) and on (ε, 0], the value is recomputed
    in long double (:func:`_xielu_neg_long`; at the defaults about 2% of x ~ 3·N(0, 1)), or
    without an x87 long double by the pair arithmetic of :func:`_xielu_neg_pairs`. (Very near
    the root of f, κ > 2¹¹, long double's 2⁻⁶⁴ leaves about κ/2048 ULP: within the contract.)

    Both branches run on the whole block without a masked select: the negative one on
    min(x, 0) (its value at 0 subtracted where x > 0), the positive one on max(x, 0) (0 there
    for x ≤ 0), and the two added.
    """
    xn = np.minimum(x, 0.0)
    out = _xielu_neg(x, xn, alpha_n, beta, eps)
    pos = x > 0
    if pos.any():
        at0 = _xielu_at_zero(alpha_n, beta, eps)
        np.multiply(pos, at0, out=xn)
        out -= xn  # exactly 0 where x > 0, unchanged elsewhere
        np.maximum(x, 0.0, out=xn)
        with np.errstate(over="ignore", invalid="ignore"):
            q = xn * alpha_p
            q += beta
            q *= xn  # 0 for x ≤ 0
        out += q
    return out


def _xielu_grad_neg(x: np.ndarray, xn: np.ndarray, alpha_n: float, beta: float,
                    eps: float) -> np.ndarray:
    """xielu′ for x ≤ 0 on xn = min(x, 0), t = min(xn, ε): αn·v + w with (v, w) = (expm1(t), β)
    for x ≥ −ln 2 and (eᵗ, β − αn) below, where eᵗ is the smaller and better rounded of the two
    (expm1 ≈ −1 there: αn·expm1 + β would cancel to β − αn). Both chosen by multiplying with a
    0/1 mask (exact; no masked select); the product αn·v and the sum error-free, β − αn a pair,
    so only libm's rounding of v remains. On (ε, 0]: β − αn; at ε the mean of both sides."""
    t = np.minimum(xn, eps)
    em = np.expm1(t)
    np.exp(t, out=t)
    m = np.less(xn, -LN2).astype(np.float64)
    t *= m
    w = 1.0 - m
    em *= w
    t += em  # v
    s_hi, s_lo = _exact_difference(beta, alpha_n)
    p, ep = _mul_exact(t, alpha_n)
    w *= beta
    m *= s_hi
    w += m  # w's head: β or β − αn exactly as rounded
    out = _two_sum_into(p, w, ep)
    if s_lo:
        m *= s_lo / s_hi if s_hi else 0.0
        ep += m
    out += ep
    flat = (x > eps) & (x <= 0)
    if flat.any():
        out[flat] = beta - alpha_n
    at = x == eps
    if at.any():
        out[at] = 0.5 * ((alpha_n * math.expm1(eps) + beta) + (beta - alpha_n))
    return out


@functools.lru_cache(maxsize=64)
def _xielu_grad_at_zero(alpha_n: float, beta: float, eps: float) -> float:
    """What xielu′'s negative-branch arithmetic gives for x > 0 (subtracted again there)."""
    return float(_xielu_grad_neg(np.ones(1), np.zeros(1), alpha_n, beta, eps)[0])


def xielu_grad(x: np.ndarray, alpha_p: float = 0.8, alpha_n: float = 0.8, beta: float = 0.5,
               eps: float = -1e-6) -> np.ndarray:
    """xielu′(x) = 2αp·x + β (x > 0); αn·expm1(x) + β (x < ε); β − αn (ε ≤ x ≤ 0; at ε the
    mean of both sides, as PyTorch's min splits the tie).

    The negative branch (:func:`_xielu_grad_neg`) runs on min(x, 0), its value at 0 subtracted
    where x > 0, and 2αp·max(x, 0) + β·[x > 0] (0 for x ≤ 0) added: no masked select.
    """
    xn = np.minimum(x, 0.0)
    out = _xielu_grad_neg(x, xn, alpha_n, beta, eps)
    pos = x > 0
    if pos.any():
        mp = pos.astype(np.float64)
        np.multiply(mp, _xielu_grad_at_zero(alpha_n, beta, eps), out=xn)
        out -= xn  # exactly 0 where x > 0, unchanged elsewhere
        np.maximum(x, 0.0, out=xn)
        with np.errstate(over="ignore", invalid="ignore"):
            xn *= 2.0 * alpha_p
            mp *= beta
            xn += mp
        out += xn
    return out


def xielu_grad2(x: np.ndarray, alpha_p: float = 0.8, alpha_n: float = 0.8, beta: float = 0.5,
                eps: float = -1e-6) -> np.ndarray:
    """xielu″(x) = 2αp (x > 0); αn·eˣ (x ≤ ε); 0 (ε < x ≤ 0)."""
    out = np.exp(np.minimum(x, 0.0))
    np.multiply(out, alpha_n, out=out)
    np.copyto(out, 0.0, where=(x > eps) & (x <= 0))
    np.copyto(out, 2.0 * alpha_p, where=x > 0)
    return out


# --- snake / snake_beta ---------------------------------------------------------------------
def _periodic(x: np.ndarray, fn, at_inf: float | None) -> np.ndarray:
    """fn on the finite values; ±inf → ±inf (at_inf None) or NaN (no limit: it oscillates)."""
    fin = np.isfinite(x)
    if fin.all():
        return fn(x)
    out = np.where(np.isnan(x), np.nan, x if at_inf is None else np.nan)
    out[fin] = fn(x[fin])
    return out


def _phase(v: np.ndarray, k: float) -> np.ndarray:
    """k·v clipped to ±1e300: beyond, no float64 phase means anything (κ is astronomic there)."""
    return np.clip(v, -HUGE / k, HUGE / k) * k


_PHASE_EXACT = 1e290  # below, k·v is carried as a pair (two_product cannot overflow)
_PI_4_LO = 3.061616997868383e-17  # π/4 − fl(π/4)
# x87 extended (64-bit significand) or better: NumPy's sin on it is good to ~2⁻⁶³.
_EXTENDED = np.finfo(np.longdouble).nmant >= 63


def _phase_pair(v: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """k·v = hi + lo exactly (lo the product's rounding error) where abs(v), abs(k·v) < 1e290;
    lo = 0 beyond, where only the clipped phase is left (κ is astronomic there)."""
    hi = _phase(v, k)
    ok = (np.abs(v) < _PHASE_EXACT) & (np.abs(hi) < _PHASE_EXACT)
    _, lo = _mul_exact(np.where(ok, v, 0.0), k)  # abs(v·2²⁷) < 1.4e298: no overflow
    return hi, lo


_SMALL_PHASE = 2.0 ** 20  # below, the phase's rounding error lo is at most 2⁻³³


def _sin_pair(hi: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sin(hi + lo) = sin(hi) + [sin(hi)·(cos(lo) − 1) + cos(hi)·sin(lo)] as (head, tail).

    The phase's rounding error lo does not reach the sine: only libm's rounding remains. lo is
    at most ulp(hi)/2, which beyond 2⁵³ is a radian or more, hence the exact addition formula
    (cos(lo) − 1 = −2·sin²(lo/2)) rather than sin(hi) + cos(hi)·lo.
    """
    sh = np.sin(hi)
    if hi.size and np.abs(hi).max() < _SMALL_PHASE:
        # abs(lo) ≤ 2⁻³³: sin(lo) = lo and cos(lo) − 1 = 0 to 2⁻⁶⁶ of the tail, far below it.
        return sh, np.cos(hi) * lo
    h = np.sin(0.5 * lo)
    return sh, (-2.0 * sh) * (h * h) + np.cos(hi) * np.sin(lo)


def _sin_pair_one_libm(hi: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_sin_pair` with one libm call: below 2²⁰, cos(hi) in the tail cos(hi)·lo is
    ±sqrt(1 − sin²(hi)), the sign (−1)ᵐ, m = round(hi/π).

    The tail is at most 2⁻³³; sqrt(1 − s²) is off by about 2⁻⁵³/abs(cos), so the tail's error
    stays near 2⁻¹⁰⁶·abs(hi)/abs(cos) — far below the tolerance κ gives f′ = 1 + r·sin there
    (abs(x·f″) = r·abs(hi·cos)) down to abs(cos) ~ 1e−8; below, the tail is ~1e−8·lo. Where m
    is ambiguous, abs(cos(hi)) is a rounding error, and so is the tail whichever its sign."""
    if not hi.size or np.abs(hi).max() >= _SMALL_PHASE:
        return _sin_pair(hi, lo)
    sh = np.sin(hi)
    c = sh * sh
    np.subtract(1.0, c, out=c)
    np.maximum(c, 0.0, out=c)
    np.sqrt(c, out=c)
    m = hi * (1.0 / math.pi)
    np.rint(m, out=m)
    par = m * 0.5
    np.rint(par, out=par)
    par *= -2.0
    par += m  # m mod 2 ∈ {−1, 0, 1}
    np.abs(par, out=par)
    par *= -2.0
    par += 1.0  # (−1)ᵐ
    c *= par
    c *= lo
    return sh, c


def _div_pair(h: np.ndarray, lo: np.ndarray, d: float) -> tuple[np.ndarray, np.ndarray]:
    """(h + lo)/d as a pair: the quotient and its correction from the exact remainder."""
    q = h / d
    p, pe = _mul_exact(q, d)  # abs(q) < 1e280 in every use here
    return q, (((h - p) - pe) + lo) / d


def _snake_beta_pairs(v: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """snake_beta on finite v with the phase, sin², the division and the sum carried as pairs
    (error-free products and sums): only libm's sine rounding remains."""
    sh, sl = _sin_pair(*_phase_pair(v, alpha))
    q, qe = stable.two_product(sh, sh)
    qh, ql = _div_pair(q, qe + sl * (2.0 * sh + sl), beta)
    s, se = stable.two_sum(v, qh)
    return s + (se + ql)


def _snake_beta_exact(v: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """snake_beta on finite v to about ½ ULP: in pairs (:func:`_snake_beta_pairs`), and where x
    and sin²(αx)/β can cancel (abs(x) ≤ 2/β) in x87 extended precision when there is one.

    The cancellation amplifies even libm's ½-ulp sine (6.7× for α = 1.2, β = 1 at x ≈ −0.95);
    long double's 2⁻⁶⁴ leaves about 2⁻¹¹ of that.
    """
    near = np.abs(v) <= 2.0 / beta  # sin²/β ≤ 1/β: only there can x cancel against it
    if not (_EXTENDED and near.any()):
        return _snake_beta_pairs(v, alpha, beta)
    out = np.empty_like(v)
    far = ~near
    if far.any():
        out[far] = _snake_beta_pairs(v[far], alpha, beta)
    t = v[near].astype(np.longdouble)
    s = np.sin(t * np.longdouble(alpha))
    s *= s
    s /= np.longdouble(beta)
    s += t
    out[near] = s.astype(np.float64)
    return out


def _power_of_two(k: float) -> bool:
    """Whether k > 0 is a power of two: then k·x is exact (short of overflow, which the phase's
    clip keeps away, and of the subnormal range, far below anything the sine can show)."""
    return k > 0 and math.frexp(k)[0] == 0.5


# π/2 in three parts for the Cody–Waite reduction: the first two have 33 bits (k·P for abs(k) <
# 2²⁰ is exact), the third is the rest rounded (π/2 − P1 − P2 − P3 ≈ 1e−37).
_PIO2_1, _PIO2_2, _PIO2_3 = 1.5707963267341256, 6.077100506303966e-11, 2.0222662487959506e-21
_INV_2PI = 0.15915494309189535
_TROUGH_MAX = 2.0 ** 20  # below this abs(phase), the reduction's k·P1 and k·P2 are exact
# (1 − cos d − d²/2)/d⁴ = Σ (−1)ⁿ⁺¹ d²⁽ⁿ⁻²⁾/(2n)!, n = 2 … 9 (Taylor: the next term is below
# 2⁻⁵⁹ of d²/2 for abs(d) ≤ π/3); highest first, for Horner in z = d².
_VERSINE_TAIL = (1.5619206968586225e-16, -4.779477332387385e-14, 1.1470745597729725e-11,
                 -2.08767569878681e-09, 2.755731922398589e-07, -2.48015873015873e-05,
                 0.001388888888888889, -0.041666666666666664)


def _cody_waite(hi: np.ndarray, lo: np.ndarray | None, k: np.ndarray,
                sterbenz: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """hi + lo − k·π/2 as a pair (dh, dl), abs(dl) ≤ ulp(dh)/2, for whole numbers abs(k) < 2²⁰
    near (hi + lo)/(π/2): k·P1 and k·P2 are exact, their differences error-free sums; what is
    left is k·P3's rounding and π/2's truncation, about 2⁻¹²⁰·abs(k). ``sterbenz``: k is even
    and hi within π/2 of k·π/2, so hi − k·P1 is exact by itself (0 or within a factor 2)."""
    if sterbenz:
        t = k * -_PIO2_1
        t += hi
        dh, te = stable.two_sum(t, k * -_PIO2_2)
    else:
        t, te = stable.two_sum(hi, k * -_PIO2_1)
        dh, e2 = stable.two_sum(t, k * -_PIO2_2)
        te += e2
    te -= k * _PIO2_3
    if lo is not None:  # error-free too: lo may be far larger than d (phases near kπ/2)
        dh, e = stable.two_sum(dh, lo)
        te += e
    return stable.two_sum(dh, te)


@functools.cache
def _sincos_rows() -> tuple[np.ndarray, ...]:
    """sin(j/64) and cos(j/64) for j = −160 … 160 (index j + 160) from core/sincos_table.py:
    sin hi, sin lo, cos hi, cos lo, and cos hi's Veltkamp halves (for an exact product)."""
    t = np.array(sincos_table.ROWS)
    odd = [np.concatenate([-t[:0:-1, i], t[:, i]]) for i in (0, 1)]
    even = [np.concatenate([t[:0:-1, i], t[:, i]]) for i in (2, 3)]
    c = even[0] * _SPLITTER
    ch = c - (c - even[0])
    return (*odd, *even, ch, even[0] - ch)


_SIN_DD_MAX = 2.0 ** 20  # below this abs(phase), the reduction mod π is exact enough (k < 2²⁰)
_J_MID = len(sincos_table.ROWS) - 1  # table index of j = 0
_SIN_NO_REDUCTION = 2.45  # round(2.45·64) = 157 ≤ 160: in the table without a reduction


def _sin_mod_pi_pair(hi: np.ndarray, lo: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """sin(d) = ±sin(hi + lo) as (head, tail) to about 2⁻⁶⁶ relative (next to the zeros of
    large phases 2⁻¹⁰⁶ absolute: k·P3 rounds), d = hi + lo − nπ (enough for sin²), for
    abs(hi) < 2²⁰, without libm.

    d is hi + lo itself when every abs(hi) ≤ 2.45 (the table's reach; sin(d) ≥ 0.63 at its end,
    far from the zero at π where S + C·e would cancel), else reduced Cody–Waite style
    (:func:`_cody_waite`) to abs(d) ≤ π/2; then sin(j/64 + e) = S·cos e + C·sin e with the
    table's pairs S, C
    (core/sincos_table.py), abs(e) ≤ 1/128, cos e − 1 and sin e − e by Taylor to e⁸ and e⁹
    (the next terms are below 2⁻⁹⁰), C·e an exact product and S + C·e an error-free sum.
    """
    if hi.size and np.abs(hi).max() <= _SIN_NO_REDUCTION:
        dh, dl = hi, lo
    else:
        k = hi * (1.0 / math.pi)
        np.rint(k, out=k)
        k *= 2.0
        dh, dl = _cody_waite(hi, lo, k, sterbenz=True)
    j = dh * float(sincos_table.STEPS)
    np.rint(j, out=j)
    e = j * (-1.0 / sincos_table.STEPS)
    e += dh  # exact: both are multiples of ulp(dh), and abs(e) ≤ 1/128
    idx = j.astype(np.intp)
    idx += _J_MID
    s_hi, s_lo, c_hi, c_lo, c_h, c_l = (t.take(idx) for t in _sincos_rows())
    e2 = e * e
    cm1 = e2 * (1.0 / 40320.0)
    for coef in (-1.0 / 720.0, 1.0 / 24.0, -0.5):
        cm1 += coef
        cm1 *= e2  # cos e − 1
    sme = e2 * (1.0 / 362880.0)
    for coef in (-1.0 / 5040.0, 1.0 / 120.0, -1.0 / 6.0):
        sme += coef
        sme *= e2
    sme *= e  # sin e − e
    c = e * _SPLITTER
    eh = c - (c - e)
    el = e - eh
    p = c_hi * e
    pe = c_h * eh
    pe -= p
    np.multiply(c_h, el, out=c)
    pe += c
    np.multiply(c_l, eh, out=c)
    pe += c
    el *= c_l
    pe += el  # p + pe = C·e exactly
    head, se = stable.two_sum(s_hi, p)
    tail = s_hi * cm1
    c_lo *= e
    tail += c_lo
    sme *= c_hi
    tail += sme
    tail += s_lo
    tail += pe
    tail += se
    if dl is not None:  # dl·cos(e) · C − dl·sin(e) · S to first order
        e *= s_hi
        np.subtract(c_hi, e, out=e)
        e *= dl
        tail += e
    return _fast_pair(head, tail)


def _snake_beta_dd(v: np.ndarray, alpha: float, beta: float, exact: bool) -> np.ndarray:
    """snake_beta on finite v (abs(αv) < 2²⁰) to about ½ ULP: the phase as a pair (exact for α a
    power of two), the double-double sine (:func:`_sin_mod_pi_pair`), its exact square, the
    division with its remainder and the sum with x error-free. The cancellation of x against
    sin²(αx)/β amplifies what is left of the sine's error, 2⁻⁶⁶ or so, by q/abs(f)."""
    hi, lo = (_phase(v, alpha), None) if exact else _phase_pair(v, alpha)
    sh, sl = _sin_mod_pi_pair(hi, lo)
    q, qe = stable.two_square(sh)  # q + qe = sh² exactly
    sl *= 2.0 * sh
    qe += sl  # (sh + sl)², sl² being below 2⁻¹⁰⁰ of it
    if beta != 1.0:
        q, qe = _div_pair(q, qe, beta)
    s, se = stable.two_sum(v, q)
    se += qe
    s += se
    return s


_COS_SLACK = 3e-8  # sqrt(1 − s²) is abs(cos) to within 2·sqrt(2⁻⁵³·2) ≈ 2.1e−8


def snake_beta(x: np.ndarray, alpha: float = 1.0, beta: float = 1.0) -> np.ndarray:
    """snake_beta(x) = x + sin²(αx)/β.

    First the plain x + sin²(fl(αx))/β on the whole block. Its error is at most
    u·(abs(x)·2r·abs(sin·cos) + 6·q) + ½ ULP (u = 2⁻⁵³, r = α/β, q = sin²/β: the phase's rounding
    through f's slope r·sin 2αx, a 1-ULP sine squared and divided); where that passes
    3·u·max(abs(f), abs(x)·L), L = 1 − 2r·abs(sin)·abs(cos) ≤ abs(f′) (so within
    4·max(1, κ) ULP, κ = abs(x·f′/f)), the value is redone in double-double
    (:func:`_snake_beta_dd`; beyond abs(αx) = 2²⁰ with long double, :func:`_snake_beta_exact`).
    For α a power of two (1 included) the phase is exact, its term drops and the test is just
    2q ≤ abs(f) (never passing where the full one fails). Redone are the values where x and
    sin²(αx)/β cancel (−2/β ≲ x < 0) and for large r those near the roots of f′: at
    α = β = 1, about 22% of x ~ 3·N(0, 1), all in −2.2 < x < −0.3. abs(cos) is taken as
    sqrt(1 − sin²) (plus its rounding slack): one sine only.
    """
    r = alpha / beta
    exact = _power_of_two(alpha)

    def f(v: np.ndarray) -> np.ndarray:
        s = np.sin(v if alpha == 1.0 else _phase(v, alpha))  # beyond 1e300, x + q = x anyway
        q = s * s
        if beta != 1.0:
            q /= beta
        out = v + q
        if exact:
            q *= 2.0
            redo = np.flatnonzero(q > np.abs(out))
        else:
            redo = np.flatnonzero(_redo_bound(v, s, q, out, r))
        if redo.size:
            w = v[redo]
            near = np.abs(w) < _SIN_DD_MAX / alpha
            if near.all():
                out[redo] = _snake_beta_dd(w, alpha, beta, exact)
            else:
                out[redo[near]] = _snake_beta_dd(w[near], alpha, beta, exact)
                out[redo[~near]] = _snake_beta_exact(w[~near], alpha, beta)
        return out

    return _periodic(x, f, None)


def _redo_bound(v: np.ndarray, s: np.ndarray, q: np.ndarray, out: np.ndarray, r: float) -> np.ndarray:
    """Where the plain snake_beta's error bound u·(abs(x)·2r·abs(sin·cos) + 6q) exceeds
    3u·max(abs(f), abs(x)·L) (see :func:`snake_beta`); s and q are overwritten."""
    with np.errstate(over="ignore"):
        c = s * s
        np.subtract(1.0, c, out=c)
        np.maximum(c, 0.0, out=c)
        np.sqrt(c, out=c)
        c += _COS_SLACK
        np.abs(s, out=s)
        s *= c
        s *= 2.0 * r  # ≥ abs(r·sin 2αx)
        av = np.abs(v)
        err = av * s
        q *= 6.0
        err += q
        np.subtract(1.0, s, out=s)
        np.maximum(s, 0.0, out=s)
        s *= av  # ≤ abs(x·f′)
        np.abs(out, out=av)
        np.maximum(av, s, out=av)
        av *= 3.0
        return err > av


def _one_plus_sin_trough(hi: np.ndarray, lo: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """1 + sin(hi + lo) as (head, tail), for abs(hi) < 2²⁰ where sin(hi) < −½, without libm.

    1 + sin y = 1 − cos d with d = y + π/2 − 2πm (m = round(y/2π + ¼), so abs(d) < π/3),
    reduced Cody–Waite style (π/2 in three parts, error-free sums) to a pair dh + dl,
    abs(dl) ≤ ulp(dh)/2. Then 1 − cos d = d²/2 + d⁴·R(d²) (Taylor to d¹⁸) with d² an exact
    square, plus sin(dh)·dl: the relative error is a few 2⁻⁵⁶, also as d → 0, where 1 + sin
    cancels to nothing in double.
    """
    k = hi * _INV_2PI
    k += 0.25
    np.rint(k, out=k)
    k *= 4.0
    k -= 1.0  # y ≈ k·π/2 with sin(k·π/2) = −1
    dh, dl = _cody_waite(hi, lo, k)
    z, ze = stable.two_square(dh)  # z + ze = dh² exactly
    poly = np.full_like(z, _VERSINE_TAIL[0])
    for coef in _VERSINE_TAIL[1:]:
        poly *= z
        poly += coef
    poly *= z
    poly *= z  # d⁴·R(d²)
    ze *= 0.5
    poly += ze
    c = z * (-1.0 / 6.0)
    c += 1.0
    c *= dh
    c *= dl  # sin(dh)·dl to a relative 2⁻¹², itself below ulp(dh²)
    poly += c
    z *= 0.5
    return z, poly


def snake_beta_grad(x: np.ndarray, alpha: float = 1.0, beta: float = 1.0) -> np.ndarray:
    """snake_beta′(x) = 1 + r·sin(2αx), r = α/β (NaN at ±∞: no limit).

    The phase 2αx is exact for α a power of two (1 included), else formed as a pair
    (two_product) whose tail enters as cos(2αx)·lo (:func:`_sin_pair_one_libm`); r·sin as
    (α·sin)/β with an exact remainder, and 1 + that as an error-free sum (for α = β simply
    1 + sin, rounded once). In the trough
    of r ≈ 1 (sin 2αx < −½, 0.75 ≤ r ≤ 1.5; for snake with an exact phase sin 2αx < −¾: above,
    1 + sin is exact and libm's 1-ULP sine at most 2 ULP of f′), where 1 + sin cancels to a
    double zero, it is
    ((β − α) + α·(1 − cos d))/β, d the distance to the trough's bottom
    (:func:`_one_plus_sin_trough`: a polynomial, no libm call), in pairs.
    """
    r = alpha / beta
    exact = _power_of_two(2.0 * alpha)

    def f(v: np.ndarray) -> np.ndarray:
        if exact:  # no tail: lo = 0 and sin(hi + lo) = sin(hi)
            hi, lo = _phase(v, 2.0 * alpha), None
            sh = np.sin(hi)
        else:
            hi, lo = _phase_pair(v, 2.0 * alpha)
            sh, sl = _sin_pair_one_libm(hi, lo)
        if alpha == beta and lo is None:  # snake, exact phase: 1 + sin rounded once
            out = sh + 1.0
        else:
            if alpha == beta:  # snake: r = 1, nothing to scale
                qh, ql = sh, sl
            else:
                a, ae = _mul_exact(sh, alpha)
                qh, ql = _div_pair(a, ae if lo is None else ae + alpha * sl, beta)
            if r <= 1.0:  # abs(qh) ≤ 1: the fast two-sum is exact
                s, se = _fast_pair(np.ones_like(qh), qh)
            else:
                s, se = stable.two_sum(np.ones_like(qh), qh)
            out = s + (se + ql)
        if 0.75 <= r <= 1.5:
            # indices, not a boolean mask: indexing by a scattered mask costs 10× more
            if lo is None and alpha == beta:  # 1 + sin exact for sin ≤ −½: libm's 1 ULP is 2 of f′
                trough = np.flatnonzero(sh < -0.75)
            else:
                trough = np.flatnonzero((sh if lo is None else sh + sl) < -0.5)
            if trough.size:
                th = hi[trough]
                far = np.abs(th) >= _TROUGH_MAX
                if far.any():  # beyond the polynomial's reach: libm
                    out[trough[far]] = _trough_by_libm(v[trough[far]], alpha, r)
                    trough = trough[~far]
                    th = th[~far]
                tl = None if lo is None else lo[trough]
                wh, wl = _one_plus_sin_trough(th, tl)
                if alpha == beta:
                    wh += wl
                    out[trough] = wh
                else:  # ((β − α) + α·w)/β: no rounded r, β − α exact (Sterbenz)
                    p, pe = _mul_exact(wh, alpha)
                    pe += alpha * wl
                    p, e = stable.two_sum(np.full_like(p, beta - alpha), p)
                    e += pe
                    p, e = _div_pair(p, e, beta)
                    p += e
                    out[trough] = p
        return out

    return _periodic(x, f, math.nan)


def _trough_by_libm(v: np.ndarray, alpha: float, r: float) -> np.ndarray:
    """(1 − r) + 2r·sin²(αv + π/4) with the phase as a pair and libm's sine (any phase: the
    trough's polynomial needs abs(2αv) < 2²⁰)."""
    th, tl = _phase_pair(v, alpha)
    uh, ue = stable.two_sum(th, np.full_like(th, math.pi / 4.0))
    wh, wl = _sin_pair(uh, ue + (tl + _PI_4_LO))
    w, we = stable.two_product(wh, wh)
    w2 = 2.0 * r * w + (2.0 * r * (we + wl * (2.0 * wh + wl)))
    return w2 + (1.0 - r) if r != 1.0 else w2


def snake_beta_grad2(x: np.ndarray, alpha: float = 1.0, beta: float = 1.0) -> np.ndarray:
    """snake_beta″(x) = (2α²/β)·cos(2αx) (NaN at ±∞)."""
    return _periodic(x, lambda v: (2.0 * alpha * alpha / beta) * np.cos(_phase(v, 2.0 * alpha)),
                     math.nan)


def snake(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """snake(x) = x + sin²(αx)/α."""
    return snake_beta(x, alpha, alpha)


def snake_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """snake′(x) = 1 + sin(2αx)."""
    return snake_beta_grad(x, alpha, alpha)


def snake_grad2(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """snake″(x) = 2α·cos(2αx)."""
    return snake_beta_grad2(x, alpha, alpha)


# --- softcap --------------------------------------------------------------------------------
_TANH_IS_ID = 1e-9  # below this abs(u), tanh(u) = u and sech²(u) = 1 in float64


def softcap(x: np.ndarray, cap: float = 30.0) -> np.ndarray:
    """softcap(x) = c·tanh(x/c); x itself where x/c is tiny (no subnormal rounding of x/c)."""
    out = np.tanh(x / cap)
    np.multiply(out, cap, out=out)
    tiny = np.abs(x) < _TANH_IS_ID * cap
    np.copyto(out, x, where=tiny)
    return out


def softcap_grad(x: np.ndarray, cap: float = 30.0) -> np.ndarray:
    """softcap′(x) = sech²(x/c)."""
    return stable.sech2(x / cap)


def softcap_grad2(x: np.ndarray, cap: float = 30.0) -> np.ndarray:
    """softcap″(x) = −(2/c)·tanh(x/c)·sech²(x/c); −2x/c² where x/c is tiny."""
    u = x / cap
    out = (-2.0 / cap) * np.tanh(u) * stable.sech2(u)
    tiny = np.abs(x) < _TANH_IS_ID * cap
    if tiny.any():
        out[tiny] = (-2.0 * x[tiny]) / (cap * cap)
    return out


# --- clipped_gelu ---------------------------------------------------------------------------
_GELU_MIN = -0.16997120747990212  # gelu's minimum (at x = −0.7518): a lower clip below never binds


def clipped_gelu(x: np.ndarray, min_val: float = -10.0, max_val: float = 10.0) -> np.ndarray:
    """clipped_gelu(x) = clip(gelu(x), min, max) (min below gelu's minimum never binds)."""
    out = sm.gelu(x)
    if min_val > _GELU_MIN:
        return np.clip(out, min_val, max_val, out=out)
    return np.minimum(out, max_val, out=out)


def clipped_gelu_grad(x: np.ndarray, min_val: float = -10.0, max_val: float = 10.0) -> np.ndarray:
    """clipped_gelu′(x) = gelu′(x) for x < max, 0 for x ≥ max (gelu(max) = max in float64 for
    max ≥ 9; PyTorch's clamp gives 0 at the bound). The 0 by a product with the 0/1 mask x < max
    (gelu′ > 0 there, so +0; NaN stays NaN), not a masked select."""
    out = sm.gelu_grad(x)
    return np.multiply(out, x < max_val, out=out)


def clipped_gelu_grad2(x: np.ndarray, min_val: float = -10.0, max_val: float = 10.0) -> np.ndarray:
    """clipped_gelu″(x) = gelu″(x) for x < max, 0 beyond."""
    out = sm.gelu_grad2(x)
    np.copyto(out, 0.0, where=x >= max_val)
    return out


# --- laplace --------------------------------------------------------------------------------
LAPLACE_MU = 0.707107  # HF LaplaceActivation's literals (≈ 1/√2 and 1/(2√π))
LAPLACE_SIGMA = 0.282095


def _laplace_z(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.clip((x - mu) / sigma, -HUGE, HUGE)


def _phi(z: np.ndarray) -> np.ndarray:
    """The standard normal density φ(z) = e^{−z²/2}/√(2π)."""
    return stable.exp_neg_half_square(z) * _INV_SQRT_2PI


_INV_SQRT_2PI = 0.3989422804014327  # 1/√(2π), correctly rounded


@functools.lru_cache(maxsize=64)
def _laplace_f_consts(mu: float, sigma: float) -> tuple[float, float, float, float]:
    """x's clip range μ ± 64σ (Φ is 0 or 1 in float64 well inside it) and σ = σh + σl split."""
    return (mu - 64.0 * sigma, mu + 64.0 * sigma, *_split_scalar(sigma))


def laplace(x: np.ndarray, mu: float = LAPLACE_MU, sigma: float = LAPLACE_SIGMA) -> np.ndarray:
    """laplace(x) = ½(1 + erf((x − μ)/(σ√2))) = Φ((x − μ)/σ).

    z = (x − μ)/σ is carried as hi + lo (Φ's condition number reaches 7 at z ≈ −2.5, where x ≈ 0
    and the contract allows 4 ULP): x − μ = d + ed by Knuth's two-sum, hi = d/σ, hi·σ = p + err by
    Dekker's product with σ split once, lo = ((d − p) − err + ed)/σ; then Φ(hi + lo) by
    :func:`actviz.core.normal.ndtr_pair`. x is first clipped to μ ± 64σ, so every step stays
    finite; NaN stays NaN. Every step is in place on scratch rows.
    """
    lo_x, hi_x, s_hi, s_lo = _laplace_f_consts(mu, sigma)
    xf = np.asarray(x, dtype=np.float64).reshape(-1)
    xc, d, ed, p, hh, hl, err = workspace.rows("zoo.laplace", 7, xf.size)
    np.maximum(xf, lo_x, out=xc)
    np.minimum(xc, hi_x, out=xc)
    np.subtract(xc, mu, out=d)  # two-sum: d + ed = xc − μ exactly
    np.subtract(d, xc, out=p)  # the part of −μ that landed in d
    np.subtract(d, p, out=ed)
    np.subtract(xc, ed, out=ed)  # xc − (d − that)
    np.add(p, mu, out=p)
    np.subtract(ed, p, out=ed)  # + (−μ − that)
    hi = np.divide(d, sigma, out=xc)
    np.multiply(hi, sigma, out=p)  # Dekker: hi·σ = p + err
    np.multiply(hi, _SPLITTER, out=hh)
    np.subtract(hh, hi, out=hl)
    np.subtract(hh, hl, out=hh)  # hi's upper 26 bits
    np.subtract(hi, hh, out=hl)
    np.multiply(hh, s_hi, out=err)
    np.subtract(err, p, out=err)
    np.multiply(hh, s_lo, out=hh)
    np.add(err, hh, out=err)
    np.multiply(hl, s_hi, out=hh)
    np.add(err, hh, out=err)
    np.multiply(hl, s_lo, out=hl)
    np.add(err, hl, out=err)
    np.subtract(d, p, out=d)  # exact (Sterbenz)
    np.subtract(d, err, out=d)
    np.add(d, ed, out=d)
    lo = np.divide(d, sigma, out=d)
    return normal.ndtr_pair(hi, lo).reshape(np.shape(x))


_INV_SQRT_2PI_LO = -2.49232720227773e-17  # 1/√(2π) − _INV_SQRT_2PI


@functools.lru_cache(maxsize=64)
def _laplace_grad_consts(mu: float, sigma: float) -> tuple[float, ...]:
    """Constants of :func:`laplace_grad` for (μ, σ): the clip bound D = 40σ, the rounding
    step 2⁻ᵏ (k the largest with (abs(μ) + D + 2)·2ᵏ < 2¹² — so x rounded to it, and the
    difference of two such, have at most 13 bits), μ = μh + μl (μh a multiple of 2⁻ᵏ), c = 1/(2σ²)
    as a 26-bit head and the (exact rational) rest, and K = 1/(σ√(2π)) correctly rounded."""
    from fractions import Fraction  # exact constants; only here

    bound = 40.0 * sigma
    k = math.floor(math.log2(4096.0 / (abs(mu) + bound + 2.0)))
    step = 2.0 ** -k
    mu_hi = round(mu / step) * step
    c = Fraction(1) / (2 * Fraction(sigma) ** 2)
    c_head, _ = _split_scalar(float(c))
    c_rest = float(c - Fraction(c_head))
    k_norm = float((Fraction(_INV_SQRT_2PI) + Fraction(_INV_SQRT_2PI_LO)) / Fraction(sigma))
    return bound, 1.5 * 2.0 ** (52 - k), mu_hi, mu - mu_hi, c_head, c_rest, float(c), k_norm


def laplace_grad(x: np.ndarray, mu: float = LAPLACE_MU, sigma: float = LAPLACE_SIGMA) -> np.ndarray:
    """laplace′(x) = φ((x − μ)/σ)/σ = K·e^{−c·(x − μ)²}, c = 1/(2σ²), K = 1/(σ√(2π)).

    x − μ = dh + dl exactly to ~2⁻⁶⁰: dh = xh − μh with x and μ rounded to a multiple 2⁻ᵏ
    (dh has ≤ 13 bits, so dh² has ≤ 26 and c's 26-bit head times dh² is exact), dl =
    (x − xh) − μl. Then e^{−c·d²} = e^{−ch·dh²}·e^{−(cr·dh² + c·dl·(2dh + dl))}: two exps of
    exact or tiny-error arguments, no rounding of the square reaches the result (Φ′ is
    ill-conditioned only where κ is). x beyond μ ± 40σ is clipped (e^{−800} = 0).
    """
    bound, rnd, mu_hi, mu_lo, c_head, c_rest, c, k_norm = _laplace_grad_consts(mu, sigma)
    xc = np.clip(x, mu - bound, mu + bound)
    dh = xc + rnd
    dh -= rnd  # x rounded to a multiple of 2⁻ᵏ
    xc -= dh  # x − xh, exact
    xc -= mu_lo  # dl
    dh -= mu_hi  # exact
    sq = dh * dh  # exact
    e1 = sq * -c_head
    np.exp(e1, out=e1)
    sq *= -c_rest
    dh *= 2.0
    dh += xc
    dh *= xc
    dh *= -c
    dh += sq  # −(cr·dh² + c·dl·(2dh + dl))
    np.exp(dh, out=dh)
    e1 *= dh
    e1 *= k_norm
    return e1


def laplace_grad2(x: np.ndarray, mu: float = LAPLACE_MU, sigma: float = LAPLACE_SIGMA) -> np.ndarray:
    """laplace″(x) = −z·φ(z)/σ², z = (x − μ)/σ."""
    z = np.clip(_laplace_z(x, mu, sigma), -100.0, 100.0)  # φ(z) = 0 beyond
    out = (-z * _phi(z)) / (sigma * sigma)
    far = np.abs(z) > 36.0  # φ(z) near the subnormal range: one exp of the log instead
    if far.any():
        zf = z[far]
        log_c = math.log(1.0 / (sigma * sigma * math.sqrt(2.0 * math.pi)))
        out[far] = -np.sign(zf) * np.exp(np.log(np.abs(zf)) + log_c - 0.5 * zf * zf)
    return out


# --- sqrt_softplus --------------------------------------------------------------------------
_SP_TAIL = -40.0  # below this softplus(x) = eˣ(1 − eˣ/2 …) is eˣ to float64 precision


def sqrt_softplus(x: np.ndarray) -> np.ndarray:
    """sqrt_softplus(x) = √softplus(x); e^{x/2} in the far left tail (where softplus underflows)."""
    out = np.sqrt(stable.softplus(x))
    tail = x < _SP_TAIL
    if tail.any():
        out[tail] = np.exp(0.5 * x[tail])
    return out


def _sqrt_sp_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = np.sqrt(stable.softplus(x))
    return s, stable.sigmoid(x) / (2.0 * s)


def sqrt_softplus_grad(x: np.ndarray) -> np.ndarray:
    """sqrt_softplus′(x) = σ(x)/(2√softplus(x)); e^{x/2}/2 in the far left tail."""
    xc = np.maximum(x, _SP_TAIL)
    _, out = _sqrt_sp_parts(xc)
    tail = x < _SP_TAIL
    if tail.any():
        out[tail] = 0.5 * np.exp(0.5 * x[tail])
    return out


def sqrt_softplus_grad2(x: np.ndarray) -> np.ndarray:
    """sqrt_softplus″(x) = (σ′(x)/2 − f′(x)²)/√softplus(x); e^{x/2}/4 in the far left tail."""
    xc = np.maximum(x, _SP_TAIL)
    s, d = _sqrt_sp_parts(xc)
    out = (0.5 * stable.sigmoid_prime(xc) - d * d) / s
    tail = x < _SP_TAIL
    if tail.any():
        out[tail] = 0.25 * np.exp(0.5 * x[tail])
    return out


# --- tanhexp --------------------------------------------------------------------------------
_TE_CAP = 40.0  # tanh(e^40) = 1 and e^40·sech²(e^40) = 0 in float64


def tanhexp(x: np.ndarray) -> np.ndarray:
    """tanhexp(x) = x·tanh(eˣ)."""
    t = np.exp(np.minimum(x, _TE_CAP))
    np.tanh(t, out=t)
    return np.multiply(np.maximum(x, -HUGE), t, out=t)


def _te_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, tanh(e), e·sech²(e)) with e = e^{min(x, 40)}, x floored at −HUGE."""
    e = np.exp(np.minimum(x, _TE_CAP))
    return np.clip(x, -HUGE, HUGE), np.tanh(e), e * stable.sech2(e)


def tanhexp_grad(x: np.ndarray) -> np.ndarray:
    """tanhexp′(x) = tanh(eˣ) + x·eˣ·sech²(eˣ).

    For x < 0 (e = eˣ < 1) as e·((1 + x) + (tanh(e) − e)/e − x·tanh²(e)) (sech² = 1 − tanh²):
    the common factor e is pulled out and only the intrinsic 1 + x cancels.
    """
    xc, t, g = _te_parts(x)
    out = t + xc * g
    neg = x < 0
    if neg.any():
        xn = xc[neg]
        e = np.exp(xn)
        tn = t[neg]
        with np.errstate(under="ignore"):
            inner = (1.0 + xn) + (tn - e) / np.maximum(e, 1e-300) - xn * (tn * tn)
        out[neg] = e * inner
    return out


def tanhexp_grad2(x: np.ndarray) -> np.ndarray:
    """tanhexp″(x) = eˣ·sech²(eˣ)·(2 + x − 2x·eˣ·tanh(eˣ)) (0 beyond x = 40, where it underflows)."""
    xc, t, g = _te_parts(np.minimum(x, _TE_CAP))
    e = np.exp(np.minimum(x, _TE_CAP))
    out = g * ((2.0 + xc) - 2.0 * xc * e * t)
    far = (x > 5.0) & (x <= _TE_CAP)  # sech²(eˣ) nears the subnormal range: one exp of the log
    if far.any():
        xf, ef = xc[far], e[far]  # tanh(eˣ) = 1 and sech²(eˣ) = 4e^{−2eˣ} to float64 precision
        out[far] = -np.exp(np.log(2.0 * xf * ef - 2.0 - xf) + xf + math.log(4.0) - 2.0 * ef)
    np.copyto(out, 0.0, where=x > _TE_CAP)
    return out
