"""The result of ``actviz check``: frozen records with ``to_dict()`` for JSON.

Metrics, named in every report:

- ``ulp``: fractional error against the exact value, ``|got − exact| / ulp(exact)`` in the target
  dtype (Zimmermann et al., CORE-MATH; a correctly rounded result scores ≤ 0.5);
- ``distance``: integer distance in floats of the target dtype from the correctly rounded value
  (glibc ``libm-test-ulps``, the CUDA guide, LLVM libc; 0 = correctly rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

METRIC = ("ulp: |got − exact| / ulp(exact) in the target dtype (≤ 0.5 = correctly rounded); "
          "distance: floats between got and the correctly rounded value")
HISTOGRAM_BINS = ("0", "≤1", "≤2", "≤4", "≤16", ">16")  # of the integer distance
REGIONS = ("negative tail", "centre", "positive tail", "subnormal", "±0", "±inf", "NaN", "kinks")
CENTRE = 8.0  # the centre region is [−8, 8]


@dataclass(frozen=True)
class WorstPoint:
    """One of the largest errors: the input (decimal and hex), the result, the exact value."""

    x: float
    got: float
    exact: float  # the exact value rounded to float64 (for display)
    correct: float  # the correctly rounded value in the target dtype
    ulp: float
    distance: int
    region: str

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x, "x_hex": float(self.x).hex(), "got": self.got, "exact": self.exact,
                "correctly_rounded": self.correct, "ulp": self.ulp, "distance": self.distance,
                "region": self.region}


@dataclass(frozen=True)
class RegionStats:
    name: str
    count: int
    max_ulp: float
    mean_ulp: float
    max_distance: int
    correctly_rounded: float  # share with distance 0

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.name, "count": self.count, "max_ulp": self.max_ulp,
                "mean_ulp": self.mean_ulp, "max_distance": self.max_distance,
                "correctly_rounded": self.correctly_rounded}


@dataclass(frozen=True)
class Tolerance:
    """What ``torch.testing.assert_close`` (|got − expected| ≤ atol + rtol·|expected|, expected =
    the correctly rounded values) would need, and whether its defaults for the dtype pass."""

    default_rtol: float
    default_atol: float
    rtol: float  # the smallest rtol that passes with the default atol
    atol: float  # the smallest atol that passes with the default rtol
    passes_defaults: bool

    def to_dict(self) -> dict[str, Any]:
        return {"default_rtol": self.default_rtol, "default_atol": self.default_atol,
                "rtol_needed": self.rtol, "atol_needed": self.atol,
                "passes_defaults": self.passes_defaults}


@dataclass(frozen=True)
class QuantityReport:
    """The audit of one quantity (``f`` or ``df``) over all compared inputs."""

    quantity: str
    count: int  # all inputs
    compared: int  # inputs where both results are numbers or the same special value
    max_ulp: float
    max_distance: int
    mean_ulp: float
    correctly_rounded: float  # share of the compared inputs
    histogram: tuple[tuple[str, int], ...]
    regions: tuple[RegionStats, ...]
    worst: tuple[WorstPoint, ...]
    nan_mismatches: int  # NaN where the exact value is a number, or a number where it is NaN
    inf_mismatches: int  # ±inf where the correctly rounded value is not that infinity, or vice versa
    tolerance: Tolerance

    @property
    def mismatches(self) -> int:
        return self.nan_mismatches + self.inf_mismatches

    def within(self, limit: float) -> bool:
        return self.mismatches == 0 and self.max_ulp <= limit

    def to_dict(self) -> dict[str, Any]:
        return {"quantity": self.quantity, "count": self.count, "compared": self.compared,
                "max_ulp": self.max_ulp, "max_distance": self.max_distance, "mean_ulp": self.mean_ulp,
                "correctly_rounded": self.correctly_rounded,
                "histogram": {label: n for label, n in self.histogram},
                "regions": [r.to_dict() for r in self.regions],
                "worst": [w.to_dict() for w in self.worst],
                "nan_mismatches": self.nan_mismatches, "inf_mismatches": self.inf_mismatches,
                "assert_close": self.tolerance.to_dict()}


@dataclass(frozen=True)
class ErrorSample:
    """A bounded sample of (x, ulp error, region code, exact value) for ``--plot`` (not in JSON)."""

    x: np.ndarray
    ulp: np.ndarray
    region: np.ndarray
    exact: np.ndarray


@dataclass(frozen=True)
class CheckResult:
    """One implementation of one activation audited in one dtype."""

    activation: str  # the spec (name and parameters)
    label: str
    dtype: str
    implementation: str  # "x.npy / y.npy" or "jax 0.10.2 (jax.nn.gelu)"
    reference: str  # how the exact values were obtained
    quantities: tuple[QuantityReport, ...]
    context: tuple[str, ...]  # documented bounds of the building block for this dtype
    notes: tuple[str, ...]
    max_ulp: float | None  # the --max-ulp limit, if any
    samples: dict[str, ErrorSample] = field(default_factory=dict, compare=False, repr=False)

    @property
    def passed(self) -> bool:
        return self.max_ulp is None or all(q.within(self.max_ulp) for q in self.quantities)

    def to_dict(self) -> dict[str, Any]:
        return {"activation": self.activation, "dtype": self.dtype,
                "implementation": self.implementation, "reference": self.reference,
                "metric": METRIC, "max_ulp_limit": self.max_ulp, "passed": self.passed,
                "quantities": [q.to_dict() for q in self.quantities],
                "context": list(self.context), "notes": list(self.notes)}
