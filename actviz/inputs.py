"""Reading numbers from files and stdin: ``.npy`` (memory-mapped), ``.txt``/``.csv`` or text.

Text input: numbers separated by commas, semicolons, spaces, tabs or newlines; blank lines and
lines starting with ``#`` are skipped. A text input whose non-empty lines all hold the same
number (> 1) of values is 2-D (one row a line); anything else is flattened to 1-D. Every problem
is an :class:`InputError` naming the source and, for text, the line.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from typing import IO

import numpy as np

_SPLIT = re.compile(r"[,;\s]+")
CHUNK = 1 << 20  # values per chunk when streaming large arrays


class InputError(ValueError):
    """Input that cannot be read as numbers."""


def _name(source: str) -> str:
    return "stdin" if source == "-" else source


def read_numbers(source: str, stdin: IO[str] | None = None) -> np.ndarray:
    """All numbers in ``source`` ('-' for stdin): 1-D or 2-D; ``.npy`` files are memory-mapped."""
    if source != "-" and source.lower().endswith(".npy"):
        return _read_npy(source)
    if source == "-":
        text = (stdin or sys.stdin).read()
    else:
        if os.path.isdir(source):
            raise InputError(f"cannot read '{source}': it is a directory")
        try:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            raise InputError(f"cannot read '{source}': no such file") from None
        except PermissionError:
            raise InputError(f"cannot read '{source}': permission denied") from None
        except UnicodeDecodeError:
            raise InputError(
                f"cannot read '{source}': not a text file (use .npy for binary arrays)"
            ) from None
        except OSError as exc:
            raise InputError(f"cannot read '{source}': {exc.strerror or exc}") from None
    return parse_text(text, _name(source))


def parse_text(text: str, where: str = "input") -> np.ndarray:
    """Numbers in ``text`` as described in the module docstring."""
    fast = _parse_one_per_line(text)
    if fast is not None:
        return fast
    rows: list[list[float]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        row = []
        for token in _SPLIT.split(stripped):
            if not token:
                continue
            try:
                row.append(float(token.replace("−", "-")))
            except ValueError:
                shown = token if len(token) <= 30 else token[:27] + "..."
                raise InputError(f"{where}, line {lineno}: '{shown}' is not a number") from None
        rows.append(row)
    if not rows:
        raise InputError(f"{where}: no numbers found (empty input)")
    widths = {len(r) for r in rows}
    if len(rows) > 1 and len(widths) == 1 and widths != {1}:
        return np.array(rows, dtype=np.float64)
    return np.array([v for r in rows for v in r], dtype=np.float64)


def _parse_one_per_line(text: str) -> np.ndarray | None:
    """The common large case, one number a line (or one line of numbers), converted by NumPy in
    one call: about 5× faster than the general parser. None when it does not apply or a token is
    not a number (the general parser then finds and names the line)."""
    if "#" in text or "−" in text:
        return None
    lines = sum(1 for line in text.splitlines() if line.strip())
    try:
        plain = "," not in text and ";" not in text
        values = np.array(text.split() if plain else _SPLIT.split(text.strip()), dtype=np.float64)
    except ValueError:
        return None
    if lines == 0 or values.size == 0 or (lines > 1 and values.size != lines):
        return None
    return values


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
    except (ValueError, OSError, EOFError) as exc:
        raise InputError(f"cannot read '{path}': not a valid .npy file ({exc})") from None


def _read_npy(path: str) -> np.ndarray:
    arr = load_npy(path)
    if arr.dtype.kind not in "biuf":
        raise InputError(f"'{path}' holds {arr.dtype} values; expected real numbers")
    if arr.size == 0:
        raise InputError(f"'{path}': no numbers found (empty array)")
    return arr


def iter_chunks(arr: np.ndarray, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Consecutive pieces of the flattened array (views of a memory map: no full copy)."""
    flat = arr.reshape(-1)
    for start in range(0, flat.size, chunk):
        yield np.asarray(flat[start : start + chunk])
