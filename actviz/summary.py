"""Summaries of real inputs through one or several activations: one record per array and a total.

Every array is read once, chunk by chunk (see :mod:`actviz.sources`), and each chunk goes through
every chosen activation, so ``derive relu gelu silu --input -`` works on a stream too. For each
(activation, array) the counts are exact:

- ``dead`` / ``vanishing`` / ``active`` exactly as :func:`actviz.analysis.classify` gives them;
- the saturated values (dead or vanishing) split by **side**: ``low`` — inside the saturation
  region that reaches −∞ (sigmoid's σ → 0), ``high`` — inside the one that reaches +∞ (σ → 1),
  ``middle`` — anywhere else (gelu's flat stretch near −0.75);
- f: exact mean (error-free extraction when signs mix, so values that cancel do not lose it;
  see :func:`_add_sum`), min and max; abs(f′): mean (pairwise sums, within ~17 ε), exact min
  and max and histogram quantiles (:data:`actviz.derive_report.QUANTILE_METHOD`); x: min and max.

NaN inputs (and NaN f′) are counted in ``nan`` and left out of everything else. An empty array
is reported with count 0 and no statistics (``None``). The optional x histogram (for ``--plot``)
has 32 log-spaced bins per power of two on each sign.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from actviz.analysis import ACTIVE, CODE_NAMES, DEAD, VANISHING, Region, classify, saturation_regions
from actviz.catalog.activation import Activation
from actviz.derive_report.reading import chunks
from actviz.derive_report.summary import _NBINS, QUANTILE_METHOD, QUANTILES, _AbsHistogram, _bin_edge
from actviz.sources import ArrayInput, InputSet

SIDES = ("low", "middle", "high")
_LOW, _MIDDLE, _HIGH = 1, 0, 2  # side codes: x in the region reaching −∞ / neither / +∞
_X_SHIFT = 52 - 5  # x histogram: exponent and top 5 mantissa bits (32 bins per power of two)
_X_BINS = 1 << (63 - _X_SHIFT)


# --- the result model -----------------------------------------------------------------------
@dataclass(frozen=True)
class XHistogram:
    """Counts of x in disjoint sorted bins ``[lo[i], hi[i])`` (only non-empty bins are kept)."""

    lo: np.ndarray
    hi: np.ndarray
    counts: np.ndarray

    def rebinned(self, start: float, end: float, bins: int) -> tuple[np.ndarray, int, int]:
        """Counts in ``bins`` equal bins over [start, end] (each fine bin's count spread evenly
        over its width), and the numbers of values left of ``start`` and right of ``end``."""
        edges = np.linspace(start, end, bins + 1)
        cum = self.cdf(edges)
        total = float(self.counts.sum())
        return np.diff(cum), round(cum[0]), round(total - cum[-1])

    def cdf(self, at: np.ndarray) -> np.ndarray:
        """Number of values below each point of ``at`` (linear inside a bin)."""
        cum = np.concatenate(([0.0], np.cumsum(self.counts)))
        j = np.searchsorted(self.hi, at, side="right")  # bins [0, j) end at or below the point
        out = cum[j]
        inside = j < self.counts.size
        jj = np.minimum(j, self.counts.size - 1)
        with np.errstate(all="ignore"):
            frac = (at - self.lo[jj]) / (self.hi[jj] - self.lo[jj])
        frac = np.where(inside & np.isfinite(frac), np.clip(frac, 0.0, 1.0), 0.0)
        return out + frac * self.counts[jj]


@dataclass(frozen=True)
class ArraySummary:
    """One array seen through one activation (or the total over all arrays)."""

    name: str
    shape: tuple[int, ...] | None
    dtype: str
    count: int
    nan: int
    counts: dict[str, int]  # dead, vanishing, active
    sides: dict[str, dict[str, int]]  # low/middle/high → {dead, vanishing}
    f: dict[str, float] | None  # mean, min, max (None when nothing valid)
    abs_df: dict[str, Any] | None  # mean, min, max, quantiles
    x: dict[str, float] | None  # min, max
    note: str | None = None
    histogram: XHistogram | None = None  # only for --plot

    @property
    def valid(self) -> int:
        return self.count - self.nan

    def fraction(self, name: str) -> float | None:
        return self.counts[name] / self.valid if self.valid else None

    def side_fraction(self, side: str) -> float | None:
        return sum(self.sides[side].values()) / self.valid if self.valid else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON record (also, flattened, the CSV row; see :func:`flat_record`)."""
        # The same keys for every record (None where an array has no valid value): CSV columns.
        abs_df: dict[str, Any] = {"mean": None, "min": None, "max": None,
                                  "quantiles": {key: None for key, _ in QUANTILES}}
        if self.abs_df is not None:
            abs_df = {**self.abs_df, "quantiles": dict(self.abs_df["quantiles"])}
        abs_df["quantile_method"] = QUANTILE_METHOD
        return {
            "name": self.name,
            "shape": list(self.shape) if self.shape is not None else None,
            "dtype": self.dtype,
            "count": self.count,
            "nan": self.nan,
            "counts": dict(self.counts),
            "fractions": {k: self.fraction(k) for k in self.counts},
            "sides": {s: {**self.sides[s], "fraction": self.side_fraction(s)} for s in SIDES},
            "f": dict(self.f) if self.f is not None else {"mean": None, "min": None, "max": None},
            "abs_df": abs_df,
            "x": dict(self.x) if self.x is not None else {"min": None, "max": None},
            "note": self.note,
        }


