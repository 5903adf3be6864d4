"""The CLI as a whole behaves like a finished tool: errors, pipes, signals, colour, width, help, files.

Most checks run in-process through the real entry point (``actviz.cli.errors.run``); the ones
about pipes, signals and terminals need a real process and use the installed ``actviz``.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import click
import numpy as np
import pytest

import actviz
from actviz.cli.main import COMMANDS
from tests.conftest import run_cli

ACTVIZ = str(Path(sys.executable).parent / "actviz")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def invoke(args: list[str], stdin: str = "", env: dict[str, str | None] | None = None
           ) -> tuple[int, str, str]:
    """Run ``actviz ARGS`` in-process as the entry point does: (exit code, stdout, stderr)."""
    keep = {name: os.environ.get(name) for name in ("ACTVIZ_DEBUG", "COLUMNS")}  # as they are
    result = run_cli(*args, input=stdin, env={**keep, "NO_COLOR": None, **(env or {})}, columns=None,
                     expect=None)
    return result.code, result.out, result.err


def proc_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "ACTVIZ_DEBUG", "COLUMNS")}
    env["PATH"] = f"{Path(ACTVIZ).parent}{os.pathsep}{env.get('PATH', '')}"
    env["MPLBACKEND"] = "Agg"
    return env | extra


def cells(line: str) -> int:
    """Terminal columns a line takes (wide East Asian characters 2, combining marks 0)."""
    width = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: "), err
    assert "Traceback" not in err
    return lines[0]


# --- errors ---------------------------------------------------------------------------------------

USAGE_ERRORS: list[tuple[list[str], str]] = [
    # Click's own usage errors, for every command: missing argument, bad choice, bad type, extra
    (["info"], "missing argument"),
    (["plot"], "missing argument"),
    (["derive"], "missing argument"),
    (["recommend"], "missing option '--task'"),
    (["list", "--format", "xml"], "'xml' is not one of"),
    (["info", "relu", "--framework", "caffe"], "'caffe' is not one of"),
    (["plot", "relu", "--theme", "pink"], "'pink' is not one of"),
    (["derive", "relu", "--order", "3"], "--order"),
    (["softmax", "1", "2", "--format", "yaml"], "'yaml' is not one of"),
    (["recommend", "--task", "ranking"], "'ranking' is not one of"),
    (["flow", "--depth", "deep"], "not a valid integer"),
    (["list", "extra"], "unexpected extra argument"),
    (["info", "relu", "extra"], "unexpected extra argument"),
    (["help", "plot", "more"], "unexpected extra argument"),
    # unknown options everywhere
    *[([name, "--bogus"], "no such option") for name in COMMANDS],
    (["--bogus"], "no such option"),
    # actviz's own checks
    (["info", "relux"], "did you mean 'relu'"),
    (["plot", "sigmod"], "did you mean 'sigmoid'"),
    (["derive", "tanhh", "--at", "1"], "did you mean 'tanh'"),
    (["flow", "geluu"], "did you mean 'gelu'"),
    (["info", "leaky_relu:alpah=0.1"], "alpah"),
    (["derive", "relu", "--at", "abc"], "not a number"),
    (["plot", "relu", "--xlim", "1", "a"], "not a number"),
    (["plot", "relu", "--xlim", "3", "1"], "min < max"),
    (["softmax", "1", "x"], "not a number"),
    (["softmax", "1", "nan"], "nan"),
    (["softmax", "1", "2", "--temperature", "0"], "temperature"),
    (["recommend", "--task", "binary", "--depth", "-1"], "depth"),
    (["flow", "relu", "--depth", "0"], "depth"),
    (["list", "--framework", "pytroch"], "did you mean 'pytorch'"),
    (["recommend", "--task", "multiclas"], "did you mean 'multiclass'"),
    (["plot", "relu", "--theme", "drak"], "did you mean 'dark'"),
    (["plot", "relu", "--grd"], "'--grad'"),
    # found by the fuzzer: a long legend in a small figure crashed Matplotlib's layout
    (["plot", "selu", "linear", "relu", "--grad", "--size", "3", "2", "-o", "s.png"], "--size"),
    (["plto"], "did you mean 'plot'"),
    (["help", "plto"], "did you mean 'plot'"),
]


@pytest.mark.parametrize(("args", "needle"), USAGE_ERRORS,
                         ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_usage_errors_are_one_line_exit_2(args: list[str], needle: str) -> None:
    code, out, err = invoke(args)
    assert code == 2, (code, out, err)
    assert out == ""
    line = one_error_line(err)
    assert needle.lower() in line.lower(), line


@pytest.mark.parametrize("args", [["plot"], ["list", "--bogus"], ["recommend", "--task", "x"], ["info"]])
def test_click_usage_errors_point_to_help(args: list[str]) -> None:
    _, _, err = invoke(args)
    assert f"see 'actviz {args[0]} --help'" in one_error_line(err)


def test_runtime_errors_are_one_line_exit_1(tmp_path: Path) -> None:
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "words.txt").write_text("1 2 three\n", encoding="utf-8")
    cases = [
        ["derive", "relu", "--input", str(tmp_path / "missing.txt")],
        ["derive", "relu", "--input", str(tmp_path)],
        ["derive", "relu", "--input", str(tmp_path / "words.txt")],
        ["softmax", "--input", str(tmp_path / "missing.npy")],
        ["plot", "relu", "-o", str(tmp_path / "no" / "such" / "folder.png")],
        ["plot", "relu", "-o", str(tmp_path / "folder.png")],
        ["softmax", "1", "2", "--plot", str(tmp_path / "folder.png")],
        ["flow", "relu", "-d", "2", "-w", "4", "-b", "4", "--plot", str(tmp_path / "folder.png")],
    ]
    for args in cases:
        code, out, err = invoke(args)
        assert code == 1, (args, code, err)
        assert out == ""
        one_error_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.png", "words.txt"]


def test_debug_shows_the_traceback_and_does_not_leak() -> None:
    """--debug (before or after the command) or ACTVIZ_DEBUG=1 lets the exception through."""
    for args in (["--debug", "info", "relux"], ["info", "relux", "--debug"]):
        with pytest.raises(click.UsageError):
            invoke(args)
        assert "ACTVIZ_DEBUG" not in os.environ  # restored after the run
        code, _, err = invoke(["info", "relux"])
        assert code == 2 and one_error_line(err)
    with pytest.raises(click.UsageError):
        invoke(["info", "relux"], env={"ACTVIZ_DEBUG": "1"})
    code, _, _ = invoke(["info", "relux"], env={"ACTVIZ_DEBUG": "0"})
    assert code == 2


def test_debug_traceback_in_a_real_process() -> None:
    plain = subprocess.run([ACTVIZ, "info", "relux"], capture_output=True, text=True, env=proc_env())
    debug = subprocess.run([ACTVIZ, "--debug", "info", "relux"], capture_output=True, text=True,
                           env=proc_env())
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert one_error_line(plain.stderr)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_library_warnings_are_one_line_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Matplotlib warns per missing glyph, in Python's two-line format; actviz says it once."""
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(["plot", "relu", "--title", "日本語 日", "--points", "50", "-o", "t.png"])
    assert code == 0, err
    assert "UserWarning" not in err and ".py:" not in err
    glyph_lines = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(glyph_lines) == 1 and "日 本 語" in glyph_lines[0], err
    assert err.splitlines()[0].startswith("Wrote t.png")


