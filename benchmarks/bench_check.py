"""Benchmark: ``actviz check`` on a large float32 file, and an exhaustive 16-bit framework run.

1. Writes N float32 inputs (standard normal × 3) and an implementation's sigmoid values
   (``1/(1 + exp(−x))`` in float32 NumPy: about half of them 1 float off) block by block, then
   times ``actviz check sigmoid --input x.npy --values y.npy -f json`` in a fresh child: values/s
   (goal ≥ 20 M/s) and the child's peak RSS (goal < 300 MB).
2. Times ``actviz check gelu --framework-run jax --dtype bfloat16`` (all 65,536 inputs, f and
   autodiff f′; goal < 10 s), when JAX is installed.

    python benchmarks/bench_check.py               # 1e7 values, 3 rounds
    python benchmarks/bench_check.py --size 1e8 --rounds 1

``benchmarks/run.py --only check`` runs the same as one section of the whole benchmark.
Standard library + NumPy + actviz only (the child may import JAX).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile

import derive_stream  # the child meter (wall, peak RSS, CPU) and the block writer's layout
import numpy as np

RATE_GOAL, RSS_GOAL_MB, FRAMEWORK_GOAL_S = 20e6, 300.0, 10.0
BLOCK = 1 << 22


def write_pair(x_path: str, y_path: str, n: int, seed: int = 0) -> None:
    """x (float32) and float32 sigmoid values of it, written block by block."""
    rng = np.random.default_rng(seed)
    header = {"descr": "<f4", "fortran_order": False, "shape": (n,)}
    with open(x_path, "wb") as fx, open(y_path, "wb") as fy:
        np.lib.format.write_array_header_1_0(fx, header)
        np.lib.format.write_array_header_1_0(fy, header)
        for start in range(0, n, BLOCK):
            x = rng.standard_normal(min(BLOCK, n - start), dtype=np.float32) * np.float32(3)
            with np.errstate(over="ignore"):
                y = np.float32(1) / (np.float32(1) + np.exp(-x))
            fx.write(x.tobytes())
            fy.write(y.astype("<f4").tobytes())


def argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "actviz", *args]


def section(size: int, rounds: int) -> list[tuple[str, str, str, bool]]:
    """Print the measurements; return (goal, measured, target, met) rows."""
    print(f"\n## 5. check: actviz check sigmoid --input x.npy --values y.npy, {size:,} float32 values")
    with tempfile.TemporaryDirectory(prefix="actviz-bench-") as tmp:
        x, y, sink = (os.path.join(tmp, n) for n in ("x.npy", "y.npy", "out.json"))
        write_pair(x, y, size)
        cmd = argv("check", "sigmoid", "--input", x, "--values", y, "-f", "json")
        small = argv("derive", "sigmoid", "--at", "0", "-f", "json")
        derive_stream._measure(cmd, sink)  # page cache
        runs, base = [], []
        for _ in range(rounds):
            base.append(derive_stream._measure(small, os.devnull))
            runs.append(derive_stream._measure(cmd, sink))
        with open(sink, encoding="utf-8") as fh:
            doc = json.load(fh)
        count = doc["quantities"][0]["count"]
        if count != size:
            raise SystemExit(f"check counted {count} values, expected {size}")
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    rss = max(r[1] for r in runs)
    b_wall = statistics.median(r[0] for r in base)
    rate = size / wall
    net = size / max(wall - b_wall, 1e-9)
    q = doc["quantities"][0]
    print(f"check: {wall:.2f} s wall, {cpu:.2f} s CPU, {rate / 1e6:.1f} M values/s ({net / 1e6:.1f} M/s "
          f"without the {b_wall:.2f} s start-up; {size / max(cpu, 1e-9) / 1e6:.1f} M per CPU-second), "
          f"peak RSS {rss:.0f} MiB; medians of {rounds}")
    print(f"(the audit itself: max {q['max_ulp']:.3g} ulp, {100 * q['correctly_rounded']:.1f}% correctly "
          f"rounded — NumPy's float32 exp)")
    rows = [("check, 1 float32 file: values/s", f"{rate / 1e6:.1f} M/s", "≥ 20 M/s", rate >= RATE_GOAL),
            ("check, 1 float32 file: peak RSS", f"{rss:.0f} MiB", "< 300 MB",
             rss * 2**20 < RSS_GOAL_MB * 1e6)]
    if importlib.util.find_spec("jax") is None:
        print("check --framework-run jax: skipped (jax is not installed)")
        return rows
    fw = argv("check", "gelu", "--framework-run", "jax", "--dtype", "bfloat16", "-f", "json")
    times = [derive_stream._measure(fw, os.devnull) for _ in range(rounds)]
    t = statistics.median(r[0] for r in times)
    print(f"check gelu --framework-run jax --dtype bfloat16 (65,536 inputs, f and f′): {t:.2f} s wall, "
          f"{statistics.median(r[2] for r in times):.2f} s CPU, peak RSS {max(r[1] for r in times):.0f} MiB")
    rows.append(("check, exhaustive bfloat16 jax run", f"{t:.2f} s", "< 10 s", t < FRAMEWORK_GOAL_S))
    return rows


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e7, help="values in the file (default 1e7)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each command; medians count")
    ns = parser.parse_args(args)
    rows = section(int(ns.size), max(1, ns.rounds))
    for what, measured, goal, ok in rows:
        print(f"{what}: {measured} (goal {goal}) {'ok' if ok else 'MISS'}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
