"""``actviz train`` speed: three activations × 1000 steps, width 64, depth 4, 1000 points (goal < 5 s).

    python benchmarks/bench_train.py             # 5 runs of the command, medians
    python benchmarks/bench_train.py --runs 9

Each run is the real command in a fresh process (``actviz train sigmoid tanh relu --points 1000
--width 64 --depth 4 --steps 1000 -f json``, everything else default: mini-batches of 32, a
measurement on all 750 training and 250 test points every 10 steps), timed by wall clock and by
the child's CPU time, with its peak RSS. Beside it, the start-up of the same command with one
step, so the table shows what the training itself costs. ``benchmarks/run.py --only train`` runs
this as one section of the whole benchmark.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import derive_stream  # noqa: E402  (fresh-child meter: wall, peak RSS, CPU)

GOAL_SECONDS = 5.0
ARGS = ["train", "sigmoid", "tanh", "relu", "--points", "1000", "--width", "64", "--depth", "4", "-f", "json"]
STEPS = 1000


def _argv(steps: int) -> list[str]:
    return [sys.executable, "-m", "actviz", *ARGS, "--steps", str(steps)]


def measure(runs: int) -> dict[str, float]:
    """Medians of wall and CPU seconds and the largest peak RSS, for the run and its start-up."""
    with tempfile.TemporaryDirectory(prefix="actviz-bench-") as tmp:
        sink = os.path.join(tmp, "out.json")
        derive_stream._measure(_argv(STEPS), sink)  # warm-up: bytecode, page cache
        full = [derive_stream._measure(_argv(STEPS), sink) for _ in range(runs)]
        base = [derive_stream._measure(_argv(1), sink) for _ in range(runs)]
    return {
        "wall": statistics.median(r[0] for r in full),
        "cpu": statistics.median(r[2] for r in full),
        "rss": max(r[1] for r in full),
        "base_wall": statistics.median(r[0] for r in base),
        "base_rss": max(r[1] for r in base),
    }


def report(m: dict[str, float], runs: int) -> list[list[str]]:
    """Table rows (command, wall s, CPU s, steps/s without start-up, peak RSS MiB)."""
    train_s = max(m["wall"] - m["base_wall"], 1e-9)
    return [
        ["train … --steps 1 (start-up)", f"{m['base_wall']:.2f}", "", "", f"{m['base_rss']:.0f}"],
        [f"train sigmoid tanh relu, {STEPS} steps, width 64, depth 4, 1000 points", f"{m['wall']:.2f}",
         f"{m['cpu']:.2f}", f"{3 * STEPS / train_s:,.0f}", f"{m['rss']:.0f}"],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    args = parser.parse_args(argv)
    m = measure(max(1, args.runs))
    rows = report(m, args.runs)
    headers = ["command", "wall s", "CPU s", "steps/s (without start-up)", "peak RSS MiB"]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for r in [headers, *rows]:
        cells = zip(r, widths, strict=True)
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
    ok = m["wall"] < GOAL_SECONDS
    print(f"(medians of {args.runs} runs) goal: under {GOAL_SECONDS:g} s wall: {'ok' if ok else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
