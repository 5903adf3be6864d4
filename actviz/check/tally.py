"""Streaming statistics of one quantity's errors: fed chunk by chunk, memory independent of size.

Each chunk gives, per input, the input x (float64), the implementation's result and the correctly
rounded value (bit patterns of the target format), the fractional error in ULP and the exact value
as float64. :class:`Tally` keeps counts, sums, maxima, the histogram, per-region figures, the few
worst points and a bounded sample for the plot; :meth:`Tally.report` turns them into a
:class:`~actviz.check.model.QuantityReport`.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.check.model import (
    CENTRE,
    HISTOGRAM_BINS,
    REGIONS,
    ErrorSample,
    QuantityReport,
    RegionStats,
    Tolerance,
    WorstPoint,
)
from actviz.core import ulp as u

N_WORST = 5
PLOT_POINTS = 60_000  # at most this many sampled points per quantity for --plot
# histogram bin (0, ≤1, ≤2, ≤4, ≤16, >16) of a distance d, looked up at min(d, 17)
_BIN = np.array([0, 1, 2, 3, 3] + [4] * 12 + [5], dtype=np.intp)
NEG, CEN, POS, SUB, ZERO, INF, NAN, KINK = range(8)  # indices into REGIONS

# torch.testing.assert_close defaults (rtol, atol) per dtype (torch/testing/_comparison.py).
ASSERT_CLOSE = {"float64": (1e-7, 1e-7), "float32": (1.3e-6, 1e-5), "float16": (1e-3, 1e-5),
                "bfloat16": (1.6e-2, 1e-5)}


def regions(x: np.ndarray, exact: np.ndarray, fmt_in: u.FloatFormat, fmt_out: u.FloatFormat,
            kinks: tuple[float, ...]) -> np.ndarray:
    """The region of every input (codes into ``REGIONS``); the first that applies of: NaN, ±inf,
    ±0, kinks (within 4 floats of the input dtype), subnormal input or output, then the tails
    (|x| > 8) and the centre."""
    code = np.full(x.shape, CEN, dtype=np.uint8)
    code[x < -CENTRE] = NEG
    code[x > CENTRE] = POS
    ax, ae = np.abs(x), np.abs(exact)
    sub = ((ax < fmt_in.min_normal) & (ax > 0)) | ((ae < fmt_out.min_normal) & (ae > 0))
    code[sub] = SUB
    for k in kinks:
        near = np.abs(x - k) <= 4 * float(u.ulp_of(np.array([k]), fmt_in)[0])
        code[near] = KINK
    code[x == 0] = ZERO
    code[np.isinf(x)] = INF
    code[np.isnan(x)] = NAN
    return code


class Tally:
    """Accumulates the error statistics of one quantity (``f`` or ``df``) in ``fmt``."""

    def __init__(self, quantity: str, fmt: u.FloatFormat, total: int):
        self.quantity, self.fmt = quantity, fmt
        self.count = self.compared = self.correct = self.nan_mm = self.inf_mm = 0
        self.sum_ulp, self.max_ulp, self.max_dist = 0.0, 0.0, 0
        self.hist = np.zeros(len(HISTOGRAM_BINS), dtype=np.int64)
        n = len(REGIONS)
        self.r_count = np.zeros(n, np.int64)
        self.r_correct = np.zeros(n, np.int64)
        self.r_sum = np.zeros(n)
        self.r_max = np.zeros(n)
        self.r_dist = np.zeros(n, np.uint64)
        self.rtol = self.atol = 0.0
        self.default_rtol, self.default_atol = ASSERT_CLOSE[fmt.name]
        self.worst: list[tuple[float, int, WorstPoint]] = []
        self.stride = max(1, math.ceil(total / PLOT_POINTS))
        self.plot: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, x: np.ndarray, got: np.ndarray, cr: np.ndarray, err: np.ndarray, exact: np.ndarray,
            code: np.ndarray) -> None:
        """One chunk: inputs, result and correctly rounded patterns, ULP errors, exact values, regions."""
        with np.errstate(invalid="ignore"):  # a signalling NaN among the results is data, not a fault
            self._add(x, got, cr, err, exact, code)

    def add_exact(self, x: np.ndarray, got: np.ndarray, exact: np.ndarray, x_fmt: u.FloatFormat,
                  kinks: tuple[float, ...]) -> None:
        """One chunk given the exact values as float64 (targets narrower than float64).

        The common chunk — finite inputs, results and exact values within the format's range — takes
        a short path: its regions are the tails and centre but for the few inputs that are tiny or
        near a kink, and everything else is computed on the results that differ from the correctly
        rounded ones. Any other chunk goes through :meth:`add`."""
        fmt = self.fmt
        with np.errstate(invalid="ignore", over="ignore"):
            cr = u.round_to(exact, fmt)
            got_v = u.widen(got, fmt)
            err = got_v.astype(np.float64)  # (a float32 − float64 operation would cast inside)
            err -= exact
            np.abs(err, out=err)
            err /= u.ulp_of(exact, fmt, nan=False)  # a NaN of exact makes err NaN all the same
            total = float(err.sum())
            lo, hi = float(exact.min()), float(exact.max())
            clean = math.isfinite(total) and math.isfinite(float(x.sum())) and max(hi, -lo) < fmt.max_finite
            if not clean:
                err = u.fractional_error(got_v, exact, fmt)
                self._add(x, got, cr, err, exact, regions(x, exact, x_fmt, fmt, kinks))
                return
        code = (x > -CENTRE).view(np.uint8) + (x > CENTRE).view(np.uint8)  # NEG 0, CEN 1, POS 2
        # tiny inputs or outputs (0 included: regions() sorts out which are subnormal)
        special = np.abs(x) < x_fmt.min_normal
        if not (lo >= fmt.min_normal or hi <= -fmt.min_normal):  # else no output is tiny
            special |= np.abs(exact) < fmt.min_normal
        for k in kinks:
            special |= np.abs(x - k) <= 4 * float(u.ulp_of(np.array([k]), x_fmt)[0])
        idx = np.flatnonzero(special)
        if idx.size:
            code[idx] = regions(x[idx], exact[idx], x_fmt, fmt, kinks)
        self.count += x.size
        self._stats(x, got, got_v, cr, err, exact, code, total)

    def _add(self, x, got, cr, err, exact, code) -> None:
        fmt = self.fmt
        self.count += x.size
        got_v, cr_v = u.widen(got, fmt), u.widen(cr, fmt)
        got_nan, cr_nan = np.isnan(got_v), np.isnan(cr_v)
        nan_mm = got_nan != cr_nan
        same = got == cr
        inf_mm = (np.isinf(got_v) | np.isinf(cr_v)) & ~same & ~nan_mm & ~got_nan
        # ±0 against ∓0 are the same number here (distance 0); a different infinity is not.
        inf_mm &= ~((got_v == cr_v) & ~np.isinf(got_v))
        self.nan_mm += int(np.count_nonzero(nan_mm))
        self.inf_mm += int(np.count_nonzero(inf_mm))
        ok = ~(nan_mm | inf_mm)
        if not ok.all():
            x, got, cr, err, exact, code = (a[ok] for a in (x, got, cr, err, exact, code))
            got_v, same = got_v[ok], same[ok]
        if x.size == 0:
            return
        err = np.where(same & np.isinf(got_v), 0.0, err)  # the right infinity: no error
        self._stats(x, got, got_v, cr, err, exact, code, float(err.sum()))

    def _stats(self, x, got, got_v, cr, err, exact, code, total: float) -> None:
        """Counts, histogram, regions, tolerance, worst points and sample of compared results.
        What needs the distance is computed only where the result differs from the correctly
        rounded one (elsewhere the distance is 0)."""
        n, nr = x.size, len(REGIONS)
        off = np.flatnonzero(got != cr)
        dist = u.ulp_distance(got[off], cr[off], self.fmt) if off.size else np.zeros(0, np.uint64)
        wrong = off[dist > 0]
        self.compared += n
        self.correct += n - wrong.size
        self.sum_ulp += total
        top = float(err.max())
        self.max_ulp = max(self.max_ulp, top)
        if dist.size:
            self.max_dist = max(self.max_dist, int(dist.max()))
            self.hist += np.bincount(_BIN[np.minimum(dist, 17).astype(np.intp)], minlength=len(_BIN))[:6]
        self.hist[0] += n - off.size
        # Per region: the most populous one through a whole-array np.where, the others through
        # their (usually few) indices — much faster than bincount or reductions with where=.
        code_off, code_wrong = code[off], code[wrong]
        masks = [(r, code == r) for r in range(nr)]
        sizes = [(int(np.count_nonzero(m)), r, m) for r, m in masks]
        big = max(sizes, key=lambda t: t[0])[1]
        for c, r, m in sizes:
            if c == 0:
                continue
            if c == n:  # one region holds the chunk: its figures are the chunk's
                self.r_count[r] += c
                self.r_sum[r] += total
                self.r_max[r] = max(self.r_max[r], top)
                self.r_correct[r] += c - wrong.size
                if off.size:
                    self.r_dist[r] = max(self.r_dist[r], dist.max())
                break
            if r == big:
                e = np.where(m, err, 0.0)
            else:
                e = err[np.flatnonzero(m)]
            self.r_count[r] += c
            self.r_sum[r] += float(e.sum())
            self.r_max[r] = max(self.r_max[r], float(e.max()))
            self.r_correct[r] += c - int(np.count_nonzero(code_wrong == r))
            if off.size:
                self.r_dist[r] = max(self.r_dist[r], np.where(code_off == r, dist, 0).max())
        if off.size:
            cr_v = u.widen(cr[off], self.fmt)
            self._tolerance(got_v[off], cr_v)
        self._worst(x, got_v, cr, err, got, exact, code, top)
        self._sample(x, err, code, exact)

    def _tolerance(self, got: np.ndarray, cr: np.ndarray) -> None:
        """Update the assert_close tolerances from results that differ from the correctly rounded
        ones (the others need none)."""
        got, cr = got.astype(np.float64, copy=False), cr.astype(np.float64, copy=False)
        with np.errstate(invalid="ignore"):
            delta = np.abs(got - cr)  # exact in float64 for float32 and narrower
        if not math.isfinite(float(delta.sum())):
            finite = np.isfinite(delta)
            delta, cr = delta[finite], cr[finite]
        if delta.size == 0:
            return
        mag = np.abs(cr)
        self.atol = max(self.atol, float(np.max(delta - self.default_rtol * mag)))
        over = delta > self.default_atol
        if over.any():
            with np.errstate(divide="ignore"):
                need = (delta[over] - self.default_atol) / mag[over]
            self.rtol = max(self.rtol, float(need.max()))

    def _worst(self, x, got_v, cr, err, got, exact, code, top: float) -> None:
        floor = self.worst[-1][0] if len(self.worst) == N_WORST else 0.0
        if top <= floor:
            return
        idx = np.flatnonzero(err > floor)
        if idx.size > N_WORST:
            idx = idx[np.argpartition(err[idx], idx.size - N_WORST)[idx.size - N_WORST:]]
        dist = u.ulp_distance(got[idx], cr[idx], self.fmt)
        cr_v = u.widen(cr[idx], self.fmt)
        for j, i in enumerate(idx):
            point = WorstPoint(float(x[i]), float(got_v[i]), float(exact[i]), float(cr_v[j]), float(err[i]),
                               int(dist[j]), REGIONS[int(code[i])])
            self.worst.append((point.ulp, point.distance, point))
        self.worst.sort(key=lambda t: (-t[0], -t[1], t[2].x))
        del self.worst[N_WORST:]

    def _sample(self, x: np.ndarray, err: np.ndarray, code: np.ndarray, exact: np.ndarray) -> None:
        s = slice(None, None, self.stride)
        self.plot.append((x[s].astype(np.float64), err[s].astype(np.float32), code[s],
                          exact[s].astype(np.float64)))

    def report(self) -> QuantityReport:
        n = max(self.compared, 1)
        regions = tuple(
            RegionStats(name, int(c), float(self.r_max[i]), float(self.r_sum[i] / c), int(self.r_dist[i]),
                        float(self.r_correct[i] / c))
            for i, (name, c) in enumerate(zip(REGIONS, self.r_count, strict=True)) if c)
        # assert_close passes iff every |got − e| ≤ atol + rtol·|e|, i.e. iff the rtol needed with
        # the default atol is at most the default rtol (NaN against NaN as with equal_nan=True).
        passes = self.rtol <= self.default_rtol and self.nan_mm + self.inf_mm == 0
        tol = Tolerance(self.default_rtol, self.default_atol, self.rtol, max(self.atol, 0.0), passes)
        return QuantityReport(
            self.quantity, self.count, self.compared, self.max_ulp, self.max_dist, self.sum_ulp / n,
            self.correct / n, tuple(zip(HISTOGRAM_BINS, (int(h) for h in self.hist), strict=True)),
            regions, tuple(w for _, _, w in self.worst), self.nan_mm, self.inf_mm, tol)

    def sample(self) -> ErrorSample:
        if not self.plot:
            empty = np.zeros(0)
            return ErrorSample(empty, empty, np.zeros(0, np.uint8), empty)
        xs, es, cs, vs = zip(*self.plot, strict=True)
        return ErrorSample(np.concatenate(xs), np.concatenate(es), np.concatenate(cs), np.concatenate(vs))
