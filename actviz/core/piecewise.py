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


def _zeros(x: np.ndarray) -> np.ndarray:
    return stable.keep_nan(np.zeros_like(x), x)


# --- relu -----------------------------------------------------------------------------------
def relu(x: np.ndarray) -> np.ndarray:
    """relu(x) = max(0, x)."""
    return np.maximum(x, 0.0)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """relu′(x) = 1 if x > 0 else 0."""
    return _const(x, x > 0, 1.0, 0.0)


def relu_grad2(x: np.ndarray) -> np.ndarray:
    """relu″(x) = 0."""
    return _zeros(x)


# --- relu6 ----------------------------------------------------------------------------------
def relu6(x: np.ndarray) -> np.ndarray:
    """relu6(x) = min(max(0, x), 6)."""
    return np.clip(x, 0.0, 6.0)


def relu6_grad(x: np.ndarray) -> np.ndarray:
    """relu6′(x) = 1 if 0 < x < 6 else 0."""
    return _const(x, (x > 0) & (x < 6.0), 1.0, 0.0)


relu6_grad2 = relu_grad2


# --- leaky_relu -----------------------------------------------------------------------------
def leaky_relu(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """leaky_relu(x) = x if x ≥ 0 else α·x (a branch: max(x, αx) is wrong for α > 1)."""
    with np.errstate(over="ignore"):  # α·x beyond ±1.8e308 is ±inf, correctly rounded
        return np.where(x >= 0, x, alpha * x)


def leaky_relu_grad(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """leaky_relu′(x) = 1 if x > 0 else α."""
    return _const(x, x > 0, 1.0, alpha)


def leaky_relu_grad2(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """leaky_relu″(x) = 0."""
    return _zeros(x)


# --- elu / selu / celu ----------------------------------------------------------------------
def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """elu(x) = x if x > 0 else α·(eˣ − 1)."""
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """elu′(x) = 1 if x > 0 else α·eˣ."""
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def elu_grad2(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """elu″(x) = 0 if x > 0 else α·eˣ."""
    return np.where(x > 0, 0.0, alpha * np.exp(np.minimum(x, 0.0)))


def selu(x: np.ndarray) -> np.ndarray:
    """selu(x) = λ·x if x > 0 else λα·(eˣ − 1), λ ≈ 1.0507, α ≈ 1.6733."""
    with np.errstate(over="ignore"):  # λ·x beyond 1.7e308 is +inf, correctly rounded
        pos = SELU_LAMBDA * x
    return np.where(x > 0, pos, SELU_LAMBDA_ALPHA * np.expm1(np.minimum(x, 0.0)))


def selu_grad(x: np.ndarray) -> np.ndarray:
    """selu′(x) = λ if x > 0 else λα·eˣ."""
    return np.where(x > 0, SELU_LAMBDA, SELU_LAMBDA_ALPHA * np.exp(np.minimum(x, 0.0)))


def selu_grad2(x: np.ndarray) -> np.ndarray:
    """selu″(x) = 0 if x > 0 else λα·eˣ."""
    return np.where(x > 0, 0.0, SELU_LAMBDA_ALPHA * np.exp(np.minimum(x, 0.0)))


def _celu_arg(x: np.ndarray, alpha: float) -> np.ndarray:
    with np.errstate(over="ignore"):  # min(x, 0)/α → −inf is the right limit: e^{−inf} = 0
        return np.minimum(x, 0.0) / alpha


def celu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """celu(x) = max(0, x) + min(0, α·(e^{x/α} − 1))."""
    return np.where(x > 0, x, alpha * np.expm1(_celu_arg(x, alpha)))


def celu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """celu′(x) = 1 if x > 0 else e^{x/α}."""
    return np.where(x > 0, 1.0, np.exp(_celu_arg(x, alpha)))


def celu_grad2(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """celu″(x) = 0 if x > 0 else e^{x/α}/α."""
    return np.where(x > 0, 0.0, np.exp(_celu_arg(x, alpha)) / alpha)


# --- hard_sigmoid / hard_tanh / hard_swish --------------------------------------------------
def hard_sigmoid(x: np.ndarray) -> np.ndarray:
    """hard_sigmoid(x) = relu6(x + 3)/6 = clip((x + 3)/6, 0, 1)."""
    return np.clip((x + 3.0) / 6.0, 0.0, 1.0)


def hard_sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """hard_sigmoid′(x) = 1/6 if −3 < x < 3 else 0."""
    return _const(x, (x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0)


hard_sigmoid_grad2 = relu_grad2


def hard_tanh(x: np.ndarray) -> np.ndarray:
    """hard_tanh(x) = clip(x, −1, 1)."""
    return np.clip(x, -1.0, 1.0)


def hard_tanh_grad(x: np.ndarray) -> np.ndarray:
    """hard_tanh′(x) = 1 if −1 ≤ x ≤ 1 else 0 (TensorFlow's clip passes the gradient at ±1)."""
    return _const(x, (x >= -1.0) & (x <= 1.0), 1.0, 0.0)


hard_tanh_grad2 = relu_grad2


def hard_swish(x: np.ndarray) -> np.ndarray:
    """hard_swish(x) = x·relu6(x + 3)/6."""
    xm = np.clip(x, -3.0, 3.0)
    return np.where(x <= -3.0, 0.0, np.where(x < 3.0, xm * ((xm + 3.0) / 6.0), x))


def hard_swish_grad(x: np.ndarray) -> np.ndarray:
    """hard_swish′(x) = 0 if x ≤ −3, (2x + 3)/6 if −3 < x < 3, 1 if x ≥ 3."""
    mid = (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0
    return np.where(x <= -3.0, 0.0, np.where(x < 3.0, mid, np.where(x >= 3.0, 1.0, x)))


def hard_swish_grad2(x: np.ndarray) -> np.ndarray:
    """hard_swish″(x) = 1/3 if −3 < x < 3 else 0."""
    return _const(x, (x > -3.0) & (x < 3.0), 1.0 / 3.0, 0.0)


# --- shrinkage ------------------------------------------------------------------------------
def soft_shrink(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """soft_shrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0."""
    return np.where(np.abs(x) <= threshold, 0.0, x - np.copysign(threshold, x))


def soft_shrink_grad(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """soft_shrink′(x) = 1 if |x| > λ else 0."""
    return _const(x, np.abs(x) > threshold, 1.0, 0.0)


def soft_shrink_grad2(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """soft_shrink″(x) = 0."""
    return _zeros(x)


def hard_shrink(x: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """hard_shrink(x) = x if |x| > λ else 0 (f itself jumps at ±λ)."""
    return np.where(np.abs(x) <= threshold, 0.0, x)


hard_shrink_grad = soft_shrink_grad
hard_shrink_grad2 = soft_shrink_grad2
