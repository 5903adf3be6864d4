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

# A preset that an entry's table does not mention takes its parent's value.
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

_ALIASES = {"tf": "tensorflow", "torch": "pytorch", "pt": "pytorch", "keras3": "keras",
            "keras:tensorflow": "keras", "keras:tf": "keras", "keras:pytorch": "keras:torch"}

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


def framework_name(names: Mapping[str, str | None], framework: str) -> str | None:
    """An entry's API name under ``framework``: stated, or the parent's (Flax: ``flax.nnx.*``
    for ``jax.nn.*``); None where the framework has no such function. MLX is never inherited."""
    if framework in names:
        return names[framework]
    if framework == "mlx":
        return None
    parent = names.get(PARENT.get(framework, ""))
    if framework == "flax" and parent:
        return parent.replace("jax.nn.", "flax.nnx.", 1) if parent.startswith("jax.nn.") else None
    return parent


def resolve_framework(name: str | None) -> str:
    """Canonical framework name for ``name`` (None → the default); ValueError if unknown."""
    if name is None:
        return DEFAULT_FRAMEWORK
    key = name.strip().lower().replace("-", ":").replace("_", ":").replace("/", ":")
    key = _ALIASES.get(key, key)
    if key not in FRAMEWORKS:
        raise ValueError(f"unknown framework '{name}'; choose from {', '.join(FRAMEWORKS)}")
    return key
