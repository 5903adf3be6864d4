"""Forward and backward pass of a plain deep MLP in NumPy, to watch gradients through depth.

The network has ``depth`` dense layers of ``width`` units, ``z_l = a_{l-1} W_l + b`` and
``a_l = f(z_l)``, with a constant bias ``b`` and a batch of inputs ``a_0 ~ N(0, input_std²)``.
The backward pass starts from a random unit-norm gradient dL/da at the last layer and applies
the chain rule exactly with the catalog's analytic f′:

    δ_L = g ⊙ f′(z_L),    δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ f′(z_l)

The reported gradient norm of layer l is ‖δ_l‖ (Frobenius, over the batch) relative to ‖δ_L‖.
Because the pass is linear in δ, δ is renormalised at every layer and the scale is carried as a
base-10 logarithm: ratios like 1e−600 are exact, never underflow.

Randomness: every draw comes from ``numpy.random.default_rng([seed, stream, index])``, so the
input batch, the output gradient and the standard-normal matrix behind each layer's weights are
the same for every activation (weights are that matrix times the initialiser's std): a fair
comparison. The weight matrices are drawn again in the backward pass instead of being kept, so
memory is the per-layer f′ (depth × batch × width) plus a few batch × width and width × width
arrays.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from actviz.catalog.activation import Activation
from actviz.flow.init import Init, InitChoice, choose_init

MAX_DEPTH = 1000
MAX_WIDTH = 4096
MAX_BATCH = 4096
MAX_CELLS = 2**24  # depth × width × batch: the kept f′ values, 128 MiB of float64
MAX_WEIGHTS = 2**26  # depth × width²: random weights drawn per pass
MAX_PRODUCTS = 2**32  # depth × batch × width²: multiply-adds per pass (with MAX_WEIGHTS: seconds)

_INPUT, _GRADIENT, _WEIGHTS = 0, 1, 2  # random streams
_LOG10_MAX = math.log10(sys.float_info.max)


@dataclass(frozen=True)
class FlowConfig:
    """Everything that defines one simulation besides the activation and its initialiser."""

    depth: int = 10
    width: int = 256
    batch: int = 256
    seed: int = 0
    input_std: float = 1.0
    bias: float = 0.0
    threshold: float = 0.01

    def check(self) -> None:
        """Raise ValueError with a clear message if any value is out of range."""
        for what, value, cap in (("depth", self.depth, MAX_DEPTH), ("width", self.width, MAX_WIDTH),
                                 ("batch", self.batch, MAX_BATCH)):
            if not 1 <= value <= cap:
                raise ValueError(f"{what} must be between 1 and {cap}, got {value}")
        cells = self.depth * self.width * self.batch
        if cells > MAX_CELLS:
            raise ValueError(
                f"depth × width × batch = {cells:,} is over the limit {MAX_CELLS:,} "
                f"(memory for f′ of every layer); lower one of them"
            )
        weights = self.depth * self.width * self.width
        if weights > MAX_WEIGHTS:
            raise ValueError(
                f"depth × width² = {weights:,} is over the limit {MAX_WEIGHTS:,} "
                f"(weights drawn per pass); lower depth or width"
            )
        products = weights * self.batch
        if products > MAX_PRODUCTS:
            raise ValueError(
                f"depth × width² × batch = {products:,} is over the limit {MAX_PRODUCTS:,} "
                f"(multiply-adds per pass); lower one of them"
            )
        if self.seed < 0:
            raise ValueError(f"seed must be ≥ 0, got {self.seed}")
        if not (math.isfinite(self.input_std) and self.input_std > 0):
            raise ValueError(f"input std must be a finite number > 0, got {self.input_std:g}")
        if not math.isfinite(self.bias):
            raise ValueError(f"bias must be a finite number, got {self.bias:g}")
        if not (math.isfinite(self.threshold) and self.threshold > 0):
            raise ValueError(f"threshold must be a finite number > 0, got {self.threshold:g}")


@dataclass(frozen=True)
class LayerStats:
    """What one layer looks like for the batch (fractions are in [0, 1])."""

    layer: int  # 1-based
    pre_mean: float
    pre_std: float
    act_mean: float
    act_std: float
    saturated: float  # share of batch × width entries with abs(f′) < threshold
    dead: float  # share of units whose f′ is exactly 0 for the whole batch
    grad_log10: float  # log10(‖δ_l‖ / ‖δ_L‖); -inf if δ_l is 0, nan if undefined

    @property
    def grad_norm(self) -> float | None:
        """‖δ_l‖ / ‖δ_L‖ (may underflow to 0.0 for huge ratios); None if undefined."""
        if math.isnan(self.grad_log10):
            return None
        if self.grad_log10 > _LOG10_MAX:
            return math.inf
        return 10.0**self.grad_log10


@dataclass(frozen=True)
class FlowResult:
    """One activation's simulation: its initialiser and the statistics of every layer."""

    act: Activation
    init: InitChoice
    weight_std: float
    layers: tuple[LayerStats, ...]
    last_grad_zero: bool  # δ_L is exactly 0: no gradient enters the network at all


