"""Framework presets: which parameter defaults and kink conventions to follow."""

from __future__ import annotations

FRAMEWORKS: tuple[str, ...] = ("tensorflow", "keras", "pytorch", "jax")
DEFAULT_FRAMEWORK = "tensorflow"
DISPLAY_NAMES: dict[str, str] = {"tensorflow": "TensorFlow", "keras": "Keras", "pytorch": "PyTorch",
                                 "jax": "JAX"}  # how people write them (titles, prose)

_ALIASES = {"tf": "tensorflow", "torch": "pytorch", "pt": "pytorch", "keras3": "keras"}


def resolve_framework(name: str | None) -> str:
    """Canonical framework name for ``name`` (None → the default); ValueError if unknown."""
    if name is None:
        return DEFAULT_FRAMEWORK
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in FRAMEWORKS:
        raise ValueError(f"unknown framework '{name}'; choose from {', '.join(FRAMEWORKS)}")
    return key
