"""Auditing results against the exact values, streamed chunk by chunk.

:func:`audit` takes the inputs and an implementation's f (and optionally f′) results as arrays of
any length (memory maps are read a chunk at a time) and returns a
:class:`~actviz.check.model.CheckResult`. For narrow targets every value is audited; for float64
targets the exact values come from mpmath, so a bounded sample is: all values when there are at
most ``MP_SAMPLE``, otherwise the ``MP_SAMPLE``/2 farthest (in floats) from actviz's own float64
values plus ``MP_SAMPLE``/2 spread evenly, with a note saying so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actviz.check import context
from actviz.check.model import CheckResult
from actviz.check.reference import MP_SAMPLE, Float64Reference, MpReference
from actviz.check.tally import Tally, regions
from actviz.core import ulp as u

CHUNK = 1 << 15  # values per chunk: the temporaries of one chunk stay in the CPU cache


def input_values(x: np.ndarray, fmt: u.FloatFormat | None) -> np.ndarray:
    """Inputs as float64 (exact): float arrays as they are, unsigned patterns of ``fmt`` decoded."""
    v = x if x.dtype.kind == "f" else u.widen(x, fmt)
    if v.dtype == np.float32:  # the hardware conversion quiets signalling NaNs itself
        with np.errstate(invalid="ignore"):
            return v.astype(np.float64)
    v = v.astype(np.float64, copy=False)
    nan = np.isnan(v)
    if nan.any():  # signalling NaNs become quiet ones (the kernels would raise "invalid")
        v = v.copy()
        v[nan] = np.nan
    return v


def audit(act: Any, x: np.ndarray, fmt: u.FloatFormat, results: dict[str, np.ndarray], *,
          implementation: str, x_fmt: u.FloatFormat | None = None, max_ulp: float | None = None,
          notes: tuple[str, ...] = (), mp_sample: int = MP_SAMPLE) -> CheckResult:
    """Audit ``results`` (``{"f": patterns, "df": patterns}``, 1-d arrays of ``fmt``'s unsigned
    type, each as long as ``x``) of ``act`` at the inputs ``x`` (1-d; float, or patterns of
    ``x_fmt``)."""
    x_fmt = x_fmt or u.format_of(x.dtype) or fmt
    kinks = tuple(float(k.x) for k in getattr(act, "kinks", ()))
    n = x.shape[0]
    notes = list(notes)
    if fmt is u.FLOAT64:
        ref: Any = MpReference(act)
        index = None
        if n > mp_sample:
            index = _mp_sample(act, x, results, x_fmt, mp_sample)
            notes.append(f"float64 target: {index.size:,} of {n:,} values evaluated in mpmath — the "
                         f"{mp_sample // 2:,} farthest from actviz's float64 values and the rest spread "
                         "evenly; the others are not audited")
    else:
        ref, index = Float64Reference(act, fmt), None
    size = n if index is None else index.size
    tallies = {q: Tally(q, fmt, size) for q in results}
    for start in range(0, size, CHUNK):
        sel = slice(start, start + CHUNK) if index is None else index[start:start + CHUNK]
        xs = input_values(np.asarray(x[sel]), x_fmt)
        for q, got in results.items():
            g = np.asarray(got[sel])
            order = 0 if q == "f" else 1
            if isinstance(ref, Float64Reference):
                tallies[q].add_exact(xs, g, ref.exact(order, xs), x_fmt, kinks)
            else:
                cr, err, exact = ref.compare(order, xs, g)
                tallies[q].add(xs, g, cr, err, exact, regions(xs, exact, x_fmt, fmt, kinks))
    return CheckResult(
        activation=act.spec, label=act.label, dtype=fmt.name, implementation=implementation,
        reference=ref.description, quantities=tuple(t.report() for t in tallies.values()),
        context=context.bounds(act, fmt), notes=tuple(notes), max_ulp=max_ulp,
        samples={q: t.sample() for q, t in tallies.items()})


def _mp_sample(act: Any, x: np.ndarray, results: dict[str, np.ndarray], x_fmt: u.FloatFormat,
               m: int) -> np.ndarray:
    """Indices for the mpmath audit of a large float64 input: the m/2 farthest from actviz's
    float64 values (of any quantity) and m/2 spread evenly, sorted."""
    n, k = x.shape[0], m // 2
    best_d = np.zeros(0, np.uint64)
    best_i = np.zeros(0, np.int64)
    for start in range(0, n, CHUNK):
        xs = input_values(np.asarray(x[start:start + CHUNK]), x_fmt)
        far = np.zeros(xs.size, np.uint64)
        for q, got in results.items():
            mine = np.asarray(act(xs) if q == "f" else act.grad(xs), dtype=np.float64)
            d = u.ulp_distance(np.asarray(got[start:start + CHUNK]), mine.view(np.uint64), u.FLOAT64)
            np.maximum(far, d, out=far)
        best_d = np.concatenate([best_d, far])
        best_i = np.concatenate([best_i, np.arange(start, start + xs.size)])
        if best_d.size > k:
            keep = np.argpartition(best_d, best_d.size - k)[best_d.size - k:]
            best_d, best_i = best_d[keep], best_i[keep]
    spread = np.linspace(0, n - 1, m - best_i.size).astype(np.int64)
    return np.unique(np.concatenate([best_i, spread]))
