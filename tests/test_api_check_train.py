"""``actviz.check`` and ``actviz.train``: the numbers of the CLI's JSON, its tables, in the API's terms.

Each function is compared with the command run on the same input (``to_dict()`` against
``--format json``, the rich rendering against the table); errors say ``depth`` from Python and
``--depth`` from the shell.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

import actviz
from tests.conftest import run_cli
from tests.test_api import parse_html, printed, same_lines


@pytest.fixture
def tanh_files(tmp_path, monkeypatch):
    """x (float32), tanh(x) as float32 (one rounding of NumPy's float32 tanh) and its f′."""
    monkeypatch.chdir(tmp_path)
    x = np.concatenate([np.linspace(-9, 9, 2001), [0.0, -0.0, 1e-30, 20.0]]).astype(np.float32)
    y = np.tanh(x)
    g = (1 - np.tanh(x.astype(np.float64)) ** 2).astype(np.float32)
    for name, arr in (("x.npy", x), ("y.npy", y), ("g.npy", g)):
        np.save(name, arr)
    return x, y, g


# --- check ------------------------------------------------------------------------------------
def test_check_equals_the_cli_json(tanh_files):
    x, y, g = tanh_files
    cli = run_cli("check", "tanh", "-i", "x.npy", "--values", "y.npy", "--grads", "g.npy",
                  "--max-ulp", "2", "-f", "json", expect=None)
    rep = actviz.check("tanh", x, y, grads=g, max_ulp=2, implementation="x.npy / y.npy / g.npy")
    assert rep.to_dict() == cli.json
    assert cli.code == (0 if rep.passed else 1)
    assert rep.to_dict()["quantities"][0]["count"] == x.size


def test_check_names_arrays_by_their_parameters_by_default(tanh_files):
    x, y, _ = tanh_files
    assert actviz.check("tanh", x, y).to_dict()["implementation"] == "x / values"


def test_check_lists_are_decimals_rounded_into_dtype(tmp_path, monkeypatch):
    """A list is what a text file is to the CLI: decimal numbers, rounded once into --dtype."""
    monkeypatch.chdir(tmp_path)
    xs = [-3.0, -0.5, 0.0, 0.25, 1.0, 2.5]
    ys = [float(v) for v in np.tanh(np.array(xs))]
    (tmp_path / "x.txt").write_text("\n".join(repr(v) for v in xs))
    (tmp_path / "y.txt").write_text("\n".join(repr(v) for v in ys))
    cli = run_cli("check", "tanh", "-i", "x.txt", "--values", "y.txt", "--dtype", "bfloat16", "-f", "json")
    rep = actviz.check("tanh", xs, ys, dtype="bfloat16", implementation="x.txt / y.txt")
    assert rep.to_dict() == cli.json
    assert rep.to_dict()["dtype"] == "bfloat16"


def test_check_framework_run_equals_the_cli_json():
    pytest.importorskip("jax")
    cli = run_cli("check", "tanh", "--framework-run", "jax", "--dtype", "float16", "-f", "json")
    rep = actviz.check("tanh", framework_run="jax", dtype="float16")
    assert rep.to_dict() == cli.json
    assert rep.to_dict()["quantities"][0]["count"] == 65536


def test_check_prints_the_cli_tables_and_html_has_the_numbers(tanh_files):
    x, y, g = tanh_files
    cli = run_cli("check", "tanh", "-i", "x.npy", "--values", "y.npy", "--grads", "g.npy")
    rep = actviz.check("tanh", x, y, grads=g, implementation="x.npy / y.npy / g.npy")
    same_lines(printed(rep), cli.out)
    page = parse_html(rep._repr_html_())
    q = rep.results[0].quantities[0]
    assert f"{q.count:,}" in page.cells and "f by region" in rep._repr_html_()
    assert "CheckReport('tanh' in float32" in repr(rep)


def test_check_figure_has_a_panel_per_quantity(tanh_files):
    x, y, g = tanh_files
    rep = actviz.check("tanh", x, y, grads=g)
    fig = rep.figure()
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]  # each has f drawn faintly behind
    assert [ax.get_title(loc="left").split(" of ")[0] for ax in panels] == ["f", "f′"]
    points = sum(len(c.get_offsets()) for c in panels[0].collections)
    assert points > 100  # the error sample is drawn, not an empty panel


