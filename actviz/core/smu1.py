"""smu1 (Biswas et al. 2022, "SMU: smooth activation function for deep networks using smoothing
maximum technique"): max(x, αx) smoothed with a square root,

    smu1(x) = ((1 + α)x + √(((1 − α)x)² + μ²))/2.

Written so that nothing cancels except where f has its root: f = max(x, αx) + ½μ·μ/(B + w) and
f′ = 1 − t or α + t with t = ½(1 − α)·(μ/B)·μ/(B + w), where w = (1 − α)·abs(x) and
B = √(w² + μ²) (B − w = μ²/(B + w)). (The paper's erf-smoothed SMU and ACON-C, x·(p₂ + (p₁ − p₂)σ(βx)),
are not in the catalog: where their f′ dips close to 0 without a root, f′ = α + c·G(s) or
p₂ + d·silu′(z) cancels by 20× and more at a small condition number, and neither erfc nor e^x in
double precision is accurate enough to keep 4 ULP there.)
"""

from __future__ import annotations

import numpy as np

from actviz.core import stable


def _smu1_parts(x: np.ndarray, alpha: float, mu: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(abs(x) with ±inf as 1 (their limits are set apart), w = (1 − α)·abs(x),
    B = √(w² + μ²) without overflow)."""
    a = np.abs(x)
    np.copyto(a, 1.0, where=a == np.inf)
    w = a * (1.0 - alpha)
    return a, w, np.hypot(w, mu)


def _corner(w: np.ndarray, b: np.ndarray, mu: float) -> np.ndarray:
    """μ/(B + w) (≤ 1), for B − w = μ²/(B + w) without the cancellation; as (μ/2)/(B/2 + w/2),
    since B + w overflows near 1e308 (halving is exact: B ≥ μ ≥ 1e−150 is normal)."""
    out = 0.5 * b
    out += 0.5 * w
    np.divide(0.5 * mu, out, out=out)
    return out


def smu1(x: np.ndarray, alpha: float = 0.25, mu: float = 4.352665993287951e-9) -> np.ndarray:
    """smu1(x) = ((1 + α)x + √(((1 − α)x)² + μ²))/2 = max(x, αx) + ½μ·μ/(B + w), w = (1 − α)·abs(x),
    B = √(w² + μ²) (since (1 + α)x + w is 2x or −2α·abs(x) and B − w = μ²/(B + w)): the leaky line
    plus a positive corner term, so nothing cancels but at f's root."""
    a, w, b = _smu1_parts(x, alpha, mu)
    corner = _corner(w, b, mu)
    corner *= 0.5 * mu
    with np.errstate(invalid="ignore"):  # α·(−∞) for α = 0 is NaN: set below
        line = np.maximum(x, np.multiply(x, alpha))
    out = np.add(line, corner, out=corner)
    inf = np.isinf(x)
    if inf.any():
        out[inf] = np.where(x[inf] > 0, np.inf, -np.inf if alpha > 0 else 0.0)
    return stable.keep_nan(out, x)


def smu1_grad(x: np.ndarray, alpha: float = 0.25, mu: float = 4.352665993287951e-9) -> np.ndarray:
    """smu1′(x) = (1 + α + (1 − α)·w/B)/2 = 1 − t (x ≥ 0), α + t (x < 0), with
    t = ½(1 − α)·(μ/B)·μ/(B + w) ≤ (1 − α)/2 (1 − w/B = μ²/(B(B + w))): no cancellation."""
    _, w, b = _smu1_parts(x, alpha, mu)
    t = _corner(w, b, mu)
    t *= mu / b
    t *= 0.5 * (1.0 - alpha)
    out = np.subtract(1.0, t)
    np.add(t, alpha, out=t)
    np.copyto(out, t, where=x < 0)
    inf = np.isinf(x)
    if inf.any():
        out[inf] = np.where(x[inf] > 0, 1.0, alpha)
    return stable.keep_nan(out, x)


def smu1_grad2(x: np.ndarray, alpha: float = 0.25, mu: float = 4.352665993287951e-9) -> np.ndarray:
    """smu1″(x) = (1 − α)²·μ²/(2B³) = ½(1 − α)²·(μ/B)²/B."""
    _, _, b = _smu1_parts(x, alpha, mu)
    mb = mu / b
    mb *= mb
    mb /= b
    mb *= 0.5 * (1.0 - alpha) ** 2
    np.copyto(mb, 0.0, where=np.isinf(x))
    return stable.keep_nan(mb, x)
