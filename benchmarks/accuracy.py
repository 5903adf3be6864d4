"""Measured accuracy of every activation against mpmath: the worst error on the test grid and
on a large seeded random sample, for every catalog entry and parameter case.

    python benchmarks/accuracy.py                 (needs the test extra: mpmath; ~15 min)
    python benchmarks/accuracy.py --sample 2000   (a quicker look)

For f and f′ it prints the largest error in ULP where the function is well conditioned
(κ ≤ 1) and the largest error divided by max(1, κ) anywhere; for f″ the largest relative error
divided by max(1, κ); and how many points break the contract (4·max(1, κ) ULP; f″ 1e−12·κ
relative). The grid, the sample (``tests.accuracy_grid.sample``, one seed per case), the cases
and the reference values are the ones tests/test_accuracy.py uses (its slow test runs this
sample size).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import actviz  # noqa: E402
from tests.accuracy_grid import (  # noqa: E402
    FULL_SAMPLE,
    case_id,
    case_seed,
    grid,
    measure,
    param_cases,
    sample,
    ulp,
)


def _points(act, order: int, xs: np.ndarray) -> list:
    return [p for p in measure(act, order, xs) if not p.problem] if xs.size else []


def _cells(points: list, order: int) -> tuple[float, float, int]:
    """(worst ULP where κ ≤ 1, worst ULP/max(1, κ), points over the contract); f″: relative."""
    if order < 2:
        well = max((p.ulps for p in points if p.kappa <= 1), default=0.0)
        scaled = max((p.ulps / max(1.0, p.kappa) for p in points), default=0.0)
        over = sum(p.ulps > 4.0 * max(1.0, p.kappa) for p in points)
        return well, scaled, over
    rel = [(p.ulps * ulp(float(p.true)) / abs(float(p.true)) if float(p.true) else p.ulps * np.inf, p)
           for p in points if p.ulps]
    scaled = max((r / max(1.0, p.kappa) for r, p in rel if abs(float(p.true)) > 1e-300), default=0.0)
    over = sum(r > 1e-12 * max(1.0, p.kappa) and p.ulps > 4.0 * max(1.0, p.kappa) for r, p in rel)
    return 0.0, scaled, over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=FULL_SAMPLE, help="random points per case and order")
    parser.add_argument("--only", nargs="*", default=[], help="only these catalog names")
    args = parser.parse_args(argv)
    start = time.time()
    print(f"# actviz accuracy vs mpmath: the test grid plus {args.sample} seeded random points per case "
          f"and order; {platform.python_implementation()} {platform.python_version()}, "
          f"NumPy {np.__version__}, {time.strftime('%Y-%m-%d')}")
    header = (f"{'case':<30}{'f ulp κ≤1':>10}{'f ulp/κ':>9}{'f′ ulp κ≤1':>11}{'f′ ulp/κ':>9}"
              f"{'f″ rel/κ':>10}{'over':>6}")
    print(header)
    total_over = 0
    for name, params in param_cases():
        if args.only and name not in args.only:
            continue
        act = actviz.get(name, **params)
        xs = np.concatenate([grid([k.x for k in act.kinks]), sample(args.sample, case_seed(name, params))])
        cells, over = [], 0
        for order in (0, 1, 2):
            well, scaled, n_over = _cells(_points(act, order, xs), order)
            over += n_over
            cells += [well, scaled] if order < 2 else [scaled]
        total_over += over
        print(f"{case_id(name, params):<30}{cells[0]:>10.2f}{cells[1]:>9.2f}{cells[2]:>11.2f}{cells[3]:>9.2f}"
              f"{cells[4]:>10.1e}{over:>6}", flush=True)
    print(f"({total_over} points over the contract; {time.time() - start:.0f} s)")
    return 1 if total_over else 0


if __name__ == "__main__":
    sys.exit(main())
