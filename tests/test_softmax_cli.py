"""``actviz softmax`` end to end: arguments, stdin, files, batches, formats, charts, bad input.

Truth comes from mpmath (tests.test_softmax_numerics.mp_softmax) or from reasoning stated next to
each check, never from earlier output of this command.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction

import numpy as np
import pytest

from actviz.cli import cmd_softmax
from actviz.core.vector import softmax_and_log
from tests.conftest import run_cli
from tests.tabletext import numbers, read
from tests.test_softmax_numerics import MAX_ULP, SEED_SCORES, mp_softmax, ulp_error


def invoke(*args: str, input: str | None = None, columns: int = 200):
    """``actviz softmax ARGS`` through the shared runner; the colour rules as a user has them
    (NO_COLOR unset), the exit code left to the test."""
    return run_cli("softmax", *args, input=input, env={"NO_COLOR": None}, columns=columns, expect=None)


def strict_json(text: str):
    """Parse JSON, refusing the non-standard NaN/Infinity tokens."""

    def refuse(token):
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def json_of(*args: str, input: str | None = None):
    result = invoke("-f", "json", *args, input=input)
    assert result.exit_code == 0, result.stderr
    return strict_json(result.stdout)


def assert_matches_mpmath(record: dict) -> None:
    want_p, want_lp = mp_softmax(record["logits"], record["temperature"])
    for got, want in zip(record["probabilities"], want_p, strict=True):
        assert ulp_error(got, want) <= MAX_ULP
    for got, want in zip(record["log_probabilities"], want_lp, strict=True):
        assert ulp_error(got, want) <= MAX_ULP


def assert_one_error_line(result, code: int, *needles: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]


# --- the seed's example and exactness ------------------------------------------------------------


def test_seed_scores_json():
    rec = json_of(*map(str, SEED_SCORES))
    assert set(rec) == {"logits", "temperature", "probabilities", "log_probabilities", "argmax"}
    assert rec["logits"] == SEED_SCORES and rec["temperature"] == 1.0
    assert rec["argmax"] == 8  # 3.75 is the largest score
    assert_matches_mpmath(rec)


def test_json_floats_round_trip_to_the_core_values():
    logits = [0.0, -40.0, 3.3, 1e-7]
    rec = json_of(*map(str, logits))
    p, lp = softmax_and_log(np.array(logits))
    assert rec["probabilities"] == p.tolist()  # identical floats, not just close
    assert rec["log_probabilities"] == lp.tolist()


def test_tiny_log_probability_survives_in_json():
    rec = json_of("0", "-40")
    # log(1/(1+e^-40)) = -log1p(e^-40) ≈ -4.248e-18; a naive z - logsumexp(z) gives 0
    assert rec["log_probabilities"][0] != 0.0
    assert_matches_mpmath(rec)


@pytest.mark.parametrize(
    "logits", [["1000", "1001", "1002"], ["-1000", "0"], ["0", "745"], ["-1e300", "1e300", "0"]]
)
def test_large_logits_are_exact(logits):
    rec = json_of(*logits)
    assert all(isinstance(v, float) for v in rec["probabilities"])  # no NaN, no "Infinity" strings
    assert_matches_mpmath(rec)


def test_underflowed_probability_keeps_its_log_probability():
    rec = json_of("-1000", "0")
    assert rec["probabilities"] == [0.0, 1.0]  # e^-1000 is far below the smallest subnormal
    assert rec["log_probabilities"][0] == -1000.0


def test_table_shows_enough_digits_to_tell_near_one_from_one():
    # softmax([12, 0])[0] = 1/(1+e^-12) ≈ 0.9999939, which a 6-digit format would print as 1.
    result = invoke("12", "0")
    assert result.exit_code == 0
    p = softmax_and_log(np.array([12.0, 0.0]))[0]
    shown = numbers(result.stdout)
    assert float(p[0]) in shown and float(p[1]) in shown
    assert "6.144174602214718e−6" in result.stdout  # U+2212 minus, exponent without leading 0
    assert "sum" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes off a terminal


def test_table_marks_argmax_and_shows_the_sum():
    result = invoke(*map(str, SEED_SCORES))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    marked = [line for line in lines if "▶" in line]
    assert len(marked) == 1 and " 3.75 " in marked[0]
    p = softmax_and_log(np.array(SEED_SCORES))[0]
    exact = float(sum(Fraction(float(v)) for v in p) - 1)  # the float64 probabilities' exact sum − 1
    assert exact != 0 and abs(exact) <= 4 * 2.0**-53
    sum_line = next(line for line in lines if line.strip().startswith("sum"))
    assert "0.9999" not in sum_line  # the old bare 0.9999999999999999
    word, one, sign, size = sum_line.split()
    assert (word, one, sign) == ("sum", "1", "−" if exact < 0 else "+")
    assert read(size) == float(f"{abs(exact):.2g}")  # the exact error, to 2 significant digits
    assert "float64" in result.stdout.split(sum_line)[1]  # the note under the table says why


# --- negative numbers and options ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "logits"),
    [
        (["-1", "-2.5", "3"], [-1.0, -2.5, 3.0]),
        (["--", "-1", "2"], [-1.0, 2.0]),
        (["-.5", "-1e3", "0"], [-0.5, -1000.0, 0.0]),
        (["-1,-2", "3"], [-1.0, -2.0, 3.0]),
        (["−2", "1"], [-2.0, 1.0]),  # a Unicode minus, as pasted from a document
    ],
)
def test_negative_logits_are_plain_arguments(args, logits):
    rec = json_of(*args)
    assert rec["logits"] == logits
    assert_matches_mpmath(rec)


def test_options_between_negative_logits():
    result = invoke("-1", "--temperature", "2", "-2.5", "-f", "json", "3")
    assert result.exit_code == 0, result.stderr
    rec = strict_json(result.stdout)
    assert rec["logits"] == [-1.0, -2.5, 3.0] and rec["temperature"] == 2.0
    assert_matches_mpmath(rec)


def test_short_option_with_attached_value():
    rec = json_of("3", "1", "2", "-k2")
    assert rec["ranking"] == [0, 2]  # 3 > 2 > 1
    assert json_of("3", "1", "2", "--sort", "-k", "2")["ranking"] == [0, 2]


def test_negative_infinity_argument_is_a_masked_class():
    rec = json_of("-inf", "0", "1")
    assert rec["probabilities"][0] == 0.0 and rec["log_probabilities"][0] == "-Infinity"
    want_p, _ = mp_softmax([0.0, 1.0])
    for got, want in zip(rec["probabilities"][1:], want_p, strict=True):
        assert ulp_error(got, want) <= MAX_ULP


def test_help_has_examples_and_non_finite_rules():
    result = run_cli("softmax", "--help")
    assert result.exit_code == 0
    for needle in ("actviz softmax -1 -2.5 3", "--temperature", "+inf", "-inf", "NaN", "--plot"):
        assert needle in result.stdout


# --- stdin, files, batches ------------------------------------------------------------------------


def test_stdin_pipe_without_arguments():
    rec = json_of(input="1 2 3\n")
    assert rec["logits"] == [1.0, 2.0, 3.0]
    assert_matches_mpmath(rec)


def test_stdin_dash_and_input_dash():
    assert json_of("-", input="0.5\n-1\n")["logits"] == [0.5, -1.0]
    assert json_of("--input", "-", input="4,5")["logits"] == [4.0, 5.0]


def test_no_logits_without_a_pipe_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(cmd_softmax, "_stdin_is_tty", lambda: True)
    assert_one_error_line(invoke(), 2, "no logits")


def test_empty_pipe_is_a_usage_error():
    assert_one_error_line(invoke(input=""), 2, "stdin is empty")


def test_npy_file(tmp_path):
    path = tmp_path / "z.npy"
    np.save(path, np.array([0.2, 1.3, 3.75]))
    rec = json_of("--input", str(path))
    assert rec["logits"] == [0.2, 1.3, 3.75] and rec["argmax"] == 2
    assert_matches_mpmath(rec)


def test_npy_float32_batch(tmp_path):
    z = np.array([[1.0, 2.0, 3.0], [0.1, -0.2, 0.3]], dtype=np.float32)
    path = tmp_path / "batch.npy"
    np.save(path, z)
    recs = json_of("-i", str(path))
    assert isinstance(recs, list) and len(recs) == 2
    for rec, row in zip(recs, z, strict=True):
        assert rec["logits"] == [float(v) for v in row]  # the exact float32 values, computed in float64
        assert_matches_mpmath(rec)
    assert [rec["argmax"] for rec in recs] == [2, 2]


def test_csv_batch_to_csv(tmp_path):
    path = tmp_path / "logits.csv"
    path.write_text("# two rows\n1,2,3\n-1000,0,-inf\n")
    result = invoke("--input", str(path), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["row", "index", "logit", "probability", "log_probability", "is_argmax"]
    assert [(r["row"], r["index"]) for r in rows] == [(str(r), str(i)) for r in range(2) for i in range(3)]
    want_p, want_lp = mp_softmax([1.0, 2.0, 3.0])
    for r, wp, wl in zip(rows[:3], want_p, want_lp, strict=True):
        assert ulp_error(float(r["probability"]), wp) <= MAX_ULP
        assert ulp_error(float(r["log_probability"]), wl) <= MAX_ULP
    assert float(rows[3]["probability"]) == 0.0 and float(rows[4]["probability"]) == 1.0
    assert float(rows[5]["log_probability"]) == -math.inf
    assert [r["is_argmax"] for r in rows] == ["0", "0", "1", "0", "1", "0"]


def test_txt_file_and_batch_tables(tmp_path):
    path = tmp_path / "z.txt"
    path.write_text("1 2\n3 1\n")
    result = invoke("-i", str(path))
    assert result.exit_code == 0
    assert "row 0" in result.stdout and "row 1" in result.stdout
    assert result.stdout.count("▶") == 2


def test_long_batch_tables_are_capped_with_a_note(tmp_path):
    path = tmp_path / "z.txt"
    path.write_text("1 2\n" * 60)
    result = invoke("-i", str(path))
    assert result.exit_code == 0
    assert "first 50 of 60 rows" in result.stderr
    assert "row 49:" in result.stdout and "row 50:" not in result.stdout
    assert len(json_of("-i", str(path))) == 60


def test_batch_with_labels_and_top(tmp_path):
    path = tmp_path / "z.csv"
    path.write_text("1,5,3\n9,0,1\n")
    result = invoke("-i", str(path), "--labels", "cat,dog,bird", "--top", "2", "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["row"], r["label"]) for r in rows] == [
        ("0", "dog"),
        ("0", "bird"),
        ("1", "cat"),
        ("1", "bird"),
    ]


# --- options -------------------------------------------------------------------------------------


@pytest.mark.parametrize("t", ["0.5", "3", "1e-2", "250"])
def test_temperature(t):
    rec = json_of("1", "2", "3", "--temperature", t)
    assert rec["temperature"] == float(t)
    assert_matches_mpmath(rec)


def test_labels_in_json_and_table():
    rec = json_of("2.1", "0.3", "-1", "--labels", "cat, dog,bird")
    assert rec["labels"] == ["cat", "dog", "bird"] and rec["argmax"] == 0
    table = invoke("2.1", "0.3", "-1", "--labels", "cat,dog,bird").stdout
    assert "▶ cat" in table and "dog" in table


def test_sort_and_top():
    args = ["0.1", "2", "-3", "1"]
    rec = json_of(*args, "--sort")
    assert rec["ranking"] == [1, 3, 0, 2]  # logits 2 > 1 > 0.1 > -3
    assert rec["logits"] == [0.1, 2.0, -3.0, 1.0]  # arrays stay in input order
    rec = json_of(*args, "--top", "2")
    assert rec["ranking"] == [1, 3]
    table = invoke(*args, "--top", "2").stdout
    assert "2 most probable" in table
    p = softmax_and_log(np.array([0.1, 2.0, -3.0, 1.0]))[0]
    rest_line = next(line for line in table.splitlines() if line.strip().startswith("rest"))
    assert repr(math.fsum([p[0], p[2]])) in rest_line
    assert json_of(*args, "--top", "10")["ranking"] == [1, 3, 0, 2]


def test_long_inputs_are_capped_in_tables_with_a_note_but_not_in_json():
    logits = [str(i / 8) for i in range(300)]
    result = invoke(*logits)
    assert result.exit_code == 0
    assert "200 most probable of 300" in result.stderr
    assert "▶ 299" in result.stdout and " 100 " in result.stdout and " 99 " not in result.stdout
    assert any(line.strip().startswith("rest") for line in result.stdout.splitlines())
    rec = json_of(*logits)
    assert len(rec["probabilities"]) == 300 and "ranking" not in rec


def test_single_logit_is_one_with_a_note():
    result = invoke("4.2", "-f", "json")
    assert result.exit_code == 0
    rec = strict_json(result.stdout)
    assert rec["probabilities"] == [1.0] and rec["log_probabilities"] == [0.0]
    assert "sigmoid" in result.stderr and "always 1" in result.stderr


def test_positive_infinity_shares_probability_with_a_note():
    result = invoke("inf", "2", "inf", "-f", "json")
    assert result.exit_code == 0
    rec = strict_json(result.stdout)
    assert rec["probabilities"] == [0.5, 0.0, 0.5]  # the limit as both grow together
    assert rec["log_probabilities"][1] == "-Infinity"
    assert "+inf" in result.stderr


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (["abc"], 2, ["'abc'", "not a number"]),
        (["1,2x"], 2, ["'2x'", "'1,2x'"]),
        (["1", "nan", "2"], 2, ["NaN"]),
        (["-inf", "-inf"], 2, ["-inf", "undefined"]),
        (["1", "2", "--temperature", "0"], 2, ["temperature", "> 0"]),
        (["1", "2", "--temperature", "-0.5"], 2, ["temperature"]),
        (["1", "2", "--temperature", "inf"], 2, ["temperature"]),
        (["1", "2", "--temperature", "hot"], 2, ["'hot'"]),
        (["1", "2", "--labels", "a,b,c"], 2, ["3 labels", "2 logits"]),
        (["1", "2", "--labels", "a,,b"], 2, ["empty label"]),
        (["1", "2", "--top", "0"], 2, ["--top"]),
        (["1", "-", "2"], 2, ["'-'"]),
        (["1", "--input", "x.npy"], 2, ["not both"]),
        (["1", "--plot", "out.jpg"], 2, [".png", ".svg", ".pdf"]),
        (["1", "--bogus"], 2, ["--bogus"]),
        (["1", "2", "-f"], 2, ["'-f' needs a value"]),
        (["1", "2", "--temperature"], 2, ["'--temperature' needs a value"]),
        (["--input", "missing.npy"], 1, ["missing.npy"]),
    ],
)
def test_bad_input_is_one_error_line(args, code, needles, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_one_error_line(invoke(*args), code, *needles)
    assert os.listdir(tmp_path) == []  # nothing written


def test_bad_stdin_and_bad_files(tmp_path):
    assert_one_error_line(invoke(input="1 2\nx 3\n"), 1, "line 2", "'x'")
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n3,nan\n")
    assert_one_error_line(invoke("-i", str(bad)), 1, "row 1", "NaN")
    cube = tmp_path / "cube.npy"
    np.save(cube, np.zeros((2, 2, 2)))
    assert_one_error_line(invoke("-i", str(cube)), 1, "(2, 2, 2)")


# --- charts --------------------------------------------------------------------------------------


def test_plot_png_is_a_real_image(tmp_path):
    from matplotlib.image import imread

    out = tmp_path / "p.png"
    result = invoke(*map(str, SEED_SCORES), "--plot", str(out), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert strict_json(result.stdout)["argmax"] == 8  # the normal output still comes
    image = imread(out)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert f"Wrote {out}" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["p.png"]  # no temporary file left behind


@pytest.mark.parametrize("ext", ["svg", "pdf"])
def test_plot_is_deterministic(tmp_path, ext):
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    for path in (a, b):
        assert invoke("1", "2", "3", "--labels", "x,y,z", "--plot", str(path)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    data = a.read_bytes()
    if ext == "svg":
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        assert b"<dc:date>" not in data
    else:
        assert data.startswith(b"%PDF") and b"/CreationDate" not in data


def test_plot_batch_and_missing_folder(tmp_path):
    path = tmp_path / "z.txt"
    path.write_text("1 2 3\n3 2 1\n")
    assert invoke("-i", str(path), "--plot", str(tmp_path / "b.svg")).exit_code == 0
    assert ET.parse(tmp_path / "b.svg").getroot().tag.endswith("svg")
    assert_one_error_line(invoke("1", "2", "--plot", str(tmp_path / "no" / "x.png")), 1, "does not exist")
    path.write_text("1 2\n" * 13)
    assert_one_error_line(invoke("-i", str(path), "--plot", str(tmp_path / "c.png")), 2, "at most 12")


def test_failed_plot_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    out = tmp_path / "keep.png"
    out.write_bytes(b"old")

    def boom(self, fname, **kwargs):
        fname.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", boom)
    assert_one_error_line(invoke("1", "2", "--plot", str(out)), 1, "keep.png", "No space left")
    assert out.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["keep.png"]


# --- the real process ----------------------------------------------------------------------------


def _actviz(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "actviz", "softmax", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_process_negative_arguments_and_pipe():
    proc = _actviz("-1", "-2.5", "3", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert strict_json(proc.stdout)["logits"] == [-1.0, -2.5, 3.0]
    proc = _actviz("-f", "csv", stdin="1 2 3\n")
    assert proc.returncode == 0 and proc.stdout.startswith("index,logit,probability")


def test_process_error_is_one_line():
    proc = _actviz("1", "abc")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == ["Error: logit 'abc' is not a number"]


def test_table_path_does_not_import_matplotlib_or_scipy():
    code = (
        "import sys; from actviz.cli.errors import run; from actviz.cli.main import cli; "
        "rc = run(cli, ['softmax', '1', '2']); "
        "bad = [m for m in ('matplotlib', 'scipy') if m in sys.modules]; "
        "sys.exit(rc or (3 if bad else 0))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("argv", [["softmax", "0", "1", "--plot", "-"],
                                  ["flow", "relu", "--depth", "2", "--plot", "-"]])
def test_plot_to_stdout_is_a_usage_error_where_stdout_carries_the_table(argv, actviz_cli):
    result = actviz_cli(*argv, expect=2)
    assert result.err.startswith("Error: --plot needs a file name")
    assert result.out == ""


# --- narrow terminals: a number is never wrapped or cut ------------------------------------------


@pytest.mark.parametrize("columns", [40, 60, 80])
@pytest.mark.parametrize("stdin", ["1 2 3e-5 -1000\n", "0.1 -7.25 1e-300\n33 -2 5\n"])
def test_narrow_columns_keep_every_number_whole(stdin: str, columns: int) -> None:
    doc = json_of(input=stdin)
    records = doc if isinstance(doc, list) else [doc]
    table = invoke(input=stdin, columns=columns)
    assert table.exit_code == 0, table.stderr
    assert max(len(line.rstrip()) for line in table.stdout.splitlines()) <= columns, table.stdout
    shown = set(numbers(table.stdout))
    want = [v for r in records for k in ("logits", "probabilities", "log_probabilities") for v in r[k]]
    assert all(v in shown for v in want), (sorted(set(want) - shown), table.stdout)
