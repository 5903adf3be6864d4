"""How close is ``actviz plot relu --grad -o relu.png`` to the floor of any Matplotlib script?

The floor is a bare script that imports Matplotlib's Figure, draws the same two curves (relu
and its gradient, same size and dpi) and saves a PNG: the cost of Matplotlib itself. Each
command runs in a fresh process, alternating, several times; the table shows median wall
times and the ratio (goal: at most 1.15).

    python benchmarks/plot_floor.py [--runs 15]

The timing harness uses only the standard library; the floor script (run as a child process)
uses NumPy and Matplotlib.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = """\
import sys
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

x = np.linspace(-10.0, 10.0, 1001)
fig = Figure(figsize=(6.4, 4.4), dpi=150)
FigureCanvasAgg(fig)
ax = fig.add_subplot()
ax.plot(x, np.maximum(x, 0.0), label="relu")
ax.plot(x, np.where(x > 0, 1.0, 0.0), "--", label="relu'")
ax.legend()
fig.savefig(sys.argv[1])
"""


def _time(argv: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="actviz-bench-")
    try:
        floor_py = os.path.join(work, "floor.py")
        with open(floor_py, "w", encoding="utf-8") as fh:
            fh.write(FLOOR)
        commands = {
            "floor: Figure + savefig": [sys.executable, floor_py, "floor.png"],
            "python -m actviz plot relu --grad": [sys.executable, "-m", "actviz", "plot", "relu", "--grad",
                                                  "-o", "relu.png"],
            "python -c 'import actviz.cli.main'": [sys.executable, "-c", "import actviz.cli.main"],
        }
        actviz_exe = shutil.which("actviz", path=os.path.dirname(sys.executable))
        if actviz_exe:
            commands["actviz plot relu --grad (script)"] = [actviz_exe, "plot", "relu", "--grad", "-o",
                                                            "relu.png"]
        for argv in commands.values():  # warm the disk cache and Matplotlib's font cache
            _time(argv, work)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                times[name].append(_time(argv, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor = statistics.median(times["floor: Figure + savefig"])
    print(f"{'command':<40} {'median s':>9} {'min s':>7} {'× floor':>8}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:<40} {med:>9.3f} {min(values):>7.3f} {med / floor:>8.2f}")
    print(f"({args.runs} runs each, alternating; {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
