"""softmax and log_softmax: exact to a few ULP for any logits.

softmax(z)_i = e^{z_i/T} / Σ_j e^{z_j/T},   log_softmax(z)_i = z_i/T − log Σ_j e^{z_j/T}.

How the usual error sources are removed:
- z_i − max(z) is computed first as an exact pair hi + lo (Knuth's two-sum), which removes the
  up-to-hundreds-of-ULP error of plain ``exp(z − max)`` for widely spread logits, and cannot
  overflow where the answer is representable (z/T first would, for T < 1 and huge logits);
- the division by T keeps the pair (Dekker's product), so the temperature adds no error;
- log Σ e^{d_j} = log1p(Σ_{j ≠ argmax} e^{d_j}), so log_softmax([0, −40])[0] is −4.2e−18, not 0.

Non-finite logits, per row: NaN anywhere gives a NaN row; −inf entries get probability 0 and
log-probability −inf; if any entry is +inf, the +inf entries share the probability equally
(the limit as they grow together) and all others get 0; a row of only −inf is undefined (NaN).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actviz.core import stable
from actviz.core.arrays import as_array


def _check_temperature(temperature: float) -> float:
    t = float(temperature)
    if not (np.isfinite(t) and t > 0):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature}")
    return t


def _divide(hi: np.ndarray, lo: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray]:
    """(hi + lo)/t as a new pair q + q_lo, exact to about one ULP of q_lo."""
    if t == 1.0:
        return hi, lo
    with np.errstate(over="ignore", invalid="ignore"):
        q = hi / t
        p, err = stable.two_product(q, t)
        q_lo = (((hi - p) - err) + lo) / t
    q_lo = np.where(np.isfinite(q_lo) & (np.abs(q) < 1e290), q_lo, 0.0)
    return q, q_lo


def _softmax_pair(
    z: Any, temperature: float, axis: int
) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    arr = np.asarray(as_array(z))  # a PyTorch or JAX tensor becomes a NumPy array
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"expected real numbers, got an array of dtype {arr.dtype}")
    out_dtype = arr.dtype if arr.dtype in (np.float32, np.float16) else np.dtype(np.float64)
    t = _check_temperature(temperature)
    x = np.atleast_1d(arr.astype(np.float64, copy=False))
    x = np.moveaxis(x, axis if arr.ndim else -1, -1)
    if x.shape[-1] == 0:
        raise ValueError("softmax needs at least one logit")

    nan_row = np.isnan(x).any(axis=-1, keepdims=True)
    posinf = x == np.inf
    inf_row = posinf.any(axis=-1, keepdims=True)
    neginf = x == -np.inf
    dead_row = neginf.all(axis=-1, keepdims=True)
    special = nan_row | inf_row | dead_row

    # Finite rows. Subtract the max first (exactly, as a pair), then divide by T: neither step
    # can overflow where the answer is representable, and −inf entries end up with e^{−inf} = 0.
    safe = np.where(np.isfinite(x), x, 0.0)
    m_idx = np.argmax(np.where(neginf, -np.inf, safe), axis=-1)[..., None]
    m = np.take_along_axis(safe, m_idx, axis=-1)
    with np.errstate(over="ignore", invalid="ignore"):  # z − max below −1.8e308 is −inf: p = 0
        d_hi, d_lo = stable.two_sum(safe, -m)
    gone = neginf | ~np.isfinite(d_hi)
    d_hi = np.where(gone, -np.inf, d_hi)
    d_lo = np.where(gone, 0.0, d_lo)
    d_hi, d_lo = _divide(d_hi, d_lo, t)
    d_lo = np.where(np.isfinite(d_hi), d_lo, 0.0)
    e = np.exp(d_hi) * (1.0 + d_lo)
    others = e.copy()
    np.put_along_axis(others, m_idx, 0.0, axis=-1)
    s_rest = others.sum(axis=-1, keepdims=True)
    log_norm = np.log1p(s_rest)
    prob = e / (1.0 + s_rest)
    logp = (d_hi - log_norm) + d_lo

    if special.any():
        count = posinf.sum(axis=-1, keepdims=True)
        inf_p = np.where(posinf, 1.0 / np.maximum(count, 1), 0.0)
        inf_logp = np.where(posinf, -np.log(np.maximum(count, 1)), -np.inf)
        prob = np.where(inf_row, inf_p, prob)
        logp = np.where(inf_row, inf_logp, logp)
        undefined = nan_row | (dead_row & ~inf_row)
        prob = np.where(undefined, np.nan, prob)
        logp = np.where(undefined, np.nan, logp)

    back = axis if arr.ndim else -1
    prob = np.moveaxis(prob, -1, back).reshape(arr.shape)
    logp = np.moveaxis(logp, -1, back).reshape(arr.shape)
    return prob, logp, out_dtype


def _finish(values: np.ndarray, dtype: np.dtype) -> Any:
    out = values.astype(dtype) if values.dtype != dtype else values
    return out[()] if out.ndim == 0 else out


def softmax(z: Any, temperature: float = 1.0, axis: int = -1) -> Any:
    """softmax(z/T) along ``axis``: probabilities that sum to 1, each within a few ULP."""
    prob, _, dtype = _softmax_pair(z, temperature, axis)
    return _finish(prob, dtype)


def log_softmax(z: Any, temperature: float = 1.0, axis: int = -1) -> Any:
    """log_softmax(z/T) along ``axis``: accurate even where the probability underflows."""
    _, logp, dtype = _softmax_pair(z, temperature, axis)
    return _finish(logp, dtype)


def softmax_and_log(z: Any, temperature: float = 1.0, axis: int = -1) -> tuple[Any, Any]:
    """Both at once (one pass over the logits), for renderers that show both."""
    prob, logp, dtype = _softmax_pair(z, temperature, axis)
    return _finish(prob, dtype), _finish(logp, dtype)
