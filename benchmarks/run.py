"""actviz's benchmark: start-up, plotting, kernel throughput and streaming, each against its floor.

    python benchmarks/run.py                 # everything (a few minutes; writes a 400 MB file)
    python benchmarks/run.py --quick         # fewer rounds, 1e6-value kernels, 1e7-value derive
    python benchmarks/run.py --only startup,kernels --rounds 21
    python benchmarks/run.py --size 3e8      # derive on a 3e8-value float32 file

Eight sections (1–4 as issue 8 asks; 5 train, 6 check, 7 inputs, 8 expr):

1. start-up: each table command in a fresh process against the floor
   ``python -c "import numpy, click, rich.console, rich.table"`` (goal ≤ 1.2×), with the
   ``-X importtime`` profile of what each command imports beyond that floor;
2. plot: ``actviz plot relu --grad`` to PNG and SVG against a bare Matplotlib script drawing the
   same two curves (``benchmarks/plot_floor.py``'s script; goal ≤ 1.15×);
3. kernels: f and f′ of every catalog function on float64 and float32 arrays, in ns per element,
   beside the best plain-NumPy formula that meets the accuracy contract with at most two
   temporary arrays (written below in ``_references``; goal ≤ 2× for piecewise-linear and smooth
   functions alike) and beside ``np.copyto`` (the memory floor, shown for the piecewise-linear
   ones); exact gelu, which NumPy cannot write without an erfc, against the absolute goal of
   10 ns per value, with the profile of its parts;
4. derive: ``actviz derive sigmoid --input x.npy`` on a float32 file of ``--size`` values
   (``benchmarks/derive_stream.py``'s writer and meter): values/s and peak RSS (goal ≥ 50 M/s,
   < 200 MB);
5. train: ``actviz train sigmoid tanh relu`` for 1000 steps, width 64, depth 4, 1000 points
   (``benchmarks/bench_train.py``; goal < 5 s).
6. check: ``actviz check sigmoid`` of a 1e7-value float32 file (goal ≥ 20 M values/s, < 300 MB)
   and an exhaustive bfloat16 ``--framework-run jax`` (goal < 10 s), from ``benchmarks/bench_check.py``.
7. inputs: the same on ``--size`` values as a text file, a CSV with ``--column``, stdin from a
   pipe and a ten-member ``.npz`` (``benchmarks/bench_inputs.py``; goals ≥ 10 M values/s from
   text, < 200 MB).
8. expr: formulas (``benchmarks/bench_expr.py``): f and f′ of ``x*sigmoid(x)`` against silu on
   1e6 values (goal ≤ 3×), parse time (< 5 ms), ``derive "x*sigmoid(x)" --at 1`` start-up (≤ 1.3×).

The machine is usually shared, so every process measurement is taken in several rounds with the
commands shuffled inside each round (noise hits all of them alike), and the table shows medians
of both wall time and CPU time (user + system of the child, from ``getrusage(RUSAGE_CHILDREN)``);
CPU time does not count the time a process waits for a core. Kernel times are medians of
``time.process_time`` over shuffled rounds in this process.

The harness uses the standard library and the project (NumPy for the kernel section).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # the sibling benchmark scripts are reused, not copied

import plot_floor  # noqa: E402  (FLOOR script, child environment and timer)

SECTIONS = ("startup", "plot", "kernels", "derive", "train", "check", "inputs", "expr")
STARTUP_FLOOR = "import numpy, click, rich.console, rich.table"
# What actviz.cli.main does before NumPy loads (its BLAS work is small: threads only cost start-up).
SINGLE_THREAD = ("import os\nfor v in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'): "
                 "os.environ.setdefault(v, '1')\n")
STARTUP_COMMANDS = [
    "softmax 0.2 1.3 3.75",
    "derive sigmoid --at 1",
    "recommend --task multiclass",
    "list",
    "--help",
    "info sigmoid",
    "flow relu --depth 2 --width 8",
]
STARTUP_GOAL, PLOT_GOAL, LINEAR_GOAL, SMOOTH_GOAL = 1.2, 1.15, 2.0, 2.0
API_PLOT = "import actviz; actviz.plot('relu', grad=True).savefig('api.png')"
API_PLOT_GOAL = 1.05  # the API's first plot against the CLI's (both start an interpreter); noise
GALLERY = "actviz plot --gallery -o gallery.png"
GALLERY_GOAL = (8.0, 3.0)  # the whole catalog (42 panels): CPU × one plot's, and MB
GELU_GOAL_NS = 10.0  # exact gelu f and f′, ns per value, float64 and float32
DERIVE_RSS_GOAL_MB, DERIVE_RATE_GOAL = 200.0, 50e6


# --- running child processes -----------------------------------------------------------------
def actviz_argv() -> list[str]:
    """How a user starts actviz: the installed script next to this Python, else ``-m actviz``."""
    script = shutil.which("actviz", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "actviz"]


def interleaved(commands: dict[str, list[str]], rounds: int, cwd: str) -> dict[str, tuple[float, float]]:
    """Median (wall s, CPU s) of each command over ``rounds`` shuffled rounds (after a warm-up)."""
    for argv in commands.values():  # disk cache, bytecode, font cache
        plot_floor._time(argv, cwd)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    order = list(commands)
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            samples[name].append(plot_floor._time(commands[name], cwd))
    return {name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
            for name, s in samples.items()}


def import_profile(argv: list[str], cwd: str) -> dict[str, int]:
    """Self time (µs) of every module that ``argv`` imports, from ``python -X importtime``."""
    if argv[0] == sys.executable:
        python, rest = argv[0], argv[1:]
    else:  # the installed script: the same program as -m actviz
        python, rest = sys.executable, ["-m", "actviz", *argv[1:]]
    done = subprocess.run([python, "-X", "importtime", *rest], cwd=cwd, capture_output=True, text=True,
                          env=plot_floor.ENV, check=False)
    out: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:"):].split("|", 2)
        out[name.strip()] = out.get(name.strip(), 0) + int(self_us)
    return out


# --- printing --------------------------------------------------------------------------------
def table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table: first column left, the rest right."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    for r in [headers, ["-" * w for w in widths], *rows]:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        print("  ".join(cells).rstrip())
    sys.stdout.flush()


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


@dataclass
class Goal:
    what: str
    measured: str
    goal: str
    ok: bool


# --- 1. start-up -----------------------------------------------------------------------------
def section_startup(rounds: int, work: str) -> list[Goal]:
    print("\n## 1. Cold start: actviz COMMAND vs python -c \"" + STARTUP_FLOOR + "\"")
    base = actviz_argv()
    floor = "floor, BLAS single-threaded as actviz runs it"
    commands = {
        "floor: " + STARTUP_FLOOR: [sys.executable, "-c", STARTUP_FLOOR],
        floor: [sys.executable, "-c", SINGLE_THREAD + STARTUP_FLOOR],
        "python -c pass (the interpreter)": [sys.executable, "-c", "pass"],
    }
    for cmd in STARTUP_COMMANDS:
        commands["actviz " + cmd] = [*base, *cmd.split()]
    med = interleaved(commands, rounds, work)
    floor_wall, floor_cpu = med[floor]
    floor_mods = import_profile([sys.executable, "-c", STARTUP_FLOOR], work)
    rows = []
    for name, (wall, cpu) in med.items():
        extra, top, rest = "", "", ""
        if name.startswith("actviz"):
            prof = import_profile(commands[name], work)
            beyond = {m: us for m, us in prof.items() if m not in floor_mods}
            extra = f"{sum(beyond.values()) / 1000:.0f} ({len(beyond)})"
            if "numpy" in prof:  # (--help loads less than the floor: no such split)
                rest = f"{(cpu - floor_cpu) * 1000 - sum(beyond.values()) / 1000:.0f}"
            largest = sorted(beyond.items(), key=lambda kv: -kv[1])[:3]
            top = ", ".join(f"{m} {us / 1000:.1f}" for m, us in largest)
        rows.append([name, f"{wall * 1000:.0f}", f"{wall / floor_wall:.2f}", f"{cpu * 1000:.0f}",
                     f"{cpu / floor_cpu:.2f}", extra, rest, top])
    table(["command", "wall ms", "× floor", "CPU ms", "× floor", "imports+ ms (n)", "work ms",
           "largest imports beyond the floor, ms"], rows)
    print(f"(medians of {rounds} shuffled rounds; floor = the single-threaded one: actviz sets "
          "OPENBLAS_NUM_THREADS=1 before NumPy loads, while the bare floor also starts BLAS threads. "
          "imports+: self time of modules the floor does not load, from one -X importtime run; "
          "work: CPU beyond the floor not spent importing)")
    print(work_profile(work))
    actviz_rows = [n for n in med if n.startswith("actviz")]
    worst_cpu = max(actviz_rows, key=lambda n: med[n][1])
    worst_wall = max(actviz_rows, key=lambda n: med[n][0])
    r_cpu, r_wall = med[worst_cpu][1] / floor_cpu, med[worst_wall][0] / floor_wall
    r_issue = med[worst_wall][0] / med["floor: " + STARTUP_FLOOR][0]
    return [Goal("cold start, slowest command, CPU (1-thread floor)", f"{r_cpu:.2f}× ({worst_cpu[7:]})",
                 f"≤ {STARTUP_GOAL}×", r_cpu <= STARTUP_GOAL),
            Goal("cold start, slowest command, wall (1-thread floor)", f"{r_wall:.2f}× ({worst_wall[7:]})",
                 f"≤ {STARTUP_GOAL}×", r_wall <= STARTUP_GOAL),
            Goal("cold start, slowest command, wall (bare floor)", f"{r_issue:.2f}× ({worst_wall[7:]})",
                 f"≤ {STARTUP_GOAL}×", r_issue <= STARTUP_GOAL)]


# Where the "work" of derive/info/recommend goes: saturation regions (actviz.analysis), in a child.
WORK_PROBE = """
import json, time
import numpy
from actviz.analysis import _scan_grid, saturation_regions
from actviz.catalog.registry import get
names = ["sigmoid", "tanh", "relu", "gelu", "silu"]
t = time.perf_counter(); saturation_regions(get("relu")); first = time.perf_counter() - t
out = {"first": first, "each": {}, "grid": {}, "grad": {}}
for name in names:
    act = get(name)
    t = time.perf_counter(); saturation_regions(act); out["each"][name] = time.perf_counter() - t
    t = time.perf_counter(); g = _scan_grid(act); out["grid"][name] = time.perf_counter() - t
    t = time.perf_counter(); act.grad(g); out["grad"][name] = time.perf_counter() - t