@pytest.mark.parametrize("call, api_words, cli_args, cli_words", [
    (lambda x, y: actviz.check("tanh", x, y[:10]), "values has 10 values but x has",
     ["check", "tanh", "-i", "x.npy", "--values", "short.npy"], "--values has 10 values but --input has"),
    (lambda x, y: actviz.check("tanh", x.astype(np.int64), y), "x holds int64 values",
     ["check", "tanh", "-i", "ints.npy", "--values", "y.npy"], "--input ints.npy holds int64 values"),
    (lambda x, y: actviz.check("tanh", x, y, max_ulp=-1), "max_ulp must be a finite number ≥ 0",
     None, None),
    (lambda x, y: actviz.check("tanh", x, y, dtype="float16"),
     "values holds float32 values, but dtype is float16",
     ["check", "tanh", "-i", "x.npy", "--values", "y.npy", "--dtype", "float16"],
     "--values y.npy holds float32 values, but --dtype is float16"),
    (lambda x, y: actviz.check("tanh", framework_run="nosuch"), "for framework_run; choose from",
     ["check", "tanh", "--framework-run", "nosuch"], "for --framework-run; choose from"),
    (lambda x, y: actviz.check("tanh", x), "give x and values", None, None),
])
def test_check_errors_speak_the_api_terms_and_the_cli_the_options(tanh_files, call, api_words, cli_args,
                                                                    cli_words):
    x, y, _ = tanh_files
    np.save("short.npy", y[:10])
    np.save("ints.npy", x.astype(np.int64))
    with pytest.raises(ValueError) as info:
        call(x, y)
    assert api_words in str(info.value) and "--" not in str(info.value)
    if cli_args is not None:
        err = run_cli(*cli_args, expect=2).err
        assert cli_words in err and err.count("\n") == 1


# --- train ------------------------------------------------------------------------------------
TRAIN_CASES = [
    (dict(activations=["relu", "tanh"], depth=2, width=8, steps=60),
     ["relu", "tanh", "-d", "2", "-w", "8", "--steps", "60"]),
    (dict(activations="sigmoid", data="blobs", classes=4, seeds=2, steps=40, optimizer="adam", lr=0.01),
     ["sigmoid", "--data", "blobs", "--classes", "4", "--seeds", "2", "--steps", "40", "--optimizer", "adam",
      "--lr", "0.01"]),
    (dict(activations="relu", data="sine", output="sigmoid", steps=30, batch=0, init="normal:0.3"),
     ["relu", "--data", "sine", "--output", "sigmoid", "--steps", "30", "--batch", "0", "--init",
      "normal:0.3"]),
]


@pytest.mark.parametrize("kwargs, args", TRAIN_CASES)
def test_train_equals_the_cli_json(kwargs, args):
    cli = run_cli("train", *args, "-f", "json")
    kwargs = dict(kwargs)
    res = actviz.train(kwargs.pop("activations"), **kwargs)
    assert res.to_dict() == cli.json


def test_train_csv_file_and_default_activations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 2))
    rows = [f"{float(a)!r},{float(b)!r},{int(a + b > 0)}" for a, b in x]
    (tmp_path / "d.csv").write_text("a,b,label\n" + "\n".join(rows) + "\n")
    cli = run_cli("train", "--data", "d.csv", "--steps", "20", "-f", "json")
    res = actviz.train(data="d.csv", steps=20)
    assert res.to_dict() == cli.json
    assert [r["function"] for r in res.to_dict()["results"]] == ["sigmoid", "tanh", "relu"]


def test_train_prints_the_cli_table_html_and_figure():
    cli = run_cli("train", "relu", "tanh", "--steps", "40", "-d", "2")
    res = actviz.train(["relu", "tanh"], steps=40, depth=2)
    same_lines(printed(res), cli.out)
    page = parse_html(res._repr_html_())
    final = res.results[0].final().mean["test_loss"]
    assert any(f"{final:.3g}" in cell for cell in page.cells)
    assert repr(res).startswith("TrainResult(moons, depth=2, width=32, steps=40: relu ")
    fig = res.figure()  # loss, dead units, gradients and two decision-region panels
    assert len(fig.axes) >= 5
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_reports_progress():
    seen: list[int] = []
    actviz.train("relu", steps=300, width=4, progress=seen.append)
    assert sum(seen) == 300