@dataclass(frozen=True)
class InputSummary:
    """Every array of one input through one activation, and the total over them."""

    act: Activation
    threshold: float
    regions: tuple[Region, ...]
    source: str
    kind: str
    arrays: tuple[ArraySummary, ...]
    total: ArraySummary

    def side_labels(self) -> dict[str, str]:
        """What each side means for this activation, e.g. low → "σ → 0"."""
        labels = {"low": "x → −∞ side", "middle": "between", "high": "x → +∞ side"}
        for r in self.regions:
            if r.start == -math.inf and r.end != math.inf:
                labels["low"] = r.label
            elif r.end == math.inf and r.start != -math.inf:
                labels["high"] = r.label
        return labels

    def to_dict(self) -> dict[str, Any]:
        act = self.act
        return {
            "function": act.name,
            "params": dict(act.params),
            "framework": act.framework,
            "formula": {"f": act.formula.text, "df": act.dformula.text},
            "input": self.source,
            "sides": self.side_labels(),
            "arrays": [a.to_dict() for a in self.arrays],
            "total": self.total.to_dict(),
            "saturation": {
                "threshold": self.threshold,
                "regions": [{"start": _end(r.start), "end": _end(r.end), "kind": r.kind, "label": r.label}
                            for r in self.regions],
            },
        }


def _end(v: float) -> float | None:
    """A region end for JSON: None (null) for an unbounded one, as ``derive`` writes it."""
    return None if math.isinf(v) else v


