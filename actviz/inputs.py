"""Reading numbers from files and stdin: ``.npy`` (memory-mapped), ``.txt``/``.csv`` or text.

Text input: numbers separated by commas, semicolons, spaces, tabs or newlines; blank lines and
``#`` comments are skipped. Every row must hold the same number of values (a ragged row is an
error naming its line); rows of one value, or a single row, give 1-D, other tables 2-D (one row a
line). A first row that is not all numbers is a CSV header. Text is read in chunks (see
:mod:`actviz.textstream`). Every problem is an :class:`InputError` naming the source and, for
text, the line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import IO

import numpy as np

CHUNK = 1 << 20  # values per chunk when streaming large arrays


class InputError(ValueError):
    """Input that cannot be read as numbers."""


def _name(source: str) -> str:
    return "stdin" if source == "-" else source


def read_numbers(source: str, stdin: IO[str] | None = None) -> np.ndarray:
    """All numbers in ``source`` ('-' for stdin): 1-D or 2-D; ``.npy`` files are memory-mapped.

    Text is parsed in chunks by :class:`actviz.textstream.TextTable` (a ragged row is an error
    naming its line; binary data is refused from its first chunk); only the values are kept.
    """
    from actviz.textstream import read_table

    if source != "-" and source.lower().endswith(".npy"):
        return _read_npy(source)
    if source == "-":
        if stdin is not None and not hasattr(stdin, "buffer"):
            return parse_text(stdin.read(), "stdin")
        return read_table((stdin or sys.stdin).buffer, "stdin")
    with open_text(source) as fh:
        return read_table(fh, source)


def open_text(source: str) -> IO[bytes]:
    """A text file opened for reading in binary (decoded in chunks); InputError if it cannot be."""
    if os.path.isdir(source):
        raise InputError(f"cannot read '{source}': it is a directory")
    try:
        return open(source, "rb")
    except OSError as exc:
        raise file_error(source, exc) from None


def file_error(path: str, exc: OSError) -> InputError:
    """One line for a file that cannot be opened: missing, a directory, not permitted, other."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"cannot read '{path}': no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"cannot read '{path}': it is a directory")
    if isinstance(exc, PermissionError):
        return InputError(f"cannot read '{path}': permission denied")
    return InputError(f"cannot read '{path}': {exc.strerror or exc}")


def parse_text(text: str, where: str = "input") -> np.ndarray:
    """Numbers in ``text`` as described in the module docstring (a ragged row is an error)."""
    import io

    from actviz.textstream import read_table

    return read_table(io.BytesIO(text.encode("utf-8")), where)


def load_npy(path: str) -> np.ndarray:
    """The array in a ``.npy`` file, memory-mapped, never unpickled; InputError naming the problem."""
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise InputError(f"cannot read '{path}': no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read '{path}': it is a directory") from None
    except PermissionError:
        raise InputError(f"cannot read '{path}': permission denied") from None
    except ValueError as exc:
        if _npy_holds_objects(path):
            raise InputError(f"'{path}' holds Python objects (dtype object); actviz never unpickles "
                             "data: save a numeric array") from None
        raise InputError(f"cannot read '{path}': not a valid .npy file ({exc})") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read '{path}': not a valid .npy file ({exc})") from None


def _read_npy(path: str) -> np.ndarray:
    arr = load_npy(path)
    if arr.dtype.kind not in "biuf":
        raise InputError(f"'{path}' holds {arr.dtype} values; expected real numbers")
    if arr.size == 0:
        raise InputError(f"'{path}': no numbers found (empty array)")
    return arr


def _npy_holds_objects(path: str) -> bool:
    """Whether a file with the .npy magic declares an object dtype (read from its header only)."""
    from actviz.sources import read_npy_header

    try:
        with open(path, "rb") as fh:
            _, _, dtype = read_npy_header(fh)
    except (ValueError, OSError, EOFError):
        return False
    return bool(dtype.hasobject)


def iter_chunks(arr: np.ndarray, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Consecutive pieces of the flattened array (views of a memory map: no full copy)."""
    flat = arr.reshape(-1)
    for start in range(0, flat.size, chunk):
        yield np.asarray(flat[start : start + chunk])
