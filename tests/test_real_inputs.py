"""Real inputs for ``derive --input``: streamed text and CSV, .npz and .safetensors, summaries,
comparisons, pictures, and bounded memory on binary and endless streams."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actviz.catalog.registry import get
from actviz.inputs import InputError
from actviz.summary import flat_record
from actviz.textstream import ColumnError, TextTable
from tests.conftest import run_cli

SIGMOID_EDGE = 4.584863339122356  # |σ′(x)| < 0.01 ⇔ |x| > this (checked below with mpmath)


def run(args, input=None):
    """``actviz ARGS`` through the shared runner (terminal width from the environment), the exit
    code left to the test."""
    return run_cli(*args, input=input, columns=None, expect=None)


def fail(args, input=None) -> tuple[int, str]:
    """Run through the real error handler (one Error line, exit code); return (code, stderr)."""
    result = run(args, input)
    return result.code, result.err


def ok_json(args, input=None):
    res = run([*args, "-f", "json"], input)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def table_of(text: str, chunk: int, column=None):
    t = TextTable(io.BytesIO(text.encode()), "t.txt", column, chunk_bytes=chunk)
    blocks = [b.reshape(-1) for b in t.chunks()]
    return (np.concatenate(blocks) if blocks else np.zeros(0)), t


# --- text streaming ---------------------------------------------------------------------------
floats = st.floats(allow_nan=False, width=64)


@settings(max_examples=60, deadline=None)
@given(st.lists(floats, min_size=1, max_size=60), st.integers(1, 4), st.sampled_from([" ", ",", "\t", ";"]),
       st.integers(8, 200))
def test_chunked_parse_equals_the_values_for_any_chunk_size(xs, width, sep, chunk):
    rows = [xs[i : i + width] for i in range(0, len(xs) - len(xs) % width or len(xs), width)]
    rows = [r for r in rows if len(r) == width] or [xs]
    text = "# comment\n" + "\n".join(sep.join(repr(v) for v in r) for r in rows) + "\n"
    got, t = table_of(text, chunk)
    want = [v for r in rows for v in r]
    assert got.tolist() == want
    assert t.values == len(want)


@settings(max_examples=30, deadline=None)
@given(st.lists(floats, min_size=2, max_size=300), st.integers(16, 64))
def test_one_long_line_is_one_row_in_any_chunking(xs, chunk):
    got, t = table_of(" ".join(repr(v) for v in xs), chunk)
    assert got.tolist() == xs and t.rows == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(floats, min_size=1, max_size=80), st.integers(24, 80), st.booleans())
def test_non_ascii_text_cut_anywhere_between_chunks_reads_the_same_values(xs, chunk, bom):
    """U+2212 minus signs and non-ASCII comments, a multi-byte character split by any chunk
    boundary (ASCII chunks skip the decoder, the others do not; a chunk holds the longest
    comment): the values are Python's own."""
    lines = [repr(v).replace("-", "−") for v in xs]
    text = ("\ufeff" if bom else "") + "# é prés — ∑\n" + "\n# café\n".join(lines) + "\n"
    got, t = table_of(text, chunk)
    assert got.tolist() == [float(s.replace("−", "-")) for s in lines]
    assert t.values == len(xs)


@pytest.mark.parametrize("tail", [b"\xff\xfe2\n", b"\xe2\x88"], ids=["not-utf8", "cut-character-at-end"])
def test_bad_utf8_after_many_ascii_chunks_is_refused(tail):
    data = b"".join(b"%d\n" % i for i in range(400)) + tail
    with pytest.raises(InputError, match="not a text file"):
        list(TextTable(io.BytesIO(data), "t.txt", chunk_bytes=16).chunks())


def _pipe_max() -> int:
    try:
        with open("/proc/sys/fs/pipe-max-size") as fh:
            return int(fh.read())
    except OSError:
        return 0


@pytest.mark.skipif(_pipe_max() < 1 << 20, reason="needs Linux pipes of 1 MiB (F_SETPIPE_SZ)")
def test_a_pipe_is_widened_to_a_chunk_and_still_read_whole():
    import fcntl

    get_size = 1032  # F_GETPIPE_SZ
    r, w = os.pipe()
    with open(r, "rb") as reader, open(w, "wb") as writer:
        assert fcntl.fcntl(r, get_size) < 1 << 20
        table = TextTable(reader, "stdin")
        assert fcntl.fcntl(r, get_size) >= 1 << 20  # cat can write a whole chunk ahead
        writer.write(b"".join(b"%d\n" % i for i in range(50_000)))
        writer.close()
        got = np.concatenate(list(table.chunks()))
    assert got.tolist() == list(range(50_000))
    TextTable(io.BytesIO(b"1\n"), "t.txt")  # no file descriptor: nothing to widen, no error


