"""The rest of the vector family: softmin, sparsemax, crelu, softmax2d, gumbel_softmax, and the
exact Jacobians and Jacobian-vector products of softmax, log_softmax, softmin and sparsemax.

Formulas (s = softmax(z/T) along the axis, n entries):

- softmin(z)_i = softmax(−z)_i;
- sparsemax(z)_i = max(z_i − τ, 0), with τ the unique number making the outputs sum to 1: with
  z sorted decreasingly, k = max{k : 1 + k·z₍k₎ > Σ_{j≤k} z₍j₎}, τ = (Σ_{j≤k} z₍j₎ − 1)/k
  (Martins & Astudillo 2016); this is the Euclidean projection of z onto the probability simplex;
- crelu(x) = concat(relu(x), relu(−x)) along the axis (twice as wide);
- softmax2d: softmax over the channel axis −3 of (C, H, W) or (N, C, H, W);
- gumbel_softmax(z; τ, seed) = softmax((z + g)/τ), g_i = −log(−log U_i), U_i ~ U(0, 1) (stochastic).

Derivatives, cancellation-free:

- ∂s_i/∂z_j = (s_i·δ_ij − s_i·s_j)/T. The diagonal is s_i·Σ_{j≠i} s_j: for the largest entry the
  sum of the others is added up directly, for every other entry 1 − s_i is exact enough (s_i ≤ ½);
  never s_i − s_i², which is 0 where s_i rounds to 1.
- J·v = s ⊙ (w − ⟨s, w⟩)/T with w = v − v_m (m = argmax): subtracting v at the largest entry first
  means ⟨s, w⟩ has no term of the near-1 probability, so (J·e_m)_m = s_m·Σ_{j≠m} s_j exactly.
- log_softmax: ∂/∂z_j = (δ_ij − s_j)/T, J·v = (w − ⟨s, w⟩)/T.
- softmin: J(z) = −J_softmax(−z).
- sparsemax: J = diag(σ) − σσᵀ/|S| (σ the support indicator), J·v = σ ⊙ (v − mean_S v).

Non-finite input follows softmax: NaN gives a NaN row, −inf entries get 0, +inf entries share the
output equally (the limit as they grow together), a row of only −inf is NaN.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actviz.core.vector import _check_temperature, softmax


def _as_rows(z: Any, axis: int, what: str) -> tuple[np.ndarray, tuple[int, ...], int, np.dtype]:
    """float64 copy of ``z`` with ``axis`` moved last and flattened to rows; checks the input."""
    arr = np.asarray(z)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    out_dtype = arr.dtype if arr.dtype in (np.float32, np.float16) else np.dtype(np.float64)
    x = np.atleast_1d(arr).astype(np.float64)
    ax = check_axis(axis, x.ndim)
    x = np.moveaxis(x, ax, -1)
    if x.shape[-1] == 0:
        raise ValueError(f"{what} needs at least one entry along axis {axis}")
    return x, x.shape, ax, out_dtype


def check_axis(axis: int, ndim: int) -> int:
    """``axis`` as a non-negative index into ``ndim`` axes; ValueError naming it if out of range."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for an input with {ndim} dimension(s)")
    return int(axis) % ndim


