"""Measured accuracy of every activation against mpmath: the worst error on the test grid.

    python benchmarks/accuracy.py            (needs the test extra: mpmath)

For f and f′ it prints the largest error in ULP where the function is well conditioned
(κ ≤ 1) and the largest error divided by max(1, κ) anywhere; for f″ the largest relative error
divided by max(1, κ). The grid and the reference values are the ones tests/test_accuracy.py uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import actviz  # noqa: E402
from tests.accuracy_grid import measure, ulp  # noqa: E402


def main() -> None:
    header = f"{'function':<22}{'f ulp κ≤1':>11}{'f ulp/κ':>9}{'f′ ulp κ≤1':>12}{'f′ ulp/κ':>10}"
    print(header + f"{'f″ rel/κ':>11}")
    for name in actviz.names():
        act = actviz.get(name)
        cells = []
        for order in (0, 1):
            points = [p for p in measure(act, order) if not p.problem]
            well = max((p.ulps for p in points if p.kappa <= 1), default=0.0)
            scaled = max((p.ulps / max(1.0, p.kappa) for p in points), default=0.0)
            cells += [f"{well:>11.2f}" if order == 0 else f"{well:>12.2f}", f"{scaled:>9.2f}"]
        rel = max((p.ulps * ulp(float(p.true)) / abs(float(p.true)) / max(1.0, p.kappa)
                   for p in measure(act, 2) if not p.problem and abs(float(p.true)) > 1e-300),
                  default=0.0)
        print(f"{name:<22}{''.join(cells)}{rel:>11.1e}")


if __name__ == "__main__":
    main()
