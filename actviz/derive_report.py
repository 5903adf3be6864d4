"""The data behind ``actviz derive``: value tables, saturation, kinks and summaries of real inputs.

Everything here is plain data built from the catalog (f, f′, f″, kinks) and
:mod:`actviz.analysis` (saturation regions, per-point classification); the rich view and the CLI
only format it. Three ways to get points:

- a teaching set (``TEACHING_POINTS`` plus every kink), ``--at`` values or an ``--xlim`` grid;
- a small ``--input`` (at most ``SMALL_INPUT`` values): one row per value, in input order;
- a large ``--input``: a :class:`Summary` computed chunk by chunk, so a memory-mapped ``.npy`` of
  1e8 values never has to be in memory at once (see :func:`summarize`).

``csv_lines`` streams every row (x, f, df[, d2f], region) the same chunked way.
"""

from __future__ import annotations

import math
import mmap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from actviz.analysis import ACTIVE, CODE_NAMES, DEAD, VANISHING, Region, classify, saturation_regions
from actviz.catalog.activation import Activation
from actviz.catalog.describe import kink_record
from actviz.core.arrays import sorted_unique
from actviz.core.checks import grid_range
from actviz.core.grid import decimal_grid
from actviz.core.jsonsafe import bound
from actviz.inputs import InputError, iter_chunks

TEACHING_POINTS = (-6.0, -4.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 4.0, 6.0)
SMALL_INPUT = 50  # inputs with at most this many values are shown row by row
MAX_POINTS = 10_000  # cap for --points
DEFAULT_GRID_POINTS = 11
DEFAULT_XLIM = (-6.0, 6.0)
CHUNK = 1 << 16  # values per chunk when streaming: 64 Ki float64 temporaries stay in cache
NAN_CODE = -1  # region code for a row whose x (or f′) is NaN: outside every region
REGION_NAMES = {**CODE_NAMES, NAN_CODE: "nan"}

# Quantiles of abs(f′) in a summary: (key, q).
QUANTILES = (("p1", 0.01), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95),
             ("p99", 0.99))
_SUB_BITS = 7  # histogram bins per power of two: 2**7 = 128
_SHIFT = 52 - _SUB_BITS  # float64 bit pattern >> _SHIFT = exponent and top 7 mantissa bits
_NBINS = 1 << (63 - _SHIFT)  # every non-negative bit pattern (sign bit 0), inf and NaN included
_INF_BIN = int(np.array(math.inf).view(np.int64)) >> _SHIFT
QUANTILE_METHOD = (
    "fixed histogram of abs(f′) with 128 log-spaced bins per power of two (on the float64 bit "
    "pattern); each quantile is its bin's midpoint, within 0.4% (relative) of the exact "
    "inverted-CDF quantile (values below 2^-1029 count as 0); min, max and mean are exact"
)


# --- points ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """One row of the value table."""

    x: float
    f: float
    df: float
    d2f: float | None  # only with --order 2
    code: int  # ACTIVE, VANISHING, DEAD or NAN_CODE
    kink: bool  # x is a kink: df is the framework's value there

    @property
    def region(self) -> str:
        return REGION_NAMES[self.code]


def default_points(act: Activation) -> np.ndarray:
    """The teaching set: −6 … 6 with the interesting middle, plus every kink."""
    return sorted_unique(np.array([*TEACHING_POINTS, *(k.x for k in act.kinks)], dtype=np.float64))