def _finish(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if values.dtype == dtype:
        return values
    with np.errstate(over="ignore"):
        return values.astype(dtype)


# --- values ------------------------------------------------------------------------------------

def softmin(z: Any, temperature: float = 1.0, axis: int = -1) -> Any:
    """softmin(z)_i = softmax(−z/T)_i (negation is exact, so as accurate as softmax)."""
    arr = np.asarray(z)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    neg = -arr.astype(arr.dtype if arr.dtype.kind == "f" else np.float64)
    return softmax(neg, temperature, axis)


def sparsemax(z: Any, axis: int = -1) -> np.ndarray:
    """sparsemax(z)_i = max(z_i − τ, 0): the Euclidean projection of z onto the simplex."""
    x, shape, ax, dtype = _as_rows(z, axis, "sparsemax")
    out = _sparsemax_rows(x.reshape(-1, shape[-1]))
    out = np.moveaxis(out.reshape(shape), -1, ax)
    return _finish(out.reshape(np.atleast_1d(np.asarray(z)).shape), dtype)


def _sparsemax_rows(z: np.ndarray) -> np.ndarray:
    """sparsemax of every row of a 2-D float64 array (sorting and the support vectorised)."""
    finite = np.isfinite(z)
    nan_row = np.isnan(z).any(axis=1)
    posinf = z == np.inf
    inf_row = posinf.any(axis=1) & ~nan_row
    dead_row = ~finite.any(axis=1) & ~inf_row & ~nan_row  # only −inf: undefined
    # Shift by the maximum: entries within 1 of it (the only ones that can be in the support, as
    # the maximum alone gives τ ≥ max − 1) are then exact differences (Sterbenz) when |max| ≥ 2.
    m = np.max(np.where(finite, z, -np.inf), axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        y = np.where(finite, z - m, -np.inf)
    srt = -np.sort(-y, axis=1)
    with np.errstate(invalid="ignore"):
        csum = np.cumsum(srt, axis=1)
        ks = np.arange(1, z.shape[1] + 1, dtype=np.float64)
        support = 1.0 + ks * srt > csum  # true on a prefix of the sorted row
    k = np.maximum(support.sum(axis=1), 1)
    # τ from the k largest, summed exactly (math.fsum) and rounded once; the division adds ½ ULP.
    tau = np.array([(math.fsum(srt[r, :n].tolist()) - 1.0) / n for r, n in enumerate(k.tolist())])
    with np.errstate(invalid="ignore"):  # rows of only −inf give NaN here; set below
        out = np.maximum(y - tau[:, None], 0.0)
    if inf_row.any():
        share = 1.0 / np.maximum(posinf.sum(axis=1, keepdims=True), 1)
        out = np.where(inf_row[:, None], np.where(posinf, share, 0.0), out)
    bad = nan_row | dead_row
    if bad.any():
        out[bad] = np.nan
    return out


def crelu(x: Any, axis: int = -1) -> np.ndarray:
    """crelu(x) = concat(relu(x), relu(−x)) along ``axis``: the output is twice as wide."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    a = np.atleast_1d(arr)
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    ax = check_axis(axis, a.ndim)
    if a.shape[ax] == 0:
        raise ValueError(f"crelu needs at least one entry along axis {axis}")
    nan = np.isnan(a)
    pos = np.where(nan, a, np.where(a > 0, a, 0.0))  # NaN stays NaN in both copies
    neg = np.where(nan, a, np.where(a < 0, -a, 0.0))
    return np.concatenate([pos.astype(a.dtype), neg.astype(a.dtype)], axis=ax)


def softmax2d(z: Any, temperature: float = 1.0) -> Any:
    """softmax over the channel axis −3 of a (C, H, W) or (N, C, H, W) array (PyTorch Softmax2d)."""
    arr = np.asarray(z)
    if arr.ndim not in (3, 4):
        raise ValueError(f"softmax2d expects a (C, H, W) or (N, C, H, W) input, got shape {arr.shape}")
    return softmax(arr, temperature, axis=-3)


def gumbel_softmax(z: Any, tau: float = 1.0, seed: int | None = 0, axis: int = -1, hard: bool = False) -> Any:
    """softmax((z + g)/τ) with g ~ Gumbel(0, 1) drawn from ``seed`` (stochastic: a new seed, a new
    answer); ``hard`` gives the one-hot vector of the argmax instead (PyTorch's forward value)."""
    arr = np.asarray(z)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    t = _check_temperature(tau)
    rng = np.random.default_rng(seed)
    u = rng.random(np.shape(arr))
    u = np.where(u == 0.0, np.nextafter(0.0, 1.0), u)  # log(0) would be −inf
    g = -np.log(-np.log(u))
    p = softmax(arr.astype(np.float64) + g, t, axis)
    if not hard:
        keep = arr.dtype in (np.float32, np.float16)
        return _finish(np.asarray(p), arr.dtype if keep else np.dtype(np.float64))
    x = np.atleast_1d(np.asarray(p))
    ax = check_axis(axis, x.ndim)
    idx = np.expand_dims(np.argmax(x, axis=ax), ax)
    one_hot = np.zeros_like(x)
    np.put_along_axis(one_hot, idx, 1.0, axis=ax)
    return one_hot.reshape(np.shape(p))


# --- derivatives -----------------------------------------------------------------------------

def _prob_rows(z: Any, temperature: float, axis: int, negate: bool = False):
    x, shape, ax, _ = _as_rows(z, axis, "softmax")
    t = _check_temperature(temperature)
    s = np.asarray(softmax(-x if negate else x, t, -1), dtype=np.float64)
    return s, t, shape, ax


def _complement(s: np.ndarray) -> np.ndarray:
    """Σ_{j≠i} s_j for every i, without the cancellation of 1 − s_i where s_i is near 1."""
    comp = 1.0 - s
    m = np.argmax(s, axis=-1)[..., None]
    others = s.copy()
    np.put_along_axis(others, m, 0.0, axis=-1)
    np.put_along_axis(comp, m, others.sum(axis=-1, keepdims=True), axis=-1)
    return comp


def _centred(s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """w − ⟨s, w⟩ with w = v − v_m (m = argmax s): v_i − ⟨s, v⟩ without the near-1 term."""
    m = np.argmax(s, axis=-1)[..., None]
    vm = np.take_along_axis(v, m, axis=-1)
    w = v - vm
    np.put_along_axis(w, m, 0.0, axis=-1)
    return w - (s * w).sum(axis=-1, keepdims=True)


def _tangent(v: Any, shape: tuple[int, ...], ax: int) -> np.ndarray:
    vv = np.asarray(v, dtype=np.float64)
    vv = np.moveaxis(np.atleast_1d(vv), ax, -1) if vv.ndim else vv
    if vv.shape != shape:
        raise ValueError(f"the tangent v must have the input's shape, got {np.shape(v)}")
    return vv


def softmax_jacobian(z: Any, temperature: float = 1.0, axis: int = -1, _negate: bool = False) -> np.ndarray:
    """J_ij = ∂s_i/∂z_j = (s_i·δ_ij − s_i·s_j)/T; the diagonal as s_i·Σ_{j≠i} s_j. Shape (..., n, n)."""
    s, t, shape, ax = _prob_rows(z, temperature, axis, _negate)
    jac = -s[..., :, None] * s[..., None, :]
    n = s.shape[-1]
    idx = np.arange(n)
    jac[..., idx, idx] = s * _complement(s)
    if t != 1.0:
        jac = jac / t
    return (-jac if _negate else jac) + 0.0  # + 0.0: −0 entries become 0


def softmax_jvp(z: Any, v: Any, temperature: float = 1.0, axis: int = -1,
                _negate: bool = False) -> np.ndarray:
    """J·v = s ⊙ (w − ⟨s, w⟩)/T, w = v − v_argmax (no cancellation against the near-1 entry)."""
    s, t, shape, ax = _prob_rows(z, temperature, axis, _negate)
    out = s * _centred(s, _tangent(v, shape, ax))
    if t != 1.0:
        out = out / t
    out = (-out if _negate else out) + 0.0
    return np.moveaxis(out, -1, ax).reshape(np.shape(np.atleast_1d(np.asarray(z))))


def log_softmax_jacobian(z: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """J_ij = (δ_ij − s_j)/T; the diagonal as Σ_{j≠i} s_j. Shape (..., n, n)."""
    s, t, shape, ax = _prob_rows(z, temperature, axis)
    n = s.shape[-1]
    jac = np.broadcast_to(-s[..., None, :], (*s.shape, n)).copy()
    idx = np.arange(n)
    jac[..., idx, idx] = _complement(s)
    return (jac / t if t != 1.0 else jac) + 0.0


def log_softmax_jvp(z: Any, v: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """J·v = (w − ⟨s, w⟩)/T with w = v − v_argmax."""
    s, t, shape, ax = _prob_rows(z, temperature, axis)
    out = _centred(s, _tangent(v, shape, ax)) + 0.0
    if t != 1.0:
        out = out / t
    return np.moveaxis(out, -1, ax).reshape(np.shape(np.atleast_1d(np.asarray(z))))


def softmin_jacobian(z: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """J_softmin(z) = −J_softmax(−z)."""
    return softmax_jacobian(z, temperature, axis, _negate=True)


def softmin_jvp(z: Any, v: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """J_softmin(z)·v = −J_softmax(−z)·v."""
    return softmax_jvp(z, v, temperature, axis, _negate=True)


def _support(z: Any, axis: int) -> tuple[np.ndarray, tuple[int, ...], int]:
    p = np.asarray(sparsemax(np.asarray(z, dtype=np.float64), axis), dtype=np.float64)
    p = np.moveaxis(np.atleast_1d(p), check_axis(axis, np.atleast_1d(p).ndim), -1)
    return (p > 0).astype(np.float64), p.shape, check_axis(axis, p.ndim)


def sparsemax_jacobian(z: Any, axis: int = -1) -> np.ndarray:
    """J = diag(σ) − σσᵀ/|S|, σ the support indicator (sparsemax is piecewise linear)."""
    sig, shape, _ = _support(z, axis)
    size = sig.sum(axis=-1, keepdims=True)[..., None]
    jac = -(sig[..., :, None] * sig[..., None, :]) / size
    n = sig.shape[-1]
    idx = np.arange(n)
    jac[..., idx, idx] += sig
    return jac + 0.0


def sparsemax_jvp(z: Any, v: Any, axis: int = -1) -> np.ndarray:
    """J·v = σ ⊙ (v − mean over the support of v)."""
    sig, shape, ax = _support(z, axis)
    vv = _tangent(v, shape, ax)
    mean = (sig * vv).sum(axis=-1, keepdims=True) / sig.sum(axis=-1, keepdims=True)
    out = sig * (vv - mean) + 0.0
    return np.moveaxis(out, -1, ax).reshape(np.shape(np.atleast_1d(np.asarray(z))))


def crelu_jacobian(x: Any, axis: int = -1) -> np.ndarray:
    """(..., 2n, n): [diag(x > 0); −diag(x < 0)] (relu′(0) = 0, as TensorFlow's autodiff gives)."""
    a = np.moveaxis(np.atleast_1d(np.asarray(x, dtype=np.float64)), check_axis(axis, np.ndim(x) or 1), -1)
    n = a.shape[-1]
    jac = np.zeros((*a.shape[:-1], 2 * n, n))
    idx = np.arange(n)
    jac[..., idx, idx] = (a > 0).astype(np.float64)
    jac[..., n + idx, idx] = np.where(a < 0, -1.0, 0.0)
    return jac


def crelu_jvp(x: Any, v: Any, axis: int = -1) -> np.ndarray:
    """J·v = concat(v·[x > 0], −v·[x < 0]) along ``axis``."""
    a = np.atleast_1d(np.asarray(x, dtype=np.float64))
    ax = check_axis(axis, a.ndim)
    vv = np.asarray(v, dtype=np.float64).reshape(a.shape) if np.size(v) == a.size else None
    if vv is None:
        raise ValueError(f"the tangent v must have the input's shape, got {np.shape(v)}")
    return np.concatenate([np.where(a > 0, vv, 0.0), np.where(a < 0, -vv, 0.0)], axis=ax)


VECTOR_FNS = ("softmax", "log_softmax", "softmin", "sparsemax")


def probabilities_and_logs(z: Any, temperature: float = 1.0, fn: str = "softmax",
                           axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """(p, log p) of one of :data:`VECTOR_FNS` along ``axis`` (for the ``softmax`` command).

    softmax and log_softmax give the same pair; softmin is softmax(−z/T); sparsemax is applied to
    z/T, and log p is −inf exactly where sparsemax gives 0.
    """
    from actviz.core.vector import softmax_and_log

    if fn not in VECTOR_FNS:
        raise ValueError(f"unknown function '{fn}'; choose from {', '.join(VECTOR_FNS)}")
    arr = np.asarray(z, dtype=np.float64)
    if fn in ("softmax", "log_softmax"):
        return softmax_and_log(arr, temperature, axis)
    if fn == "softmin":
        return softmax_and_log(-arr, temperature, axis)
    t = _check_temperature(temperature)
    p = sparsemax(arr / t if t != 1.0 else arr, axis)
    with np.errstate(divide="ignore"):
        return p, np.log(p)
