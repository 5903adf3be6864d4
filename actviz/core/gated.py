"""Gated units h(g, u) = a(g)·u: splitting the input into gate g and value u, and the kernels.

Half conventions along the split axis (length 2d):
- ``last``        x = [u | g]: the gate is the second half (PyTorch, Keras, JAX, MLX ``glu``);
- ``first``       x = [g | u]: the gate is the first half (vLLM ``SiluAndMul``, Phi-3, timm
                  ``SwiGLUPacked``);
- ``interleaved`` g = x[0::2], u = x[1::2] (gpt-oss).

Partial derivatives: ∂h/∂g = a′(g)·u, ∂h/∂u = a(g), ∂²h/∂g² = a″(g)·u; each is one product of an
activation kernel's value (within its few ULP) and an exact number, so it adds half an ULP.

gpt-oss's clamped SwiGLU (HF ``GptOssMLP._apply_gate``, α = 1.702, L = 7):
h = (clamp(u, −L, L) + 1)·g̃·σ(α·g̃), g̃ = min(g, L);
∂h/∂g = (ũ + 1)·silu_α′(g) for g < L, 0 for g ≥ L; ∂h/∂u = silu_α(g̃) for |u| < L, 0 for |u| ≥ L
(0 at the bounds themselves, as torch 2.14's autograd gives for a clamp with scalar bounds).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actviz.core import smooth

GATE_ORDERS = ("last", "first", "interleaved")


def check_gate_order(gate: str) -> str:
    key = str(gate).strip().lower()
    if key not in GATE_ORDERS:
        raise ValueError(f"unknown gate order '{gate}'; choose from {', '.join(GATE_ORDERS)}")
    return key


def split(x: Any, gate: str = "last", axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """(g, u) from one array whose ``axis`` holds both halves in the ``gate`` order."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    order = check_gate_order(gate)
    a = np.atleast_1d(arr)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got {axis!r}")
    if not -a.ndim <= axis < a.ndim:
        raise ValueError(f"axis {axis} is out of range for an input with {a.ndim} dimension(s)")
    n = a.shape[axis]
    if n == 0 or n % 2:
        raise ValueError(
            f"a gated unit splits axis {axis} into gate and value halves: its length must be even "
            f"and > 0, got {n}"
        )
    a = np.moveaxis(a, axis, -1)
    d = n // 2
    if order == "last":
        u, g = a[..., :d], a[..., d:]
    elif order == "first":
        g, u = a[..., :d], a[..., d:]
    else:
        g, u = a[..., 0::2], a[..., 1::2]
    return np.moveaxis(g, -1, axis), np.moveaxis(u, -1, axis)


def join(g: np.ndarray, u: np.ndarray, gate: str = "last", axis: int = -1) -> np.ndarray:
    """The inverse of :func:`split`: one array holding g and u in the ``gate`` order."""
    order = check_gate_order(gate)
    if order == "last":
        return np.concatenate([u, g], axis=axis)
    if order == "first":
        return np.concatenate([g, u], axis=axis)
    gm, um = np.moveaxis(g, axis, -1), np.moveaxis(u, axis, -1)
    out = np.empty((*gm.shape[:-1], 2 * gm.shape[-1]), dtype=np.result_type(g, u))
    out[..., 0::2], out[..., 1::2] = gm, um
    return np.moveaxis(out, -1, axis)


# --- gpt-oss clamped SwiGLU ---------------------------------------------------------------------
def clamped_swiglu(g: np.ndarray, u: np.ndarray, alpha: float = 1.702, limit: float = 7.0) -> np.ndarray:
    """(clamp(u, −L, L) + 1)·silu_α(min(g, L))."""
    gc = np.minimum(g, limit)
    uc = np.clip(u, -limit, limit)
    return (uc + 1.0) * smooth.silu(gc, alpha)


def clamped_swiglu_dgate(g: np.ndarray, u: np.ndarray, alpha: float = 1.702,
                         limit: float = 7.0) -> np.ndarray:
    """∂h/∂g = (ũ + 1)·silu_α′(g) for g < L, else 0."""
    uc = np.clip(u, -limit, limit)
    d = smooth.silu_grad(np.minimum(g, limit), alpha)
    return np.where(g >= limit, 0.0 * d, (uc + 1.0) * d)


def clamped_swiglu_dgate2(g: np.ndarray, u: np.ndarray, alpha: float = 1.702,
                          limit: float = 7.0) -> np.ndarray:
    """∂²h/∂g² = (ũ + 1)·silu_α″(g) for g < L, else 0."""
    uc = np.clip(u, -limit, limit)
    d = smooth.silu_grad2(np.minimum(g, limit), alpha)
    return np.where(g >= limit, 0.0 * d, (uc + 1.0) * d)


def clamped_swiglu_dvalue(g: np.ndarray, u: np.ndarray, alpha: float = 1.702,
                          limit: float = 7.0) -> np.ndarray:
    """∂h/∂u = silu_α(min(g, L)) for |u| < L, else 0."""
    s = smooth.silu(np.minimum(g, limit), alpha)
    inside = np.abs(u) < limit
    return np.where(inside | np.isnan(u), s, 0.0 * s)
