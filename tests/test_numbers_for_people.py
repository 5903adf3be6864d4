"""Numbers for people (#17, #18): one set of number-to-text rules in every table.

The rules (``actviz/core/numtext.py``): every digit a float64 needs (shortest round-trip text) or
at most ``--digits N`` significant digits; one minus sign (U+2212) and one infinity style (∞, −∞)
in tables, ASCII ``repr`` in JSON and CSV. Numbers are read back from the tables with
:mod:`tests.tabletext` (Python's ``float``, not our formatter) and compared with the JSON of
the same command.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actviz.core.numtext import count, number, percent, roundtrip
from tests.conftest import run_cli
from tests.tabletext import NUMBER, exact, numbers, read, significant_digits

finite = st.floats(allow_nan=False, allow_infinity=False)


# --- the rules themselves ------------------------------------------------------------------------


@settings(max_examples=2000, deadline=None)
@given(finite)
def test_full_text_reads_back_as_the_same_float(v: float) -> None:
    text = number(v)
    assert "-" not in text and "+" not in text  # one minus sign, no '+' in exponents
    assert NUMBER.fullmatch(text), text  # one number as tables write them
    back = read(text)
    assert back == v and math.copysign(1, back) == math.copysign(1, v)
    assert len(text) <= len(repr(v))  # never longer than Python's shortest repr


@settings(max_examples=2000, deadline=None)
@given(finite, st.integers(1, 17))
def test_digits_round_to_nearest_with_at_most_n_significant(v: float, n: int) -> None:
    text = number(v, n)
    assert significant_digits(text) <= n, text
    # the decimal a person reads is v rounded to n significant digits, or v itself when it
    # already has n or fewer: within half a unit of the n-th digit of v
    shown = exact(text)
    if read(text) == v:  # v itself: it already reads back in n digits or fewer
        return
    if v != 0:
        unit = Fraction(10) ** (math.floor(math.log10(abs(v))) - n + 1)
        assert abs(shown - Fraction(v)) <= unit / 2, text
    else:
        assert shown == 0


def test_special_values_and_examples() -> None:
    assert [number(x) for x in (math.inf, -math.inf, math.nan)] == ["∞", "−∞", "NaN"]
    assert number(-6.0) == "−6" and number(1e-300) == "1e−300" and number(1e22) == "1e22"
    assert number(0.1) == "0.1" and number(0.1, 17) == "0.1"  # 17 digits: the shortest text
    assert number(0.009951801866904324, 4) == "0.009952" and number(0.25, 4) == "0.25"
    assert number(-0.0) == "−0"  # the sign of zero is part of the float
    assert roundtrip(-4.6) == "-4.6"  # JSON/CSV: ASCII repr
    assert count(1234567) == "1,234,567"
    assert percent(0.1234) == "12.34%" and percent(0.0) == "0.00%"
    assert percent(1.2e-6) == "0.00012%"  # never a misleading 0.00% for a nonzero share
    assert percent(0.99999999) == ">99.99%"  # and never 100.00% below 1


# --- derive and info agree -----------------------------------------------------------------------


def _block(out: str, title: str) -> str:
    """The lines of the table whose title starts with ``title`` (up to its bottom edge)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(title.lower()))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return "\n".join(lines[start + 1:end])


def _ends(block: str) -> set[str]:
    """The texts in the first two cells (from, to) of each row of a saturation table."""
    return {c.strip() for line in block.splitlines() if line.startswith("│") for c in line.split("│")[1:3]}


@pytest.mark.parametrize("spec", ["sigmoid", "tanh", "elu", "gelu:approximate=true"])
def test_info_and_derive_show_the_same_saturation_bounds(spec: str) -> None:
    derive = run_cli("derive", spec, "--at", "1").out
    info = run_cli("info", spec).out
    tokens = _ends(_block(derive, "Saturation"))
    assert tokens, derive
    info_tokens = _ends(_block(info, "saturation"))
    assert tokens == info_tokens  # the same text, digit for digit
    doc = run_cli("info", spec, "-f", "json").json
    ends = {v for r in doc["saturation"]["regions"] for v in (r["start"], r["end"]) if v is not None}
    assert ends and ends == {read(t) for t in tokens if "∞" not in t}  # every digit: the exact float


def test_info_shows_kink_values_and_parameters_in_full() -> None:
    doc = run_cli("info", "selu", "-f", "json").json
    out = run_cli("info", "selu").out
    kink = doc["kinks"][0]
    shown = set(numbers(out))
    assert kink["left"] in shown and kink["right"] in shown
    assert number(kink["left"]) in out  # 1.7580993408473768, not 1.758099341
    leaky = run_cli("info", "leaky_relu:alpha=0.123456789").out
    assert "0.123456789" in leaky  # a parameter as typed, not 0.123457