# --- pipes and signals ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A text file and a .npy file whose CSV output is far larger than a pipe's buffer."""
    folder = tmp_path_factory.mktemp("big")
    values = np.random.default_rng(1).normal(0, 4, 200_000)
    txt = folder / "big.txt"
    txt.write_text("\n".join(repr(v) for v in values.tolist()) + "\n", encoding="utf-8")
    npy = folder / "big.npy"
    np.save(npy, np.random.default_rng(2).normal(0, 4, 2_000_000))
    return {"txt": txt, "npy": npy}


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--format", "json"], ["info", "gelu"], ["--help"],
     ["derive", "relu", "--input", "BIG", "--format", "csv"]],
    ids=lambda a: " ".join(a),
)
def test_closed_pipe_ends_quietly(args: list[str], big_inputs: dict[str, Path]) -> None:
    """The reader is gone before the first byte: exit 0, nothing on stderr (no BrokenPipeError)."""
    args = [str(big_inputs["txt"]) if a == "BIG" else a for a in args]
    proc = subprocess.Popen([ACTVIZ, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=proc_env())
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""


@pytest.mark.parametrize(
    "pipeline",
    ["actviz list | head -1", "actviz derive relu --input BIG --format csv | head",
     "actviz softmax --input BIG --format csv | head -3"],
)
def test_shell_pipeline_into_head(pipeline: str, big_inputs: dict[str, Path]) -> None:
    script = "set -o pipefail; " + pipeline.replace("BIG", shlex.quote(str(big_inputs["txt"])))
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=proc_env())
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip()


