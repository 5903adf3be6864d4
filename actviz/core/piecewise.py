"""Piecewise activations (kinks, clips, exponential left branches): f, f′, f″ in float64.

Conventions at a kink: these kernels return the TensorFlow value of f′ there (the catalog's
default framework); the catalog overrides it for other frameworks. f″ at a kink is the value
of the branch that f′ uses. Branches are written so NaN falls through to a branch that
carries x, and exponentials only ever see non-positive arguments (expm1 for accuracy near 0⁻).
"""

from __future__ import annotations

import numpy as np

from actviz.core import stable

SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA_ALPHA = 1.7580993408473768599402175208123  # λ·α, correctly rounded


def _const(x: np.ndarray, cond: np.ndarray, yes: float, no: float) -> np.ndarray:
    """Piecewise-constant result: ``yes`` where cond, else ``no``; NaN where x is NaN."""
    return stable.keep_nan(np.where(cond, yes, no), x)


def exact_dtype(x: np.ndarray, *values: float) -> np.ndarray:
    """x itself when every value is a number of x's dtype (then comparing, clipping, selecting
    and a single addition or subtraction in that dtype give the float64 results rounded once:
    float32 runs directly, see ``core/exact.py``), else x in float64."""
    if x.dtype == np.float64 or all(float(x.dtype.type(v)) == v for v in values):
        return x
    return x.astype(np.float64)


def indicator(x: np.ndarray, cond: np.ndarray, value: float = 1.0) -> np.ndarray:
    """``value`` where cond, else 0, in x's dtype; NaN where x is NaN (cheaper than np.where)."""
    out = cond.astype(x.dtype)
    if value != 1.0:
        np.multiply(out, value, out=out)  # 1·v and 0·v: exact
    return stable.keep_nan(out, x)


def _zeros(x: np.ndarray) -> np.ndarray:
    return stable.keep_nan(np.zeros_like(x), x)


# --- relu -----------------------------------------------------------------------------------
_NO_MAX = np.inf


def _relu_plain(negative_slope: float, max_value: float, threshold: float) -> bool:
    return negative_slope == 0.0 and max_value == _NO_MAX and threshold == 0.0


def relu(x: np.ndarray, negative_slope: float = 0.0, max_value: float = _NO_MAX,
         threshold: float = 0.0) -> np.ndarray:
    """relu(x) = max(0, x); with Keras's parameters (slope s, max m, threshold t):
    min(x, m) if x > t, else s·(x − t) (f jumps by t at x = t when t ≠ 0).

    The plain case is one np.maximum (exact in float32 too); with parameters the work is done
    in float64 (so float32 input is rounded once, at the end, by the catalog).
    """
    if _relu_plain(negative_slope, max_value, threshold):
        return np.maximum(x, 0.0)
    xd = x.astype(np.float64, copy=False)
    with np.errstate(over="ignore"):  # s·(x − t) beyond float64's range is ±inf
        below = (xd - threshold) * negative_slope if negative_slope else np.zeros_like(xd)
    out = np.minimum(xd, max_value)
    np.copyto(out, below, where=~(xd > threshold))
    np.copyto(out, xd, where=np.isnan(xd))
    return out + 0.0  # −0 → +0


def relu_grad(x: np.ndarray, negative_slope: float = 0.0, max_value: float = _NO_MAX,
              threshold: float = 0.0) -> np.ndarray:
    """relu′(x) = 1 if x > 0 else 0; with parameters 1 on (t, m), 0 above m, s below t (at t
    and at m the TensorFlow-backend values s and 1)."""
    if _relu_plain(negative_slope, max_value, threshold):
        return indicator(x, x > 0)
    xd = x.astype(np.float64, copy=False)
    out = np.where(xd > threshold, np.where(xd > max_value, 0.0, 1.0), negative_slope)
    return stable.keep_nan(out, xd)


def relu_grad2(x: np.ndarray, negative_slope: float = 0.0, max_value: float = _NO_MAX,
               threshold: float = 0.0) -> np.ndarray:
    """relu″(x) = 0."""
    return _zeros(x)


# --- relu6 ----------------------------------------------------------------------------------
def relu6(x: np.ndarray) -> np.ndarray:
    """relu6(x) = min(max(0, x), 6)."""
    return np.clip(x, 0.0, 6.0)


def relu6_grad(x: np.ndarray) -> np.ndarray:
    """relu6′(x) = 1 if 0 < x < 6 else 0."""
    return indicator(x, (x > 0) & (x < 6.0))


def relu6_grad2(x: np.ndarray) -> np.ndarray:
    """relu6″(x) = 0."""
    return _zeros(x)


