"""Benchmark: ``actviz derive FUNCTION --input x.npy`` on a large float32 ``.npy``.

Writes N standard-normal pre-activations (scaled by 3) as float32 to a temporary directory, runs
the summary (and, with ``--csv``, the CSV stream to /dev/null) in a child process, and reports
values per second, CPU time and the child's peak resident memory (``ru_maxrss`` of RUSAGE_CHILDREN; each
command runs in a fresh child so peaks do not mix). The file is removed afterwards.

    python benchmarks/derive_stream.py              # 1e8 values (400 MB file)
    python benchmarks/derive_stream.py --size 1e7   # quick run
    python benchmarks/derive_stream.py --function relu --csv --size 1e6

Standard library + NumPy + actviz only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

WRITE_BLOCK = 1 << 22  # values generated and written at a time (bounded memory here too)


def write_npy(path: str, n: int, seed: int = 0) -> None:
    """A float32 .npy of ``n`` values, generated and written block by block."""
    rng = np.random.default_rng(seed)
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype("<f4")), "fortran_order": False,
              "shape": (n,)}
    with open(path, "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, header)
        for start in range(0, n, WRITE_BLOCK):
            block = rng.standard_normal(min(WRITE_BLOCK, n - start), dtype=np.float32) * 3
            fh.write(block.astype("<f4").tobytes())


# Each measurement runs in its own child: ``python -c CHILD args...`` then reports its own
# peak RSS through RUSAGE_CHILDREN of a tiny grandparent wrapper (see _measure).
_WRAPPER = """
import resource, subprocess, sys, time
t = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    rc = subprocess.run(sys.argv[2:], stdout=out).returncode
elapsed = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


def _measure(argv: list[str], stdout_path: str) -> tuple[float, float, float]:
    """Run ``argv`` in a fresh child; return (wall seconds, peak RSS in MiB, CPU seconds) of it."""
    wrapper = [sys.executable, "-c", _WRAPPER, stdout_path, *argv]
    done = subprocess.run(wrapper, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"benchmark child failed: {done.stderr.strip()}")
    rc, elapsed, peak_kib, cpu = done.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"'{' '.join(argv)}' exited with {rc}")
    return float(elapsed), int(peak_kib) / 1024, float(cpu)


def _startup(stdout_path: str) -> tuple[float, float, float]:
    """Time and RSS of the same command on a tiny input: the fixed cost to subtract."""
    return _measure([sys.executable, "-m", "actviz", "derive", "sigmoid", "--at", "0", "-f", "json"],
                    stdout_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e8, help="number of values (default 1e8)")
    parser.add_argument("--function", default="sigmoid", help="activation (default sigmoid)")
    parser.add_argument("--csv", action="store_true", help="also time --format csv to /dev/null")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the summary; the best counts")
    args = parser.parse_args(argv)
    n = int(args.size)
    if n <= 50:
        parser.error("--size must be more than 50 (smaller inputs are shown as a table)")

    with tempfile.TemporaryDirectory(prefix="actviz-bench-") as tmp:
        path = os.path.join(tmp, "x.npy")
        t = time.perf_counter()
        write_npy(path, n)
        print(f"wrote {n:,} float32 values ({os.path.getsize(path) / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - t:.1f} s")
        sink = os.path.join(tmp, "out.txt")
        base_s, base_mib, base_cpu = min(_startup(os.devnull) for _ in range(2))
        print(f"start-up (derive --at 0): {base_s:.2f} s wall, {base_cpu:.2f} s CPU, "
              f"peak RSS {base_mib:.0f} MiB")

        best = None
        for _ in range(max(1, args.repeat)):
            cmd = [sys.executable, "-m", "actviz", "derive", args.function, "--input", path, "-f", "json"]
            run = _measure(cmd, sink)
            best = run if best is None or run[0] < best[0] else best
        s, mib, cpu = best
        work = s - base_s
        net = f"{n / work / 1e6:.1f} M/s" if work > 0.05 else "n/a: too small"
        print(f"summary  {args.function}: {s:.2f} s wall, {n / s / 1e6:.1f} M values/s "
              f"({net} without start-up; {n / max(cpu, 1e-9) / 1e6:.1f} M per CPU-second), "
              f"peak RSS {mib:.0f} MiB")
        with open(sink, encoding="utf-8") as fh:
            doc = json.load(fh)
        if doc["summary"]["count"] != n:
            raise SystemExit(f"summary counted {doc['summary']['count']} values, expected {n}")

        if args.csv:
            cmd = [sys.executable, "-m", "actviz", "derive", args.function, "--input", path, "-f", "csv"]
            s, mib, cpu = _measure(cmd, os.devnull)
            print(f"csv      {args.function}: {s:.2f} s wall, {n / s / 1e6:.2f} M rows/s "
                  f"({cpu:.2f} s CPU), peak RSS {mib:.0f} MiB")
    # Our own process stays small too: the file is written block by block.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark process itself: peak RSS {own:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
