"""Benchmark: ``actviz derive sigmoid --input …`` on N values as text, CSV, stdin and .npz.

Writes the inputs to a temporary directory (text: one short number a line as ``%.6g``, about 9
bytes a value, like a NumPy ``savetxt`` dump; CSV: a header and three columns, read with
``--column``; ``.npz``: ten float32 members written straight into the zip), then runs each
command in a fresh child and reports wall and CPU time, values per second and the child's peak
resident memory (``ru_maxrss`` of RUSAGE_CHILDREN; see ``derive_stream._measure``). stdin is a
real pipe from ``cat``. The files are removed afterwards.

    python benchmarks/bench_inputs.py               # 1e8 values (text file ≈ 0.9 GB)
    python benchmarks/bench_inputs.py --size 1e7    # quick run

Goals (issue 16): at least 10 M values/s from text, peak RSS under 200 MB for every input.
Standard library + NumPy + actviz only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import derive_stream  # noqa: E402  (the child meter)

BLOCK = 1 << 20  # values formatted at a time; the text repeats a few distinct blocks
TEXT_RATE_GOAL, RSS_GOAL_MB = 10e6, 200.0


def _blocks(n: int, seed: int = 0):
    """Blocks of standard-normal × 3 values adding up to n (four distinct ones, reused)."""
    rng = np.random.default_rng(seed)
    distinct = [rng.standard_normal(BLOCK) * 3 for _ in range(4)]
    done, i = 0, 0
    while done < n:
        block = distinct[i % 4][: min(BLOCK, n - done)]
        yield block
        done += block.size
        i += 1


def write_text(path: str, n: int) -> None:
    cache: dict[int, bytes] = {}
    with open(path, "wb") as fh:
        for i, block in enumerate(_blocks(n)):
            key = (i % 4, block.size)
            if key not in cache:
                cache[key] = "".join(f"{v:.6g}\n" for v in block.tolist()).encode()
            fh.write(cache[key])


def write_csv(path: str, n: int) -> None:
    cache: dict[tuple[int, int], bytes] = {}
    with open(path, "wb") as fh:
        fh.write(b"step,pre,post\n")
        for i, block in enumerate(_blocks(n, seed=1)):
            key = (i % 4, block.size)
            if key not in cache:
                cache[key] = "".join(f"{j},{v:.6g},{max(v, 0.0):.4g}\n"
                                     for j, v in enumerate(block.tolist())).encode()
            fh.write(cache[key])


def write_npz(path: str, n: int, members: int = 10) -> None:
    """Ten float32 members written block by block into an uncompressed zip (as np.savez does)."""
    per = -(-n // members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        left = n
        for m in range(members):
            size = min(per, left)
            left -= size
            header = {"descr": "<f4", "fortran_order": False, "shape": (size,)}
            with zf.open(f"layer{m}.npy", "w", force_zip64=True) as fh:
                np.lib.format.write_array_header_1_0(fh, header)
                for block in _blocks(size, seed=m):
                    fh.write(block.astype("<f4").tobytes())


_PIPE = """
import resource, subprocess, sys, time
t = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    cat = subprocess.Popen(["cat", sys.argv[2]], stdout=subprocess.PIPE)
    rc = subprocess.run(sys.argv[3:], stdin=cat.stdout, stdout=out).returncode
    cat.stdout.close()
    cat.wait()
elapsed = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


def _measure_pipe(argv: list[str], source: str, stdout_path: str) -> tuple[float, float, float]:
    done = subprocess.run([sys.executable, "-c", _PIPE, stdout_path, source, *argv], capture_output=True,
                          text=True, check=False)
    rc, elapsed, peak_kib, cpu = done.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"'{' '.join(argv)}' exited with {rc}: {done.stderr.strip()}")
    return float(elapsed), int(peak_kib) / 1024, float(cpu)