def test_ctrl_c_exits_130_without_traceback(big_inputs: dict[str, Path]) -> None:
    """SIGINT while blocked writing into a full pipe nobody reads: exit 130, one line, no traceback."""
    args = ["derive", "sigmoid", "--input", str(big_inputs["npy"]), "--format", "csv"]
    proc = subprocess.Popen([ACTVIZ, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=proc_env())
    try:
        assert proc.stdout.readline().startswith(b"x,")  # it is writing; now stop reading
        time.sleep(0.5)  # the pipe fills up and the writer blocks
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        err = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert code == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines() == ["Interrupted."]


def test_keyboard_interrupt_in_a_command_is_130() -> None:
    """In-process: a KeyboardInterrupt anywhere in a command becomes exit 130 and one line."""
    from unittest import mock

    with mock.patch("actviz.catalog.describe.catalog_rows", side_effect=KeyboardInterrupt):
        code, out, err = invoke(["list"])
    assert code == 130
    assert err.strip() == "Interrupted."


# --- colour and width -----------------------------------------------------------------------------

def in_terminal(args: list[str], **env: str) -> str:
    """Run ``actviz ARGS`` with stdout on a pseudo-terminal; the text it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([ACTVIZ, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                            env=proc_env(TERM="xterm-256color", **env))
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=30) == 0
    return b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    coloured = in_terminal(["list"], COLUMNS="120")
    assert ANSI.search(coloured), "a terminal gets colour"
    assert not ANSI.search(in_terminal(["list"], COLUMNS="120", NO_COLOR="1"))
    assert not ANSI.search(in_terminal(["--no-color", "list"], COLUMNS="120"))
    assert not ANSI.search(in_terminal(["info", "relu", "--no-color"], COLUMNS="120"))
    _, piped, _ = invoke(["list"], env={"COLUMNS": "120"})
    assert not ANSI.search(piped), "a pipe gets plain text"
    assert ANSI.sub("", coloured).split() == piped.split()  # same words, only the colour differs


def test_force_color_colours_a_pipe_and_no_color_wins() -> None:
    _, plain, _ = invoke(["list"], env={"COLUMNS": "120"})
    _, forced, _ = invoke(["list"], env={"COLUMNS": "120", "FORCE_COLOR": "1"})
    assert ANSI.search(forced), "FORCE_COLOR colours a pipe"
    assert ANSI.sub("", forced).split() == plain.split()  # only the colour differs, not the layout
    assert not ANSI.search(invoke(["list"], env={"COLUMNS": "120", "FORCE_COLOR": ""})[1])  # empty: unset
    both = {"COLUMNS": "120", "FORCE_COLOR": "1", "NO_COLOR": "1"}
    assert not ANSI.search(invoke(["list"], env=both)[1]), "NO_COLOR wins"
    assert not ANSI.search(invoke(["--no-color", "list"], env={"COLUMNS": "120", "FORCE_COLOR": "1"})[1])
    code, out, _ = invoke(["info", "relu"], env={"COLUMNS": "120", "FORCE_COLOR": "1"})
    assert code == 0 and ANSI.search(out)


TABLES = [
    ["list"],
    ["list", "--framework", "jax"],
    ["info", "gelu"],
    ["info", "leaky_relu:alpha=0.1"],
    ["info", "elu", "--framework", "pytorch"],
    ["softmax", "0.2", "1.3", "3.75", "--labels", "cat,dog,bird"],
    ["softmax", "1000", "1001", "1002", "--sort"],
    ["recommend", "--task", "multiclass"],
    ["recommend", "--task", "regression", "--output-range", "positive", "--depth", "12"],
    ["flow", "sigmoid", "relu", "-d", "3", "-w", "8", "-b", "8"],
    ["plot", "tanh", "--grad", "--terminal"],
]


def snippet_free(text: str) -> list[str]:
    """Lines of ``text`` before a code snippet (code is never re-flowed, so it may be wider)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip().endswith(" snippet"):
            return lines[:i]
    return lines


@pytest.mark.parametrize("columns", [40, 200])
@pytest.mark.parametrize("args", TABLES, ids=lambda a: " ".join(a))
def test_tables_fit_the_width(args: list[str], columns: int) -> None:
    code, out, err = invoke(args, env={"COLUMNS": str(columns)})
    assert code == 0, err
    wide = [line for line in snippet_free(out) if cells(line) > columns]
    assert not wide, f"{len(wide)} lines wider than {columns}: {wide[:3]}"
    assert out.strip()


@pytest.mark.parametrize("columns", [40, 200])
def test_derive_tables_fit_the_terminal(columns: int) -> None:
    """derive prints full-width tables into pipes; on a terminal they fit its width."""
    for args in (["derive", "sigmoid", "--at", "-4.6", "0", "1e-300", "--order", "2"],
                 ["derive", "leaky_relu", "--framework", "jax"]):
        text = ANSI.sub("", in_terminal(args, COLUMNS=str(columns)))
        wide = [line for line in text.splitlines() if cells(line) > columns]
        assert not wide, f"{args}: {wide[:3]}"
        assert "f′" in text


# --- help -----------------------------------------------------------------------------------------

def help_text(args: list[str]) -> str:
    code, out, err = invoke(args, env={"COLUMNS": "100"})
    assert code == 0, err
    assert err == ""
    return out


def test_no_arguments_prints_the_overview() -> None:
    overview = help_text([])
    assert overview == help_text(["--help"]) == help_text(["help"]) == help_text(["-h"])
    assert overview.startswith("Usage: actviz")
    for name in [*COMMANDS, "help"]:
        assert re.search(rf"^\s+{name}\s+\S", overview, re.M), name
    assert "Examples:" in overview


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_a_description_and_examples(name: str) -> None:
    text = help_text([name, "--help"])
    assert text == help_text(["help", name]) == help_text([name, "-h"])
    body = text.split("\n\n", 1)[1].strip()
    description = body.split("\n\n")[0]
    assert 20 <= len(description) and not description.startswith(("Options", "Examples"))
    examples = example_lines(text, name)
    assert len(examples) >= 3, examples
    assert "Options:" in text


def example_lines(text: str, name: str) -> list[str]:
    """The example command lines of a help text (the part after two spaces is a comment)."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(rf"^(.*\| )?actviz {name}\b", stripped):
            out.append(re.split(r"\s{2,}", stripped)[0])
    return out


HELP_INPUTS = {
    "preact.npy": lambda p: np.save(p, np.random.default_rng(3).normal(0, 3, 500)),
    "logits.npy": lambda p: np.save(p, np.random.default_rng(4).normal(0, 2, (4, 6))),
    "x.txt": lambda p: p.write_text("0.5 -3\n2 8\n", encoding="utf-8"),
    # check: float32 inputs and an implementation of gelu (computed in float64, rounded once)
    "x.npy": lambda p: np.save(p, np.linspace(-6, 6, 301, dtype=np.float32)),
    "y.npy": lambda p: np.save(p, actviz.get("gelu")(np.linspace(-6, 6, 301, dtype=np.float32))),
    "g.npy": lambda p: np.save(p, actviz.get("gelu").grad(np.linspace(-6, 6, 301, dtype=np.float32))),
    "layers.npz": lambda p: np.savez(p, fc1=np.random.default_rng(5).normal(0, 2, (20, 8)),
                                     fc2=np.random.default_rng(6).normal(0, 6, 300)),
}


def example_argv(line: str) -> tuple[list[str], str]:
    """``actviz ...`` arguments and stdin of one example line (pipes into jq, redirects dropped)."""
    stdin = ""
    left, _, right = line.partition("| actviz ")
    if right:
        feeder = shlex.split(left)
        if feeder[0] == "echo":
            stdin = " ".join(feeder[1:]) + "\n"
        elif feeder[0] == "cat":
            stdin = Path(feeder[1]).read_text(encoding="utf-8")
        line = "actviz " + right
    line = line.split(" | ")[0].split(" > ")[0]
    return shlex.split(line)[1:], stdin


def test_every_help_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example shown in a command's --help exits 0 (in a scratch folder with its input files)."""
    monkeypatch.chdir(tmp_path)
    for name, make in HELP_INPUTS.items():
        make(tmp_path / name)
    ran = 0
    texts = [(name, help_text([name, "--help"])) for name in [*COMMANDS, "help"]]
    for name, text in [*texts, (r"\w+", help_text([]))]:  # the overview's examples too
        for line in example_lines(text, name):
            args, stdin = example_argv(line)
            code, _, err = invoke(args, stdin=stdin, env={"COLUMNS": "100"})
            assert code == 0, f"{line!r}: {err}"
            assert "Traceback" not in err
            ran += 1
    assert ran >= 50


# --- output files ---------------------------------------------------------------------------------

WRITERS = {
    "plot": lambda out: ["plot", "relu", "--points", "50", "-o", out],
    "softmax": lambda out: ["softmax", "1", "2", "3", "--plot", out],
    "flow": lambda out: ["flow", "relu", "-d", "2", "-w", "4", "-b", "4", "--plot", out],
}
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<?xml", ".pdf": b"%PDF-"}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_output_files_are_checked_before_any_work(writer: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plot.png").mkdir()
    Path("notes.txt").write_text("keep me\n", encoding="utf-8")
    for target, want in [("plot.png", 1), ("missing/out.png", 1), ("notes.txt", 2), ("out", 2)]:
        code, out, err = invoke(WRITERS[writer](target))
        assert code == want, (target, code, err)
        one_error_line(err)
    assert Path("plot.png").is_dir() and not any(Path("plot.png").iterdir())
    assert Path("notes.txt").read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "plot.png"]


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("ext", [".png", ".svg", ".pdf"])
def test_same_type_is_overwritten_whole(writer: str, ext: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("chart" + ext)
    target.write_bytes(b"old bytes")
    code, _, err = invoke(WRITERS[writer](str(target)))
    assert code == 0, err
    assert target.read_bytes().startswith(MAGIC[ext])
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_failed_write_leaves_the_old_file(writer: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The figure writer dies half-way: the old file is untouched and no temporary file is left."""
    from matplotlib.figure import Figure

    def half_then_fail(self, fname, *args, **kwargs):
        fname.write(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Figure, "savefig", half_then_fail)
    Path("chart.png").write_bytes(b"previous chart")
    code, out, err = invoke(WRITERS[writer]("chart.png"))
    assert code == 1, err
    assert "No space left" in one_error_line(err)
    assert Path("chart.png").read_bytes() == b"previous chart"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


@pytest.mark.parametrize("columns", ["60", "80", "100", "120"])
def test_help_never_splits_an_option_name(columns: str) -> None:
    code, out, _ = invoke(["--help"], env={"COLUMNS": columns})
    assert code == 0 and "--no-color and --debug" in out
    assert not re.search(r"--[\w-]*-\n", out), out  # no "--no-" / "color" across lines


def test_threshold_shows_a_number_metavar_and_recommend_names_the_blog_post() -> None:
    for command in ("derive", "plot", "flow"):
        code, out, _ = invoke([command, "--help"], env={"COLUMNS": "100"})
        assert code == 0 and "--threshold NUMBER" in out, command
    code, out, _ = invoke(["recommend", "--help"], env={"COLUMNS": "100"})
    assert code == 0 and "seed's" not in out and "blog post" in out
