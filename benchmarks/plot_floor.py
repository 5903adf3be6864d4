"""How close is ``actviz plot relu --grad -o relu.png`` to the floor of any Matplotlib script?

The floor is a bare script that imports Matplotlib's Figure, draws the same two curves (relu
and its gradient, same size and dpi) and saves a PNG: the cost of Matplotlib itself. Each
command runs in a fresh process, in shuffled rounds, several times; the table shows median wall
times and the ratio (goal: at most 1.15).

    python benchmarks/plot_floor.py [--runs 15]

The timing harness uses only the standard library; the floor script (run as a child process)
uses NumPy and Matplotlib.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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


# Children may write and use bytecode caches, as an installed package does (an editable checkout
# run with PYTHONDONTWRITEBYTECODE=1 would recompile actviz on every start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], cwd: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start, _cpu() - cpu


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
            "… --title '$f(x)=\\max(0,x)$' (mathtext)": [
                sys.executable, "-m", "actviz", "plot", "relu", "--grad", "-o", "relu.png",
                "--title", r"$f(x) = \max(0, x)$",
            ],
        }
        actviz_exe = shutil.which("actviz", path=os.path.dirname(sys.executable))
        if actviz_exe:
            commands["actviz plot relu --grad (script)"] = [actviz_exe, "plot", "relu", "--grad", "-o",
                                                            "relu.png"]
        for argv in commands.values():  # warm the disk cache and Matplotlib's font cache
            _time(argv, work)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        order = list(commands)
        for _ in range(args.runs):
            random.shuffle(order)  # no command always runs right after another one
            for name in order:
                times[name].append(_time(commands[name], work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    def medians(name: str) -> tuple[float, float]:
        return statistics.median(w for w, _ in times[name]), statistics.median(c for _, c in times[name])

    floor_wall, floor_cpu = medians("floor: Figure + savefig")
    print(f"{'command':<44} {'wall s':>7} {'× floor':>8} {'cpu s':>7} {'× floor':>8}")
    for name in times:
        wall, cpu = medians(name)
        print(f"{name:<44} {wall:>7.3f} {wall / floor_wall:>8.2f} {cpu:>7.3f} {cpu / floor_cpu:>8.2f}")
    print(f"(medians of {args.runs} runs each, shuffled; {os.cpu_count()} CPUs; goal: ≤ 1.15 × floor)")


if __name__ == "__main__":
    main()
