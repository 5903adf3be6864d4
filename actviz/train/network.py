"""The MLP of ``actviz train``: ``depth`` hidden dense layers of ``width`` units and a dense output.

Forward, for hidden layers l = 1 … D and the output layer D + 1:

    z_l = a_{l−1} W_l + b_l,   a_l = f(z_l),   z_out = a_D W_{D+1} + b_{D+1}

Backward, exactly, with the catalog's f′ (``Activation.grad``; no autodiff), from δ_out = ∂L/∂z_out
as the head gives it:

    ∂L/∂W_l = a_{l−1}ᵀ δ_l,   ∂L/∂b_l = Σ_rows δ_l,   δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ f′(z_l)

Initialisation: hidden weights N(0, std²) with std from :mod:`actviz.flow.init` (the activation's
default or ``--init``), output weights Glorot normal, biases 0. Each weight matrix is a standard
normal draw from ``default_rng([seed, 2, layer])`` times its std, so for one seed every activation
starts from the same underlying matrices: a fair comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from actviz.catalog.activation import Activation
from actviz.flow.init import Init

_WEIGHTS = 2  # random stream (data and split use 0 and 1)


@dataclass(eq=False)
class Network:
    """Weights and biases (mutable: the optimiser updates them in place)."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]

    @property
    def params(self) -> list[np.ndarray]:
        return [*self.weights, *self.biases]

    def finite(self) -> bool:
        return all(bool(np.isfinite(p).all()) for p in self.params)


def build(inputs: int, width: int, depth: int, outputs: int, init: Init, seed: int) -> Network:
    """A freshly initialised network (see the module docstring)."""
    sizes = [inputs, *([width] * depth), outputs]
    weights, biases = [], []
    for layer in range(1, len(sizes)):
        fan_in, fan_out = sizes[layer - 1], sizes[layer]
        last = layer == len(sizes) - 1
        std = math.sqrt(2.0 / (fan_in + fan_out)) if last else init.weight_std(fan_in, fan_out)
        w = np.random.default_rng([seed, _WEIGHTS, layer]).standard_normal((fan_in, fan_out))
        w *= std
        weights.append(w)
        biases.append(np.zeros(fan_out))
    return Network(weights, biases)


@dataclass(eq=False)
class Pass:
    """One forward pass: the inputs of each layer and f′ of each hidden layer."""

    inputs: list[np.ndarray]  # a_0 … a_D
    slopes: list[np.ndarray]  # f′(z_1) … f′(z_D)
    out: np.ndarray  # z_out


def forward(net: Network, act: Activation, x: np.ndarray, slopes: bool = True) -> Pass:
    """Run ``x`` through the network, keeping what the backward pass needs."""
    inputs, grads = [x], []
    h = x
    for w, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        z = h @ w
        z += b
        if slopes:
            grads.append(np.asarray(act.grad(z), dtype=np.float64))
        h = np.asarray(act(z), dtype=np.float64)
        inputs.append(h)
    out = h @ net.weights[-1]
    out += net.biases[-1]
    return Pass(inputs, grads, out)


def backward(net: Network, fwd: Pass, delta: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """∂L/∂W_l and ∂L/∂b_l for every layer, from δ_out = ∂L/∂z_out."""
    layers = len(net.weights)
    dw: list[np.ndarray] = [np.empty(0)] * layers
    db: list[np.ndarray] = [np.empty(0)] * layers
    for layer in range(layers - 1, -1, -1):
        dw[layer] = fwd.inputs[layer].T @ delta
        db[layer] = delta.sum(axis=0)
        if layer > 0:
            delta = delta @ net.weights[layer].T
            delta *= fwd.slopes[layer - 1]
    return dw, db


def dead_share(fwd: Pass) -> tuple[float, ...]:
    """Per hidden layer: the share of units whose f′ is exactly 0 on every row of the pass."""
    return tuple(float(np.mean(np.all(s == 0.0, axis=0))) for s in fwd.slopes)