out["n"] = int(g.size)
print(json.dumps(out))
"""


def work_profile(cwd: str) -> str:
    """One line: what computing saturation regions costs (the work beyond imports)."""
    done = subprocess.run([sys.executable, "-c", WORK_PROBE], cwd=cwd, capture_output=True, text=True,
                          env=plot_floor.ENV, check=False)
    if done.returncode != 0:
        return f"(work profile failed: {done.stderr.strip()[-200:]})"
    p = json.loads(done.stdout)
    each = statistics.median(p["each"].values()) * 1000
    grid = statistics.median(p["grid"].values()) * 1000
    grad = statistics.median(p["grad"].values()) * 1000
    return (f"work profile: actviz.analysis.saturation_regions takes {p['first'] * 1000:.0f} ms on its first "
            f"call, then ~{each:.0f} ms per activation "
            f"(median of {', '.join(p['each'])}): merging the {p['n']:,}-point scan grid with the kinks "
            f"{grid:.1f} ms, f′ on it {grad:.1f} ms, the rest the 64-way search of the region ends "
            "(about 11 f′ calls on 63 points per end, all ends at once). "
            "info/derive compute it once, recommend for each candidate.")


# --- 2. plot ---------------------------------------------------------------------------------
def section_plot(rounds: int, work: str) -> list[Goal]:
    print("\n## 2. Plot: actviz plot relu --grad vs a bare Matplotlib script (benchmarks/plot_floor.py)")
    floor_py = os.path.join(work, "floor.py")
    with open(floor_py, "w", encoding="utf-8") as fh:
        fh.write(plot_floor.FLOOR)
    base = actviz_argv()
    commands = {}
    for ext in ("png", "svg"):
        commands[f"floor → {ext}"] = [sys.executable, floor_py, f"floor.{ext}"]
        commands[f"actviz plot relu --grad -o out.{ext}"] = [*base, "plot", "relu", "--grad", "-o",
                                                             f"out.{ext}"]
    commands[API_PLOT] = [sys.executable, "-c", SINGLE_THREAD + API_PLOT]
    commands[GALLERY] = [*base, "plot", "--gallery", "-o", "gallery.png"]
    med = interleaved(commands, rounds, work)
    rows, goals = [], []
    for ext in ("png", "svg"):
        fw, fc = med[f"floor → {ext}"]
        w, c = med[f"actviz plot relu --grad -o out.{ext}"]
        rows.append([f"floor script → {ext}", f"{fw * 1000:.0f}", "1.00", f"{fc * 1000:.0f}", "1.00"])
        rows.append([f"actviz plot relu --grad -o out.{ext}", f"{w * 1000:.0f}", f"{w / fw:.2f}",
                     f"{c * 1000:.0f}", f"{c / fc:.2f}"])
        goals.append(Goal(f"plot → {ext} (CPU / wall)", f"{c / fc:.2f}× / {w / fw:.2f}×", f"≤ {PLOT_GOAL}×",
                          max(c / fc, w / fw) <= PLOT_GOAL))
    # The Python API in a fresh interpreter: import, first plot call, save. Both it and the CLI
    # pay the interpreter's start-up, so "the first actviz.plot costs no more than the CLI's plot
    # minus start-up" is: this process takes no longer than the CLI's.
    aw, ac = med[API_PLOT]
    w, c = med["actviz plot relu --grad -o out.png"]
    fw, fc = med["floor → png"]
    rows.append([f"python -c \"{API_PLOT}\"", f"{aw * 1000:.0f}", f"{aw / fw:.2f}", f"{ac * 1000:.0f}",
                 f"{ac / fc:.2f}"])
    goals.append(Goal("first actviz.plot → png vs the CLI (CPU / wall)", f"{ac / c:.2f}× / {aw / w:.2f}×",
                      f"≤ {API_PLOT_GOAL}×", max(ac / c, aw / w) <= API_PLOT_GOAL))
    # The gallery: every elementwise entry, a panel each; against one plot, and its file size.
    gw, gc = med[GALLERY]
    mb = os.path.getsize(os.path.join(work, "gallery.png")) / 1e6
    rows.append([f"{GALLERY} ({mb:.2f} MB)", f"{gw * 1000:.0f}", f"{gw / fw:.2f}", f"{gc * 1000:.0f}",
                 f"{gc / fc:.2f}"])
    goals.append(Goal("gallery: CPU vs one plot; PNG size", f"{gc / c:.1f}×; {mb:.2f} MB",
                      f"≤ {GALLERY_GOAL[0]:g}×; ≤ {GALLERY_GOAL[1]:g} MB",
                      gc / c <= GALLERY_GOAL[0] and mb <= GALLERY_GOAL[1]))
    table(["command", "wall ms", "× floor", "CPU ms", "× floor"], rows)
    print(f"(medians of {rounds} shuffled rounds)")
    return goals


# --- 3. kernels ------------------------------------------------------------------------------
# Functions whose f and f′ are piecewise linear / piecewise constant: their floor is memory traffic.
LINEAR = {"identity", "relu", "relu6", "leaky_relu", "hard_sigmoid", "hard_tanh", "soft_shrink",
          "hard_shrink", "threshold", "step", "prelu", "rrelu", "sparse_sigmoid"}

HUGE = 1e300
# Functions built on exact gelu (an erfc, which plain NumPy cannot write): held to GELU_GOAL_NS.
ERFC_BASED = {"gelu", "clipped_gelu"}


def _references(np) -> dict[str, Callable]:
    """Plain-NumPy formulas that meet the accuracy contract (no overflow, limits at ±inf, NaN
    through, a few ULP), mostly with at most two float temporaries (t, u) and in-place ufuncs; a
    boolean mask (1 byte per value) may choose a branch. mish′ and tanh_shrink need more (the
    fewest we found). Keys: NAME and NAME′; the catalog's default parameters.

    These are what a careful user would write by hand in float64; for float32 input the smooth
    ones run on ``x.astype(float64)`` and round once (the catalog's contract for float32), the
    piecewise-linear ones run in float32 (exact there). ``--check-references`` puts them through
    the catalog's own mpmath grid test (tests/test_accuracy.py). Exact gelu has none: NumPy has
    no erfc or Φ, so any formula meeting the contract is an erfc implementation like actviz's
    own (actviz/core/normal.py); it is held to an absolute goal instead (GELU_GOAL_NS).
    """

    def e_abs(x, scale=-1.0):  # t = e^{−|x|}
        t = np.abs(x)
        np.multiply(t, scale, out=t)
        return np.exp(t, out=t)

    def sigmoid(x, pos=True):  # 1/(1 + e) or e/(1 + e), e = e^{−|x|}
        t = e_abs(x)
        u = t + 1.0
        np.copyto(t, 1.0, where=(x >= 0) if pos else (x <= 0))
        return np.divide(t, u, out=t)

    def sigmoid_d(x):  # e/(1 + e)²
        t = e_abs(x)
        u = t + 1.0
        np.multiply(u, u, out=u)
        return np.divide(t, u, out=t)

    def tanh_d(x):  # 4e/(1 + e)², e = e^{−2|x|}
        t = np.abs(x)
        np.minimum(t, 400.0, out=t)
        np.multiply(t, -2.0, out=t)
        np.exp(t, out=t)
        u = t + 1.0
        np.multiply(u, u, out=u)
        np.divide(t, u, out=t)
        return np.multiply(t, 4.0, out=t)

    def softplus(x, sign=1.0):  # max(x, 0) + log1p(e^{−|x|}); sign −1: log σ(x) = min(x, 0) − log1p(…)
        t = e_abs(x)
        np.log1p(t, out=t)
        u = np.maximum(x, 0.0) if sign > 0 else np.minimum(x, 0.0)
        return np.add(u, t, out=u) if sign > 0 else np.subtract(u, t, out=u)

    def softsign(x):
        t = np.clip(x, -HUGE, HUGE)
        u = np.abs(t)
        np.add(u, 1.0, out=u)
        return np.divide(t, u, out=t)

    def softsign_d(x):  # (1/(1 + |x|))²
        t = np.abs(x)
        np.add(t, 1.0, out=t)
        np.reciprocal(t, out=t)
        return np.multiply(t, t, out=t)

    def exponential(x):
        with np.errstate(over="ignore"):
            return np.exp(x)

    def branch_exp(x, scale, pos_value, m1, inner=1.0):
        # x ≤ 0: scale·(e^{x·inner} − 1) (m1) or scale·e^{x·inner}; x > 0: pos_value, x or λx
        t = np.minimum(x, 0.0)
        if inner != 1.0:
            np.multiply(t, inner, out=t)
        (np.expm1 if m1 else np.exp)(t, out=t)
        np.multiply(t, scale, out=t)
        mask = x > 0
        if pos_value is None:
            np.copyto(t, x, where=mask)
        elif pos_value == "lambda_x":
            with np.errstate(over="ignore"):
                np.multiply(x, 1.0507009873554805, out=t, where=mask)
        else:
            np.copyto(t, pos_value, where=mask)
        return t

    def silu(x):  # x·σ(x)
        t = sigmoid(x)
        u = np.maximum(x, -HUGE)
        return np.multiply(t, u, out=t)

    def silu_d(x):  # z < 0: w((1 + z) + w)/(1 + w)², else (1 + w(1 + z))/(1 + w)², w = e^{−|z|}
        t = e_abs(x)
        u = np.clip(x, -800.0, 800.0)
        np.add(u, 1.0, out=u)
        np.add(u, t, out=u, where=x < 0)
        np.multiply(u, t, out=u)
        np.add(u, 1.0, out=u, where=x >= 0)
        np.add(t, 1.0, out=t)
        np.multiply(t, t, out=t)
        return np.divide(u, t, out=u)

    def mish(x):  # x·tanh(softplus(x))
        t = softplus(x)
        np.tanh(t, out=t)
        u = np.maximum(x, -HUGE)
        return np.multiply(t, u, out=t)

    def mish_d(x):
        # x < 0: e·ω/δ², ω = 4(x + 1) + e(4x + 6) + e²(4 + e), δ = e² + 2e + 2, e = eˣ (no cancellation);
        # x ≥ 0: t + x·t′ = (1 + 2q)/D + x·4q²(1 + q)/D², D = 1 + 2q + 2q², q = e^{−x}.
        # Both over q = e^{−|x|}; this one needs more than two temporaries (the fewest we found).
        q = e_abs(x)
        xc = np.clip(x, -HUGE, HUGE)
        neg = x < 0
        # δ (x < 0) and D (x ≥ 0) share the shape 1 + 2q + 2q² up to a factor: δ = q² + 2q + 2.
        u = q * q
        v = np.where(neg, u + 2.0 * q + 2.0, 1.0 + 2.0 * q + 2.0 * u)
        t = np.where(neg, 4.0 * (xc + 1.0) + q * (4.0 * xc + 6.0) + u * (4.0 + q),
                     (1.0 + 2.0 * q) * v + xc * 4.0 * u * (1.0 + q))
        np.multiply(v, v, out=v)
        np.divide(t, v, out=t)
        np.multiply(t, q, out=t, where=neg)
        return t

    def squareplus(x, b=4.0):
        t = np.hypot(x, b ** 0.5)
        np.multiply(t, 0.5, out=t)
        u = np.multiply(x, 0.5)
        np.add(t, u, out=u, where=x >= 0)
        neg = x < 0
        np.subtract(t, u, out=u, where=neg)
        np.divide(0.25 * b, u, out=u, where=neg)
        return u

    def squareplus_d(x, b=4.0):
        xc = np.clip(x, -HUGE, HUGE)
        t = np.hypot(xc, b ** 0.5)
        u = np.divide(xc, t)
        np.add(u, 1.0, out=u)
        np.multiply(u, 0.5, out=u)
        neg = x < 0
        np.subtract(t, xc, out=xc, where=neg)  # h − x
        np.divide(b, t, out=t, where=neg)  # b/h
        np.divide(t, xc, out=t, where=neg)
        np.multiply(t, 0.5, out=u, where=neg)
        return u

    shrink_coeffs = [2.0 * k / __import__("math").factorial(2 * k + 1) for k in range(1, 15)]

    def tanh_shrink(x):  # |x| ≤ 1.5: x³·P(x²)/cosh x (no cancellation); else x − tanh x
        t = np.clip(x, -1.5, 1.5)
        u = np.multiply(t, t)
        acc = np.full_like(x, shrink_coeffs[-1])  # (third array: Horner needs x², acc and x)
        for c in reversed(shrink_coeffs[:-1]):
            np.multiply(acc, u, out=acc)
            np.add(acc, c, out=acc)
        np.multiply(acc, u, out=acc)
        np.multiply(acc, t, out=acc)
        np.cosh(t, out=t)
        np.divide(acc, t, out=acc)
        far = np.abs(x) > 1.5
        np.tanh(x, out=t)
        np.subtract(x, t, out=acc, where=far)
        return acc

    def tanh_shrink_d(x):
        t = np.tanh(x)
        return np.multiply(t, t, out=t)

    def hard_swish(x):  # max(x, −3)·(clip(x + 3, 0, 6)/6)
        t = np.add(x, 3.0)
        np.clip(t, 0.0, 6.0, out=t)
        np.divide(t, 6.0, out=t)
        u = np.maximum(x, -3.0)
        return np.multiply(t, u, out=t)

    def hard_swish_d(x):
        t = np.clip(x, -3.0, 3.0)
        np.multiply(t, 2.0, out=t)
        np.add(t, 3.0, out=t)
        np.divide(t, 6.0, out=t)
        np.copyto(t, 0.0, where=x <= -3.0)
        np.copyto(t, 1.0, where=x >= 3.0)
        return t

    def ind(x, cond, value=1.0):  # value where cond, else 0; NaN where x is NaN
        t = cond.astype(x.dtype)
        if value != 1.0:
            np.multiply(t, value, out=t)
        np.copyto(t, np.nan, where=np.isnan(x))
        return t

    def leaky(x, a=0.2):
        t = np.multiply(x, a)
        return np.maximum(x, t, out=t)

    def leaky_d(x, a=0.2):
        t = (x > 0).astype(x.dtype)
        np.maximum(t, a, out=t)
        np.copyto(t, np.nan, where=np.isnan(x))
        return t

    def hard_sigmoid_f(x):
        t = np.add(x, 3.0)
        np.divide(t, 6.0, out=t)
        return np.clip(t, 0.0, 1.0, out=t)

    def soft_shrink_f(x, lam=0.5):
        t = np.clip(x, -lam, lam)
        return np.subtract(x, t, out=t)

    lam, la = 1.0507009873554805, 1.7580993408473769
    refs = {
        # piecewise linear (whole array, in the input's dtype: these are exact in float32 too)
        "identity": np.copy, "identity′": lambda x: ind(x, np.ones(x.shape, bool)),
        "relu": lambda x: np.maximum(x, 0.0), "relu′": lambda x: ind(x, x > 0),
        "relu6": lambda x: np.clip(x, 0.0, 6.0), "relu6′": lambda x: ind(x, (x > 0) & (x < 6.0)),
        "leaky_relu": leaky, "leaky_relu′": leaky_d,
        "hard_sigmoid": hard_sigmoid_f, "hard_sigmoid′": lambda x: ind(x, np.abs(x) < 3.0, 1.0 / 6.0),
        "hard_tanh": lambda x: np.clip(x, -1.0, 1.0), "hard_tanh′": lambda x: ind(x, np.abs(x) <= 1.0),
        "soft_shrink": soft_shrink_f, "soft_shrink′": lambda x: ind(x, np.abs(x) > 0.5),
        "hard_shrink": lambda x: np.where(np.abs(x) <= 0.5, 0.0, x),
        "hard_shrink′": lambda x: ind(x, np.abs(x) > 0.5),
        # smooth
        "sigmoid": sigmoid, "sigmoid′": sigmoid_d,
        "tanh": np.tanh, "tanh′": tanh_d,
        "softplus": softplus, "softplus′": sigmoid,
        "log_sigmoid": lambda x: softplus(x, -1.0), "log_sigmoid′": lambda x: sigmoid(x, pos=False),
        "softsign": softsign, "softsign′": softsign_d,
        "exponential": exponential, "exponential′": exponential,
        "elu": lambda x: branch_exp(x, 1.0, None, True), "elu′": lambda x: branch_exp(x, 1.0, 1.0, False),
        "selu": lambda x: branch_exp(x, la, "lambda_x", True),
        "selu′": lambda x: branch_exp(x, la, lam, False),
        "celu": lambda x: branch_exp(x, 1.0, None, True), "celu′": lambda x: branch_exp(x, 1.0, 1.0, False),
        "silu": silu, "silu′": silu_d,
        "mish": mish, "mish′": mish_d,
        "squareplus": squareplus, "squareplus′": squareplus_d,
        "tanh_shrink": tanh_shrink, "tanh_shrink′": tanh_shrink_d,
        "hard_swish": hard_swish, "hard_swish′": hard_swish_d,
    }
    refs.update(_zoo_references(np, refs, ind, leaky, leaky_d, sigmoid, softplus, tanh_d))
    return refs


def _zoo_references(np, refs, ind, leaky, leaky_d, sigmoid, softplus, tanh_d) -> dict:
    """Plain-NumPy formulas for the zoo entries (actviz/catalog/zoo.py), default parameters of
    the TensorFlow preset, written as a careful user would (same rules as _references).
    clipped_gelu has none: like exact gelu, NumPy cannot write it without an erfc (both are
    held to GELU_GOAL_NS, see ERFC_BASED)."""
    import math

    def clip_shift(x, lo, hi, shift, scale):  # (clip(x, lo, hi) + shift)·scale
        t = np.clip(x, lo, hi)
        np.add(t, shift, out=t)
        return np.multiply(t, scale, out=t)

    def sparse_plus(x):
        t = clip_shift(x, -1.0, 1.0, 1.0, 0.5)
        np.multiply(t, t, out=t)
        np.copyto(t, x, where=x >= 1.0)
        return t

    def log1mexp(x):  # Mächler: log(−expm1(−x)) up to ln 2, log1p(−e^{−x}) above; NaN below 0
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.negative(x)
            u = np.exp(t)
            np.expm1(t, out=t)
            np.negative(t, out=t)
            np.log(t, out=t)
            np.negative(u, out=u)
            np.log1p(u, out=u)
            np.copyto(t, u, where=x > math.log(2.0))
        return t

    def log1mexp_d(x):  # e^{−x}/(−expm1(−x))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            t = np.negative(x)
            u = np.exp(t)
            np.expm1(t, out=t)
            np.negative(t, out=t)
            return np.divide(u, t, out=u)

    def relu2(x):
        t = np.maximum(x, 0.0)
        with np.errstate(over="ignore"):
            return np.multiply(t, t, out=t)

    def relu2_d(x):
        t = np.maximum(x, 0.0)
        with np.errstate(over="ignore"):
            return np.multiply(t, 2.0, out=t)

    def quick_gelu(x):  # x·σ(1.702x)
        t = sigmoid(np.clip(x, -1e300, 1e300) * 1.702)
        return np.multiply(t, np.maximum(x, -1e300), out=t)

    def quick_gelu_d(x):  # σ(z)·(1 + z·σ(−z)), z = 1.702x
        z = np.clip(x, -800.0, 800.0) * 1.702
        t = sigmoid(z, pos=False)
        np.multiply(t, z, out=t)
        np.add(t, 1.0, out=t)
        return np.multiply(t, sigmoid(z), out=t)

    def hard_mish(x):  # ½c(c + 2), c = clip(x, −2, 0); x for x ≥ 0
        t = np.clip(x, -2.0, 0.0)
        u = t + 2.0
        np.multiply(u, t, out=u)
        np.multiply(u, 0.5, out=u)
        np.copyto(u, x, where=x >= 0)
        return u + 0.0

    def hard_mish_d(x):
        t = clip_shift(x, -2.0, 0.0, 1.0, 1.0)
        np.copyto(t, 0.0, where=x < -2.0)
        return t

    def xielu(x):  # 0.8·expm1(min(x, −1e−6)) − 0.3·min(x, 0) (x ≤ 0); x(0.8x + 0.5) (x > 0)
        t = np.minimum(x, 0.0)
        u = np.minimum(t, -1e-6)
        np.expm1(u, out=u)
        np.multiply(u, 0.8, out=u)
        with np.errstate(over="ignore"):
            np.multiply(t, -0.3, out=t)
            np.add(u, t, out=u)
            pos = x > 0
            np.multiply(x, 0.8, out=t)
            np.add(t, 0.5, out=t)
            np.multiply(t, x, out=t)
        np.copyto(u, t, where=pos)
        return u

    def xielu_d(x):
        t = np.minimum(x, -1e-6)
        np.expm1(t, out=t)
        np.multiply(t, 0.8, out=t)
        np.add(t, 0.5, out=t)
        np.copyto(t, -0.3, where=(x > -1e-6) & (x <= 0))
        with np.errstate(over="ignore"):
            np.copyto(t, 1.6 * x + 0.5, where=x > 0)
        return t

    def snake(x):  # x + sin²x (±inf: ±inf)
        with np.errstate(invalid="ignore"):
            t = np.sin(x)
        np.multiply(t, t, out=t)
        np.add(t, x, out=t)
        np.copyto(t, x, where=np.isinf(x))
        return t

    def snake_d(x):  # 2 sin²(x + π/4) = 1 + sin 2x (no limit at ±inf: NaN)
        t = np.clip(x, -1e300, 1e300)
        np.add(t, math.pi / 4, out=t)
        with np.errstate(invalid="ignore"):
            np.sin(t, out=t)
        np.multiply(t, t, out=t)
        np.multiply(t, 2.0, out=t)
        np.copyto(t, np.nan, where=np.isinf(x))
        return t

    def softcap(x):
        t = np.divide(x, 30.0)
        np.tanh(t, out=t)
        return np.multiply(t, 30.0, out=t)

    def laplace(x):
        from scipy.special import ndtr

        return ndtr((x - 0.707107) / 0.282095)

    def laplace_d(x):
        t = np.subtract(x, 0.707107)
        np.divide(t, 0.282095, out=t)
        np.clip(t, -40.0, 40.0, out=t)
        np.multiply(t, t, out=t)
        np.multiply(t, -0.5, out=t)
        np.exp(t, out=t)
        return np.multiply(t, 0.3989422804014327 / 0.282095, out=t)

    def sqrt_softplus(x):
        t = softplus(x)
        return np.sqrt(t, out=t)

    def sqrt_softplus_d(x):  # σ(x)/(2√softplus(x)), x floored at −40 (then e^{x/2}/2)
        xc = np.maximum(x, -40.0)
        t = softplus(xc)
        np.sqrt(t, out=t)
        np.multiply(t, 2.0, out=t)
        return np.divide(sigmoid(xc), t, out=t)

    def tanhexp(x):
        t = np.minimum(x, 40.0)
        np.exp(t, out=t)
        np.tanh(t, out=t)
        return np.multiply(t, np.maximum(x, -1e300), out=t)

    def tanhexp_d(x):  # tanh(e) + x·e·sech²(e), e = e^{min(x, 40)}
        e = np.exp(np.minimum(x, 40.0))
        t = tanh_d(e)
        np.multiply(t, e, out=t)
        np.multiply(t, np.clip(x, -1e300, 1e300), out=t)
        np.tanh(e, out=e)
        return np.add(t, e, out=t)

    a_s, mu_s = 0.25, 4.352665993287951e-9  # smu1's defaults

    def smu1_parts(x):  # w = (1 − α)·abs(x), u = B + w, B = √(w² + μ²) (B + w: no cancellation)
        w = np.abs(x)
        np.multiply(w, 1.0 - a_s, out=w)
        u = np.hypot(w, mu_s)
        with np.errstate(over="ignore"):
            np.add(u, w, out=u)
        return w, u

    def smu1(x):  # max(x, αx) + (μ²/2)/(B + w)
        w, u = smu1_parts(x)
        np.divide(0.5 * mu_s * mu_s, u, out=u)
        np.multiply(x, a_s, out=w)
        np.maximum(w, x, out=w)
        return np.add(w, u, out=w)

    def smu1_d(x):  # 1 − t (x ≥ 0), α + t, t = ½(1 − α)μ²/(B(B + w)); limits 1 and α at ±∞
        w, u = smu1_parts(np.clip(x, -1e300, 1e300))
        b = np.subtract(u, w, out=w)  # B (exact enough: B ≥ w)
        with np.errstate(over="ignore"):
            np.multiply(u, b, out=u)
            np.divide(0.5 * (1.0 - a_s) * mu_s * mu_s, u, out=u)
        np.subtract(1.0, u, out=b)
        np.add(u, a_s, out=u)
        np.copyto(b, u, where=x < 0)
        return b

    return {
        "smu1": smu1, "smu1′": smu1_d,
        "threshold": refs["relu"], "threshold′": refs["relu′"],
        "step": lambda x: ind(x, x >= 0.0), "step′": lambda x: ind(x, np.zeros(x.shape, bool)),
        "prelu": lambda x: leaky(x, 0.0), "prelu′": lambda x: leaky_d(x, 0.0),
        "rrelu": lambda x: leaky(x, 11.0 / 48.0), "rrelu′": lambda x: leaky_d(x, 11.0 / 48.0),
        "sparse_sigmoid": lambda x: clip_shift(x, -1.0, 1.0, 1.0, 0.5),
        "sparse_sigmoid′": lambda x: ind(x, np.abs(x) < 1.0, 0.5),
        "sparse_plus": sparse_plus, "sparse_plus′": lambda x: clip_shift(x, -1.0, 1.0, 1.0, 0.5),
        "log1mexp": log1mexp, "log1mexp′": log1mexp_d,
        "relu2": relu2, "relu2′": relu2_d, "star_relu": relu2, "star_relu′": relu2_d,
        "quick_gelu": quick_gelu, "quick_gelu′": quick_gelu_d,
        "hard_mish": hard_mish, "hard_mish′": hard_mish_d,
        "xielu": xielu, "xielu′": xielu_d,
        "snake": snake, "snake′": snake_d, "snake_beta": snake, "snake_beta′": snake_d,
        "softcap": softcap, "softcap′": lambda x: tanh_d(x / 30.0),
        "laplace": laplace, "laplace′": laplace_d,
        "sqrt_softplus": sqrt_softplus, "sqrt_softplus′": sqrt_softplus_d,
        "tanhexp": tanhexp, "tanhexp′": tanhexp_d,
    }


def check_references() -> int:
    """Put every reference through the accuracy test's grid and mpmath truth; print each verdict.

    Returns the number of references that fail.
    """
    import warnings

    import numpy as np

    import actviz

    sys.path.insert(0, os.path.dirname(HERE))
    from tests.test_accuracy import _errors  # needs the test extra (mpmath)

    class Shim:
        """A reference dressed as an Activation, for ``_errors``."""

        def __init__(self, act, f, df):
            self.name, self.params, self.kinks = act.name, act.params, act.kinks
            self.f, self.grad, self.grad2 = f, df, act.grad2

        def __call__(self, x):
            return self.f(x)

    refs = _references(np)
    failed = 0
    warnings.simplefilter("error", RuntimeWarning)  # as the test suite does
    for name in [n for n in actviz.names() if n in refs]:
        shim = Shim(actviz.get(name), refs[name], refs[name + "′"])
        for order, key in enumerate((name, name + "′")):
            try:
                errors = _errors(shim, order)
                lim = refs[key](np.array([-np.inf, np.inf, np.nan]))
                far = refs[key](np.array([-1e300, 1e300]))
                if not np.isnan(lim[2]):
                    errors.append("NaN in, not NaN out")
                for side in (0, 1):
                    off = abs(far[side]) < 1e200 and abs(lim[side] - far[side]) > 1e-300
                    if np.isnan(lim[side]) or off:
                        errors.append(f"limit at {'−+'[side]}inf {lim[side]}, far out {far[side]}")
            except (ArithmeticError, ValueError, RuntimeWarning) as exc:
                errors = [f"{type(exc).__name__}: {exc}"]
            failed += bool(errors)
            print(f"{key:14} {'ok' if not errors else f'{len(errors)} off, e.g. ' + errors[0]}")
    return failed


def section_kernels(n: int, rounds: int) -> list[Goal]:
    import numpy as np

    import actviz
    from actviz.catalog.activation import BLOCK
    from actviz.core import normal, workspace

    print(f"\n## 3. Kernels: ns per value on {n:.0e} values (x ~ 3·N(0, 1)), f = act(x), "
          "f′ = act.grad(x)")
    refs = _references(np)
    rng = np.random.default_rng(0)
    x64 = rng.standard_normal(n) * 3.0
    data = {"float64": x64, "float32": x64.astype(np.float32)}
    acts = {name: actviz.get(name) for name in actviz.names()}
    no_ref = [name for name in acts if name not in refs and name not in ERFC_BASED]  # newer than run.py

    def ref32(fn):  # the contract for float32: compute in float64, round once
        def run(x):
            with np.errstate(over="ignore"):
                return fn(x.astype(np.float64)).astype(np.float32)
        return run

    jobs: dict[tuple[str, str], Callable[[], object]] = {}
    for dt, x in data.items():
        dst = np.empty_like(x)
        jobs[(dt, "np.copyto")] = lambda x=x, dst=dst: np.copyto(dst, x)
        jobs[(dt, "x.copy()")] = x.copy
        for name, act in acts.items():
            jobs[(dt, name)] = lambda act=act, x=x: act(x)
            jobs[(dt, name + "′")] = lambda act=act, x=x: act.grad(x)
            for key in (name, name + "′"):
                if key not in refs:
                    continue
                fn = refs[key] if dt == "float64" or name in LINEAR else ref32(refs[key])
                jobs[(dt, "ref " + key)] = lambda fn=fn, x=x: fn(x)
    # Where exact gelu's time goes: its parts on cached blocks, as the catalog evaluates them.
    blocks = [x64[i:i + BLOCK] for i in range(0, n, BLOCK)]
    column, gathered = normal._tables()[0][0], np.empty(BLOCK)
    index = np.minimum((np.abs(x64[:BLOCK]) + 0.25) * 64, column.size - 1).astype(np.intp)
    parts = {
        "index, u and the table polynomial with e^{−u(t_k + u/2)} (normal._tail, 25 passes)":
            lambda: [normal._tail(b, 0, workspace.rows("benchmark", 5, b.size)) for b in blocks],
        "x·Φ(x) (normal.x_ndtr: those and 5 more)": lambda: [normal.x_ndtr(b) for b in blocks],
        "Φ(x) + x·φ(x) (normal.ndtr_plus_x_pdf: and 6 more)":
            lambda: [normal.ndtr_plus_x_pdf(b) for b in blocks],
    }
    for what, fn in parts.items():
        jobs[("float64", "gelu part: " + what)] = fn

    def one_gather_per_block():
        for _ in range(n // BLOCK or 1):
            np.take(column, index, out=gathered, mode="clip")

    jobs[("float64", "one gather (np.take) from the table on a cached block")] = one_gather_per_block
    block, block_out = x64[:BLOCK].copy(), np.empty(BLOCK)

    def one_op_per_block():
        for _ in range(n // BLOCK or 1):
            np.add(block, 1.0, out=block_out)

    jobs[("float64", "one NumPy op (x + 1) on a cached block")] = one_op_per_block
    for job in jobs.values():  # warm-up: first-touch of pages, caches
        job()
    samples: dict[tuple[str, str], list[float]] = {k: [] for k in jobs}
    order = list(jobs)
    for _ in range(rounds):
        random.shuffle(order)
        for key in order:
            t = time.process_time()
            jobs[key]()
            samples[key].append(time.process_time() - t)
    # Medians, except the copy floors: their fastest round (a copy is the first thing to suffer
    # when another job saturates memory, which would flatter every ratio).
    ns = {k: (min(v) if k[1] in ("np.copyto", "x.copy()") else statistics.median(v)) / n * 1e9
          for k, v in samples.items()}
    for key in ("one NumPy op (x + 1) on a cached block",
                "one gather (np.take) from the table on a cached block"):
        ns[("float64", key)] *= n / (BLOCK * (n // BLOCK or 1))

    # How far is each reference from the catalog (both within a few ULP of the truth)?
    ulps = {}
    for key, fn in refs.items():
        name, deriv = key.rstrip("′"), key.endswith("′")
        want = acts[name].grad(x64) if deriv else acts[name](x64)
        with np.errstate(all="ignore"):
            got = fn(x64)
            ulps[key] = float(np.nanmax(np.abs(got - want) / np.spacing(np.maximum(np.abs(want), 1e-300))))

    rows, over = [], []
    worst = {"linear": (0.0, ""), "smooth": (0.0, "")}
    gelu_worst = (0.0, "")
    for name in acts:
        if name in no_ref:
            continue
        kind = "linear" if name in LINEAR else "smooth"
        goal = LINEAR_GOAL if kind == "linear" else SMOOTH_GOAL
        row = [name, "10 ns" if name in ERFC_BASED else "ref"]
        vs_copy = []
        for dt in data:
            for key in (name, name + "′"):
                vs_copy.append(ns[(dt, key)] / ns[(dt, "np.copyto")])
                if name in ERFC_BASED:
                    row.append(f"{ns[(dt, key)]:.2f} ({ns[(dt, key)] / GELU_GOAL_NS:.2f})")
                    if ns[(dt, key)] > gelu_worst[0]:
                        gelu_worst = (ns[(dt, key)], f"{key} {dt}")
                    continue
                ratio = ns[(dt, key)] / ns[(dt, "ref " + key)]
                row.append(f"{ns[(dt, key)]:.2f} ({ratio:.2f})")
                if ratio > worst[kind][0]:
                    worst[kind] = (ratio, f"{key} {dt}")
                if ratio > goal:
                    over.append(f"{key} {dt} {ratio:.2f}×")
        row += [f"{max(vs_copy):.2f}",
                "—" if name in ERFC_BASED else f"{max(ulps[name], ulps[name + '′']):.0f}"]
        rows.append(row)
    table(["function", "floor", "f64 f (× floor)", "f64 f′", "f32 f", "f32 f′", "worst × copy", "ref Δulp"],
          rows)
    for dt in data:
        print(f"{dt}: np.copyto {ns[(dt, 'np.copyto')]:.2f} ns/value, x.copy() (allocates) "
              f"{ns[(dt, 'x.copy()')]:.2f}")
    print(f"one NumPy operation on a cached {BLOCK}-value float64 block: "
          f"{ns[('float64', 'one NumPy op (x + 1) on a cached block')]:.2f} ns/value")
    print("exact gelu, its parts (ns per value of the whole array): " + "; ".join(
        f"{what} {ns[('float64', 'gelu part: ' + what)]:.1f}" for what in parts))
    op = ns[("float64", "one NumPy op (x + 1) on a cached block")]
    gather = ns[("float64", "one gather (np.take) from the table on a cached block")]
    print(f"(x·Φ(x) is 30 NumPy passes per value: 8 for the interval index and u, 5 gathers "
          f"({gather:.2f} ns each) and 8 passes of Horner's rule, 4 for e^{{−u(t_k + u/2)}}, 5 to "
          f"combine (the last gives −0 its sign); at {op:.2f} ns a pass that is "
          f"{25 * op + 5 * gather:.1f} ns in the cache, before "
          "reading x and writing the result. A lower degree needs 4× the table for the same "
          "accuracy; the exact square of the old kernel (6 ns) and its masked copies are gone)")
    if no_ref:
        print(f"no plain-NumPy reference written yet for: {', '.join(no_ref)} (add them to _references)")
    print(f"(CPU-time medians of {rounds} shuffled rounds in one process, copies: fastest round. "
          "floor: the plain-NumPy reference (_references in run.py), for exact gelu and "
          "clipped_gelu the 10 ns goal; "
          "worst × copy: the slowest of the four against np.copyto; "
          "ref Δulp: largest reference − catalog difference, float64 ULP)")
    if over:
        print("over the goal: " + ", ".join(over))
    return [Goal("piecewise-linear kernels vs plain-NumPy reference (worst)",
                 f"{worst['linear'][0]:.2f}× ({worst['linear'][1]})", f"≤ {LINEAR_GOAL}×",
                 worst["linear"][0] <= LINEAR_GOAL),
            Goal("smooth kernels vs plain-NumPy reference (worst)",
                 f"{worst['smooth'][0]:.2f}× ({worst['smooth'][1]})", f"≤ {SMOOTH_GOAL}×",
                 worst["smooth"][0] <= SMOOTH_GOAL),
            Goal("exact gelu and clipped_gelu f, f′ per value (slowest)",
                 f"{gelu_worst[0]:.1f} ns ({gelu_worst[1]})",
                 f"≤ {GELU_GOAL_NS:.0f} ns", gelu_worst[0] <= GELU_GOAL_NS)]


# --- 4. derive on a big file -----------------------------------------------------------------
def section_derive(size: int, rounds: int) -> list[Goal]:
    import derive_stream

    print(f"\n## 4. Streaming: actviz derive sigmoid --input x.npy, {size:,} float32 values")
    with tempfile.TemporaryDirectory(prefix="actviz-bench-") as tmp:
        path = os.path.join(tmp, "x.npy")
        derive_stream.write_npy(path, size)
        sink = os.path.join(tmp, "out.json")
        cmd = [*actviz_argv(), "derive", "sigmoid", "--input", path, "-f", "json"]
        small = [*actviz_argv(), "derive", "sigmoid", "--at", "0", "-f", "json"]
        runs: list[tuple[float, float, float]] = []
        base: list[tuple[float, float, float]] = []
        derive_stream._measure(cmd, sink)  # warm the page cache
        for _ in range(rounds):
            base.append(derive_stream._measure(small, os.devnull))
            runs.append(derive_stream._measure(cmd, sink))
        with open(sink, encoding="utf-8") as fh:
            count = json.load(fh)["summary"]["count"]
        if count != size:
            raise SystemExit(f"derive counted {count} values, expected {size}")
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    rss = max(r[1] for r in runs)
    b_wall = statistics.median(r[0] for r in base)
    b_rss = max(r[1] for r in base)
    rate = size / wall
    rows = [
        ["derive sigmoid --at 0 (start-up)", f"{b_wall:.2f}", "", "", f"{b_rss:.0f}"],
        [f"derive sigmoid --input x.npy ({size * 4 / 2**20:.0f} MiB)",
         f"{wall:.2f}", f"{cpu:.2f}", f"{rate / 1e6:.0f} ({size / max(wall - b_wall, 1e-9) / 1e6:.0f})",
         f"{rss:.0f}"],
    ]
    table(["command", "wall s", "CPU s", "M values/s (without start-up)", "peak RSS MiB"], rows)
    print(f"(medians of {rounds} runs; peak RSS is the largest ru_maxrss of the child; "
          f"{size / cpu / 1e6:.0f} M values per CPU-second)")
    return [Goal("derive, 1 file: values/s", f"{rate / 1e6:.0f} M/s", "≥ 50 M/s", rate >= DERIVE_RATE_GOAL),
            Goal("derive, 1 file: peak RSS", f"{rss:.0f} MiB", "< 200 MB",
                 rss * 2**20 < DERIVE_RSS_GOAL_MB * 1e6)]


# --- 5. train ----------------------------------------------------------------------------------
def section_train(rounds: int) -> list[Goal]:
    import bench_train

    print(f"\n## 5. Training: actviz train, three activations × {bench_train.STEPS} steps")
    m = bench_train.measure(rounds)
    table(["command", "wall s", "CPU s", "steps/s (without start-up)", "peak RSS MiB"],
          bench_train.report(m, rounds))
    print(f"(medians of {rounds} runs)")
    goal = bench_train.GOAL_SECONDS
    return [Goal("train: 3 activations × 1000 steps", f"{m['wall']:.2f} s", f"< {goal:g} s",
                 m["wall"] < goal)]


# --- 7. derive on text, CSV, stdin and .npz ----------------------------------------------------
def section_inputs(size: int) -> list[Goal]:
    import bench_inputs

    print(f"\n## 7. Inputs: actviz derive sigmoid --input (text, CSV, stdin, .npz), {size:,} values")
    return [Goal(text.split(": ", 1)[0], text.split(": ", 1)[1],
                 "< 200 MB" if "RSS" in text else "≥ 10 M/s", ok)
            for text, ok in bench_inputs.measure(actviz_argv(), size)]


# --- main ------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import numpy

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} CPUs, load {load}; Python {platform.python_version()}, "
            f"NumPy {numpy.__version__}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="5 rounds, 1e6-value kernels, a 1e7-value derive file")
    parser.add_argument("--rounds", type=int, help="rounds of each process measurement (default 15; quick 5)")
    parser.add_argument("--size", type=float, help="values in the derive file (default 1e8; quick 1e7)")
    parser.add_argument("--kernel-size", type=float, help="values per kernel call (default 1e7; quick 1e6)")
    parser.add_argument("--check-references", action="store_true",
                        help="only check the kernel references against mpmath (needs the test extra)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})")
    args = parser.parse_args(argv)
    if args.check_references:
        return 1 if check_references() else 0
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    for s in only:
        if s not in SECTIONS:
            parser.error(f"unknown section '{s}'; choose from {', '.join(SECTIONS)}")
    rounds = args.rounds or (5 if args.quick else 15)
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    size = int(args.size or (1e7 if args.quick else 1e8))
    kernel_n = int(args.kernel_size or (1e6 if args.quick else 1e7))
    if size <= 50 or kernel_n < 1000:
        parser.error("--size must be more than 50 and --kernel-size at least 1000")

    print(f"# actviz benchmark: {machine()}")
    start = time.perf_counter()
    goals: list[Goal] = []
    work = tempfile.mkdtemp(prefix="actviz-bench-")
    try:
        if "startup" in only:
            goals += section_startup(rounds, work)
        if "plot" in only:
            goals += section_plot(rounds, work)
        if "kernels" in only:
            goals += section_kernels(kernel_n, max(3, rounds // 3))
        if "derive" in only:
            goals += section_derive(size, max(1, rounds // 5))
        if "train" in only:
            goals += section_train(max(1, rounds // 3))
        if "check" in only:  # benchmarks/bench_check.py: a 1e7-value float32 file, a 16-bit jax run
            import bench_check

            goals += [Goal(*row) for row in bench_check.section(10**7, max(1, rounds // 5))]
        if "inputs" in only:
            goals += section_inputs(size)
        if "expr" in only:  # formulas (issue 14): benchmarks/bench_expr.py
            import bench_expr

            goals += bench_expr.section(sys.modules[__name__], rounds, work, min(kernel_n, 1_000_000))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n## Goals")
    table(["goal", "measured", "target", ""], [[g.what, g.measured, g.goal, verdict(g.ok)] for g in goals])
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"({time.perf_counter() - start:.0f} s; load average now {load}; "
          f"children's CPU {resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime:.0f} s user)")
    return 0 if all(g.ok for g in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
