"""Formulas (issue 14): evaluation speed against the catalog kernel, parse time, start-up.

    python benchmarks/bench_expr.py            # this section alone
    python benchmarks/run.py --only expr       # the same, inside the main benchmark

1. f and f′ of ``x*sigmoid(x)`` on 1e6 float64 values against the catalog's silu (goal ≤ 3×), and
   two more formulas beside their catalog twins (``x*tanh(softplus(x))`` vs mish, ``x*Phi(x)``
   vs gelu; shown, no goal): medians of ``time.process_time`` over shuffled rounds;
2. parsing a typical formula into an Activation (goal < 5 ms), warm, median of 200; rejecting each
   input of the hostile corpus of ``tests/test_expr_language.py`` (10 000 nested parentheses, a
   1 MB string, ``9**9**9``, …; goal < 100 ms, "a fraction of a second"), warm, median of 5;
3. ``actviz derive "x*sigmoid(x)" --at 1`` cold start against the single-threaded floor (goal ≤ 1.3×).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

KERNEL_GOAL, PARSE_GOAL_MS, STARTUP_GOAL, HOSTILE_GOAL_MS = 3.0, 5.0, 1.3, 100.0
PAIRS = [("x*sigmoid(x)", "silu"), ("x*tanh(softplus(x))", "mish"), ("x*Phi(x)", "gelu")]
TYPICAL = ["x*sigmoid(1.702*x)", "x*sigmoid(b*x); b=1.702", "max(x, 0.1*x)",
           "x*(1+erf(x/sqrt(2)))/2", "where(x > 0, x, 1.6732632423543772*expm1(x))"]


def _kernel_times(n: int, rounds: int) -> dict[str, float]:
    """Median seconds per call of f and f′ for each formula and its catalog twin."""
    import numpy as np

    import actviz

    x = np.random.default_rng(0).normal(0, 4, n)
    calls = {}
    for formula, name in PAIRS:
        for label, act in ((formula, actviz.get(formula)), (name, actviz.get(name))):
            calls[f"{label} f"] = act.__call__
            calls[f"{label} f′"] = act.grad
    for fn in calls.values():
        fn(x)  # warm-up
    samples: dict[str, list[float]] = {k: [] for k in calls}
    order = list(calls)
    for _ in range(rounds):
        random.shuffle(order)
        for k in order:
            t = time.process_time()
            calls[k](x)
            samples[k].append(time.process_time() - t)
    return {k: statistics.median(v) for k, v in samples.items()}


def _parse_ms() -> dict[str, float]:
    from actviz.expr.activation import from_text

    from_text("x")  # the catalog index is built once per process
    out = {}
    for text in TYPICAL:
        times = []
        for _ in range(200):
            t = time.perf_counter()
            from_text(text)
            times.append(time.perf_counter() - t)
        out[text] = statistics.median(times) * 1000
    return out


def _hostile_ms() -> dict[str, float]:
    """Median ms to reject (or, for the one allowed entry, accept) each hostile input."""
    from actviz.expr.activation import from_text
    from tests.test_expr_language import HOSTILE

    from_text("x")
    out = {}
    for text in HOSTILE:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            try:
                from_text(text)
            except ValueError:  # ExprError, or a catalog parameter out of range
                pass
            times.append(time.perf_counter() - t)
        out[repr(text[:24]) + ("…" if len(text) > 24 else "")] = statistics.median(times) * 1000
    return out


def section(harness, rounds: int, work: str, n: int = 1_000_000) -> list:
    """Run the three measurements, print their tables, return the goals (``harness`` is run.py)."""
    Goal, table = harness.Goal, harness.table
    print(f"\n## Formulas: f and f′ on {n:.0e} float64 values, ns per value (median of {rounds} rounds)")
    med = _kernel_times(n, max(3, rounds))
    rows = []
    ratios = {}
    for formula, name in PAIRS:
        for which in ("f", "f′"):
            mine, theirs = med[f"{formula} {which}"], med[f"{name} {which}"]
            ratios[(formula, which)] = mine / theirs
            rows.append([f"{formula} {which}", f"{mine / n * 1e9:.1f}", f"{name} {which}",
                         f"{theirs / n * 1e9:.1f}", f"{mine / theirs:.2f}"])
    table(["formula", "ns/value", "catalog", "ns/value", "× catalog"], rows)
    print("(x*Phi(x) takes erfc from Python's math module value by value: NumPy has no erfc)")

    print("\n## Formulas: parse + build the Activation, warm, median of 200")
    parse = _parse_ms()
    table(["formula", "ms"], [[k, f"{v:.3f}"] for k, v in parse.items()])
    hostile = _hostile_ms()
    slow = sorted(hostile.items(), key=lambda kv: -kv[1])[:4]
    print(f"hostile corpus ({len(hostile)} inputs): slowest " + ", ".join(f"{k} {v:.2f} ms" for k, v in slow))

    print("\n## Formulas: cold start of a derive on a formula vs the floor")
    base = harness.actviz_argv()
    floor = "floor, BLAS single-threaded as actviz runs it"
    commands = {
        floor: [sys.executable, "-c", harness.SINGLE_THREAD + harness.STARTUP_FLOOR],
        'actviz derive "x*sigmoid(x)" --at 1': [*base, "derive", "x*sigmoid(x)", "--at", "1"],
        "actviz derive sigmoid --at 1": [*base, "derive", "sigmoid", "--at", "1"],
    }
    times = harness.interleaved(commands, rounds, work)
    fw, fc = times[floor]
    table(["command", "wall ms", "× floor", "CPU ms", "× floor"],
          [[k, f"{w * 1000:.0f}", f"{w / fw:.2f}", f"{c * 1000:.0f}", f"{c / fc:.2f}"]
           for k, (w, c) in times.items()])
    w, c = times['actviz derive "x*sigmoid(x)" --at 1']
    worst = max(ratios[("x*sigmoid(x)", "f")], ratios[("x*sigmoid(x)", "f′")])
    slowest_parse = max(parse.values())
    return [Goal("x*sigmoid(x) vs silu, f and f′ (slower of the two)", f"{worst:.2f}×",
                 f"≤ {KERNEL_GOAL}×", worst <= KERNEL_GOAL),
            Goal("parse a typical formula (slowest of 5)", f"{slowest_parse:.2f} ms", f"< {PARSE_GOAL_MS} ms",
                 slowest_parse < PARSE_GOAL_MS),
            Goal("reject a hostile input (slowest of the corpus)", f"{slow[0][1]:.2f} ms",
                 f"< {HOSTILE_GOAL_MS:.0f} ms", slow[0][1] < HOSTILE_GOAL_MS),
            Goal('derive "x*sigmoid(x)" --at 1, CPU (1-thread floor)', f"{c / fc:.2f}×",
                 f"≤ {STARTUP_GOAL}×", c / fc <= STARTUP_GOAL),
            Goal('derive "x*sigmoid(x)" --at 1, wall (1-thread floor)', f"{w / fw:.2f}×",
                 f"≤ {STARTUP_GOAL}×", w / fw <= STARTUP_GOAL)]


def main() -> int:
    import shutil
    import tempfile

    import run as harness

    work = tempfile.mkdtemp(prefix="actviz-bench-expr-")
    try:
        goals = section(harness, 9, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n## Goals")
    harness.table(["goal", "measured", "target", ""],
                  [[g.what, g.measured, g.goal, harness.verdict(g.ok)] for g in goals])
    return 0 if all(g.ok for g in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
