"""The result of a softmax: checked logits, probabilities and log-probabilities from the core.

:func:`build` is what ``actviz.softmax_report(...)`` and ``actviz softmax`` share: it checks the
logits (:class:`LogitError` for what has no softmax), asks
:func:`actviz.core.vector.softmax_and_log` for the numbers (it never computes them itself) and
returns a frozen :class:`SoftmaxResult`. The renderers (``render/softmax_view.py``,
``render/softmax_chart.py``) draw that result; they compute nothing.

For each row, with temperature T:  p_i = e^(z_i/T) / Σ_j e^(z_j/T),  log p_i = z_i/T − logsumexp(z/T).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from actviz.core.checks import positive
from actviz.core.jsonsafe import clean


class LogitError(ValueError):
    """Logits that have no softmax (NaN, a row of only −inf, no values, a 3-D array, …)."""


@dataclass(frozen=True)
class SoftmaxRow:
    """One softmax: the logits as given and what the core returned for them."""

    logits: np.ndarray
    probabilities: np.ndarray
    log_probabilities: np.ndarray
    argmax: int
    total: float  # exactly rounded sum of all probabilities (math.fsum)
    shown: list[int]  # indices to show, in order (ranked with sort/top)
    rest: float | None  # exactly rounded sum of the probabilities not shown (with top)

    @property
    def total_error(self) -> float:
        """Σ p_i − 1 over the float64 probabilities, computed exactly and rounded once (math.fsum):
        how far float64 rounding of each probability leaves their sum from 1 (e.g. −1.1e−16)."""
        return math.fsum([*self.probabilities.tolist(), -1.0])


@dataclass(frozen=True)
class SoftmaxResult:
    """One softmax or a batch of them, ready to show: tables, JSON, a bar chart.

    ``to_dict()`` is the ``actviz softmax --format json`` document; ``console.print(result)``
    prints the CLI's tables; in Jupyter it shows them as HTML; ``figure()`` draws the bar chart.
    """

    rows: list[SoftmaxRow]
    temperature: float
    labels: list[str] | None
    batch: bool
    ranked: bool
    fn: str = "softmax"  # softmax, log_softmax, softmin or sparsemax

    def __repr__(self) -> str:
        n = self.rows[0].logits.size
        t = "" if self.temperature == 1.0 else f", T={self.temperature:g}"
        if self.batch:
            return f"SoftmaxResult({len(self.rows)} rows of {n} logits{t})"
        row = self.rows[0]
        best = self.labels[row.argmax] if self.labels else row.argmax
        return f"SoftmaxResult({n} logits{t}, argmax {best!r}: p={float(row.probabilities[row.argmax]):.6g})"

    def record(self, row: SoftmaxRow) -> dict[str, Any]:
        """The JSON object of one softmax; arrays always in input order."""
        rec: dict[str, Any] = {"logits": row.logits, "temperature": self.temperature}
        if self.labels:
            rec["labels"] = list(self.labels)
        rec["probabilities"] = row.probabilities
        rec["log_probabilities"] = row.log_probabilities
        rec["argmax"] = row.argmax
        if self.fn != "softmax":
            rec["function"] = self.fn
        if self.fn == "sparsemax":
            rec["zeros"] = int((row.probabilities == 0).sum())
        if self.ranked:
            rec["ranking"] = list(row.shown)
        return clean(rec)

    def to_dict(self) -> Any:
        """The CLI's JSON: one object, or (for a batch) a list of objects; strict-JSON data."""
        records = [self.record(row) for row in self.rows]
        return records if self.batch else records[0]

    def __rich__(self) -> Any:
        from actviz.render.softmax_view import Tables

        return Tables(self)

    def _repr_html_(self) -> str:
        from actviz.render.softmax_view import html

        return html(self)

    def figure(self, ax: Any = None) -> Any:
        """The bar chart (one panel per row) as a Matplotlib Figure, or drawn into ``ax``."""
        from actviz.render.softmax_chart import figure

        return figure(self, ax)



def as_batch(raw: Any) -> tuple[np.ndarray, bool]:
    """float64 logits as a 2-D array (one softmax per row) and whether the input was a batch."""
    arr = np.asarray(raw)
    if arr.ndim > 2:
        raise LogitError(f"expected 1-D logits or a 2-D batch (one row per softmax), got shape {arr.shape}")
    if arr.dtype.kind not in "biuf":
        raise LogitError(f"expected real numbers as logits, got an array of dtype {arr.dtype}")
    z = np.array(arr, dtype=np.float64, ndmin=1)  # a copy: float32/int/memory-mapped inputs become float64
    if z.size == 0:
        raise LogitError("no logits found")
    return (z, True) if z.ndim == 2 else (z[None, :], False)