def parser_floor(path: str, column: int | None, limit: int = 80 << 20) -> float:
    """Values per CPU-second of NumPy's own parser alone on the first ``limit`` bytes of ``path``
    in 1 MiB blocks of whole lines, as actviz reads them: ``np.fromstring`` for one number a line,
    ``np.loadtxt`` of one column for CSV. The floor of text input; actviz adds its checks, the
    decoding and the activation's work."""
    import io
    import time

    values, cpu, rest = 0, 0.0, b""
    with open(path, "rb") as fh:
        if column is not None:
            fh.readline()  # the header
        while fh.tell() < limit:
            data = rest + fh.read(1 << 20)
            if not data:
                break
            cut = data.rfind(b"\n") + 1
            block, rest = data[:cut], data[cut:]
            t = time.process_time()
            if column is None:
                got = np.fromstring(block, dtype=np.float64, sep=" ")
            else:
                got = np.loadtxt(io.StringIO(block.decode()), delimiter=",", usecols=(column,), ndmin=1)
            cpu += time.process_time() - t
            values += got.size
    return values / cpu if cpu else float("nan")


def measure(actviz: list[str], size: int, rounds: int = 1, log=print) -> list[tuple[str, bool]]:
    """Run every input kind; print a table; return (goal text, met) pairs."""
    rows, goals = [], []
    with tempfile.TemporaryDirectory(prefix="actviz-bench-") as tmp:
        paths = {"text": os.path.join(tmp, "x.txt"), "csv": os.path.join(tmp, "x.csv"),
                 "npz": os.path.join(tmp, "x.npz")}
        write_text(paths["text"], size)
        write_csv(paths["csv"], size)
        write_npz(paths["npz"], size)
        sink = os.path.join(tmp, "out.json")
        derive = [*actviz, "derive", "sigmoid", "-f", "json", "--input"]
        cases = [
            ("text file", [*derive, paths["text"]], None, paths["text"]),
            ("CSV, --column pre", [*derive, paths["csv"], "--column", "pre"], None, paths["csv"]),
            ("stdin (cat x.txt |)", [*derive, "-"], paths["text"], paths["text"]),
            (".npz, 10 float32 members", [*derive, paths["npz"]], None, paths["npz"]),
        ]
        for name, argv, pipe, path in cases:
            runs = [(_measure_pipe(argv, pipe, sink) if pipe else derive_stream._measure(argv, sink))
                    for _ in range(max(1, rounds))]
            wall, rss, cpu = min(runs)
            with open(sink, encoding="utf-8") as fh:
                doc = json.load(fh)
            count = doc["summary"]["count"] if "summary" in doc else doc["total"]["count"]
            if count != size:
                raise SystemExit(f"{name}: counted {count} values, expected {size}")
            rate = size / wall
            rows.append([name, f"{os.path.getsize(path) / 2**20:.0f}", f"{wall:.2f}", f"{cpu:.2f}",
                         f"{rate / 1e6:.1f}", f"{size / cpu / 1e6:.1f}", f"{rss:.0f}"])
            goals.append((f"inputs, {name}: peak RSS {rss:.0f} MiB", rss * 2**20 < RSS_GOAL_MB * 1e6))
            if name != ".npz, 10 float32 members":
                goals.append((f"inputs, {name}: {rate / 1e6:.1f} M values/s", rate >= TEXT_RATE_GOAL))
        floors = {"text": parser_floor(paths["text"], None), "CSV": parser_floor(paths["csv"], 1)}
    headers = ["input", "MiB", "wall s", "CPU s", "M values/s", "M per CPU-s", "peak RSS MiB"]
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    for r in [headers, ["-" * w for w in widths], *rows]:
        cells = zip(r, widths, strict=True)
        log("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(cells)))
    log(f"({size:,} values each; best of {max(1, rounds)}; goals ≥ {TEXT_RATE_GOAL / 1e6:.0f} M values/s "
        f"from text, peak RSS < {RSS_GOAL_MB:.0f} MB)")
    log(f"Floor: NumPy's parser alone on the same bytes reaches {floors['text'] / 1e6:.1f} M values per "
        f"CPU-second for text (np.fromstring) and {floors['CSV'] / 1e6:.1f} for the CSV column "
        "(np.loadtxt, usecols); a text rate below the goal while near that floor is NumPy's "
        "string-to-float conversion, not actviz.")
    return goals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e8, help="values per input (default 1e8)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each command; the fastest counts")
    args = parser.parse_args(argv)
    if args.size <= 50:
        parser.error("--size must be more than 50")
    goals = measure([sys.executable, "-m", "actviz"], int(args.size), args.rounds)
    for text, ok in goals:
        print(f"{'ok  ' if ok else 'MISS'} {text}")
    return 0 if all(ok for _, ok in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
