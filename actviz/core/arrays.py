"""Small array helpers shared by the analysis and the commands."""

from __future__ import annotations

import numpy as np


def sorted_unique(values: np.ndarray | list[float]) -> np.ndarray:
    """The distinct values in ascending order, NaN (once) last.

    Same result as ``np.unique(..., equal_nan=True)`` for 1-D float input, without the import of
    ``numpy.ma`` that ``np.unique`` triggers (several milliseconds of start-up).
    """
    a = np.sort(np.asarray(values, dtype=np.float64).ravel())
    if a.size < 2:
        return a
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    nan = np.isnan(a)
    keep[1:] &= ~(nan[1:] & nan[:-1])
    return a[keep]


_TENSOR_PACKAGES = ("torch", "jax", "jaxlib")


def as_array(x: object) -> np.ndarray | object:
    """``x`` as NumPy data when it is a PyTorch or JAX tensor; anything else unchanged.

    Neither library is imported here: a tensor can only exist if its library is already loaded,
    so the test is its type's package name. A PyTorch tensor is detached and copied to the CPU
    (``x.detach().cpu().numpy()``); a JAX array goes through ``np.asarray`` (a copy from the
    device when needed). Lists, scalars and arrays are returned as they are.

    >>> as_array([1.0, 2.0])
    [1.0, 2.0]
    """
    if isinstance(x, np.ndarray):
        return x
    package = type(x).__module__.partition(".")[0]
    if package not in _TENSOR_PACKAGES:
        return x
    if package == "torch" and hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return np.asarray(x)
