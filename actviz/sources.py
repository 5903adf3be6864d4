"""Opening an ``--input``: one or several named arrays, each read chunk by chunk.

- ``.npy``: one array, memory-mapped (:func:`actviz.inputs.read_numbers`);
- ``.npz`` (NumPy's zip of ``.npy`` members, compressed or not): one array per member, each read
  from the zip stream in pieces of ``READ_VALUES`` values, never whole;
- ``.safetensors`` (Hugging Face's format; the optional extra ``actviz[safetensors]``): one array
  per tensor, read through the ``safetensors`` package's NumPy reader slice by slice along the
  first axis (no pickle anywhere); bfloat16 tensors, which NumPy cannot hold, are memory-mapped
  from the file's own header and widened exactly to float32; float8 ones are an error when read;
- anything else is text (a file or ``-`` for stdin), streamed by :class:`actviz.textstream.TextTable`.

Object arrays are refused (``allow_pickle`` is never set); so are complex and other non-real
dtypes. ``only`` keeps the arrays whose name matches one of its glob patterns.
"""

from __future__ import annotations

import fnmatch
import functools
import math
import os
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

import numpy as np

from actviz.core.params import ParamError, param
from actviz.inputs import InputError, file_error

READ_VALUES = 1 << 18  # values read from a zip member or a tensor at a time
PIECE = 1 << 16  # a parsed text block is handed on in pieces of this many values (cache-sized)
SAFETENSORS_HINT = "install the optional extra: pip install 'actviz[safetensors]'"
_REAL = "biuf"  # dtype kinds read as numbers: bool, signed, unsigned, float


def read_npy_header(fh: IO[bytes]) -> tuple[tuple[int, ...], bool, np.dtype]:
    """(shape, fortran_order, dtype) from the header of a ``.npy`` stream (data not read)."""
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(fh)
    return np.lib.format.read_array_header_2_0(fh)


class SelectionError(InputError, ParamError):
    """``column`` or ``only`` does not fit the input (exit 1 from the CLI, naming the option)."""


@dataclass(frozen=True)
class ArrayInput:
    """One named array of an input. ``read()`` yields its values (flattened, in storage order)."""

    name: str
    shape: tuple[int, ...] | None  # None for text until it has been read (see ``table``)
    dtype: str
    read: Callable[[], Iterator[np.ndarray]]
    array: np.ndarray | None = None  # a memory-mapped .npy (read through its pages)
    table: Any = None  # the TextTable of a text input

    @property
    def final_shape(self) -> tuple[int, ...] | None:
        """The shape, for text once it has been read: (values,) or (rows, columns)."""
        if self.table is None:
            return self.shape
        t = self.table
        if t.width is None:
            return (0,)
        if t.column is not None or t.width == 1 or t.rows <= 1:
            return (t.values,)
        return (t.rows, t.width)


@dataclass(frozen=True)
class InputSet:
    """The arrays of one ``--input``, with what a progress bar needs."""

    source: str  # as shown: the path or "stdin"
    kind: str  # "npy", "npz", "safetensors" or "text"
    arrays: tuple[ArrayInput, ...]
    total: int | None = None  # progress units in all: values, or bytes of a text file
    position: Callable[[int], int] | None = field(default=None, compare=False)  # values done → units

    @property
    def several(self) -> bool:
        return self.kind in ("npz", "safetensors")