def _rng(seed: int, stream: int, index: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, stream, index])


def input_batch(config: FlowConfig) -> np.ndarray:
    """The batch × width inputs a_0 ~ N(0, input_std²)."""
    x = _rng(config.seed, _INPUT).standard_normal((config.batch, config.width))
    x *= config.input_std
    return x


def output_gradient(config: FlowConfig) -> np.ndarray:
    """The batch × width gradient dL/da_L that starts the backward pass (Frobenius norm 1)."""
    g = _rng(config.seed, _GRADIENT).standard_normal((config.batch, config.width))
    g /= np.linalg.norm(g)
    return g


def layer_weights(config: FlowConfig, layer: int, std: float) -> np.ndarray:
    """Layer ``layer``'s width × width weights: the same N(0, 1) matrix for every activation, × std."""
    w = _rng(config.seed, _WEIGHTS, layer).standard_normal((config.width, config.width))
    w *= std
    return w


def simulate(act: Activation, config: FlowConfig, init: Init | None = None) -> FlowResult:
    """Run ``act`` through the network defined by ``config`` (``init`` None: the default)."""
    config.check()
    choice = choose_init(act, init)
    std = choice.init.weight_std(config.width, config.width)
    with np.errstate(all="ignore"):  # overflow to inf/nan is a result here, not a warning
        h = input_batch(config)
        grads: list[np.ndarray | None] = []
        forward = []
        for layer in range(1, config.depth + 1):
            z = h @ layer_weights(config, layer, std)
            z += config.bias
            a = np.asarray(act(z), dtype=np.float64)
            df = np.asarray(act.grad(z), dtype=np.float64)
            zero = df == 0.0
            forward.append((
                float(np.mean(z)), float(np.std(z)), float(np.mean(a)), float(np.std(a)),
                float(np.mean(np.abs(df) < config.threshold)),
                float(np.mean(np.all(zero, axis=0))),
            ))
            grads.append(df)
            h = a
        del h, z, a
        logs, last_zero = _backward(grads, config, std)
    layers = tuple(LayerStats(i + 1, *stats, logs[i]) for i, stats in enumerate(forward))
    return FlowResult(act, choice, std, layers, last_zero)


def _backward(grads: list[np.ndarray | None], config: FlowConfig, std: float) -> tuple[list[float], bool]:
    """log10(‖δ_l‖ / ‖δ_L‖) for every layer, and whether δ_L is exactly zero.

    ``grads`` holds f′ of each layer; each entry is released once used. δ is divided by its
    largest magnitude at every layer (the factor's log10 is carried in ``scale``), so neither a
    vanishing nor an exploding gradient can underflow or overflow.
    """
    depth = config.depth
    g = output_gradient(config)
    logs = [math.nan] * depth
    scale = 0.0
    for layer in range(depth, 0, -1):
        df, grads[layer - 1] = grads[layer - 1], None
        delta = g * df
        del df
        m = float(np.max(np.abs(delta)))
        if not math.isfinite(m) or m == 0.0:
            # δ is exactly 0 here (and so below: -inf), or not finite (undefined below: nan).
            fill = -math.inf if m == 0.0 else math.nan
            logs[:layer] = [fill] * layer
            break
        delta /= m
        scale += math.log10(m)
        logs[layer - 1] = scale + 0.5 * math.log10(float(np.sum(np.square(delta))))
        if layer > 1:
            g = delta @ layer_weights(config, layer, std).T
    last = logs[depth - 1]
    if not math.isfinite(last):
        return [math.nan] * depth, last == -math.inf
    return [v - last for v in logs], False


def simulate_all(acts: list[Activation], config: FlowConfig, init: Init | None = None) -> list[FlowResult]:
    """:func:`simulate` for each activation, with the same seed (same weights and inputs)."""
    config.check()
    return [simulate(act, config, init) for act in acts]
