"""Reading the arrays ``check`` compares: inputs, values and gradients, with their dtype.

``.npy`` files are memory-mapped (never loaded whole; ``allow_pickle`` stays off) and keep their
dtype: float64, float32, float16, bfloat16 as ml_dtypes saves it (a 2-byte void dtype, ``|V2``),
or unsigned patterns (``uint16`` with ``dtype="bfloat16"``). Text files and stdin hold decimal
numbers, read as float64 and rounded once into ``dtype`` when one is given. Problems:
:class:`~actviz.inputs.InputError` (exit 1) for a file that cannot be read or holds no numbers,
:class:`WrongArray` (exit 2) for a readable array of the wrong kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from actviz.core import ulp as u
from actviz.core.params import ParamError, param
from actviz.inputs import InputError, load_npy, read_numbers


class WrongArray(ParamError):
    """An array that was read but cannot be used as given (ints, a clash of dtypes)."""


@dataclass(frozen=True)
class Loaded:
    """A flat array and its format: floats of ``fmt``, or its unsigned patterns."""

    data: np.ndarray
    fmt: u.FloatFormat
    source: str

    @property
    def bits(self) -> np.ndarray:
        """The bit patterns (a view)."""
        return u.to_bits(self.data, self.fmt)


def load(source: str, what: str, dtype: u.FloatFormat | None, stdin_text: str | None = None,
         strict: bool = True) -> Loaded:
    """The array in ``source`` ('-': stdin) for parameter ``what`` (``x``, ``values``, ``grads``).
    ``dtype`` reads unsigned patterns and rounds text; with ``strict`` a float file must also have it."""
    name = "stdin" if source == "-" else source
    if source != "-" and source.lower().endswith(".npy"):
        arr = load_npy(source)
        if arr.size == 0:
            raise InputError(f"'{source}': no numbers found (empty array)")
        return from_array(arr, what, dtype, strict, source)
    if stdin_text is not None:
        from actviz.inputs import parse_text

        values = parse_text(stdin_text, name)
    else:
        values = read_numbers(source)
    return from_numbers(values, dtype, name)


def from_numbers(values: object, dtype: u.FloatFormat | None, name: str) -> Loaded:
    """Decimal numbers (float64; a list, text read from a file) rounded once into ``dtype``."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    fmt = dtype or u.FLOAT64
    return Loaded(values if fmt is u.FLOAT64 else u.round_to(values, fmt), fmt, name)


def from_array(arr: np.ndarray, what: str, dtype: u.FloatFormat | None, strict: bool = True,
               name: str | None = None) -> Loaded:
    """An array that keeps its dtype (a ``.npy`` file, or one handed to :func:`actviz.check`):
    float64, float32, float16, bfloat16 (ml_dtypes', or ``|V2``), or unsigned patterns of ``dtype``."""
    where = f"{param(what)} {name}" if name else param(what)  # "values y.npy", or "values"
    flat = arr.reshape(-1)
    dt = flat.dtype
    fmt = u.format_of(dt)
    if fmt is None and dt.kind == "V" and dt.itemsize == 2 and dt.fields is None:
        fmt = u.BFLOAT16  # ml_dtypes writes bfloat16 arrays as |V2
        flat = flat.view(np.uint16)
    if fmt is None and dt.kind == "u" and dtype is not None and dt.itemsize * 8 == dtype.bits:
        fmt = dtype  # bit patterns of the given dtype
    if fmt is None:
        if dt.kind in "biu":
            hint = (f" (uint16 bit patterns need {param('dtype', 'bfloat16')} or float16)"
                    if dt == np.uint16 else "")
            raise WrongArray(f"{where} holds {dt} values; expected floating-point numbers: "
                             f"the dtype of {param('values')} is the target dtype{hint}")
        raise InputError(f"cannot read '{name or what}': {dt} is not a dtype check can read "
                         "(float64, float32, float16, bfloat16)")
    if strict and dtype is not None and fmt is not dtype:
        raise WrongArray(f"{where} holds {fmt.name} values, but {param('dtype')} is "
                         f"{dtype.name}")
    return Loaded(flat, fmt, name or what)