# --- --digits ------------------------------------------------------------------------------------


def _check_rounded(table: str, values: list[float], n: int) -> None:
    shown = NUMBER.findall(table)
    got = {read(t) for t in shown}
    for v in values:
        assert float(f"{v:.{n}g}") in got or v in got, (v, table)
    assert all(significant_digits(t) <= n for t in shown if "∞" not in t), table


@pytest.mark.parametrize("n", [1, 3, 6])
def test_derive_digits_rounds_the_table_only(n: int) -> None:
    args = ["derive", "sigmoid", "--at", "4.6", "-1.25", "1e-300", "--order", "2"]
    doc = run_cli(*args, "-f", "json").json
    table = run_cli(*args, "--digits", str(n)).out
    values = [p[k] for p in doc["points"] for k in ("x", "f", "df", "d2f")]
    _check_rounded(_block(table, "Values"), values, n)
    assert run_cli(*args, "-f", "json", "--digits", str(n)).json == doc  # JSON keeps every digit
    csv = run_cli(*args, "-f", "csv").out
    assert run_cli(*args, "-f", "csv", "--digits", str(n)).out == csv


def test_info_digits() -> None:
    doc = run_cli("info", "sigmoid", "-f", "json").json
    table = run_cli("info", "sigmoid", "--digits", "4").out
    ends = [v for r in doc["saturation"]["regions"] for v in (r["start"], r["end"]) if v is not None]
    _check_rounded(_block(table, "saturation"), ends, 4)
    assert "4.585" in table and "4.584863339122356" not in table


def test_softmax_digits() -> None:
    args = ["softmax", "0.2", "0.02", "0.15", "1.3", "3.75"]
    doc = run_cli(*args, "-f", "json").json
    table = run_cli(*args, "--digits", "3").out
    body = table.split("sum")[0]
    _check_rounded(body, doc["logits"] + doc["probabilities"] + doc["log_probabilities"], 3)
    assert run_cli(*args, "-f", "json", "--digits", "3").json == doc


def test_derive_input_summary_digits(tmp_path) -> None:
    values = " ".join(str(x / 7) for x in range(-400, 400, 7))
    path = tmp_path / "x.txt"
    path.write_text(values)
    doc = run_cli("derive", "tanh", "--input", str(path), "-f", "json").json
    table = run_cli("derive", "tanh", "--input", str(path), "--digits", "5").out
    stats = doc["summary"] if "summary" in doc else doc
    assert table and stats
    for token in NUMBER.findall(table):
        assert significant_digits(token) <= 5 or token.replace(",", "").isdigit(), token


@pytest.mark.parametrize("bad", ["0", "18", "x", "3.5", "-2"])
@pytest.mark.parametrize("command", [["derive", "relu", "--at", "1"], ["info", "relu"],
                                     ["softmax", "1", "2"]])
def test_digits_is_validated(command: list[str], bad: str) -> None:
    result = run_cli(*command, "--digits", bad, expect=2)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "--digits" in lines[0], result.err
    assert "1 to 17" in lines[0] and result.out == ""


# --- one minus sign, one infinity ----------------------------------------------------------------

ASCII_NEGATIVE = re.compile(r"(?<![\w.])-(?:\d|∞|inf)")


@pytest.mark.parametrize("args", [
    ["derive", "tanh", "--at", "-3", "-1e-300", "2"],
    ["derive", "relu", "--order", "2"],
    ["info", "elu"],
    ["info", "sigmoid"],
    ["softmax", "-1", "-2.5", "3"],
    ["list"],
])
def test_tables_use_one_minus_sign_and_one_infinity(args: list[str]) -> None:
    out = run_cli(*args).out
    assert not ASCII_NEGATIVE.search(out), out
    assert "+∞" not in out and "inf" not in out.replace("info", "")


def test_machine_formats_keep_ascii_round_trip_numbers() -> None:
    csv = run_cli("softmax", "-1", "-2.5", "3", "-f", "csv").out
    assert "−" not in csv and "-2.5" in csv
    doc = run_cli("derive", "sigmoid", "--at", "-4.6", "-f", "json").out
    assert "−" not in doc.split('"formula"')[0] and "-4.6" in doc


# --- the softmax sum row -------------------------------------------------------------------------


def _sum_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.strip().startswith("sum"))


