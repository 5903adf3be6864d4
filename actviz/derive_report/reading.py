"""Reading a large input a chunk at a time, so that memory stays bounded whatever its size.

A memory-mapped ``.npy`` of 1e8 values is never in memory at once: C-contiguous arrays are read as
views of the map (and the pages already read handed back to the OS), others one copied piece at
a time.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterator

import numpy as np

from actviz.inputs import iter_chunks

CHUNK = 1 << 16  # values per chunk when streaming: 64 Ki float64 temporaries stay in cache


def _page_releaser(arr: np.ndarray) -> Callable[[int], None]:
    """For a memory-mapped array: a function that hands pages before a byte offset back to the OS.

    Pages of a file mapping that were read stay in the process's resident set until the kernel
    needs the memory; dropping those already processed keeps peak RSS at a few chunks instead of
    the whole file. The file's page cache is untouched. Other arrays: a no-op.
    """
    mm = arr.base if isinstance(arr.base, mmap.mmap) else None
    dontneed = getattr(mmap, "MADV_DONTNEED", None)
    # Only read-only maps: dropping pages of a private writable map would lose changes.
    if mm is None or dontneed is None or arr.flags.writeable or not arr.flags.c_contiguous:
        return lambda upto: None
    start = np.frombuffer(mm, dtype=np.uint8).ctypes.data
    data_offset = arr.ctypes.data - start
    state = {"released": 0}

    def release(upto: int) -> None:
        end = (data_offset + upto) // mmap.PAGESIZE * mmap.PAGESIZE
        if end > state["released"]:
            try:
                mm.madvise(dontneed, state["released"], end - state["released"])
            except (OSError, ValueError):
                return
            state["released"] = end

    return release


def chunks(arr: np.ndarray, size: int | None = None) -> Iterator[np.ndarray]:
    """The values of ``arr`` (flattened in C order) as consecutive pieces of at most ``size``.

    C-contiguous arrays (every ``.npy`` numpy writes by default) are read through
    :func:`actviz.inputs.iter_chunks` as views of the memory map, releasing pages already read;
    others are copied one piece at a time, never as a whole.
    """
    size = size or CHUNK
    if arr.flags.c_contiguous:
        release = _page_releaser(arr)
        done = 0
        for piece in iter_chunks(arr, size):
            yield piece
            done += piece.nbytes
            release(done)
    else:
        flat = arr.flat
        for begin in range(0, arr.size, size):
            yield np.asarray(flat[begin : begin + size])
