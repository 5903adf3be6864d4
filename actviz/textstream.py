"""Numbers from text (a file or stdin), read and parsed in chunks: bounded memory for any length.

The text is read ``CHUNK_BYTES`` at a time and cut at the last complete line; each block of lines
goes through NumPy's C parser (:func:`numpy.fromstring` for one number a line, else
:func:`numpy.loadtxt`) and is handed on as a float64 array, so the memory in use is a few blocks
whatever the input size (an endless ``yes 1`` stream included). Blocks stay bytes: ASCII chunks
are never decoded (others go through an incremental UTF-8 decoder), and a pipe on stdin is
widened to one chunk (:func:`widen_pipe`).

Layout (as :mod:`actviz.inputs` describes): numbers separated by commas, semicolons, spaces or
tabs, one row a line; blank lines and ``#`` comments are skipped; ``−`` (U+2212) is a minus sign.

- Every row must hold the same number of values: a ragged row is an :class:`InputError` naming
  its line, never merged with the others. (One long line of numbers is one row.)
- A first row in which no token is a number is a CSV header: its names label the columns (a
  first row mixing numbers and other tokens is an error naming the token).
  ``column`` (a name, or a 1-based index as in ``cut`` and ``awk``) picks one column; without it a
  table with a header must have exactly one numeric column, else :class:`ColumnError` lists them.
- Binary data is refused from its first chunk: a NUL byte, bytes that are not UTF-8, or the
  magic of a ``.npy``/``.npz``/``.safetensors`` file piped in.
- A bad value is an :class:`InputError` naming its line and token (found by a line-by-line pass
  over the one block where NumPy's parser stopped).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import warnings
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np

from actviz.core.params import ParamError, param
from actviz.inputs import InputError

CHUNK_BYTES = 1 << 20  # bytes read at a time (1 MiB: ~120,000 short numbers; larger blocks fragment
# the C heap: 4 MiB blocks grew the resident set by ~2 MB per million values)
MAX_TOKEN = 1 << 12  # a "number" longer than this many characters is an error, not a growing buffer
_SPLIT = re.compile(r"[,;\s]+")
_MINUS = "−".encode()  # U+2212, read as "-"
_MAGIC = {b"\x93NUMPY": ".npy", b"PK\x03\x04": ".npz (zip)", b"\x1f\x8b": "gzip"}


def widen_pipe(stream: BinaryIO, size: int = CHUNK_BYTES) -> None:
    """Let a pipe (stdin from ``cat x.txt |``) hold ``size`` bytes instead of Linux's 64 KiB.

    Then the writer fills a whole chunk while the last one is parsed, and reading a chunk is one
    copy instead of sixteen hand-overs between the two processes. Nothing happens for files, on
    systems without ``F_SETPIPE_SZ``, or when the system refuses (a limit in
    /proc/sys/fs/pipe-max-size): the pipe then keeps its size.
    """
    import stat

    try:
        fd = stream.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return
        import fcntl

        setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
        if setsize is not None:
            fcntl.fcntl(fd, setsize, size)
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return


def _count(data: bytes, byte: bytes) -> int:
    """How often the one-byte ``byte`` occurs in ``data`` (NumPy: ~10× faster than bytes.count)."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == ord(byte)))


class ColumnError(InputError, ParamError):
    """The column to read is missing or ambiguous (a usage problem: the user must choose)."""


def _shown(token: str) -> str:
    return token if len(token) <= 30 else token[:27] + "..."


def _is_number(token: str) -> bool:
    try:
        float(token.replace("−", "-"))
    except ValueError:
        return False
    return True


