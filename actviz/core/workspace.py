"""Reusable scratch rows for kernels that need several temporaries of their input's size.

A kernel that allocates and frees a handful of 256 KB temporaries per call (a 32768-value
block, see catalog/activation.py BLOCK) makes the C allocator hand the freed memory back to
the system and fault it in again on the next call: measured, that costs more than the
arithmetic (exact gelu: 20 ns per value with fresh temporaries, 9 ns with these rows). Each
thread keeps one buffer per name, grown to the largest block it has seen up to ``MAX_VALUES``
(the catalog's block size); larger inputs get a fresh buffer. Kernels return new arrays, never
these rows, and kernels that share a name never call each other while they hold its rows.
"""

from __future__ import annotations

import threading

import numpy as np

MAX_VALUES = 1 << 15  # values per row kept between calls: 256 KB a row
_LOCAL = threading.local()


def rows(name: str, count: int, n: int) -> np.ndarray:
    """A (count, n) float64 array of scratch rows for ``name`` (uninitialised; each row
    C-contiguous). Only valid until the same thread asks for ``name`` again."""
    if n > MAX_VALUES:
        return np.empty((count, n))
    cache = getattr(_LOCAL, "buffers", None)
    if cache is None:
        cache = _LOCAL.buffers = {}
    buf = cache.get(name)
    if buf is None or buf.shape[0] < count or buf.shape[1] < n:
        width = max(n, buf.shape[1] if buf is not None else 0)
        buf = cache[name] = np.empty((max(count, buf.shape[0] if buf is not None else 0), width))
    return buf[:count, :n]
