"""``actviz train`` on the command line: formats, determinism, errors, the plot, the progress bar.

The numbers themselves are tested on the result objects in ``test_train.py``; here the command
must parse, render and fail the way the project's rules say.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_cli_behaviour import in_terminal, invoke, one_error_line
from tests.test_startup import loaded

QUICK = ["--steps", "60", "--width", "8"]


def ok(args: list[str], stdin: str = "") -> str:
    code, out, err = invoke(args, stdin=stdin, env={"COLUMNS": "100"})
    assert code == 0, err
    assert "Traceback" not in err
    return out


def strict_json(text: str):
    def refuse(token: str):
        raise ValueError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def test_table_shows_every_activation_and_its_verdict() -> None:
    out = " ".join(ok(["train", "sigmoid", "relu", *QUICK]).split())
    assert "moons: binary, 300 training and 100 test points" in out
    assert "output sigmoid with binary cross-entropy (as recommend advises)" in out
    assert " sigmoid: " in out and " relu: " in out
    assert "loss @0" in out and "@60" in out


def test_json_is_strict_and_holds_the_curves() -> None:
    doc = strict_json(ok(["train", "tanh", "leaky_relu:alpha=0.1", "--seeds", "2", "-f", "json", *QUICK]))
    assert doc["config"]["seeds"] == 2 and doc["config"]["steps"] == 60
    assert doc["output"] == {"activation": "sigmoid", "recommended": "sigmoid",
                             "loss": "binary cross-entropy", "units": 1}
    first, second = doc["results"]
    assert first["function"] == "tanh" and second["spec"] == "leaky_relu:alpha=0.1"
    assert [p["step"] for p in first["curve"]] == list(range(0, 61, 2))
    point = first["curve"][-1]
    assert point["seeds"] == 2 and len(point["dead"]) == 3 and len(point["grad_norm"]) == 4
    assert point["train_loss"] == pytest.approx(np.mean([r["train_loss"] for r in first["runs"]]))
    assert first["verdict"] and first["verdict_kind"] in ("learned", "slow", "stalled")


def test_csv_has_one_row_per_step_and_activation() -> None:
    rows = list(csv.DictReader(io.StringIO(ok(["train", "relu", "tanh", "-f", "csv", "-d", "2", *QUICK]))))
    assert len(rows) == 2 * 31
    assert list(rows[0]) == ["function", "spec", "step", "seeds", "train_loss", "train_loss_std", "test_loss",
                             "test_loss_std", "train_acc", "train_acc_std", "test_acc", "test_acc_std",
                             "dead_1", "dead_2", "grad_1", "grad_2", "grad_out"]
    assert {r["function"] for r in rows} == {"relu", "tanh"}
    assert all(float(r["train_loss"]) > 0 for r in rows)


def test_regression_has_no_accuracy_and_names_the_advised_output() -> None:
    out = " ".join(ok(["train", "relu", "--data", "sine", "--output", "sigmoid", *QUICK]).split())
    assert "output sigmoid with mean squared error (recommend advises identity)" in out
    rows = list(csv.DictReader(io.StringIO(ok(["train", "relu", "--data", "sine", "-f", "csv", *QUICK]))))
    assert rows[0]["test_acc"] == ""


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_same_arguments_same_bytes(fmt: str) -> None:
    args = ["train", "relu", "tanh", "--data", "blobs", "-f", fmt, *QUICK]
    assert ok(args) == ok(args)


def test_same_plot_same_bytes_and_regions_show_both_classes(tmp_path: Path, monkeypatch) -> None:
    import matplotlib.image

    monkeypatch.chdir(tmp_path)
    args = ["train", "relu", "tanh", "--steps", "300", "--plot"]
    ok([*args, "a.png"])
    ok([*args, "b.png"])
    assert Path("a.png").read_bytes() == Path("b.png").read_bytes()
    img = matplotlib.image.imread("a.png")[..., :3]
    height = img.shape[0]
    bottom = img[height // 2 + 40:]  # the decision-region panels
    red = (bottom[..., 0] > 0.45) & (bottom[..., 2] < 0.4)
    blue = (bottom[..., 2] > 0.45) & (bottom[..., 0] < 0.4)
    assert red.mean() > 0.1 and blue.mean() > 0.1  # both moons got a region
    top = img[: height // 2]
    assert (np.abs(top - 1.0).sum(axis=-1) > 0.3).mean() > 0.02  # the curves are drawn


def test_one_dimensional_data_plot_the_fit(tmp_path: Path) -> None:
    out = tmp_path / "fit.svg"
    ok(["train", "relu", "--data", "sine", "--plot", str(out), *QUICK])
    assert out.read_bytes().startswith(b"<?xml")


def test_csv_from_stdin_and_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1.0, (80, 3))
    lines = ["f1,f2,f3,kind"] + [f"{a},{b},{c},{'cat' if a + b > 0 else 'dog'}" for a, b, c in x]
    text = "\n".join(lines) + "\n"
    args = ["train", "tanh", "--label", "kind", "-f", "json", *QUICK]
    doc = strict_json(ok([*args, "--data", "-"], stdin=text))
    assert doc["data"]["classes"] == ["cat", "dog"] and doc["data"]["features"] == ["f1", "f2", "f3"]
    assert doc["data"]["train"] == 60 and doc["data"]["test"] == 20
    path = tmp_path / "pets.csv"
    path.write_text(text, encoding="utf-8")
    assert strict_json(ok([*args, "--data", str(path)]))["results"] == doc["results"]


@pytest.mark.parametrize("args, code, message", [
    (["--data", "moon"], 2, "unknown data set 'moon'"),
    (["--data", "spirals", "--classes", "1"], 2, "--classes must be between 2"),
    (["--data", "moons", "--classes", "3"], 2, "--classes applies to spirals and blobs only"),
    (["--lr", "0"], 2, "--lr must be a finite number > 0"),
    (["--lr", "fast"], 2, "'fast' is not a number"),
    (["--depth", "0"], 2, "--depth must be between 1"),
    (["--output", "softmax"], 2, "--output softmax is for --task multiclass"),
    (["--data", "blobs", "--output", "sigmoid"], 2, "needs softmax at the output"),
    (["--output", "relux"], 2, "unknown activation 'relux'"),
    (["--data", "sine", "--task", "binary"], 2, "needs class labels"),
    (["--init", "uniform"], 2, "unknown init"),
    (["--plot", "-"], 2, "--plot needs a file name"),
    (["--plot", "out.gif"], 2, "cannot tell the format"),
    (["--test-share", "1"], 2, "--test-share must be between 0 and 1"),
    (["--optimizer", "adam", "--momentum", "0.5"], 2, "--momentum is for --optimizer sgd"),
    (["--data", "x.csv", "--points", "50"], 2, "--points is for the built-in data sets"),
    (["--data", "missing.csv"], 1, "cannot read 'missing.csv': no such file"),
    (["--data", "sine", "--lr", "20"], 1, "every run diverged"),
])
def test_bad_input_is_one_line_with_the_right_exit_code(args: list[str], code: int, message: str,
                                                         tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    got, _, err = invoke(["train", "relu", *args, *QUICK])
    assert got == code, err
    assert message in one_error_line(err)
    assert not any(tmp_path.iterdir())


def test_a_csv_without_a_label_column_is_a_runtime_error(tmp_path: Path) -> None:
    path = tmp_path / "nolabel.csv"
    path.write_text("a,b\n1,2\n3,4\n5,6\n7,8\n", encoding="utf-8")
    code, _, err = invoke(["train", "--data", str(path), *QUICK])
    assert code == 1
    assert "no label column: name one with --label" in one_error_line(err)


def test_partial_divergence_is_a_verdict_not_an_error() -> None:
    code, out, err = invoke(["train", "relu", "leaky_relu", "--lr", "0.3", "--steps", "300"],
                            env={"COLUMNS": "100"})
    assert code == 0, err
    assert "diverged at step" in out


def test_table_command_does_not_import_matplotlib(tmp_path: Path) -> None:
    mods, stdout = loaded(["train", "relu", *QUICK], tmp_path)
    assert "relu:" in stdout
    assert "matplotlib" not in mods and "scipy" not in mods


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs() -> None:
    # About 2 s on an idle machine (training alone about 1.5 s: past the 1 s the bar waits for).
    args = ["train", "tanh", "--steps", "20000", "--width", "64", "-f", "json"]
    code, _, err = invoke(args)
    assert code == 0 and err == ""  # not a terminal: no bar
    long = in_terminal(args)
    assert "━" in long  # rich's bar, drawn on the terminal's stderr
    short = in_terminal(["train", "relu", "--steps", "20", "-f", "json"])
    assert "━" not in short


def test_one_feature_multiclass_csv_plots_the_most_likely_class(tmp_path: Path) -> None:
    x = np.random.default_rng(2).uniform(-3.0, 3.0, 90)
    path = tmp_path / "bands.csv"
    path.write_text("x,label\n" + "".join(f"{v},{int((v + 3) // 2)}\n" for v in x), encoding="utf-8")
    doc = strict_json(ok(["train", "relu", "--data", str(path), "--plot", str(tmp_path / "b.png"),
                          "-f", "json", *QUICK]))
    assert doc["data"]["task"] == "multiclass" and doc["output"]["units"] == 3
    assert (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")


def test_overflow_at_initialisation_is_diverged_at_step_0_and_still_plots(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    code, text, err = invoke(["train", "exponential", "tanh", "--depth", "12", "--seeds", "2", "--plot",
                              str(out), *QUICK], env={"COLUMNS": "100"})
    assert code == 0, err
    flat = " ".join(text.split())
    assert ("exponential: diverged at step 0 in every seed: the untrained network's output is not "
            "finite") in flat
    assert out.read_bytes().startswith(b"\x89PNG")
    out.unlink()
    code, text, err = invoke(["train", "exponential", "--depth", "12", "--plot", str(out), *QUICK])
    assert code == 1 and "use fewer layers" in one_error_line(err)
    assert text == "" and not out.exists()  # the error is the whole answer


def test_the_command_knows_every_built_in_data_set() -> None:
    from actviz.cli.cmd_train import DATA_NAMES
    from actviz.train.data import BUILTINS

    assert DATA_NAMES == tuple(BUILTINS)  # the command keeps its own copy so --help needs no NumPy


# --- fuzz: any mix of good and bad options ends in 0, 1 or 2 with at most one Error line ----------
_TRAIN_OPTIONS = {
    "--data": ["moons", "circles", "spirals", "xor", "blobs", "sine", "good.csv", "nolabel.csv", "-",
               "missing.csv", "folder", "moon", ""],
    "--points": ["4", "30", "3", "0", "x", "100001"],
    "--classes": ["2", "3", "1", "21", "x"],
    "--label": ["label", "kind", ""],
    "--task": ["binary", "multiclass", "regression", "ranking"],
    "--output": ["sigmoid", "identity", "softmax", "tanh", "relux", ""],
    "--test-share": ["0.25", "0.5", "0", "1", "nan", "x"],
    "--depth": ["1", "2", "0", "51", "x"],
    "--width": ["1", "4", "0", "1025"],
    "--lr": ["0.02", "1", "100", "0", "-1", "nan", "inf", "x"],
    "--optimizer": ["sgd", "adam", "rmsprop"],
    "--momentum": ["0", "0.5", "1", "-0.1", "nan"],
    "--batch": ["0", "1", "8", "-1"],
    "--init": ["he", "glorot", "normal:0.1", "normal:1e300", "uniform"],
    "--seed": ["0", "7", "-1"],
    "--seeds": ["1", "2", "0", "51"],
    "--framework": ["pytorch", "jax", "caffe"],
    "-f": ["table", "json", "csv", "xml"],
    "--plot": ["p.png", "p.svg", "p.gif", "-", "folder", "nodir/p.png"],
}


def _fuzz_inputs(folder: Path) -> None:
    rows = "".join(f"{i % 7},{(i * 3) % 5},{i % 2}\n" for i in range(40))
    (folder / "good.csv").write_text("a,b,label\n" + rows, encoding="utf-8")
    (folder / "nolabel.csv").write_text("a,b\n1,2\n3,4\n5,6\n7,8\n", encoding="utf-8")
    (folder / "folder").mkdir()


@settings(max_examples=int(os.environ.get("ACTVIZ_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(["relu", "tanh", "sigmoid", "exponential", "leaky_relu:alpha=0.1",
                                       "relux", "gelu:approximate=maybe"]), max_size=2),
       options=st.dictionaries(st.sampled_from(sorted(_TRAIN_OPTIONS)), st.integers(0, 20), max_size=5),
       stdin=st.sampled_from(["", "a,label\n1,0\n2,1\n3,0\n4,1\n", "junk"]))
def test_fuzz_train(names: list[str], options: dict[str, int], stdin: str, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    _fuzz_inputs(folder)
    args = ["train", *names, "--steps", "15", "-w", "4"]
    for flag, pick in options.items():
        values = _TRAIN_OPTIONS[flag]
        args += [flag, values[pick % len(values)]]
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        code, out, err = invoke(args, stdin=stdin)
    finally:
        os.chdir(cwd)
    assert code in (0, 1, 2), (args, code, err)
    assert "Traceback" not in out + err and "internal error" not in err, (args, err)
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == (0 if code == 0 else 1), (args, err)
    if code != 0:
        assert not any(p.name.startswith("p.") for p in folder.iterdir()), (args, err)