def grid_points(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` evenly spaced points from ``lo`` to ``hi`` (both included), as the decimals a person
    expects (``--xlim -6 6`` gives −2.4, not −2.4000000000000004; see core.grid)."""
    if not 2 <= n <= MAX_POINTS:
        raise ValueError(f"--points must be between 2 and {MAX_POINTS}, got {n}")
    return decimal_grid(lo, hi, n)


def chosen_points(at: Sequence[float], xlim: tuple[float, float] | None, n: int | None,
                  act: Activation) -> np.ndarray:
    """The x values for the table: --at values and/or an --xlim grid, else the teaching set."""
    if not at and xlim is None and n is None:
        return default_points(act)
    parts = [np.asarray(at, dtype=np.float64)]
    if xlim is not None or n is not None:
        lo, hi = xlim if xlim is not None else DEFAULT_XLIM
        count = n if n is not None else DEFAULT_GRID_POINTS
        grid_range(lo, hi, "xlim", points=count)  # never fewer rows than asked
        parts.append(grid_points(lo, hi, count))
    return sorted_unique(np.concatenate(parts))  # sorted, duplicates once, a NaN last


def _evaluate(act: Activation, x: np.ndarray, order: int, regions: list[Region], threshold: float):
    """f, f′, (f″) and region codes for float64 ``x``; NaN rows get NAN_CODE."""
    with np.errstate(all="ignore"):  # inf/NaN results are shown as such, not warned about
        f = act(x)
        df = act.grad(x)
        d2f = act.grad2(x) if order == 2 else None
    codes = classify(df, x, regions, threshold)
    bad = np.isnan(x) | np.isnan(df)
    if bad.any():
        codes[bad] = NAN_CODE
    return f, df, d2f, codes


def evaluate_points(act: Activation, xs: np.ndarray, order: int, regions: list[Region],
                    threshold: float) -> list[Point]:
    """One :class:`Point` per x, in the given order."""
    x = np.asarray(xs, dtype=np.float64).reshape(-1)
    f, df, d2f, codes = _evaluate(act, x, order, regions, threshold)
    kinks = {k.x for k in act.kinks}
    return [
        Point(
            x=float(x[i]), f=float(f[i]), df=float(df[i]),
            d2f=None if d2f is None else float(d2f[i]),
            code=int(codes[i]), kink=float(x[i]) in kinks,
        )
        for i in range(x.size)
    ]


# --- chunked reading ------------------------------------------------------------------------
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


# --- summary of a large input ----------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """What a large input looks like through the activation's gradient."""

    count: int  # all values read
    nan: int  # values left out because x or f′ is NaN
    counts: dict[str, int]  # "dead", "vanishing", "active" → number of values
    abs_df_mean: float
    abs_df_min: float
    abs_df_max: float
    quantiles: dict[str, float]  # keys of QUANTILES → abs(f′) quantile
    x_min: float
    x_max: float

    @property
    def valid(self) -> int:
        return self.count - self.nan

    def fraction(self, name: str) -> float:
        return self.counts[name] / self.valid


class _AbsHistogram:
    """Counts of abs(f′) in log-spaced bins: the bit pattern's exponent and top mantissa bits.

    Bin numbers of several chunks are gathered in a buffer and counted together, so the fixed
    cost of adding a 2 MiB count array is paid once per ``BATCH`` values, not once per chunk.
    """

    BATCH = 1 << 20

    def __init__(self) -> None:
        self.counts = np.zeros(_NBINS, dtype=np.int64)
        self._pending = np.empty(self.BATCH, dtype=np.int64)
        self._used = 0

    def add(self, a: np.ndarray) -> None:
        """Add non-negative, non-NaN float64 values."""
        bits = a.view(np.int64)
        if bits.size > self.BATCH:
            self.counts += np.bincount(bits >> _SHIFT, minlength=_NBINS)
            return
        if self._used + bits.size > self.BATCH:
            self._flush()
        np.right_shift(bits, _SHIFT, out=self._pending[self._used : self._used + bits.size])
        self._used += bits.size

    def _flush(self) -> None:
        if self._used:
            self.counts += np.bincount(self._pending[: self._used], minlength=_NBINS)
            self._used = 0

    def quantile(self, q: float, lo: float, hi: float) -> float:
        """Inverted-CDF quantile q, as the midpoint of its bin, clamped to the exact [lo, hi]."""
        self._flush()
        cum = np.cumsum(self.counts)
        rank = max(1, math.ceil(q * int(cum[-1])))
        b = int(np.searchsorted(cum, rank))
        if b == 0:
            return max(lo, 0.0)
        left = _bin_edge(b)
        right = _bin_edge(b + 1) if b < _INF_BIN else math.inf
        mid = left if not math.isfinite(right) else left + (right - left) / 2
        return min(max(mid, lo), hi)


def _bin_edge(b: int) -> float:
    return float(np.array(b << _SHIFT, dtype=np.int64).view(np.float64))


def summarize(act: Activation, arr: np.ndarray, regions: list[Region], threshold: float,
              chunk: int | None = None) -> Summary:
    """Count, region fractions, abs(f′) mean/quantiles and x range, one chunk at a time.

    Memory: a few float64 temporaries of ``chunk`` values plus a fixed 2 MiB histogram and 8 MiB
    of pending bin numbers, whatever the input size. Each chunk is converted to float64 and goes
    through the catalog's kernels and :func:`actviz.analysis.classify` exactly as single points do.
    NaN inputs (and any NaN f′) are counted in ``nan`` and left out of everything else.
    """
    hist = _AbsHistogram()
    region_counts = {ACTIVE: 0, VANISHING: 0, DEAD: 0}
    sums: list[float] = []
    count = nan = 0
    x_min, x_max, a_min, a_max = math.inf, -math.inf, math.inf, -math.inf
    for piece in chunks(arr, chunk):
        count += piece.size
        x = piece.astype(np.float64).reshape(-1)
        with np.errstate(all="ignore"):
            lo = x.min()
            if math.isnan(lo):  # min propagates NaN: one cheap test per chunk
                x = x[~np.isnan(x)]
                lo = x.min() if x.size else math.nan
            a = np.abs(act.grad(x))
            total = float(a.sum())
            if math.isnan(total):
                keep = ~np.isnan(a)
                x, a = x[keep], a[keep]
                total = float(a.sum())
                lo = x.min() if x.size else math.nan
        nan += piece.size - x.size
        if x.size == 0:
            continue
        x_min, x_max = min(x_min, float(lo)), max(x_max, float(x.max()))
        codes = classify(a, x, regions, threshold)
        dead, vanishing = int(np.count_nonzero(codes == DEAD)), int(np.count_nonzero(codes == VANISHING))
        region_counts[DEAD] += dead
        region_counts[VANISHING] += vanishing
        region_counts[ACTIVE] += x.size - dead - vanishing
        sums.append(total)
        a_min, a_max = min(a_min, float(a.min())), max(a_max, float(a.max()))
        hist.add(a)
    if count == 0:
        raise InputError("no numbers found (empty input)")
    if count == nan:
        raise InputError(f"all {count} input values are NaN (or give a NaN gradient)")
    valid = count - nan
    mean = math.fsum(sums) / valid
    return Summary(
        count=count,
        nan=nan,
        counts={CODE_NAMES[c]: region_counts[c] for c in (DEAD, VANISHING, ACTIVE)},
        abs_df_mean=mean,
        abs_df_min=a_min,
        abs_df_max=a_max,
        quantiles={key: hist.quantile(q, a_min, a_max) for key, q in QUANTILES},
        x_min=x_min,
        x_max=x_max,
    )


# --- CSV ------------------------------------------------------------------------------------
def csv_header(order: int) -> str:
    return "x,f,df,d2f,region" if order == 2 else "x,f,df,region"


def csv_lines(act: Activation, arr: np.ndarray, order: int, regions: list[Region], threshold: float,
              chunk: int | None = None) -> Iterator[str]:
    """The header line, then one block of rows per chunk (each ending with a newline).

    Numbers are Python's shortest round-trip repr (``inf``, ``-inf``, ``nan`` for non-finite ones),
    so ``float(field)`` gives back the exact float64.
    """
    return csv_rows(act, chunks(arr, chunk), order, regions, threshold)


def csv_rows(act: Activation, pieces: Iterable[np.ndarray], order: int, regions: list[Region],
             threshold: float) -> Iterator[str]:
    """As :func:`csv_lines`, for values arriving as pieces (a text stream read chunk by chunk)."""
    yield csv_header(order) + "\n"
    names = np.array([REGION_NAMES[c] for c in (ACTIVE, VANISHING, DEAD, NAN_CODE)])
    for piece in pieces:
        x = piece.astype(np.float64).reshape(-1)
        f, df, d2f, codes = _evaluate(act, x, order, regions, threshold)
        cols = [x, f, df] if d2f is None else [x, f, df, d2f]
        texts = [map(repr, c.tolist()) for c in cols]
        region = names[codes].tolist()  # NAN_CODE = -1 picks the last name, "nan"
        yield "".join(",".join(row) + "\n" for row in zip(*texts, region, strict=True))


# --- the whole report -----------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """Everything ``derive`` shows for one activation."""

    act: Activation
    order: int
    threshold: float
    regions: list[Region]
    points: list[Point] | None
    summary: Summary | None
    source: str | None = None  # input name for a summary


def build(act: Activation, order: int, threshold: float, *, xs: np.ndarray | None = None,
          data: np.ndarray | None = None, source: str | None = None,
          chunk: int | None = None) -> Report:
    """A report for table points ``xs``, or for input ``data`` (rows if small, else a summary)."""
    regions = saturation_regions(act, threshold)
    if data is not None and data.size > SMALL_INPUT:
        summary = summarize(act, data, regions, threshold, chunk)
        return Report(act, order, threshold, regions, None, summary, source)
    points_x = data if data is not None else xs if xs is not None else default_points(act)
    points = evaluate_points(act, np.asarray(points_x), order, regions, threshold)
    return Report(act, order, threshold, regions, points, None, source)


def to_json(report: Report) -> dict[str, Any]:
    """The ``--format json`` document (serialise with :func:`actviz.render.jsonout.dumps`)."""
    act = report.act
    formula = {"f": act.formula.text, "df": act.dformula.text}
    if report.order == 2:
        formula["d2f"] = act.d2formula.text
    doc: dict[str, Any] = {
        "function": act.name,
        "params": dict(act.params),
        "framework": act.framework,
        "formula": formula,
    }
    if report.summary is not None:
        doc["summary"] = summary_json(report.summary)
    else:
        doc["points"] = [_point_json(p, report.order) for p in report.points or []]
    doc["saturation"] = {
        "threshold": report.threshold,
        "regions": [{"start": bound(r.start), "end": bound(r.end), "kind": r.kind}
                    for r in report.regions],
    }
    doc["kinks"] = [kink_record(k) for k in act.kinks]
    return doc


def _point_json(p: Point, order: int) -> dict[str, Any]:
    row: dict[str, Any] = {"x": p.x, "f": p.f, "df": p.df}
    if order == 2:
        row["d2f"] = p.d2f
    return row


def summary_json(s: Summary) -> dict[str, Any]:
    return {
        "count": s.count,
        "nan": s.nan,
        "counts": dict(s.counts),
        "fractions": {name: s.fraction(name) for name in s.counts},
        "abs_df": {
            "mean": s.abs_df_mean,
            "min": s.abs_df_min,
            "max": s.abs_df_max,
            "quantiles": dict(s.quantiles),
            "quantile_method": QUANTILE_METHOD,
        },
        "x": {"min": s.x_min, "max": s.x_max},
    }