# --- leaky_relu -----------------------------------------------------------------------------
def leaky_relu(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """leaky_relu(x) = x if x ≥ 0 else α·x.

    For α ≤ 1 (negative α too) that is max(x, αx), for α > 1 min(x, αx): two passes, no mask.
    α·x is evaluated in
    float64 and rounded once into x's dtype (rounding is monotonic, so the max/min of x and the
    rounded α·x is the float64 result rounded). For α = 0, x is clipped to finite first, since
    0·(−∞) is NaN.
    """
    scaled = x
    if alpha == 0.0:
        info = np.finfo(x.dtype)
        scaled = np.clip(x, info.min, info.max)
    out = np.empty_like(x)
    with np.errstate(over="ignore"):  # α·x beyond the dtype's range is ±inf, correctly rounded
        np.multiply(scaled, alpha, out=out, dtype=np.float64, casting="same_kind")
    return np.maximum(x, out, out=out) if alpha <= 1.0 else np.minimum(x, out, out=out)


def leaky_relu_grad(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """leaky_relu′(x) = 1 if x > 0 else α (for 0 ≤ α ≤ 1: max(1 or 0, α), cheaper than np.where)."""
    if 0.0 <= alpha <= 1.0:
        out = (x > 0).astype(x.dtype)
        np.maximum(out, alpha, out=out)
        return stable.keep_nan(out, x)
    return _const(x, x > 0, 1.0, alpha)


def leaky_relu_grad2(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """leaky_relu″(x) = 0."""
    return _zeros(x)


# --- elu / selu / celu ----------------------------------------------------------------------
def _exp_branch(x: np.ndarray, scale: float, positive: float | None, m1: bool, stretch: float = 1.0,
                lam: float = 1.0) -> np.ndarray:
    """``scale·(e^{min(x, 0)/stretch} − 1)`` (m1) or ``scale·e^{min(x, 0)/stretch}`` for x ≤ 0,
    and for x > 0 ``positive``, or ``lam·x`` when positive is None; NaN stays NaN.

    One array worked in place: min(x, 0) keeps the exponential's argument non-positive.
    """
    out = np.minimum(x, 0.0)
    if stretch != 1.0:
        with np.errstate(over="ignore"):  # min(x, 0)/α → −inf is the right limit: e^{−inf} = 0
            np.divide(out, stretch, out=out)
    (np.expm1 if m1 else np.exp)(out, out=out)
    if scale != 1.0:
        np.multiply(out, scale, out=out)
    pos = x > 0
    if positive is not None:
        np.copyto(out, positive, where=pos)
    elif lam == 1.0:
        np.copyto(out, x, where=pos)
    else:
        with np.errstate(over="ignore"):  # λ·x beyond 1.7e308 is +inf, correctly rounded
            np.multiply(x, lam, out=out, where=pos)
    return out


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """elu(x) = x if x > 0 else α·(eˣ − 1)."""
    return _exp_branch(x, alpha, None, m1=True)


def elu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """elu′(x) = 1 if x > 0 else α·eˣ."""
    return _exp_branch(x, alpha, 1.0, m1=False)


def elu_grad2(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """elu″(x) = 0 if x > 0 else α·eˣ."""
    return _exp_branch(x, alpha, 0.0, m1=False)


def selu(x: np.ndarray) -> np.ndarray:
    """selu(x) = λ·x if x > 0 else λα·(eˣ − 1), λ ≈ 1.0507, α ≈ 1.6733."""
    return _exp_branch(x, SELU_LAMBDA_ALPHA, None, m1=True, lam=SELU_LAMBDA)


def selu_grad(x: np.ndarray) -> np.ndarray:
    """selu′(x) = λ if x > 0 else λα·eˣ."""
    return _exp_branch(x, SELU_LAMBDA_ALPHA, SELU_LAMBDA, m1=False)


def selu_grad2(x: np.ndarray) -> np.ndarray:
    """selu″(x) = 0 if x > 0 else λα·eˣ."""
    return _exp_branch(x, SELU_LAMBDA_ALPHA, 0.0, m1=False)


def celu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """celu(x) = max(0, x) + min(0, α·(e^{x/α} − 1))."""
    return _exp_branch(x, alpha, None, m1=True, stretch=alpha)


def celu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """celu′(x) = 1 if x > 0 else e^{x/α}."""
    return _exp_branch(x, 1.0, 1.0, m1=False, stretch=alpha)


def celu_grad2(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """celu″(x) = 0 if x > 0 else e^{x/α}/α."""
    out = _exp_branch(x, 1.0, 0.0, m1=False, stretch=alpha)
    if alpha != 1.0:
        np.divide(out, alpha, out=out)
    return out


# --- hard_sigmoid / hard_tanh / hard_swish --------------------------------------------------
SIXTH = 1.0 / 6.0


def hard_sigmoid_knees(slope: float, offset: float) -> tuple[float, float]:
    """Where slope·x + offset reaches 0 and 1."""
    return -offset / slope, (1.0 - offset) / slope


def hard_sigmoid(x: np.ndarray, slope: float = SIXTH, offset: float = 0.5) -> np.ndarray:
    """hard_sigmoid(x) = clip(slope·x + offset, 0, 1): relu6(x + 3)/6 = clip((x + 3)/6, 0, 1) by
    default (Keras 3, PyTorch, JAX); slope 0.2 for Keras 2 and ONNX."""
    if slope == SIXTH and offset == 0.5:
        out = np.add(x, 3.0)
        np.divide(out, 6.0, out=out)
    else:
        with np.errstate(over="ignore"):
            out = np.multiply(x, slope)
        np.add(out, offset, out=out)
    return np.clip(out, 0.0, 1.0, out=out)


def hard_sigmoid_grad(x: np.ndarray, slope: float = SIXTH, offset: float = 0.5) -> np.ndarray:
    """hard_sigmoid′(x) = slope between the knees (±3 by default), else 0."""
    if slope == SIXTH and offset == 0.5:
        return indicator(x, np.abs(x) < 3.0, SIXTH)
    lo, hi = hard_sigmoid_knees(slope, offset)
    xd = x.astype(np.float64, copy=False)
    out = ((xd > lo) & (xd < hi)).astype(np.float64)
    np.multiply(out, slope, out=out)
    return stable.keep_nan(out, xd)


def hard_sigmoid_grad2(x: np.ndarray, slope: float = SIXTH, offset: float = 0.5) -> np.ndarray:
    """hard_sigmoid″(x) = 0."""
    return _zeros(x)


def hard_tanh(x: np.ndarray, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """hard_tanh(x) = clip(x, min, max) (±1 by default; PyTorch and MLX take the bounds)."""
    return np.clip(x, min_val, max_val)


def hard_tanh_grad(x: np.ndarray, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """hard_tanh′(x) = 1 if min ≤ x ≤ max else 0 (TensorFlow's clip passes the gradient at the
    bounds)."""
    if min_val == -1.0 and max_val == 1.0:
        return indicator(x, np.abs(x) <= 1.0)
    xd = x.astype(np.float64, copy=False)
    return indicator(xd, (xd >= min_val) & (xd <= max_val))


def hard_tanh_grad2(x: np.ndarray, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """hard_tanh″(x) = 0."""
    return _zeros(x)


def hard_swish(x: np.ndarray) -> np.ndarray:
    """hard_swish(x) = x·relu6(x + 3)/6."""
    # max(x, −3)·((clip(x, −3, 3) + 3)/6): the factor is 1 for x ≥ 3, and 0 for x ≤ −3, where
    # the result is written as +0 (−3·0 would be −0).
    out = np.clip(x, -3.0, 3.0)
    np.add(out, 3.0, out=out)
    np.divide(out, 6.0, out=out)
    np.multiply(np.maximum(x, -3.0), out, out=out)
    np.copyto(out, 0.0, where=x <= -3.0)
    return out


def hard_swish_grad(x: np.ndarray) -> np.ndarray:
    """hard_swish′(x) = 0 if x ≤ −3, (2x + 3)/6 if −3 < x < 3, 1 if x ≥ 3."""
    out = np.clip(x, -3.0, 3.0)
    np.multiply(out, 2.0, out=out)
    np.add(out, 3.0, out=out)
    np.divide(out, 6.0, out=out)
    np.copyto(out, 0.0, where=x <= -3.0)
    np.copyto(out, 1.0, where=x >= 3.0)
    return out


def hard_swish_grad2(x: np.ndarray) -> np.ndarray:
    """hard_swish″(x) = 1/3 if −3 < x < 3 else 0."""
    return indicator(x, np.abs(x) < 3.0, 1.0 / 3.0)


# --- shrinkage ------------------------------------------------------------------------------
def soft_shrink(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """soft_shrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0: x − clip(x, −λ, λ) (in float32
    directly when λ is a float32 number: one subtraction rounds as float64's result rounded once)."""
    x = exact_dtype(x, threshold)
    out = np.clip(x, -threshold, threshold)
    return np.subtract(x, out, out=out)


def soft_shrink_grad(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """soft_shrink′(x) = 1 if |x| > λ else 0."""
    x = exact_dtype(x, threshold)
    return indicator(x, np.abs(x) > threshold)


def soft_shrink_grad2(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """soft_shrink″(x) = 0."""
    return _zeros(x)


def hard_shrink(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """hard_shrink(x) = x if |x| > λ else 0 (f itself jumps at ±λ): x·1 or x·0, then + 0 so that
    the zeros are +0 (−0.3·0 is −0); NaN·0 stays NaN."""
    x = exact_dtype(x, threshold)
    out = np.multiply(x, np.abs(x) > threshold)
    return np.add(out, 0.0, out=out)


hard_shrink_grad = soft_shrink_grad
hard_shrink_grad2 = soft_shrink_grad2