@pytest.mark.parametrize("kwargs, api_words, cli_args, cli_words", [
    (dict(depth=0), "depth must be between 1 and 50, got 0", ["--depth", "0"], "--depth must be between 1"),
    (dict(lr=-1.0), "lr must be a finite number > 0", ["--lr", "-1"], "--lr must be a finite number > 0"),
    (dict(steps=10**6, width=1024, depth=50, batch=0), "lower steps, batch, width or depth",
     ["--steps", "1000000", "-w", "1024", "-d", "50", "-b", "0"],
     "lower --steps, --batch, --width or --depth"),
    (dict(optimizer="adam", momentum=0.5), "momentum is for optimizer='sgd'",
     ["--optimizer", "adam", "--momentum", "0.5"], "--momentum is for --optimizer sgd"),
    (dict(data="spirals", classes=1), "classes must be between 2", ["--data", "spirals", "--classes", "1"],
     "--classes must be between 2"),
    (dict(test_share=1.0), "test_share must be between 0 and 1", ["--test-share", "1"],
     "--test-share must be between 0 and 1"),
    (dict(data="sine", task="binary"), "task='binary' needs class labels",
     ["--data", "sine", "--task", "binary"], "--task binary needs class labels"),
    (dict(output="softmax"), "output='softmax' is for task='multiclass'", ["--output", "softmax"],
     "--output softmax is for --task multiclass"),
    (dict(depth=2.5), "depth must be a whole number", None, None),
])
def test_train_errors_speak_the_api_terms_and_the_cli_the_options(kwargs, api_words, cli_args, cli_words):
    with pytest.raises(ValueError) as info:
        actviz.train("relu", **{"steps": 5, **kwargs})
    assert api_words in str(info.value) and "--" not in str(info.value)
    if cli_args is not None:
        steps = [] if "--steps" in cli_args else ["--steps", "5"]
        err = run_cli("train", "relu", *steps, *cli_args, expect=2).err
        assert cli_words in err and err.count("\n") == 1


# --- the other commands' library errors -------------------------------------------------------
@pytest.mark.parametrize("kwargs, api_words, cli_args, cli_words", [
    (dict(task="binary", units=3), "task='binary' has exactly 1 output unit, got units=3; for N classes use "
     "task='multiclass' units N", ["--task", "binary", "--units", "3"],
     "--task binary has exactly 1 output unit, got --units 3; for N classes use --task multiclass --units N"),
    (dict(task="multiclass", units=1), "task='multiclass' needs units ≥ 2",
     ["--task", "multiclass", "--units", "1"], "--task multiclass needs --units ≥ 2"),
    (dict(task="binary", output_range="positive"), "output_range='positive' does not apply to task='binary'",
     ["--task", "binary", "--output-range", "positive"],
     "--output-range positive does not apply to --task binary"),
    (dict(task="binary", depth=0), "depth must be a whole number of hidden layers",
     ["--task", "binary", "--depth", "0"], "--depth must be a whole number of hidden layers"),
])
def test_recommend_errors_speak_the_api_terms_and_the_cli_the_options(kwargs, api_words, cli_args, cli_words):
    with pytest.raises(ValueError) as info:
        actviz.recommend(**kwargs)
    assert api_words in str(info.value) and "--" not in str(info.value)
    err = run_cli("recommend", *cli_args, expect=2).err
    assert cli_words in err and err.count("\n") == 1


def test_option_names_follow_the_parameters():
    from actviz.cli.errors import option_name
    from actviz.core.params import ParamError, param, render

    assert option_name("output_range") == "--output-range" and option_name("x") == "--input"
    assert option_name("task", "binary") == "--task binary"
    text = f"{param('depth')} and {param('units', '3')} and {param('task', 'binary')}"
    assert render(text) == "depth and units=3 and task='binary'"
    assert ParamError(text).say(option_name) == "--depth and --units 3 and --task binary"