def test_softmax_sum_is_the_exact_error_not_a_rounded_float() -> None:
    import numpy as np

    from actviz.core.vector import softmax_and_log

    for z in ([1.0, 2.0, 3.0], [0.2, 0.02, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75]):
        p = softmax_and_log(np.array(z))[0]
        exact = sum(Fraction(float(v)) for v in p) - 1
        out = run_cli("softmax", *map(str, z)).out
        line = _sum_line(out)
        assert "0.99999" not in line and "1.0000000" not in line
        word, one, sign, size = line.split()
        assert (one, sign) == ("1", "−" if exact < 0 else "+")
        assert read(size) == float(f"{float(abs(exact)):.2g}")
        note = out.split(line, 1)[1]
        assert f"sum 1 {sign} {size}" in " ".join(note.split()) and "float64" in note


def test_softmax_sum_of_exactly_one_has_no_note() -> None:
    out = run_cli("softmax", "0", "0").out  # 0.5 + 0.5: exactly 1
    assert _sum_line(out).split() == ["sum", "1"]
    assert "rounding" not in out


# --- the other table commands --------------------------------------------------------------------


def _layer_rows(out: str) -> list[list[str]]:
    """The cells of a flow layer table's rows (lines that start with a layer number)."""
    return [line.split() for line in out.splitlines() if re.match(r"\s+\d+\s", line)]


@pytest.mark.parametrize("n", [None, 2, 5])
def test_flow_table_numbers_match_json(n: int | None) -> None:
    args = ["flow", "relu", "--bias", "-0.5", "--depth", "3", "--width", "16", "--batch", "16"]
    doc = run_cli(*args, "-f", "json").json
    out = run_cli(*args, *(["--digits", str(n)] if n else []), columns=200).out
    rows = _layer_rows(out)
    layers = doc["results"][0]["layers"]
    assert len(rows) == len(layers)
    for cells, layer in zip(rows, layers, strict=True):
        for cell, key in zip(cells[1:5], ("pre_mean", "pre_std", "act_mean", "act_std"), strict=True):
            v = layer[key]
            digits = n or (2 if 0 < abs(v) < 0.01 else 3)
            assert significant_digits(cell) <= digits and read(cell) in (v, float(f"{v:.{digits}g}")), cell
        assert cells[5] == f"{100 * layer['saturated']:.1f}%"
    assert not ASCII_NEGATIVE.search(out)


def test_check_digits_shortens_the_worst_inputs(tmp_path, monkeypatch) -> None:
    import numpy as np

    import actviz

    monkeypatch.chdir(tmp_path)
    x = np.random.default_rng(2).normal(0, 5, 500).astype(np.float32)
    y = actviz.get("sigmoid")(x)
    np.save("x.npy", x)
    np.save("y.npy", (y.view(np.uint32) + np.uint32(3)).view(np.float32))
    args = ["check", "sigmoid", "-i", "x.npy", "--values", "y.npy"]
    worst = run_cli(*args, "-f", "json").json["quantities"][0]["worst"]
    full = run_cli(*args, columns=250).out
    short = run_cli(*args, "--digits", "3", columns=250).out
    for w in worst:
        assert number(w["got"], 9) in full  # float32: 9 digits identify the value by default
        assert number(w["got"], 3) in short and number(w["got"], 9) not in short
    assert not ASCII_NEGATIVE.search(re.sub(r"-0x[0-9a-f.p+-]+", "", short))  # hex stays Python's


def test_train_digits_rounds_the_losses() -> None:
    quick = ["--points", "200", "--steps", "20", "--width", "8", "--depth", "2"]
    doc = run_cli("train", "tanh", *quick, "-f", "json").json
    final = doc["results"][0]["curve"][-1]["train_loss"]
    for n in (2, 6):
        out = run_cli("train", "tanh", *quick, "--digits", str(n), columns=200).out
        assert number(final, n) in out, out


def test_list_digits() -> None:
    rows = {r["name"]: r for r in run_cli("list", "-f", "json").json if r.get("sup_abs_grad") is not None}
    gelu = rows["gelu"]["sup_abs_grad"]
    for n, args in ((4, []), (8, ["--digits", "8"]), (17, ["--digits", "17"])):
        out = run_cli("list", *args, columns=200).out
        line = next(line for line in out.splitlines() if line.split() and line.split()[0] == "gelu")
        assert read(line.split()[-1]) == float(f"{gelu:.{n}g}") or read(line.split()[-1]) == gelu
        assert significant_digits(line.split()[-1]) <= n