@pytest.mark.parametrize("chunk", [8, 13, 64, 1 << 20])
def test_ragged_row_is_an_error_naming_its_line(chunk):
    text = "1 2 3\n4 5 6\n\n# c\n7 8\n9 1 2\n"
    with pytest.raises(InputError, match=r"t.txt, line 5: 2 values where each row has 3"):
        table_of(text, chunk)


@pytest.mark.parametrize("chunk", [8, 11, 1 << 20])
def test_bad_value_names_its_line_across_chunks(chunk):
    text = "".join(f"{i}\n" for i in range(40)) + "4.5x\n7\n"
    with pytest.raises(InputError, match=r"line 41: '4.5x' is not a number"):
        table_of(text, chunk)


def test_softmax_refuses_ragged_rows_on_stdin():
    code, err = fail(["softmax", "-f", "json"], input="1 2 3\n4 5\n")
    assert code == 1
    assert "stdin, line 2: 2 values where each row has 3" in err


def test_ragged_csv_file_is_refused_by_derive(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("1,2\n3,4\n5\n", encoding="utf-8")
    code, err = fail(["derive", "relu", "--input", str(path)])
    assert code == 1 and "line 3: 1 values where each row has 2" in err


def test_header_and_columns_of_actviz_own_csv(tmp_path):
    rows = run(["derive", "sigmoid", "--xlim", "-8", "8", "--points", "101", "-f", "csv"]).stdout
    path = tmp_path / "rows.csv"
    path.write_text(rows, encoding="utf-8")
    code, err = fail(["derive", "relu", "--input", str(path)])
    assert code == 2
    assert "3 numeric columns (1:x, 2:f, 3:df)" in err and "--column" in err
    by_name = ok_json(["derive", "relu", "--input", str(path), "--column", "x"])
    by_index = ok_json(["derive", "relu", "--input", str(path), "--column", "1"])
    xs = np.linspace(-8, 8, 101)
    assert by_name["summary"] == by_index["summary"]
    assert by_name["summary"]["count"] == 101
    assert by_name["summary"]["counts"]["dead"] == int(np.count_nonzero(xs <= 0))
    f_col = ok_json(["derive", "relu", "--input", str(path), "--column", "f"])["summary"]
    assert f_col["x"]["min"] > 0 and f_col["counts"]["dead"] == 0  # σ(x) > 0
    code, err = fail(["derive", "relu", "--input", str(path), "--column", "region"])
    assert code == 1 and "line 2: 'vanishing' is not a number" in err
    code, err = fail(["derive", "relu", "--input", str(path), "--column", "nope"])
    assert code == 2 and "no column 'nope'" in err


def test_header_with_one_numeric_column_is_picked(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("name,value\n" + "".join(f"n{i},{i - 30}\n" for i in range(60)), encoding="utf-8")
    s = ok_json(["derive", "relu", "--input", str(path)])["summary"]
    assert s["count"] == 60 and s["counts"]["dead"] == 31  # −30 … 0


def test_column_errors_are_column_errors():
    with pytest.raises(ColumnError):
        table_of("a b\n1 2\n", 100)


# --- binary and endless streams -----------------------------------------------------------
def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


ACTVIZ = [sys.executable, "-m", "actviz"]


_PEAK = """
import resource, subprocess, sys
src = open(sys.argv[1], "rb") if sys.argv[1] != "-" else None
done = subprocess.run(sys.argv[2:], stdin=src, capture_output=True, text=True, timeout=60)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(done.stderr)
"""


def _peak_run(argv: list[str], stdin: str = "-") -> tuple[int, float, str]:
    """(exit code, peak resident MiB, stderr) of ``argv`` run in a child of its own (so the peak
    is its own, not pytest's), stdin from the file ``stdin``; address space capped at 2 GiB."""
    done = subprocess.run([sys.executable, "-c", _PEAK, stdin, *argv], capture_output=True, text=True,
                          timeout=90, preexec_fn=_limit_memory)
    code, peak_kib = done.stdout.split()
    return int(code), int(peak_kib) / 1024, done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_binary_stream_is_refused_from_its_first_chunk():
    t = time.monotonic()
    _, start_up, _ = _peak_run([*ACTVIZ, "derive", "relu", "--at", "1"])
    for argv, stdin in ([[*ACTVIZ, "derive", "relu", "--input", "/dev/zero"], "-"],
                        [[*ACTVIZ, "derive", "relu", "--input", "-"], "/dev/zero"],
                        [[*ACTVIZ, "derive", "relu", "--input", "-", "-f", "csv"], "/dev/urandom"]):
        code, peak, err = _peak_run(argv, stdin)
        assert code == 1 and ("binary data" in err or "not a text file" in err), err
        assert err.count("\n") == 1, err
        assert peak < start_up + 40, (peak, start_up)  # refused from its first 1 MiB chunk
    assert time.monotonic() - t < 60


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # the old reader reached 4 GB


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
@pytest.mark.parametrize("source", ["yes 1.5", "yes 1.5 | tr '\\n' ' '"], ids=["lines", "one-endless-line"])
def test_endless_text_stream_runs_in_constant_memory(source):
    yes = subprocess.Popen(["sh", "-c", source], stdout=subprocess.PIPE, start_new_session=True)
    proc = subprocess.Popen([*ACTVIZ, "derive", "relu", "--input", "-", "-f", "csv"], stdin=yes.stdout,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yes.stdout.close()
    try:
        samples = []
        deadline = time.monotonic() + 7
        while time.monotonic() < deadline:
            time.sleep(0.5)
            assert proc.poll() is None, proc.stderr.read()
            samples.append(_rss_mib(proc.pid))
        assert max(samples) < 200, samples
        late = samples[len(samples) // 2 :]
        assert max(late) - min(late) < 40, samples  # not growing
    finally:
        proc.kill()
        os.killpg(yes.pid, 9)  # the shell and its pipeline
        proc.wait()
        yes.wait()


# --- several arrays ---------------------------------------------------------------------------
def _sigmoid_vanishing(x):
    e = np.exp(-np.abs(x))
    return e / (1 + e) ** 2 < 0.01


def test_sigmoid_edge_against_mpmath():
    import mpmath

    def d(x):
        s = 1 / (1 + mpmath.e ** (-mpmath.mpf(x)))
        return s * (1 - s)

    with mpmath.workdps(40):
        root = mpmath.findroot(lambda x: d(x) - mpmath.mpf("0.01"), 4.58)
        assert abs(root - SIGMOID_EDGE) < 1e-14  # the float boundary is the root to an ULP or two
    edge = run(["derive", "sigmoid", "-f", "json"]).stdout
    assert json.loads(edge)["saturation"]["regions"][1]["start"] == SIGMOID_EDGE


def test_npz_one_record_per_array_total_and_same_json_csv(tmp_path):
    rng = np.random.default_rng(7)
    arrays = {"layer1": rng.standard_normal((30, 20)) * 2, "layer2": rng.standard_normal(500) * 6,
              "empty": np.zeros((0, 4)), "ints": np.arange(-20, 40, dtype=np.int16)}
    path = tmp_path / "m.npz"
    np.savez_compressed(path, **arrays)
    doc = ok_json(["derive", "sigmoid", "--input", str(path)])
    recs = {r["name"]: r for r in doc["arrays"]}
    assert set(recs) == set(arrays)
    for name, x in arrays.items():
        x = x.astype(np.float64).reshape(-1)
        r = recs[name]
        assert r["count"] == x.size
        if x.size:
            van = _sigmoid_vanishing(x)
            assert r["counts"]["vanishing"] == int(van.sum())
            assert r["sides"]["low"]["vanishing"] == int((van & (x < 0)).sum())
            assert r["sides"]["high"]["vanishing"] == int((van & (x > 0)).sum())
            assert r["f"]["mean"] == pytest.approx(float(np.mean(1 / (1 + np.exp(-x)))), rel=1e-12)
            assert r["x"] == {"min": float(x.min()), "max": float(x.max())}
    assert recs["empty"]["count"] == 0 and recs["empty"]["note"] == "empty array (0×4)"
    assert recs["layer1"]["note"] == "2-D 30×20, flattened" and recs["layer1"]["shape"] == [30, 20]
    assert doc["total"]["count"] == sum(a.size for a in arrays.values())
    res = run(["derive", "sigmoid", "--input", str(path), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["name"] for r in rows] == [*[r["name"] for r in doc["arrays"]], "total"]
    for row, rec in zip(rows, [*doc["arrays"], doc["total"]], strict=True):
        flat = flat_record(rec)
        for key, value in flat.items():
            cell = row[key]
            if isinstance(value, float):
                assert float(cell) == value
            elif value is None:
                assert cell == ""
            else:
                assert cell == str(value)
    only = ok_json(["derive", "sigmoid", "--input", str(path), "--only", "layer*"])
    assert [r["name"] for r in only["arrays"]] == ["layer1", "layer2"]
    code, err = fail(["derive", "sigmoid", "--input", str(path), "--only", "conv*"])
    assert code == 1 and "matches no array" in err and "layer1" in err
    table = run(["derive", "sigmoid", "--input", str(path)]).stdout
    assert "total" in table and "empty array" in table and "σ → 0" in table


def test_options_for_the_wrong_kind_of_input_are_usage_errors(tmp_path):
    np.save(tmp_path / "x.npy", np.ones(3))
    code, err = fail(["derive", "relu", "--input", str(tmp_path / "x.npy"), "--only", "a*"])
    assert code == 2 and "--only selects arrays" in err
    code, err = fail(["derive", "relu", "--input", str(tmp_path / "x.npy"), "--column", "2"])
    assert code == 2 and "--column applies to text" in err
    code, err = fail(["derive", "relu", "gelu", "--input", str(tmp_path / "x.npy"), "--plot", "p.png"])
    assert code == 2 and "--plot draws one activation" in err


def test_object_arrays_are_refused(tmp_path):
    obj = np.array([1, "a"], dtype=object)
    np.save(tmp_path / "o.npy", obj, allow_pickle=True)
    np.savez(tmp_path / "o.npz", good=np.ones(3), bad=obj)
    for name in ("o.npy", "o.npz"):
        code, err = fail(["derive", "relu", "--input", str(tmp_path / name)])
        assert code == 1 and "Python objects" in err and "never unpickles" in err


def test_safetensors_written_by_safetensors(tmp_path):
    st_np = pytest.importorskip("safetensors.numpy")
    rng = np.random.default_rng(3)
    tensors = {"enc.0.weight": rng.standard_normal((700, 3)).astype(np.float32) * 3,
               "enc.1.bias": rng.standard_normal(11).astype(np.float16),
               "dec.weight": rng.standard_normal((4, 5, 6)).astype(np.float64)}
    path = tmp_path / "m.safetensors"
    st_np.save_file(tensors, str(path))
    doc = ok_json(["derive", "relu", "--input", str(path)])
    recs = {r["name"]: r for r in doc["arrays"]}
    for name, t in tensors.items():
        x = t.astype(np.float64).reshape(-1)
        assert recs[name]["count"] == x.size
        assert recs[name]["counts"]["dead"] == int((x <= 0).sum())
        assert recs[name]["x"]["max"] == float(x.max())
    only = ok_json(["derive", "relu", "--input", str(path), "--only", "enc.*"])
    assert sorted(r["name"] for r in only["arrays"]) == ["enc.0.weight", "enc.1.bias"]


def test_safetensors_missing_extra_names_it(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    path.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    monkeypatch.setitem(sys.modules, "safetensors", None)
    code, err = fail(["derive", "relu", "--input", str(path)])
    assert code == 1 and "actviz[safetensors]" in err


def test_comparison_of_several_activations(tmp_path):
    x = np.random.default_rng(5).standard_normal(2000) * 4
    np.save(tmp_path / "pre.npy", x)
    doc = ok_json(["derive", "relu", "sigmoid", "--input", str(tmp_path / "pre.npy")])
    funcs = {d["function"]: d for d in doc["functions"]}
    assert funcs["relu"]["total"]["counts"]["dead"] == int((x <= 0).sum())
    assert funcs["sigmoid"]["total"]["counts"]["vanishing"] == int(_sigmoid_vanishing(x).sum())
    table = run(["derive", "relu", "sigmoid", "--input", str(tmp_path / "pre.npy")]).stdout
    assert "least saturated" in table.split("sigmoid")[1].split("\n")[0]  # 88% active beats 50%
    code, err = fail(["derive", "relu", "gelu"])
    assert code == 2 and "--input" in err


def test_stdin_stream_summary_matches_numpy():
    x = np.random.default_rng(9).standard_normal(3000) * 6
    text = "x\n" + "".join(f"{v!r}\n" for v in x.tolist())
    s = ok_json(["derive", "sigmoid", "--input", "-"], input=text)["summary"]
    assert s["count"] == 3000 and s["counts"]["vanishing"] == int(_sigmoid_vanishing(x).sum())
    code, err = fail(["derive", "sigmoid", "--input", "-"], input=text)
    assert code == 0 and err == ""  # no progress bar off a terminal


# --- pictures ---------------------------------------------------------------------------------
def _figure(acts, path):
    """The figure ``--plot`` draws for ``path``, for its axes' pixel transforms."""
    from actviz.render.derive_chart import draw
    from actviz.render.figure import LIGHT, style
    from actviz.sources import open_input
    from actviz.summary import summarize_input

    s = summarize_input(acts, open_input(str(path)), 0.01, plot=True)[0]
    with style(LIGHT):
        fig = draw(s)
        fig.canvas.draw()
    return fig


def _png(path):
    from matplotlib.image import imread

    return imread(str(path))[:, :, :3]


def test_plot_shades_regions_and_draws_the_histogram(tmp_path):
    x = np.random.default_rng(1).standard_normal(20000) * 3
    np.save(tmp_path / "pre.npy", x)
    out = tmp_path / "h.png"
    pre = str(tmp_path / "pre.npy")
    code, err = fail(["derive", "relu", "--input", pre, "--plot", str(out), "-f", "json"])
    assert code == 0 and out.exists()
    fig = _figure([get("relu")], tmp_path / "pre.npy")
    ax = fig.axes[0]
    img = _png(out)
    h = img.shape[0]

    def pixel(xd, yfrac):
        px, _ = ax.transData.transform((xd, 0))
        _, py = ax.transAxes.transform((0, yfrac))
        return img[int(round(h - py)), int(round(px))]

    dead = pixel(-3.0, 0.9)  # shaded (dead, left of 0), above the histogram
    clear = pixel(3.0, 0.9)  # right of 0, above the histogram: background
    bar = pixel(0.7, 0.05)  # histogram near its peak, bottom of the axes
    assert clear.min() > 0.95  # white
    assert dead[2] > dead[0] + 0.05  # blue tint of the shade
    assert abs(bar[0] - bar[1]) < 0.05 and bar.max() < 0.9  # grey bars
    again = tmp_path / "h2.png"
    run(["derive", "relu", "--input", str(tmp_path / "pre.npy"), "--plot", str(again), "-f", "json"])
    assert again.read_bytes() == out.read_bytes()


def test_plot_heat_strip_for_many_layers(tmp_path):
    rng = np.random.default_rng(2)
    np.savez(tmp_path / "m.npz", **{f"l{i:02d}": rng.standard_normal(400) * (1 + i) for i in range(9)})
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    for out in (a, b):
        code, err = fail(["derive", "tanh", "--input", str(tmp_path / "m.npz"), "--plot", str(out),
                          "-f", "csv"])
        assert code == 0, err
    assert a.read_bytes() == b.read_bytes()
    img = _png(a)
    fig = _figure([get("tanh")], tmp_path / "m.npz")
    ax = fig.axes[0]
    h = img.shape[0]
    x0, _ = ax.transAxes.transform((0.0, 0))
    x1, _ = ax.transAxes.transform((1.0, 0))

    def coloured(row: int) -> int:  # pixels of heat (not background) along layer ``row``'s middle
        _, py = ax.transData.transform((0, row + 0.5))
        line = img[int(round(h - py)), int(x0) + 2 : int(x1) - 2]
        return int(np.count_nonzero(line.min(axis=1) < 0.8))

    assert coloured(8) > 2 * coloured(0) > 0  # the widest layer spreads furthest
    code, err = fail(["derive", "relu", "--at", "1", "--plot", str(a)])
    assert code == 2 and "--plot needs --input" in err


# --- progress -----------------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_for_tables(monkeypatch):
    from types import SimpleNamespace

    from actviz.cli import derive_input

    inputs = SimpleNamespace(source="x.txt", total=1000, position=lambda done: done)
    monkeypatch.setattr(derive_input, "PROGRESS_AFTER", 0.0)
    for fmt in ("json", "csv"):
        monkeypatch.setattr(sys, "stderr", _Terminal())
        with derive_input._progress(inputs, fmt) as tick:
            assert tick is None
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    with derive_input._progress(inputs, "table") as tick:
        assert tick is None
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    with derive_input._progress(inputs, "table") as tick:
        assert tick is not None
        for done in (100, 500, 1000):
            tick(done)
    assert "reading x.txt" in term.getvalue()
    stdin = SimpleNamespace(source="stdin", total=None, position=None)  # no size: no bar
    with derive_input._progress(stdin, "table") as tick:
        assert tick is None


def test_first_row_mixing_numbers_and_words_is_an_error_not_a_header():
    with pytest.raises(InputError, match=r"line 2: 'x' is not a number"):
        table_of("# c\n1 2 x\n3 4 5\n", 100)
    code, err = fail(["softmax", "-f", "json"], input="1 2 x\n3 4 5\n")
    assert code == 1 and "line 1: 'x' is not a number" in err


def test_softmax_skips_a_header_and_keeps_every_column():
    res = run(["softmax", "-f", "json"], input="a,b,c\n0,0,0\n1,1,1\n")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc) == 2 and all(len(r["probabilities"]) == 3 for r in doc)


def test_unreadable_array_files_are_one_line(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    cases = [(tmp_path / "none.npz", "no such file"), (tmp_path / "junk.npz", "not a valid .npz"),
             (tmp_path / "none.safetensors", "no such file")]
    for path, needle in cases:
        code, err = fail(["derive", "relu", "--input", str(path)])
        assert code == 1 and needle in err and err.count("\n") == 1, err


def test_a_region_over_the_whole_line_splits_by_sign(tmp_path):
    x = np.random.default_rng(11).standard_normal(500)
    np.save(tmp_path / "x.npy", x)
    s = ok_json(["derive", "sigmoid", "--input", str(tmp_path / "x.npy"), "--threshold", "2"])["summary"]
    assert s["counts"]["vanishing"] == 500  # σ′ ≤ 1/4 < 2 everywhere
    assert s["sides"]["low"]["vanishing"] == int((x < 0).sum())
    assert s["sides"]["high"]["vanishing"] == int((x >= 0).sum())


def _safetensors_by_hand(path, tensors):
    """A .safetensors file written byte by byte (u64 header size, JSON header, data), for dtypes
    the package's NumPy writer has no NumPy type for."""
    header, data, offset = {}, b"", 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(len(text).to_bytes(8, "little") + text + data)


def test_bfloat16_tensors_are_read_exactly_and_float8_only_when_chosen(tmp_path):
    pytest.importorskip("safetensors")
    exact = np.array([1.0, -2.5, 3.0, 2.0**-10, 0.0, -0.0, -np.inf, 65280.0], dtype=np.float32)
    bf16 = (exact.view(np.uint32) >> 16).astype("<u2").tobytes()  # these values are exact in bf16
    path = tmp_path / "m.safetensors"
    _safetensors_by_hand(path, {"w": ("BF16", [2, 4], bf16), "q": ("F8_E4M3", [3], b"\x01\x02\x03"),
                                "b": ("F32", [2], np.array([1.5, -1], "<f4").tobytes())})
    code, err = fail(["derive", "relu", "--input", str(path)])
    assert code == 1 and "'q' is F8_E4M3" in err and "--only" in err
    doc = ok_json(["derive", "relu", "--input", str(path), "--only", "w", "--only", "b"])
    w = next(r for r in doc["arrays"] if r["name"] == "w")
    assert w["count"] == 8 and w["counts"]["dead"] == int((exact <= 0).sum())
    assert w["x"] == {"min": "-Infinity", "max": 65280.0} and w["shape"] == [2, 4]
    assert w["f"]["max"] == 65280.0


def test_byte_order_mark_and_crlf_lines_are_text(tmp_path):
    got, _ = table_of("\ufeff1\r\n2\r\n3\r\n", 8)
    assert got.tolist() == [1.0, 2.0, 3.0]  # the BOM is not a header: no value is lost
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffpre,post\r\n".encode() + b"".join(b"%d,0\r\n" % (i - 30) for i in range(60)))
    s = ok_json(["derive", "relu", "--input", str(path), "--column", "pre"])["summary"]
    assert s["count"] == 60 and s["counts"]["dead"] == 31


# --- narrow terminals: every number of a summary stays whole ----------------------------------
_TOKEN = re.compile(r"(?<![\w.,])[-−]?\d[\d,]*(?:\.\d+)?(?:e[-+−]?\d+)?%?(?![\w.])")


def _norm(token: str) -> str:
    """One spelling of a number's text: ASCII minus, no leading zeros in the exponent (1.2e-05 = 1.2e−5)."""
    return re.sub(r"e([-+]?)0*(\d)", r"e\1\2", token.replace("−", "-"))


def _tokens(text: str) -> set[str]:
    return {_norm(t) for t in _TOKEN.findall(text)}


def _shown(record: dict, keys: tuple[str, ...]) -> list[str]:
    """The texts a table row shows for a JSON record: counts with commas, shares as percentages
    with two decimals, means and quantiles with four significant digits."""
    out = [f"{record['count']:,}"]
    if record["count"] > record["nan"]:
        out += [f"{100 * record['fractions'][k]:.2f}%" for k in ("dead", "vanishing", "active")]
        out += [f"{100 * record['sides'][s]['fraction']:.2f}%" for s in ("low", "high")]
        out += [f"{record['f']['mean']:.4g}", f"{record['abs_df']['mean']:.4g}"]
        out += [f"{record['abs_df']['quantiles'][k]:.4g}" for k in keys]
    return out


@pytest.fixture
def layers(tmp_path):
    rng = np.random.default_rng(16)
    single = tmp_path / "f.npy"
    np.save(single, np.append(rng.standard_normal(3000) * 4, [-11.3, 12.1]))  # long reprs: 1.2e-05
    several = tmp_path / "layers.npz"
    np.savez(several, embedding_projection=rng.standard_normal(800) * 6,
             block_0_attention_output=rng.standard_normal((30, 40)) * 0.5, empty=np.zeros((0, 3)))
    return str(single), str(several)


@pytest.mark.parametrize("columns", [36, 40, 60])
def test_narrow_summaries_keep_every_number_whole(layers, columns):
    from tests.conftest import run_cli

    single, several = layers
    cases = [("derive", "relu", "gelu", "--input", single), ("derive", "sigmoid", "--input", several),
             ("derive", "sigmoid", "--input", single)]
    for args in cases:
        doc = json.loads(run_cli(*args, "-f", "json").out)
        out = run_cli(*args, columns=columns).out
        widest = max(len(line.rstrip()) for line in out.splitlines())
        assert widest <= columns, out
        shown = _tokens(out)
        if "functions" in doc:  # the comparison: one row of totals per activation
            want = [t for f in doc["functions"] for t in _shown(f["total"], ("p5", "p50"))[1:]]
        elif "arrays" in doc:  # one row per array and the total
            want = [t for a in [*doc["arrays"], doc["total"]] for t in _shown(a, ("p5", "p50", "p95"))]
        else:  # one array: the vertical summary shows f, abs(f′) and x exactly
            s = doc["summary"]
            exact = (*s["f"].values(), s["abs_df"]["mean"], s["abs_df"]["min"], s["abs_df"]["max"],
                     *s["x"].values())
            want = [f"{s['count']:,}"] + [repr(v).removesuffix(".0") for v in exact]
            want += [f"{v:.4g}" for v in s["abs_df"]["quantiles"].values()]
        missing = sorted({_norm(t) for t in want} - shown)
        assert want and not missing, (args, missing, out)


def test_a_multi_axis_input_is_flattened_and_said_so_in_every_form(tmp_path):
    small, large = tmp_path / "small.npy", tmp_path / "large.npy"
    np.save(small, np.arange(12.0).reshape(3, 4) - 5)
    np.save(large, np.random.default_rng(4).standard_normal((2, 30, 20)))
    doc = ok_json(["derive", "relu", "--input", str(small)])  # ≤ 50 values: one row per value
    assert [p["x"] for p in doc["points"]] == list(np.arange(12.0) - 5)
    assert "2-D 3×4, flattened" in doc["note"]
    assert "2-D 3×4, flattened" in run(["derive", "relu", "--input", str(small)]).stdout
    text = ok_json(["derive", "relu", "--input", "-"], input="1 2 3\n4 5 6\n")
    assert "2-D 2×3, flattened" in text["note"] and len(text["points"]) == 6
    assert "note" not in ok_json(["derive", "relu", "--input", "-"], input="1\n2\n")
    s = ok_json(["derive", "relu", "--input", str(large)])["summary"]
    assert s["shape"] == [2, 30, 20] and s["note"] == "3-D 2×30×20, flattened" and s["count"] == 1200
    assert "3-D 2×30×20, flattened" in run(["derive", "relu", "--input", str(large)]).stdout
    npz = tmp_path / "m.npz"
    np.savez(npz, flat=np.ones(5), square=np.ones((4, 4)))
    assert "square: more than one axis, flattened" in run(["derive", "relu", "--input", str(npz)]).stdout


def test_mean_f_is_exact_even_when_the_values_cancel(tmp_path):
    """identity: f = x, so the mean of f is the mean of the inputs, exactly (math.fsum is the
    correctly rounded sum); a pairwise sum gave 0.08 instead of 0.41 for the first array."""
    rng = np.random.default_rng(12)
    arrays = {"cancel": np.concatenate([np.tile([1e16, 1.0, -1e16], 40), np.full(100, 0.5)]),
              "wide": rng.standard_normal(600_000) * np.exp(rng.uniform(-30, 30, 600_000)),
              "tiny": rng.standard_normal(1000) * 1e-300}
    path = tmp_path / "m.npz"
    np.savez(path, **arrays)
    doc = ok_json(["derive", "identity", "--input", str(path)])
    for rec in doc["arrays"]:
        x = arrays[rec["name"]]
        assert rec["f"]["mean"] == math.fsum(x) / x.size, rec["name"]
    every = np.concatenate(list(arrays.values()))
    assert doc["total"]["f"]["mean"] == math.fsum(every) / every.size
    text = "".join(f"{v!r}\n" for v in arrays["cancel"].tolist() * 700)  # several 64K pieces
    s = ok_json(["derive", "identity", "--input", "-"], input=text)["summary"]
    assert s["f"]["mean"] == math.fsum(arrays["cancel"]) / arrays["cancel"].size


def test_plot_one_panel_per_array_with_its_own_histogram(tmp_path):
    rng = np.random.default_rng(3)
    path = tmp_path / "pn.npz"
    np.savez(path, neg=rng.uniform(-3, -1, 5000), pos=rng.uniform(1, 3, 5000))
    out, again = tmp_path / "pn.png", tmp_path / "pn2.png"
    for target in (out, again):
        code, err = fail(["derive", "relu", "--input", str(path), "--plot", str(target), "-f", "json"])
        assert code == 0, err
    assert out.read_bytes() == again.read_bytes()
    img = _png(out)
    h = img.shape[0]
    fig = _figure([get("relu")], path)
    neg_ax, pos_ax = fig.axes[:2]  # the two panels, top to bottom (their count axes come after)
    assert neg_ax.get_title(loc="left") == "neg: active 0.0%"
    assert pos_ax.get_title(loc="left") == "pos: active 100.0%"

    def pixel(ax, xd, yfrac=0.2):  # under the bars' tops, clear of f, f′ and grid lines
        px, _ = ax.transData.transform((xd, 0))
        _, py = ax.transAxes.transform((0, yfrac))
        return img[int(round(h - py)), int(round(px))]

    def grey(p):
        return abs(p[0] - p[1]) < 0.05 and abs(p[1] - p[2]) < 0.05

    for ax in (neg_ax, pos_ax):  # the dead region x ≤ 0 is shaded blue in both, right of 0 is not
        assert pixel(ax, -0.6)[2] > pixel(ax, -0.6)[0] + 0.05
    assert pixel(neg_ax, 2.3).min() > 0.95  # neg: nothing right of 0 (white)
    assert pixel(neg_ax, -2.3).sum() < pixel(neg_ax, -0.6).sum() - 0.2  # its bars darken the shade
    assert grey(pixel(pos_ax, 2.3)) and pixel(pos_ax, 2.3).max() < 0.9  # pos: grey bars right of 0
    assert abs(pixel(pos_ax, -2.3).sum() - pixel(pos_ax, -0.6).sum()) < 0.1  # and no bar left of it


def test_quantiles_of_each_array_and_the_total_keep_their_documented_error(tmp_path):
    """±0.4 % (relative 2^-8) of NumPy's inverted-CDF quantile of abs(tanh′) = 1 − tanh² (a
    formula of its own, exact enough for |x| < 8), per array and over all arrays."""
    rng = np.random.default_rng(21)
    arrays = {"narrow": rng.standard_normal(40_000) * 0.7, "wide": rng.standard_normal(70_000) * 2.5,
              "skewed": rng.exponential(1.5, 30_000)}
    path = tmp_path / "q.npz"
    np.savez(path, **arrays)
    doc = ok_json(["derive", "tanh", "--input", str(path)])
    every = np.concatenate(list(arrays.values()))
    records = [(rec, arrays[rec["name"]]) for rec in doc["arrays"]] + [(doc["total"], every)]
    for rec, x in records:
        assert "within 0.4% (relative) of the exact inverted-CDF quantile" in rec["abs_df"]["quantile_method"]
        d = 1 - np.tanh(x) ** 2
        for key, value in rec["abs_df"]["quantiles"].items():
            q = float(key[1:]) / 100
            want = float(np.quantile(d, q, method="inverted_cdf"))
            assert value == pytest.approx(want, rel=2**-8), (rec["name"], key)