def flat_record(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested JSON record as one flat row: keys joined with dots (``abs_df.quantiles.p50``)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "quantile_method":
            continue
        if isinstance(value, dict):
            out.update(flat_record(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            out[prefix + key] = "x".join(str(v) for v in value)
        else:
            out[prefix + key] = value
    return out


# --- accumulating --------------------------------------------------------------------------
class _Accumulator:
    """Running counts and sums of one (activation, array) pair."""

    def __init__(self, act: Activation, regions: Sequence[Region], threshold: float, plot: bool,
                 histogram: _AbsHistogram | None = None) -> None:
        self.act, self.regions, self.threshold = act, list(regions), threshold
        self.low_end = next((r.end for r in regions if r.start == -math.inf), None)
        self.high_start = next((r.start for r in regions if r.end == math.inf), None)
        self.count = self.nan = 0
        self.combo = np.zeros(12, dtype=np.int64)  # code * 4 + side
        self.f_sums: list[float] = []
        self.a_sums: list[float] = []
        self.f_min = self.a_min = self.x_min = math.inf
        self.f_max = self.a_max = self.x_max = -math.inf
        self.hist = histogram if histogram is not None else _AbsHistogram()
        self.x_counts = np.zeros(2 * _X_BINS, dtype=np.int64) if plot else None

    def add(self, x: np.ndarray) -> None:
        """Add a chunk of float64 values."""
        n = x.size
        if n == 0:
            return
        self.count += n
        with np.errstate(all="ignore"):
            if math.isnan(x.min()):
                x = x[~np.isnan(x)]
            a = np.abs(self.act.grad(x))
            if x.size and math.isnan(a.max()):
                keep = ~np.isnan(a)
                x, a = x[keep], a[keep]
            f = self.act(x)
        self.nan += n - x.size
        if x.size == 0:
            return
        codes = classify(a, x, self.regions, self.threshold)
        side = np.zeros(x.size, dtype=np.int8)
        if self.low_end is not None:
            side += (x <= self.low_end).view(np.int8)
        if self.high_start is not None:
            side += (x >= self.high_start).view(np.int8) * np.int8(2)
        if self.low_end is not None and self.high_start is not None and self.high_start <= self.low_end:
            both = side == 3  # one region over the whole line: each value on the side of its sign
            side[both] = np.where(x[both] < 0, _LOW, _HIGH).astype(np.int8)
        combo = codes.astype(np.int8) * np.int8(4) + side
        self.combo += np.bincount(combo, minlength=12)
        f_lo, f_hi, a_lo, a_hi = float(f.min()), float(f.max()), float(a.min()), float(a.max())
        _add_sum(self.f_sums, f, max(-f_lo, f_hi) if f_lo < 0 < f_hi else None)  # signs mixed: exact
        _add_sum(self.a_sums, a, None)  # abs(f′) ≥ 0: no cancellation, a pairwise sum is within 17 ε
        self.f_min, self.f_max = min(self.f_min, f_lo), max(self.f_max, f_hi)
        self.a_min, self.a_max = min(self.a_min, a_lo), max(self.a_max, a_hi)
        self.x_min, self.x_max = min(self.x_min, float(x.min())), max(self.x_max, float(x.max()))
        self.hist.add(a)
        if self.x_counts is not None:
            bits = x.view(np.int64)
            idx = (bits & 0x7FFFFFFFFFFFFFFF) >> _X_SHIFT
            idx = np.where(bits < 0, _X_BINS - 1 - idx, _X_BINS + idx)  # negative bins mirrored below
            self.x_counts += np.bincount(idx, minlength=2 * _X_BINS)

    def merge_into(self, total: _Accumulator) -> None:
        """Add this array's counts and sums to the running total."""
        total.count += self.count
        total.nan += self.nan
        total.combo += self.combo
        total.f_sums += self.f_sums
        total.a_sums += self.a_sums
        _compact(total.f_sums)
        _compact(total.a_sums)
        for key in ("f_min", "a_min", "x_min"):
            setattr(total, key, min(getattr(total, key), getattr(self, key)))
        for key in ("f_max", "a_max", "x_max"):
            setattr(total, key, max(getattr(total, key), getattr(self, key)))
        self.hist._flush()
        total.hist.counts += self.hist.counts
        if total.x_counts is not None and self.x_counts is not None:
            total.x_counts += self.x_counts

    def result(self, name: str, shape: tuple[int, ...] | None, dtype: str,
               note: str | None = None) -> ArraySummary:
        counts = {CODE_NAMES[c]: int(self.combo[4 * c : 4 * c + 3].sum()) for c in (DEAD, VANISHING, ACTIVE)}
        sides = {s: {"dead": int(self.combo[4 * DEAD + code]),
                     "vanishing": int(self.combo[4 * VANISHING + code])}
                 for s, code in (("low", _LOW), ("middle", _MIDDLE), ("high", _HIGH))}
        valid = self.count - self.nan
        if self.count == 0:
            note = "empty array" + (f" ({'×'.join(map(str, shape))})" if shape and len(shape) > 1 else "")
        if valid == 0:
            if self.count:
                note = note or "every value is NaN"
            return ArraySummary(name, shape, dtype, self.count, self.nan, counts, sides, None, None, None,
                                note)
        with np.errstate(all="ignore"):
            f_mean = math.fsum(self.f_sums) / valid
            a_mean = math.fsum(self.a_sums) / valid
        self.hist._flush()
        quantiles = {key: _quantile(self.hist.counts, q, self.a_min, self.a_max) for key, q in QUANTILES}
        return ArraySummary(
            name, shape, dtype, self.count, self.nan, counts, sides,
            {"mean": f_mean, "min": self.f_min, "max": self.f_max},
            {"mean": a_mean, "min": self.a_min, "max": self.a_max, "quantiles": quantiles},
            {"min": self.x_min, "max": self.x_max},
            note, self._x_histogram(),
        )

    def _x_histogram(self) -> XHistogram | None:
        if self.x_counts is None:
            return None
        nz = np.flatnonzero(self.x_counts)
        k = nz - _X_BINS  # ≥ 0: x ≥ 0 in [edge(k), edge(k + 1)); < 0: x in −[edge(j), edge(j + 1))
        neg = k < 0
        j = np.where(neg, -k - 1, k)
        lo_pos, hi_pos = _pos_edge(j), _pos_edge(j + 1)
        lo = np.where(neg, -hi_pos, lo_pos)
        hi = np.where(neg, -lo_pos, hi_pos)
        return XHistogram(lo=lo, hi=hi, counts=self.x_counts[nz].astype(np.float64))


def _add_sum(parts: list[float], v: np.ndarray, vmax: float | None) -> None:
    """Append the sum of ``v`` to ``parts`` (later added by :func:`math.fsum`).

    Without ``vmax``: NumPy's pairwise sum (relative error ≤ ~log2(n)·ε when all ``v`` have one
    sign). With ``vmax`` = max abs(v) (signs mixed, so terms may cancel): error-free extraction
    (Rump, Ogita & Oishi's ExtractVector), twice: with σ = 2^(⌈log2 vmax⌉ + ⌈log2 n⌉ + 1),
    q = (σ + v) − σ is v rounded to a multiple of ulp(σ), Σq is exact and v − q is exact. What is
    left to a pairwise sum is below about 2^-100·n²·vmax in all, so the mean is exact (to the
    rounding of the division) unless the values cancel to less than ~2^-45 of the largest.
    """
    with np.errstate(all="ignore"):
        if vmax is not None and 0.0 < vmax < 2.0**1000:
            bits = max(1, v.size - 1).bit_length() + 1
            for last in (False, True):
                sigma = 2.0 ** (math.frexp(vmax)[1] + bits)
                q = v + sigma
                q -= sigma
                parts.append(float(np.sum(q)))  # exact: multiples of ulp(σ), every partial sum < σ
                v = v - q
                if last:
                    break
                vmax = float(np.max(np.abs(v)))
                if vmax == 0.0:
                    _compact(parts)
                    return
        parts.append(float(np.sum(v)))
    _compact(parts)


def _compact(parts: list[float]) -> None:
    """Keep a long list of partial sums short (an endless stream): their correctly rounded sum
    and the rounded rest, which together hold the sum to ε² relative."""
    if len(parts) > 512:
        s = math.fsum(parts)
        rest = math.fsum([*parts, -s]) if math.isfinite(s) else 0.0
        parts[:] = [s, rest]


def _pos_edge(k: np.ndarray) -> np.ndarray:
    """Lower edges of the non-negative x bins ``k`` (the bin of inf and NaN ends at inf)."""
    bits = np.minimum(np.asarray(k, dtype=np.int64) << _X_SHIFT, np.int64(0x7FF << 52))
    return bits.view(np.float64)


def _quantile(counts: np.ndarray, q: float, lo: float, hi: float) -> float:
    """Inverted-CDF quantile from abs(f′) bin counts (as :class:`_AbsHistogram` computes it)."""
    cum = np.cumsum(counts)
    rank = max(1, math.ceil(q * int(cum[-1])))
    b = int(np.searchsorted(cum, rank))
    if b == 0:
        return max(lo, 0.0)
    left = _bin_edge(b)
    right = _bin_edge(b + 1) if b + 1 < _NBINS else math.inf
    mid = left if not math.isfinite(right) else left + (right - left) / 2
    return min(max(mid, lo), hi)


def shape_note(shape: tuple[int, ...] | None) -> str | None:
    """"2-D 30×20, flattened" for an array of more than one axis (None for one axis)."""
    if shape is not None and len(shape) > 1:
        return f"{len(shape)}-D {'×'.join(map(str, shape))}, flattened"
    return None


def document(summaries: Sequence[InputSummary], single: bool) -> dict[str, Any]:
    """The ``derive --input --format json`` document: one activation's, or ``{"input", "functions"}``
    for several. ``single`` (one array through one activation): its record is the ``summary`` (a
    total would repeat it)."""
    from actviz.catalog.describe import kink_record

    docs = []
    for s in summaries:
        doc = s.to_dict()
        if single:
            doc["summary"] = doc.pop("arrays")[0]
            del doc["total"]
        doc["kinks"] = [kink_record(k) for k in s.act.kinks]
        docs.append(doc)
    return docs[0] if len(docs) == 1 else {"input": summaries[0].source, "functions": docs}


def in_memory(arr: np.ndarray, name: str) -> InputSet:
    """An array already in memory (or memory-mapped) as a one-array input named ``name``."""
    from actviz.inputs import iter_chunks

    item = ArrayInput(name, tuple(arr.shape), str(arr.dtype), lambda: iter_chunks(arr), array=arr)
    return InputSet(name, "npy", (item,), arr.size, lambda done: done)


def pieces(arr: ArrayInput) -> Iterator[np.ndarray]:
    """The values of ``arr``; a memory-mapped .npy through :func:`actviz.derive_report.reading.chunks`,
    which hands the pages already read back to the OS."""
    if arr.array is not None:
        return chunks(arr.array)
    return arr.read()


def summarize_input(acts: Sequence[Activation], inputs: InputSet, threshold: float, *,
                    plot: bool = False, tick: Callable[[int], None] | None = None) -> list[InputSummary]:
    """One :class:`InputSummary` per activation, reading every array of ``inputs`` once.

    ``tick(n)`` is called after each chunk with the number of values read so far (progress).
    Memory: per activation, two abs(f′) histograms (2 MiB each) and 8 MiB of pending bin
    numbers, plus 1 MiB per x histogram with ``plot``; each array's record keeps only its
    non-empty histogram bins.
    """
    regions = [saturation_regions(act, threshold) for act in acts]
    totals = [_Accumulator(a, r, threshold, plot, _TotalHistogram())
              for a, r in zip(acts, regions, strict=True)]
    per_array: list[list[ArraySummary]] = [[] for _ in acts]
    done = 0
    for arr in inputs.arrays:
        accs = [_Accumulator(a, r, threshold, plot) for a, r in zip(acts, regions, strict=True)]
        for piece in pieces(arr):
            x = np.asarray(piece, dtype=np.float64).reshape(-1)
            for acc in accs:
                acc.add(x)
            done += piece.size
            if tick is not None:
                tick(done)
        shape = arr.final_shape
        for i, acc in enumerate(accs):
            per_array[i].append(acc.result(arr.name, shape, arr.dtype, shape_note(shape)))
            acc.merge_into(totals[i])
    out = []
    for i, act in enumerate(acts):
        total = totals[i].result("total", None, "", None)
        if total.count == 0 and not inputs.several:
            from actviz.inputs import InputError

            raise InputError(f"{inputs.source}: no numbers found (empty input)")
        out.append(InputSummary(act, threshold, tuple(regions[i]), inputs.source, inputs.kind,
                                tuple(per_array[i]), total))
    return out


class _TotalHistogram(_AbsHistogram):
    """A histogram that only receives merged counts (no pending buffer of its own)."""

    def __init__(self) -> None:
        self.counts = np.zeros(_NBINS, dtype=np.int64)
        self._used = 0