def open_input(source: str, column: str | None = None, only: Sequence[str] = (),
               stdin: BinaryIO | None = None) -> InputSet:
    """The arrays of ``source`` ('-' for stdin); InputError for anything unreadable."""
    lower = source.lower()
    if column is not None and (lower.endswith((".npy", ".npz", ".safetensors"))):
        raise SelectionError(f"{param('column')} applies to text and CSV input only")
    if only and not lower.endswith((".npz", ".safetensors")):
        raise SelectionError(f"{param('only')} selects arrays of a .npz or .safetensors file")
    if lower.endswith(".npz"):
        arrays = _select(_npz_arrays(source), only, source)
        kind = "npz"
    elif lower.endswith(".safetensors"):
        arrays = _select(_safetensors_arrays(source), only, source)
        kind = "safetensors"
    elif lower.endswith(".npy") and source != "-":
        from actviz.inputs import iter_chunks, read_numbers

        arr = read_numbers(source)
        arrays = [ArrayInput(os.path.basename(source), tuple(arr.shape), str(arr.dtype),
                             lambda: iter_chunks(arr), array=arr)]
        kind = "npy"
    else:
        return _text_input(source, column, stdin)
    total = sum(math.prod(a.shape or (0,)) for a in arrays)
    return InputSet(source, kind, tuple(arrays), total, lambda done: done)


def _select(arrays: list[ArrayInput], only: Sequence[str], source: str) -> list[ArrayInput]:
    if not arrays:
        raise InputError(f"'{source}' holds no arrays")
    if not only:
        return arrays
    kept = [a for a in arrays if any(fnmatch.fnmatchcase(a.name, p) for p in only)]
    if not kept:
        names = ", ".join(a.name for a in arrays[:12]) + (", …" if len(arrays) > 12 else "")
        raise SelectionError(f"{param('only', ' '.join(only))} matches no array of '{source}' "
                             f"(arrays: {names})")
    return kept


def _check_dtype(dtype: np.dtype, name: str, source: str) -> None:
    if dtype.hasobject:
        raise InputError(f"'{source}': array '{name}' holds Python objects (dtype object); actviz never "
                         "unpickles data: save numeric arrays")
    if dtype.kind not in _REAL:
        raise InputError(f"'{source}': array '{name}' holds {dtype} values; expected real numbers")


# --- .npz -----------------------------------------------------------------------------------
def _npz_arrays(path: str) -> list[ArrayInput]:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"cannot read '{path}': not a valid .npz file ({exc})") from None
    except OSError as exc:
        raise file_error(path, exc) from None
    arrays = []
    with zf:
        for info in zf.infolist():
            if not info.filename.endswith(".npy"):
                continue
            name = info.filename[:-4]
            try:
                with zf.open(info) as fh:
                    shape, _, dtype = read_npy_header(fh)
            except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
                raise InputError(f"cannot read '{path}': member '{name}' is not a valid .npy "
                                 f"({exc})") from None
            _check_dtype(dtype, name, path)
            reader = functools.partial(_npz_member, path, info, tuple(shape), dtype)
            arrays.append(ArrayInput(name, tuple(shape), str(dtype), reader))
    return arrays


def _npz_member(path: str, info: zipfile.ZipInfo, shape: tuple[int, ...], dtype: np.dtype
                ) -> Iterator[np.ndarray]:
    """The values of one member, READ_VALUES at a time, straight from the (decompressed) stream."""
    n = math.prod(shape)
    with zipfile.ZipFile(path) as zf, zf.open(info) as fh:
        read_npy_header(fh)
        done = 0
        while done < n:
            want = min(READ_VALUES, n - done)
            data = fh.read(want * dtype.itemsize)
            if len(data) != want * dtype.itemsize:
                raise InputError(f"cannot read '{path}': member '{info.filename[:-4]}' is truncated")
            done += want
            yield np.frombuffer(data, dtype=dtype)


