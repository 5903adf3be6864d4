"""Advice for a Transformer feed-forward block: SwiGLU / GeGLU, the half-order warning, the code.

Used by ``recommend --context transformer``. The numbers come from the catalog (the gate
function's sup |f′|); the code splits one projection with the gate as the second half, the order
of PyTorch's, Keras's and JAX's ``glu``, and says so.
"""

from __future__ import annotations

from actviz.advice.reasons import Reason
from actviz.advice.rules import HiddenChoice
from actviz.core.numtext import number

FFN_CHOICES: tuple[HiddenChoice, ...] = (
    HiddenChoice("swiglu", "Transformer feed-forward blocks: down(silu(x·W_gate) ⊙ x·W_value); "
                 "LLaMA, Mistral, Qwen, PaLM"),
    HiddenChoice("geglu", "the same with a gelu gate: T5 v1.1, Gemma (tanh-approximated gate)"),
)

HALF_ORDER_WARNING = (
    "Gated units split one projection into a gate half and a value half, and libraries disagree "
    "on the order: PyTorch, Keras, JAX and MLX glu gate with the second half; vLLM's SiluAndMul, "
    "Phi-3 and timm's SwiGLUPacked with the first; gpt-oss interleaves (even = gate). Loading fused "
    "weights with the wrong order is silent — see 'actviz info swiglu'."
)


def gated_reason(name: str, framework: str) -> Reason:
    """∂h/∂gate and ∂h/∂value of ``name`` in words, with the gate's sup |f′| from the catalog."""
    from actviz.catalog.registry import get

    gate = {"swiglu": "silu", "geglu": "gelu"}[name]
    sup = get(gate, framework).properties.sup_abs_grad
    text = (f"{name}: h = {gate}(g)·u; ∂h/∂u = {gate}(g) passes the value's gradient linearly where "
            f"the gate is open, and ∂h/∂g = {gate}′(g)·u with sup|{gate}′| = {number(sup, 4)}: no "
            "saturation on the positive side.")
    return Reason(name, text, {"sup_abs_grad_gate": sup})


_FFN = {
    "pytorch": '''\
import torch.nn as nn
import torch.nn.functional as F


class SwiGLU(nn.Module):
    """Feed-forward block; one projection holds [value | gate] (glu order)."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.up = nn.Linear(d_model, 2 * d_ff, bias=False)
        self.down = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        value, gate = self.up(x).chunk(2, dim=-1)  # gate = second half
        return self.down(F.silu(gate) * value)     # GeGLU: F.gelu(gate)''',
    "keras": '''\
import keras


class SwiGLU(keras.layers.Layer):
    """Feed-forward block; one projection holds [value | gate] (glu order)."""

    def __init__(self, d_model, d_ff, **kwargs):
        super().__init__(**kwargs)
        self.up = keras.layers.Dense(2 * d_ff, use_bias=False)
        self.down = keras.layers.Dense(d_model, use_bias=False)

    def call(self, x):
        value, gate = keras.ops.split(self.up(x), 2, axis=-1)  # gate 2nd half
        return self.down(keras.ops.silu(gate) * value)  # GeGLU: ops.gelu''',
    "tensorflow": '''\
import tensorflow as tf


class SwiGLU(tf.keras.layers.Layer):
    """Feed-forward block; one projection holds [value | gate] (glu order)."""

    def __init__(self, d_model, d_ff, **kwargs):
        super().__init__(**kwargs)
        self.up = tf.keras.layers.Dense(2 * d_ff, use_bias=False)
        self.down = tf.keras.layers.Dense(d_model, use_bias=False)

    def call(self, x):
        value, gate = tf.split(self.up(x), 2, axis=-1)  # gate = second half
        return self.down(tf.nn.silu(gate) * value)  # GeGLU: tf.nn.gelu''',
    "jax": '''\
import flax.linen as nn
import jax


class SwiGLU(nn.Module):
    """Feed-forward block; one projection holds [value | gate] (glu order)."""

    d_model: int
    d_ff: int

    @nn.compact
    def __call__(self, x):
        up = nn.Dense(2 * self.d_ff, use_bias=False)(x)
        value, gate = jax.numpy.split(up, 2, axis=-1)  # gate = second half
        h = jax.nn.silu(gate) * value  # GeGLU: jax.nn.gelu(gate)
        return nn.Dense(self.d_model, use_bias=False)(h)''',
}


def ffn_snippet(framework: str) -> str:
    """A SwiGLU feed-forward block in ``framework`` (gate = second half, said in the code)."""
    return _FFN[framework]
