"""Framework presets: which parameter defaults and kink conventions to follow.

The four base presets (tensorflow, keras, pytorch, jax) are written out in every catalog entry.
The others inherit what an entry does not state: ``keras:jax`` and ``keras:torch`` (Keras 3 on
those backends; plain ``keras`` is the TensorFlow backend) from ``keras``, ``flax`` from ``jax``
(Flax re-exports ``jax.nn``) and ``mlx`` from ``pytorch`` (MLX follows PyTorch's defaults; its
kink values, from ``mlx.core.maximum``/``minimum`` ties, are stated per entry where they differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

BASE_FRAMEWORKS: tuple[str, ...] = ("tensorflow", "keras", "pytorch", "jax")
FRAMEWORKS: tuple[str, ...] = ("tensorflow", "keras", "keras:jax", "keras:torch", "pytorch", "jax",
                               "flax", "mlx")
DEFAULT_FRAMEWORK = "tensorflow"
DISPLAY_NAMES: dict[str, str] = {  # how people write them (titles, prose)
    "tensorflow": "TensorFlow", "keras": "Keras", "keras:jax": "Keras (JAX backend)",
    "keras:torch": "Keras (PyTorch backend)", "pytorch": "PyTorch", "jax": "JAX", "flax": "Flax",
    "mlx": "MLX",
}

# A preset that an entry's table does not mention takes its parent's value. Keras 3 hands the
# elementwise activations to its backend (keras-team/keras keras/src/backend/{jax,torch,
# tensorflow}/nn.py at 3422977a5e, 2026-08-21): jax.nn.relu, relu6, leaky_relu, hard_sigmoid,
# elu, celu, hard_tanh, sparse_plus, sparse_sigmoid; torch.nn.functional.relu, relu6,
# leaky_relu, hardsigmoid, elu, celu, hardtanh, threshold (sparse_* as torch.where); so keras:jax
# and keras:torch kink values are the jax and pytorch ones where an entry states them. Keras's
# PReLU layer is relu(x) − α·relu(−x) in every backend (keras/src/layers/activations/prelu.py):
# f′(0) = 0, as for tf.keras.layers.PReLU.
PARENT: Mapping[str, str] = {"keras:jax": "keras", "keras:torch": "keras", "flax": "jax",
                             "mlx": "pytorch"}

LABELS: Mapping[str, str] = {
    "tensorflow": "TensorFlow (tf.nn)",
    "keras": "Keras 3, TensorFlow backend",
    "keras:jax": "Keras 3, JAX backend",
    "keras:torch": "Keras 3, PyTorch backend",
    "pytorch": "PyTorch",
    "jax": "JAX (jax.nn)",
    "flax": "Flax (linen / nnx)",
    "mlx": "MLX (mlx.nn)",
}

FRAMEWORK_ALIASES = {"tf": "tensorflow", "torch": "pytorch", "pt": "pytorch", "keras3": "keras",
                     "keras:tensorflow": "keras", "keras:tf": "keras", "keras:pytorch": "keras:torch"}
# (other spellings of the presets; the gated units' presets take them too: vector_model)

T = TypeVar("T")


def lineage(framework: str) -> tuple[str, ...]:
    """``framework``, its parents, then the default preset: where to look a value up, in order."""
    chain = [framework]
    while chain[-1] in PARENT:
        chain.append(PARENT[chain[-1]])
    if chain[-1] != DEFAULT_FRAMEWORK:
        chain.append(DEFAULT_FRAMEWORK)
    return tuple(chain)


def pick(table: Mapping[str, T], framework: str, default: T) -> T:
    """The value ``table`` gives ``framework`` or its nearest parent; ``default`` if none."""
    for fw in lineage(framework):
        if fw in table:
            return table[fw]
    return default


# The jax.nn functions flax.nnx re-exports (google/flax, flax/nnx/nn/activations.py and
# flax/nnx/__init__.py at 18f8f311, 2026-07-02; tanh comes from jax.numpy). Others (mish,
# squareplus, sparse_plus, sparse_sigmoid, log1mexp, …) a Flax model calls as jax.nn.* itself.
FLAX_NNX_REEXPORTS = frozenset({
    "celu", "elu", "gelu", "glu", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "leaky_relu", "log_sigmoid", "log_softmax", "logsumexp", "one_hot", "relu", "identity",
    "relu6", "selu", "sigmoid", "silu", "soft_sign", "softmax", "softplus", "standardize",
    "swish", "tanh",
})


def framework_name(names: Mapping[str, str | None], framework: str) -> str | None:
    """An entry's API name under ``framework``: stated, or the parent's (Flax: ``flax.nnx.*``
    for the ``jax.nn.*`` functions flax.nnx re-exports, the ``jax.nn`` name for the others);
    None where the framework has no such function. MLX is never inherited."""
    if framework in names:
        return names[framework]
    if framework == "mlx":
        return None
    parent = names.get(PARENT.get(framework, ""))
    if framework == "flax" and parent:
        if not parent.startswith("jax.nn."):
            return None
        short = parent.removeprefix("jax.nn.")
        return f"flax.nnx.{short}" if short in FLAX_NNX_REEXPORTS else parent
    return parent


def resolve_framework(name: str | None) -> str:
    """Canonical framework name for ``name`` (None → the default); ValueError if unknown."""
    if name is None:
        return DEFAULT_FRAMEWORK
    key = name.strip().lower().replace("-", ":").replace("_", ":").replace("/", ":")
    key = FRAMEWORK_ALIASES.get(key, key)
    if key not in FRAMEWORKS:
        raise ValueError(f"unknown framework '{name}'; choose from {', '.join(FRAMEWORKS)}")
    return key
