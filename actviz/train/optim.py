"""Optimisers for ``actviz train``; both update the parameter arrays in place.

- ``sgd``   with momentum μ (heavy ball):  v ← μ·v − η·g,   θ ← θ + v   (μ = 0: plain SGD)
- ``adam``  (Kingma & Ba 2015), β₁ = 0.9, β₂ = 0.999, ε = 1e−8:
            m ← β₁m + (1 − β₁)g,  s ← β₂s + (1 − β₂)g²,
            θ ← θ − η·m̂ / (√ŝ + ε) with m̂ = m/(1 − β₁ᵗ), ŝ = s/(1 − β₂ᵗ)
"""

from __future__ import annotations

import math

import numpy as np

OPTIMIZERS = ("sgd", "adam")
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


class SGD:
    def __init__(self, params: list[np.ndarray], lr: float, momentum: float):
        self.lr, self.momentum = lr, momentum
        self.velocity = [np.zeros_like(p) for p in params]

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for p, g, v in zip(params, grads, self.velocity, strict=True):
            v *= self.momentum
            v -= self.lr * g
            p += v


class Adam:
    def __init__(self, params: list[np.ndarray], lr: float):
        self.lr = lr
        self.m = [np.zeros_like(p) for p in params]
        self.s = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        self.t += 1
        c1, c2 = 1.0 - BETA1**self.t, 1.0 - BETA2**self.t
        rate = self.lr * math.sqrt(c2) / c1
        for p, g, m, s in zip(params, grads, self.m, self.s, strict=True):
            m *= BETA1
            m += (1.0 - BETA1) * g
            s *= BETA2
            s += (1.0 - BETA2) * np.square(g)
            p -= rate * m / (np.sqrt(s) + EPS * math.sqrt(c2))


def make(name: str, params: list[np.ndarray], lr: float, momentum: float) -> SGD | Adam:
    if name == "sgd":
        return SGD(params, lr, momentum)
    if name == "adam":
        return Adam(params, lr)
    raise ValueError(f"unknown optimizer '{name}'; choose {' or '.join(OPTIMIZERS)}")