def _where(row: int, batch: bool) -> str:
    return f" in row {row}" if batch else ""


def check_temperature(temperature: float) -> float:
    try:
        return positive(float(temperature), "temperature", temperature)
    except ValueError as exc:
        raise LogitError(str(exc)) from None


def check_logits(z: np.ndarray, batch: bool, fn: str = "softmax") -> None:
    """Reject what has no defined ``fn`` (NaN, a row of only −inf; of only +inf for softmin)."""
    worst = np.inf if fn == "softmin" else -np.inf  # the logit that gets nothing
    for r, row in enumerate(z):
        nan = np.flatnonzero(np.isnan(row))
        if nan.size:
            raise LogitError(f"logit {nan[0]}{_where(r, batch)} is NaN: {fn} is undefined")
        if np.all(row == worst):
            sign = "+" if worst > 0 else "-"
            raise LogitError(f"all logits{_where(r, batch)} are {sign}inf: {fn} is undefined")


def check_labels(labels: Sequence[str] | None, count: int) -> list[str] | None:
    """The labels as a list, one per logit (:class:`LogitError` otherwise)."""
    if labels is None:
        return None
    names = [str(label) for label in labels]
    if any(not name.strip() for name in names):
        raise LogitError("labels must not be empty")
    if len(names) != count:
        raise LogitError(f"{len(names)} label{'s' * (len(names) != 1)} for {count} "
                         f"logit{'s' * (count != 1)}; the counts must match")
    return names


def compute(z: np.ndarray, temperature: float, fn: str = "softmax") -> list[SoftmaxRow]:
    """Ask the core for probabilities and their logs for every row (all entries shown, input order)."""
    from actviz.core.vector_family import probabilities_and_logs

    prob, logp = probabilities_and_logs(z, temperature, fn, axis=-1)
    rows = []
    for r in range(z.shape[0]):
        p, lp = np.asarray(prob[r], dtype=np.float64), np.asarray(logp[r], dtype=np.float64)
        if np.isnan(p).any() or np.isnan(lp).any():  # check_logits rejects every such input
            raise LogitError(f"softmax of these logits{_where(r, z.shape[0] > 1)} is undefined")
        rows.append(
            SoftmaxRow(
                logits=z[r],
                probabilities=p,
                log_probabilities=lp,
                argmax=int(np.argmax(lp)),
                total=math.fsum(p.tolist()),
                shown=list(range(p.size)),
                rest=None,
            )
        )
    return rows


def arrange(row: SoftmaxRow, top: int | None, ranked: bool) -> SoftmaxRow:
    """The same row showing the ``top`` most probable (ranked) entries and the mass of the rest."""
    if not ranked:
        return row
    # Rank by log-probability: it separates entries whose probabilities all underflow to 0.
    order = np.argsort(-row.log_probabilities, kind="stable")  # ties: lower index first
    shown = [int(i) for i in order[:top]]
    hidden = np.ones(row.probabilities.size, dtype=bool)
    hidden[shown] = False
    rest = math.fsum(row.probabilities[hidden].tolist()) if hidden.any() else None
    return replace(row, shown=shown, rest=rest)


def build(logits: Any, temperature: float = 1.0, labels: Sequence[str] | None = None,
          sort: bool = False, top: int | None = None, fn: str = "softmax") -> SoftmaxResult:
    """Check ``logits`` (1-D, or 2-D for a batch) and return their softmax result.

    ``fn`` is one of ``softmax``, ``log_softmax``, ``softmin`` or ``sparsemax``."""
    from actviz.core.vector_family import VECTOR_FNS

    if fn not in VECTOR_FNS:
        raise LogitError(f"unknown function '{fn}'; choose from {', '.join(VECTOR_FNS)}")
    t = check_temperature(temperature)
    if top is not None and (isinstance(top, bool) or int(top) != top or top < 1):
        raise LogitError(f"top must be a whole number >= 1, got {top}")
    z, batch = as_batch(logits)
    names = check_labels(labels, z.shape[1])
    check_logits(z, batch, fn)
    ranked = sort or top is not None
    rows = [arrange(row, None if top is None else int(top), ranked) for row in compute(z, t, fn)]
    return SoftmaxResult(rows, t, names, batch, ranked, fn)