class TextTable:
    """One pass over the numbers of a text stream, chunk by chunk.

    ``rows`` and ``width`` (values per row) grow as :meth:`chunks` runs; ``header`` holds the
    column names of a CSV header (None without one) and ``column`` the 0-based column read (None:
    every column).
    """

    def __init__(self, stream: BinaryIO, where: str, column: str | None = None,
                 chunk_bytes: int = CHUNK_BYTES, one_column: bool = True) -> None:
        self.stream = stream
        self.one_column = one_column  # a table with a header must name its column (else: all columns)
        self.where = where
        self.column_spec = column
        self.chunk_bytes = chunk_bytes
        self.header: list[str] | None = None
        self.column: int | None = None
        self.width: int | None = None  # values per row in the file (all columns)
        self.rows = 0
        self.values = 0
        self._delimiter: str | None = None
        self._lineno = 0  # lines fully consumed so far
        self._long_line = 0  # values seen so far on a line longer than a chunk
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()  # drops a leading BOM (Excel CSV)
        self._first = True
        widen_pipe(stream, chunk_bytes)

    # --- reading bytes ---------------------------------------------------------------------
    def _read_bytes(self) -> bytes | None:
        """The next chunk as UTF-8 bytes; None at the end. Binary data is refused here.

        ASCII chunks (the usual case) are handed on as read: no decoding, no copy. Others go
        through an incremental UTF-8 decoder (a character cut between two chunks is joined) and
        are encoded back; the first chunk always does, so that a leading BOM is dropped.
        """
        data = self.stream.read(self.chunk_bytes)
        if self._first:
            for magic, kind in _MAGIC.items():
                if data.startswith(magic):
                    raise InputError(f"cannot read {self.where}: binary data ({kind} file), not text; "
                                     "give the file's path with its extension instead")
        if b"\0" in data:
            raise InputError(f"cannot read {self.where}: binary data (NUL bytes), not text "
                             "(use .npy, .npz or .safetensors for binary arrays)")
        if data and not self._first and data.isascii() and not self._decoder.getstate()[0]:
            return data
        self._first = False
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise InputError(f"cannot read {self.where}: not a text file (not UTF-8; use .npy, .npz or "
                             ".safetensors for binary arrays)") from None
        if not data:
            return text.encode() or None
        return text.encode()

    # --- the public pass -------------------------------------------------------------------
    def chunks(self) -> Iterator[np.ndarray]:
        """float64 blocks: 1-D when one column is read (or each row has one value), else 2-D."""
        pending = b""
        while True:
            data = self._read_bytes()
            if data is None:
                break
            pending = pending + data if pending else data
            cut = pending.rfind(b"\n")
            if cut < 0:
                if len(pending) > self.chunk_bytes and self._long_line_cut(pending) > 0:
                    cut = self._long_line_cut(pending)
                    head, pending = pending[:cut], pending[cut:]
                    block = self._parse_long(head.decode())
                    if block is not None:
                        yield block
                continue
            if cut + 1 == len(pending):  # the chunk ends with a whole line: no copy
                block_data, pending = pending, b""
            else:
                block_data, pending = pending[: cut + 1], pending[cut + 1 :]
            yield from self._blocks(block_data)
        if pending.strip() or self._long_line:
            yield from self._blocks(pending + b"\n")

    # --- blocks of whole lines -------------------------------------------------------------
    def _blocks(self, data: bytes) -> Iterator[np.ndarray]:
        """The values of whole lines of UTF-8 ``data``."""
        if self._long_line:  # the end of a line longer than a chunk
            end = data.index(b"\n") + 1
            block = self._parse_long(data[:end].decode(), last=True)
            if block is not None:
                yield block
            data = data[end:]
        if self.width is None:
            data = self._start(data.decode()).encode()
            if self.width is None:
                return
        block = self._parse(data)
        if block is not None and block.size:
            yield block

    def _start(self, text: str) -> str:
        """Find the first data line: delimiter, header, width and column. Returns the rest."""
        lines = text.splitlines(keepends=True)
        for i, line in enumerate(lines):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            self._delimiter = "," if "," in stripped else ";" if ";" in stripped else None
            tokens = self._tokens(stripped)
            numbers = [_is_number(t) for t in tokens]
            if any(numbers) and not all(numbers):  # neither a header nor a row of numbers
                bad = tokens[numbers.index(False)]
                raise InputError(f"{self.where}, line {self._lineno + i + 1}: '{_shown(bad)}' is not "
                                 "a number")
            if not any(numbers):
                rest = "".join(lines[i + 1 :])
                if not any(r.strip() and not r.lstrip().startswith("#") for r in lines[i + 1 :]):
                    bad = next(t for t in tokens if not _is_number(t))  # no data: not a header
                    raise InputError(f"{self.where}, line {self._lineno + i + 1}: '{_shown(bad)}' is not "
                                     "a number")
                self.header = [t.strip().strip('"') for t in tokens]
                self._lineno += i + 1
                self.width = len(tokens)
                self._choose_column(rest)
                return rest
            self._lineno += i
            self.width = len(tokens)
            self._choose_column("")
            return "".join(lines[i:])
        self._lineno += len(lines)
        return ""

    def _tokens(self, stripped: str) -> list[str]:
        if self._delimiter is None:
            return stripped.split()
        return [t.strip() for t in stripped.split(self._delimiter)]

    def _choose_column(self, rest: str) -> None:
        assert self.width is not None
        names = self.header
        spec = self.column_spec
        if spec is None:
            if names is None or not self.one_column:
                return
            numeric = self._numeric_columns(rest)
            if len(numeric) == 1:
                self.column = numeric[0]
                return
            listed = ", ".join(f"{i + 1}:{names[i]}" for i in (numeric or range(self.width)))
            what = f"{len(numeric)} numeric columns" if numeric else "no numeric column"
            raise ColumnError(f"{self.where} has {what} ({listed}); choose one with "
                              f"{param('column')} NAME|INDEX")
        if names is not None and spec in names:
            self.column = names.index(spec)
            return
        if spec.isdigit() and 1 <= int(spec) <= self.width:
            self.column = int(spec) - 1
            return
        listed = ", ".join(f"{i + 1}:{n}" for i, n in enumerate(names)) if names else f"1 to {self.width}"
        raise ColumnError(f"{self.where} has no column '{spec}' (columns: {listed})")

    def _numeric_columns(self, rest: str) -> list[int]:
        """Columns whose value on the first data line after the header is a number."""
        for line in rest.splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                tokens = self._tokens(stripped)
                return [i for i, t in enumerate(tokens[: self.width]) if _is_number(t)]
        return []

    def _parse(self, data: bytes) -> np.ndarray | None:
        """The values of a block of whole lines (fast C parser; on failure, the exact line)."""
        first_line = self._lineno + 1
        if not data.isascii() and _MINUS in data:  # isascii: 15× faster than a 3-byte search
            data = data.replace(_MINUS, b"-")
        lines = _count(data, b"\n")
        usecols = None if self.column is None else (self.column,)
        arr = self._one_per_line(data, lines)
        if arr is not None:
            self._lineno += lines
            self.rows += arr.size
            self.values += arr.size
            return arr if arr.size else None
        text = data.decode()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "input contained no data"
                arr = np.loadtxt(io.StringIO(text), dtype=np.float64, delimiter=self._delimiter,
                                 comments="#" if b"#" in data else None, ndmin=2, usecols=usecols)
            if usecols is None and arr.size and arr.shape[1] != self.width:
                raise ValueError("width changed")
            if usecols is not None and self._delimiter is not None and arr.size:
                expected = arr.shape[0] * (self.width - 1)
                if _count(data, self._delimiter.encode()) != expected:
                    raise ValueError("width changed")
        except ValueError:
            arr = self._parse_slowly(text, first_line)
        self._lineno += lines
        if arr.size == 0:
            return None
        self.rows += arr.shape[0]
        self.values += arr.size
        if arr.shape[1] == 1:
            return arr[:, 0]
        return arr

    def _one_per_line(self, data: bytes, lines: int) -> np.ndarray | None:
        """The common case, one number a line and nothing else, by NumPy's strict string parser
        (about 20% faster than loadtxt). None when it does not apply: then loadtxt decides.

        With no blank line and no whitespace but newlines, every line is one token, so the
        values match the lines one to one exactly when there are as many values as lines.
        """
        if self.width != 1 or self.header is not None and self.column != 0:
            return None
        if any(c in data for c in b" \t\r\v\f"):  # "#,;" and other junk make fromstring fail
            return None
        try:
            values = np.fromstring(data, dtype=np.float64, sep=" ")
        except ValueError:  # a token that is not a number: loadtxt and the slow pass name it
            return None
        return values if values.size == lines else None

    def _parse_slowly(self, text: str, first_line: int) -> np.ndarray:
        """Line by line: the first bad token or ragged row raises an InputError naming its line."""
        rows: list[list[float]] = []
        for lineno, line in enumerate(text.splitlines(), start=first_line):
            stripped = line.split("#", 1)[0].strip()
            if not stripped:
                continue
            tokens = self._tokens(stripped) if self._delimiter else [t for t in _SPLIT.split(stripped) if t]
            if self._delimiter is not None and len(tokens) != self.width and self.column is None:
                tokens = [t for t in _SPLIT.split(stripped) if t]  # mixed separators: "1, 2; 3"
            if len(tokens) != self.width:
                raise InputError(f"{self.where}, line {lineno}: {len(tokens)} values where each row has "
                                 f"{self.width} (ragged rows are not merged)")
            picked = tokens if self.column is None else [tokens[self.column]]
            row = []
            for token in picked:
                try:
                    row.append(float(token))
                except ValueError:
                    raise InputError(f"{self.where}, line {lineno}: '{_shown(token)}' is not "
                                     "a number") from None
            rows.append(row)
        return np.array(rows, dtype=np.float64).reshape(len(rows), -1 if rows else 1)

    # --- a line longer than a chunk (one row of very many numbers) ---------------------------
    def _long_line_cut(self, text: bytes) -> int:
        """Where to cut a newline-free text: after its last separator (0: not yet)."""
        cut = max(text.rfind(c) for c in (b" ", b"\t", b",", b";")) + 1
        if len(text) - cut > MAX_TOKEN:
            raise InputError(f"{self.where}, line {self._lineno + 1}: a token of more than {MAX_TOKEN:,} "
                             "characters is not a number")
        return cut

    def _parse_long(self, text: str, last: bool = False) -> np.ndarray | None:
        """Values of a piece of one long line; at its end (``last``) the row is checked."""
        lineno = self._lineno + 1
        stripped = text.strip()
        if self._long_line == 0 and (not stripped or stripped.startswith("#")):
            if not last:
                raise InputError(f"{self.where}, line {lineno}: a comment line longer than "
                                 f"{self.chunk_bytes:,} characters")
            self._lineno += 1
            return None
        if self.header is None and self.width is None and self.column_spec is not None:
            raise ColumnError(f"{self.where}: {param('column')} needs rows of values, not one line of "
                              "numbers")
        tokens = [t for t in _SPLIT.split(stripped.replace("−", "-")) if t]
        try:
            values = np.array(tokens, dtype=np.float64)
        except ValueError:
            bad = next(t for t in tokens if not _is_number(t))
            raise InputError(f"{self.where}, line {lineno}: '{_shown(bad)}' is not a number") from None
        self._long_line += values.size
        if last:
            if self.width is not None and self._long_line != self.width:
                raise InputError(f"{self.where}, line {lineno}: {self._long_line} values where each row "
                                 f"has {self.width} (ragged rows are not merged)")
            if self.width is None:
                self.width = self._long_line
            self._long_line = 0
            self._lineno += 1
            self.rows += 1
        self.values += values.size
        return values if values.size else None


def read_table(stream: BinaryIO, where: str, column: str | None = None) -> np.ndarray:
    """All numbers of a text stream in memory: 1-D for one value a row (or one row), else 2-D."""
    table = TextTable(stream, where, column, one_column=False)
    blocks = list(table.chunks())
    if not blocks:
        raise InputError(f"{where}: no numbers found (empty input)")
    if table.width == 1 or table.column is not None or table.rows <= 1:
        return np.concatenate([b.reshape(-1) for b in blocks])
    return np.concatenate(blocks).reshape(-1, table.width)