def test_verdict_hints_name_no_option():
    """Verdicts are part of the result (the same text in Python and in the CLI's JSON): their
    hints say what to change, not which option."""
    overflow = actviz.train("relu", init="normal:1e100", depth=4, steps=10).results[0].verdict
    assert overflow.kind == "diverged" and "smaller initial weights" in overflow.text
    too_fast = actviz.train("relu", lr=1e200, steps=10, width=4).results[0].verdict
    assert too_fast.kind == "diverged" and "try a lower learning rate" in too_fast.text
    single = actviz.flow("relu", depth=1, width=8, batch=8).verdicts[0]
    assert single.kind == "single" and "try a depth of 2 or more" in single.text
    assert "--" not in overflow.text + too_fast.text + single.text


PROBE = """
import os, sys
os.chdir(sys.argv[1])
import numpy as np
import actviz
x = np.linspace(-3, 3, 301, dtype=np.float32)
chk = actviz.check('tanh', x, np.tanh(x)); chk._repr_html_(); chk.figure()
run = actviz.train('relu', steps=5, width=4); run._repr_html_(); run.figure()
print(repr(('matplotlib.pyplot' in sys.modules, 'matplotlib' in sys.modules, os.listdir('.'))))
"""


def test_check_and_train_touch_neither_pyplot_nor_disk(tmp_path):
    import ast
    import subprocess
    import sys

    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    done = subprocess.run([sys.executable, "-c", PROBE, str(work)], capture_output=True, text=True,
                          timeout=300, env={"PATH": "", "MPLBACKEND": "Agg", "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    pyplot, matplotlib, files = ast.literal_eval(done.stdout.strip())
    assert matplotlib and not pyplot and files == []


def test_input_selection_errors_name_the_parameter(tmp_path):
    from actviz.cli.errors import cli_message
    from actviz.inputs import InputError
    from actviz.sources import open_input
    from actviz.textstream import ColumnError

    np.save(tmp_path / "one.npy", np.ones(5))
    np.savez(tmp_path / "z.npz", a=np.ones(3))
    (tmp_path / "two.csv").write_text("a,b\n1,2\n3,4\n")
    with pytest.raises(InputError) as wrong_kind:
        open_input(str(tmp_path / "one.npy"), column="1")
    with pytest.raises(InputError) as no_match:
        open_input(str(tmp_path / "z.npz"), only=["c"])
    with pytest.raises(ColumnError) as ambiguous:
        list(open_input(str(tmp_path / "two.csv")).arrays[0].read())
    assert str(wrong_kind.value) == "column applies to text and CSV input only"
    assert cli_message(wrong_kind.value) == "--column applies to text and CSV input only"
    assert str(no_match.value).startswith("only='c' matches no array")
    assert cli_message(no_match.value).startswith("--only c matches no array")
    assert "choose one with column NAME|INDEX" in str(ambiguous.value)
    assert "choose one with --column NAME|INDEX" in cli_message(ambiguous.value)


def test_a_league_skips_frameworks_without_the_function_and_the_cli_notes_them(monkeypatch):
    """``framework_run="all"``: a framework without the activation is left out and named in
    ``skipped``; the CLI prints it as a note on stderr (not in the JSON)."""
    from actviz.check import frameworks

    x = np.linspace(-2, 2, 41, dtype=np.float32)
    real = actviz.check("tanh", x, np.tanh(x), implementation="fake 1.0: np.tanh").results[0]

    class Has:
        preset = "tensorflow"

        def check(self, act, fmt, inputs, limit):
            return real

    class HasNot(Has):
        def check(self, act, fmt, inputs, limit):
            raise frameworks.Unsupported("other has no tanh")

    monkeypatch.setattr(frameworks, "select", lambda name: [HasNot(), Has()])
    rep = actviz.check("tanh", framework_run="all")
    assert rep.league and rep.skipped == ("other has no tanh",) and rep.results == (real,)
    assert rep.to_dict() == [real.to_dict()]
    cli = run_cli("check", "tanh", "--framework-run", "all", "-f", "json")
    assert cli.json == rep.to_dict() and cli.err == "note: other has no tanh\n"
