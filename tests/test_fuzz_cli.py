"""Fuzzing the whole CLI: command lines built from each command's grammar, mixed with junk.

Every case runs in-process through the real entry point (``actviz.cli.errors.run``) in a fresh
scratch folder holding a few input files. Whatever the arguments, actviz must

- exit 0, 1 or 2 (never an internal error, never an uncaught exception or a traceback);
- print exactly one ``Error: …`` line, last on stderr, when it fails, and none when it succeeds;
- leave no stray file: nothing new or changed when it fails, and when it succeeds only the output
  file it was asked for (``-o``/``--plot``, or plot's default NAMES.png); inputs never change.

Half the cases are "clean" (every value well-formed, so the commands really run); the others
draw each value from bad values and junk (empty strings, huge numbers, NaN, inf, unicode,
negative numbers, unknown flags, bad files and paths) a quarter of the time and insert junk
tokens anywhere. Sizes stay small in the grammar (plot points and figure size, flow width and
batch) so a few hundred cases run in seconds; bad sizes still reach every limit check.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from actviz.catalog.frameworks import FRAMEWORKS
from actviz.catalog.registry import all_spellings
from tests.conftest import run_cli

Strategy = st.SearchStrategy
Words = st.SearchStrategy[list[str]]

JUNK = st.sampled_from([
    "", " ", "-", "--", "---", "--bogus", "-Z", "-x", "=", ":", ",", ",,", "é", "σ", "日本語", "💥",
    "\u202e", "\t", "a" * 300, "NaN", "-inf", "1e99999", "0x1p3", "None", "true", "--help", "-h",
    "--version", "--no-color", "../", "/", "\\", "%s", "{}", "'", '"',
])

# --- values: (well-formed, bad) ------------------------------------------------------------------

NAME = st.sampled_from(all_spellings())
VALUES: dict[str, tuple[Strategy, Strategy]] = {
    "number": (
        st.one_of(st.sampled_from(["0", "-0", "1", "-1", "0.5", "-2.5", "3", "4.6", "-7", "+3", "−2"]),
                  st.floats(-50, 50).map(repr)),
        st.one_of(st.sampled_from(["1e-320", "5e-324", "1e308", "-1e308", "1.8e308", "1e999", "nan", "-nan",
                                   "inf", "-inf", "+inf", "Infinity", "1_000", "0x10", "1e", ".", "1,2"]),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-(10**30), 10**30).map(str)),
    ),
    "whole": (st.integers(1, 12).map(str),
              st.sampled_from(["0", "-3", "10**9", "1e3", "2.0", "-0", "99999999999999999999"])),
    "spec": (
        st.one_of(NAME, NAME.map(str.upper), st.sampled_from([
            "leaky_relu:alpha=0.1", "elu:alpha=0.5", "gelu:approximate=true", "celu:alpha=2", "selu",
            "LeakyReLU", "leaky-relu"])),
        st.sampled_from([
            "leaky_relu:alpha=-1", "leaky_relu:alpha=nan", "leaky_relu:alpha=", "elu:alpha=1e308",
            "celu:alpha=0", "gelu:approximate=maybe", "relu6:foo=1", "relu:", ":alpha=1",
            "selu:alpha=1,lambda=2", "softplus:beta=1e-300", "hard_shrink:lambda=-1",
            "soft_shrink:lambda=inf", "squareplus:b=4", "relux", "sigmod", "softmax", "log_softmax"]),
    ),
    "framework": (st.sampled_from(FRAMEWORKS), st.sampled_from(["PyTorch", "caffe", ""])),
    "threshold": (st.sampled_from(["0.01", "0.25", "0.001", "1e-6"]),
                  st.sampled_from(["1", "1e-300", "0", "-1", "nan", "inf", "1e999", "x"])),
    "input": (st.sampled_from(["good.txt", "good.npy", "matrix.txt", "matrix.npy", "ints.npy",
                               "nonfinite.txt"]),
              st.sampled_from(["cube.npy", "words.txt", "empty.txt", "corrupt.npy", "folder", "missing.txt",
                               "missing.npy", "-", "/nonexistent/x.txt", ""])),
    "output": (st.sampled_from(["out.png", "out.svg", "out.pdf", "OUT.PNG", "folder/inner.svg", "-"]),
               st.sampled_from(["out.txt", "out", "folder", "folder.png", "nodir/out.png",
                                "/nonexistent/out.png", "", ".png", "good.txt"])),
    "chart": (st.sampled_from(["chart.png", "chart.svg", "chart.pdf", "folder/inner.png"]),
              st.sampled_from(["-", "chart.txt", "folder", "folder.png", "nodir/c.png", ""])),
    "range": (st.sampled_from([("-4", "3"), ("-10", "10"), ("0", "1e-3"), ("-1e3", "1e3"), ("−2", "2.5")]),
              st.tuples(st.sampled_from(["3", "nan", "inf", "1e300", "1e16", "x"]),
                        st.sampled_from(["-3", "3", "1e300", "-inf", "3.0000000000001"]))),
    "temperature": (st.sampled_from(["1", "0.5", "2", "1e-3", "100"]),
                    st.sampled_from(["0", "-1", "nan", "inf", "1e-320", "1e308"])),
    "format": (st.sampled_from(["table", "json", "csv", "JSON"]), st.sampled_from(["xml", ""])),
    "points": (st.integers(2, 40).map(str), st.sampled_from(["1", "0", "-3", "100001", "1e3", "x"])),
    "grid points": (st.integers(2, 10000).map(str), st.sampled_from(["1", "0", "10001", "1e3", "x"])),
    "dpi": (st.sampled_from(["30", "40", "50"]),
            st.sampled_from(["0", "-5", "1e9", "72.5", "99999999", "1201"])),
    "size": (st.sampled_from(["2", "2.5", "3"]), st.sampled_from(["0", "-1", "nan", "1e308", "41", "1"])),
    "title": (st.sampled_from(["", "relu", "σ(x) and $x^2$", "日本語"]),
              st.sampled_from(["$\\frac{", "$", "\x00"])),
    "theme": (st.sampled_from(["light", "dark", "DARK"]), st.sampled_from(["pink", ""])),
    "order": (st.sampled_from(["1", "2"]), st.sampled_from(["3", "0", "x"])),
    "labels": (st.sampled_from(["a,b,c", "σ,日,💥"]), st.sampled_from(["a,,c", "", "x", "a,b,c,d,e,f,g"])),
    "task": (st.sampled_from(["binary", "multiclass", "multilabel", "regression", "Binary"]),
             st.sampled_from(["ranking", ""])),
    "layer": (st.sampled_from(["both", "hidden", "output"]), st.just("middle")),
    "output range": (st.sampled_from(["any", "positive", "unit"]), st.just("negative")),
    "depth": (st.integers(1, 6).map(str), st.sampled_from(["0", "-1", "1001", "x", "1e3"])),
    "size small": (st.integers(1, 8).map(str), st.sampled_from(["0", "-4", "x"])),
    "seed": (st.integers(0, 2**32).map(str), st.sampled_from(["-1", "x", "1e3"])),
    "init": (st.sampled_from(["he", "glorot", "xavier", "lecun", "normal:0.1"]),
             st.sampled_from(["normal:-1", "normal:nan", "normal:", "he:2", "uniform", ""])),
}


def grammar(clean: bool) -> dict[str, tuple[Words, list[Words]]]:
    """Per command: (positional arguments, option groups); ``clean`` draws only well-formed values."""

    def v(kind: str) -> Strategy:
        good, bad = VALUES[kind]
        return good if clean else st.one_of(good, good, good, bad, JUNK)

    def opt(*flags: str, value: str | None = None) -> Words:
        flag = st.sampled_from(flags)
        return flag.map(lambda f: [f]) if value is None else st.tuples(flag, v(value)).map(list)

    def pair(flag: str, value: str) -> Words:
        return st.tuples(st.just(flag), v(value), v(value)).map(list)

    def limits(flag: str) -> Words:
        both = v("range").map(lambda p: list(p) if isinstance(p, tuple) else [p, p])
        return both.map(lambda p: [flag, *p]) if clean else st.one_of(both.map(lambda p: [flag, *p]),
                                                                         pair(flag, "number"))

    def specs(lo: int, hi: int) -> Words:
        return st.lists(v("spec"), min_size=lo if clean else 0, max_size=hi if clean else hi + 1)

    fw, fmt, thr = opt("--framework", "-F", value="framework"), opt("--format", "-f", value="format"), \
        opt("--threshold", "-t", value="threshold")
    at_values = st.lists(v("number"), min_size=1 if clean else 0, max_size=4)
    return {
        "list": (st.just([]), [fw, fmt]),
        "info": (specs(1, 1), [fw, thr, fmt]),
        "plot": (specs(1, 3), [
            opt("--grad", "-g"), opt("--grad2"), limits("--xlim"), limits("--ylim"),
            opt("--points", "-n", value="points"), opt("--output", "-o", value="output"),
            opt("--dpi", value="dpi"), pair("--size", "size"), opt("--title", value="title"), fw,
            opt("--theme", value="theme"), thr, opt("--no-shade"), opt("--terminal", "-T"), opt("--ascii"),
        ]),
        "derive": (specs(1, 1), [
            st.tuples(st.just("--at"), at_values).map(lambda t: [t[0], *t[1]]),
            limits("--xlim"), opt("--points", "-n", value="grid points"),
            opt("--order", value="order"), thr, fw, opt("--input", "-i", value="input"), fmt,
        ]),
        "softmax": (st.lists(v("number"), min_size=1 if clean else 0, max_size=6), [
            opt("--input", "-i", value="input"), opt("--temperature", value="temperature"),
            opt("--labels", "-l", value="labels"), opt("--sort"), opt("--top", "-k", value="whole"),
            fmt, opt("--plot", "-p", value="chart"),
        ]),
        "recommend": (opt("--task", value="task"), [
            opt("--layer", value="layer"), opt("--depth", value="whole"),
            opt("--output-range", value="output range"), opt("--units", value="whole"), fw, fmt,
        ]),
        "flow": (specs(0, 2), [
            opt("--depth", "-d", value="depth"), opt("--seed", "-s", value="seed"),
            opt("--init", value="init"), opt("--input-std", value="number"), opt("--bias", value="number"),
            thr, fw, opt("--plot", "-p", value="chart"), fmt,
        ]),
    }


GRAMMARS = {clean: grammar(clean) for clean in (True, False)}
# Always present, before the drawn options (a later --dpi/--size/--points/--width wins):
# small figures for plot, small layers and batches for flow.
FIXED = {"plot": ["--dpi", "40", "--size", "3", "2", "--points", "40"], "flow": ["-w", "8", "-b", "8"]}


def without_conflicts(name: str, groups: list[list[str]]) -> list[list[str]]:
    """Clean cases drop options that the command refuses together (each refusal is tested elsewhere)."""
    flags = {g[0] for g in groups[1:]}
    drop: set[str] = set()
    if name == "derive" and flags & {"--input", "-i"}:
        drop = {"--at", "--xlim", "--points", "-n"}
    if name == "plot" and flags & {"--terminal", "-T", "--ascii"}:
        drop = {"--output", "-o"}
    if name == "softmax" and flags & {"--input", "-i"}:
        groups = [[], *groups[1:]]
    if name == "softmax" and flags & {"--labels", "-l"}:
        groups = [["1", "2", "3"], *[g for g in groups[1:] if g[0] not in ("--input", "-i")]]
    return [groups[0], *[g for g in groups[1:] if g[0] not in drop]]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    clean = draw(st.booleans())
    commands = GRAMMARS[clean]
    name = draw(st.sampled_from([*commands, *([] if clean else ["help", "plto", ""])]))
    if name not in commands:
        return [name, *draw(st.lists(st.one_of(JUNK, st.sampled_from(list(commands))), max_size=2))]
    positional, options = commands[name]
    groups = [draw(positional)]
    chosen = draw(st.lists(st.sampled_from(range(len(options))), max_size=5, unique=True))
    groups += [draw(options[i]) for i in chosen]
    if clean:
        groups = without_conflicts(name, groups)
    elif name == "flow":
        groups.append(["--width", draw(st.sampled_from(["0", "-4", "x", "4097"]))])
    order = draw(st.permutations(range(len(groups))))
    args = FIXED.get(name, []) + [token for i in order for token in groups[i]]
    if not clean:
        for _ in range(draw(st.integers(0, 2))):
            args.insert(draw(st.integers(0, len(args))), draw(JUNK))
    return [*draw(st.sampled_from([[], ["--no-color"]])), name, *args]


# --- running one case ----------------------------------------------------------------------------

def make_inputs(folder: Path) -> None:
    rng = np.random.default_rng(0)
    (folder / "good.txt").write_text("0.5 -3\n2 8\n1e-300\n", encoding="utf-8")
    np.save(folder / "good.npy", rng.normal(0, 4, 200))
    (folder / "matrix.txt").write_text("1 2 3\n0 0 9\n-inf 0 1\n", encoding="utf-8")
    np.save(folder / "matrix.npy", rng.normal(0, 2, (3, 4)).astype(np.float32))
    np.save(folder / "cube.npy", np.zeros((2, 2, 2)))
    np.save(folder / "ints.npy", np.arange(-5, 6))
    (folder / "words.txt").write_text("1 2\nthree 4\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "corrupt.npy").write_bytes(b"\x93NUMPY\x01\x00garbage")
    (folder / "nonfinite.txt").write_text("nan inf -inf 1\n", encoding="utf-8")
    (folder / "folder").mkdir()
    (folder / "folder.png").mkdir()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (hidden ones too) → a digest of its content."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder) + "/"] = "dir"
        for f in files:
            path = os.path.join(root, f)
            out[os.path.relpath(path, folder)] = hashlib.sha1(Path(path).read_bytes()).hexdigest()
    return out


def requested_outputs(argv: list[str]) -> set[str]:
    """Files the command line asks to write (as normalised relative paths)."""
    out = set()
    for flag, value in zip(argv, argv[1:], strict=False):
        if flag in ("-o", "--output", "-p", "--plot") and value not in ("", "-"):
            out.add(os.path.normpath(value))
    return out


def run_case(argv: list[str], stdin: str) -> tuple[int, str, str]:
    result = run_cli(*argv, input=stdin, env={"NO_COLOR": None}, columns=80, expect=None)
    return result.code, result.out, result.err


# ACTVIZ_FUZZ_EXAMPLES=5000 for a longer hunt
@settings(max_examples=int(os.environ.get("ACTVIZ_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(argv=command_lines(), stdin=st.sampled_from(["", "1 2 3\n", "0.5\n-2\n", "junk\n", "nan inf\n"]))
def test_fuzz_cli(argv: list[str], stdin: str) -> None:
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="actviz-fuzz-") as tmp:
        folder = Path(tmp)
        make_inputs(folder)
        before = snapshot(folder)
        os.chdir(folder)
        try:
            code, out, err = run_case(argv, stdin)
        finally:
            os.chdir(cwd)
        after = snapshot(folder)

    command = next((a for a in argv if a != "--no-color"), "")
    event(f"{command} → exit {code}")
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in out + err, (argv, err)
    assert "internal error" not in err, (argv, err)
    assert not re.search(r"\w+Warning\b", err), (argv, err)  # library warnings: one 'warning:' line
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    if code == 0:
        assert not errors, (argv, err)
    else:
        assert len(errors) == 1 and err.rstrip("\n").splitlines()[-1] == errors[0], (argv, err)

    changed = {path for path in after if before.get(path) != after[path]}
    removed = set(before) - set(after)
    assert not removed, (argv, removed)
    if code != 0:
        assert not changed, (argv, code, err, changed)
        return
    allowed = requested_outputs(argv)
    if command == "plot" and not allowed:
        allowed = {p for p in changed if p.endswith(".png") and "/" not in p}  # plot's default NAMES.png
        assert len(allowed) <= 1, (argv, changed)
    assert changed <= allowed, (argv, changed, allowed)