# --- .safetensors ---------------------------------------------------------------------------
def _safetensors_arrays(path: str) -> list[ArrayInput]:
    try:
        from safetensors import safe_open
    except ImportError:
        raise InputError(f"reading '{path}' needs the safetensors package: {SAFETENSORS_HINT}") from None
    if not os.path.exists(path):
        raise InputError(f"cannot read '{path}': no such file")
    if os.path.isdir(path):
        raise InputError(f"cannot read '{path}': it is a directory")
    try:
        with safe_open(path, framework="numpy") as f:
            specs = [(k, tuple(f.get_slice(k).get_shape()), f.get_slice(k).get_dtype()) for k in f.keys()]
    except Exception as exc:  # noqa: BLE001 - the Rust reader raises its own error types
        raise InputError(f"cannot read '{path}': not a valid .safetensors file ({exc})") from None
    arrays = []
    for name, shape, dtype in specs:
        if dtype == "BF16":
            reader = functools.partial(_bfloat16_tensor, path, name, shape)
        elif dtype.startswith("F8"):
            reader = functools.partial(_unreadable, path, name, dtype)
        else:
            reader = functools.partial(_tensor, path, name, shape)
        arrays.append(ArrayInput(name, shape, dtype.lower(), reader))
    return arrays


def _unreadable(path: str, name: str, dtype: str) -> Iterator[np.ndarray]:
    raise SelectionError(f"'{path}': tensor '{name}' is {dtype}, which NumPy cannot read; convert it "
                         f"to float32 or leave it out with {param('only')}")
    yield  # a generator, like the other readers: the error comes when the tensor is read


def _bfloat16_tensor(path: str, name: str, shape: tuple[int, ...]) -> Iterator[np.ndarray]:
    """A bfloat16 tensor (NumPy has no such dtype; the package's NumPy reader refuses it).

    bfloat16 is the top half of a float32, so each 16-bit value shifted left by 16 bits is the
    float32 with the same value, exactly. The bytes are found from the file's JSON header
    (``data_offsets``, after the 8-byte header length) and memory-mapped, READ_VALUES at a time.
    """
    import json

    n = math.prod(shape)
    if n == 0:
        return
    with open(path, "rb") as fh:
        size = int.from_bytes(fh.read(8), "little")
        header = json.loads(fh.read(size))
    begin, end = header[name]["data_offsets"]
    if end - begin != 2 * n:
        raise InputError(f"cannot read '{path}': tensor '{name}' has {end - begin} bytes for {n} values")
    raw = np.memmap(path, dtype="<u2", mode="r", offset=8 + size + begin, shape=(n,))
    for start in range(0, n, READ_VALUES):
        yield (raw[start : start + READ_VALUES].astype(np.uint32) << 16).view(np.float32)


def _tensor(path: str, name: str, shape: tuple[int, ...]) -> Iterator[np.ndarray]:
    """One tensor in slices along its first axis of about READ_VALUES values each."""
    from safetensors import safe_open

    if math.prod(shape) == 0:
        return
    with safe_open(path, framework="numpy") as f:
        sl = f.get_slice(name)
        if len(shape) == 0:
            yield np.asarray(f.get_tensor(name)).reshape(-1)
            return
        row = max(1, math.prod(shape[1:]))
        step = max(1, READ_VALUES // row)
        for start in range(0, shape[0], step):
            yield np.ascontiguousarray(sl[start : min(start + step, shape[0])]).reshape(-1)


# --- text -----------------------------------------------------------------------------------
def _text_input(source: str, column: str | None, stdin: BinaryIO | None) -> InputSet:
    from actviz.inputs import open_text
    from actviz.textstream import TextTable

    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        size = None
        where = "stdin"
    else:
        stream = open_text(source)
        where = source
        try:
            size = os.fstat(stream.fileno()).st_size or None
        except OSError:
            size = None
    table = TextTable(stream, where, column)

    def read() -> Iterator[np.ndarray]:
        try:
            for block in table.chunks():
                flat = block.reshape(-1)
                for start in range(0, flat.size, PIECE):
                    yield flat[start : start + PIECE]
        finally:
            if source != "-":
                stream.close()

    name = "stdin" if source == "-" else os.path.basename(source)
    position = (lambda done: stream.tell()) if size is not None else None
    return InputSet(where, "text", (ArrayInput(name, None, "text", read, table=table),), size, position)
