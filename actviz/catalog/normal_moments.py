"""The number behind the catalog's "zero-centred" claim: E[f(z)] for z ~ N(0, 1).

ML texts call an activation zero-centred when its output has (nearly) zero mean for inputs
symmetric about 0, as tanh's does, so that the next layer's inputs are not all shifted one way.
actviz measures it on a unit normal input:

    mean = E[f(z)] = ∫ f(z)·φ(z) dz,   rms = √E[f(z)²],   φ(z) = exp(−z²/2)/√(2π),

and calls ``f`` zero-centred when abs(mean) ≤ ZERO_CENTRED_TOL · rms (the mean is at most 5 % of
the output's size: tanh, selu, softsign, the shrinks and the odd functions pass; relu, gelu,
silu, mish and hard_swish, with means of 0.17–0.40, do not). The ratio does not change when f is
scaled, so a gated entry's view and its gate agree.

The integrals are composite Gauss–Legendre rules over [−14, 14] with the kinks as panel ends
(φ(14) < 1e−42; every catalog f grows at most like exp(z), whose tail there is below 1e−30).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from actviz.catalog.model import ZERO_CENTRED_TOL
from actviz.core.arrays import sorted_unique

_HALF_WIDTH = 14.0
_PANEL = 0.5


def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the n-point Gauss–Legendre rule on [−1, 1] (Golub–Welsch: the
    eigenvalues of the Jacobi matrix with off-diagonal k/√(4k² − 1), weights 2·v₀²). The same
    rule as ``numpy.polynomial.legendre.leggauss``, without importing numpy.polynomial
    (2–3 ms of start-up on the ``info`` path)."""
    k = np.arange(1, n, dtype=np.float64)
    off = k / np.sqrt(4 * k * k - 1)
    nodes, vectors = np.linalg.eigh(np.diag(off, 1) + np.diag(off, -1))
    nodes = (nodes - nodes[::-1]) / 2  # exactly symmetric about 0
    weights = 2 * vectors[0] ** 2
    return nodes, (weights + weights[::-1]) / 2


_NODES, _WEIGHTS = gauss_legendre(24)


@dataclass(frozen=True)
class NormalMoments:
    """E[f(z)] and √E[f(z)²] for z ~ N(0, 1) (NaN where f is undefined on part of the line)."""

    mean: float
    rms: float
    ratio: float  # mean / rms, computed on f scaled to max |f| = 1 (0 for f ≡ 0; NaN: undefined)

    @property
    def zero_centred(self) -> bool | None:
        """abs(mean) ≤ ZERO_CENTRED_TOL·rms; None when the mean is undefined (log1mexp)."""
        r = self.ratio
        return None if math.isnan(r) else abs(r) <= ZERO_CENTRED_TOL

    def to_dict(self) -> dict[str, Any]:
        """For ``info --format json``: mean and rms are None when undefined."""
        ok = math.isfinite(self.ratio)
        return {"mean": self.mean if ok else None,
                "rms": self.rms if ok and math.isfinite(self.rms) else None,
                "ratio": self.ratio if ok else None, "tolerance": ZERO_CENTRED_TOL,
                "zero_centred": self.zero_centred}


def _panel_ends(kinks: list[float]) -> np.ndarray:
    ends = np.arange(-_HALF_WIDTH, _HALF_WIDTH + _PANEL / 2, _PANEL)
    inside = [k for k in kinks if math.isfinite(k) and -_HALF_WIDTH < k < _HALF_WIDTH]
    # sorted_unique, not np.unique: that loads numpy.ma (6 ms of start-up)
    return sorted_unique(np.concatenate([ends, np.asarray(inside, dtype=np.float64)]))


def normal_moments(act: Any) -> NormalMoments:
    """E[f(z)] and √E[f(z)²] for z ~ N(0, 1), ``act`` any elementwise activation."""
    kinks = [k.x for k in getattr(act, "kinks", ())]
    ends = _panel_ends(kinks)
    a, b = ends[:-1, None], ends[1:, None]
    half = (b - a) / 2
    z = (a + b) / 2 + half * _NODES[None, :]
    w = (half * _WEIGHTS[None, :]) * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    with np.errstate(invalid="ignore"):  # f undefined (log1mexp below 0) gives NaN: reported
        f = np.asarray(act(z.ravel()), dtype=np.float64).reshape(z.shape)
    if not np.all(np.isfinite(f)):
        return NormalMoments(math.nan, math.nan, math.nan)
    scale = float(np.max(np.abs(f)))
    if scale == 0:
        return NormalMoments(0.0, 0.0, 0.0)
    g = f / scale  # |g| ≤ 1: g² cannot overflow (hard_tanh near −1e300)
    mean, square = float(np.sum(g * w)), float(np.sum(g * g * w))
    ratio = mean / math.sqrt(square)
    with np.errstate(over="ignore"):
        rms = float(np.float64(scale) * math.sqrt(square))
    return NormalMoments(scale * mean + 0.0, rms, ratio)
