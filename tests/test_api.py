"""actviz from Python: each API call gives what its command gives.

Numbers: ``to_dict()`` equals the command's ``--format json`` for the same arguments (the CLI is
run through the suite's one runner, ``conftest.run_cli``). Tables: ``rich`` printing a report
gives the command's table output. HTML: parsed strictly, with the numbers in its cells. Figures:
the returned Figure saves to the CLI's bytes, and drawing into a user's Axes is checked on decoded
pixels. Start-up: ``import actviz`` loads neither NumPy nor Matplotlib, the table calls no
Matplotlib, and no call imports ``matplotlib.pyplot`` or writes a file.
"""

from __future__ import annotations

import base64
import dataclasses
import doctest
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

import actviz
import actviz.api
from tests.conftest import run_cli
from tests.tabletext import numbers

VOID = {"br", "img", "hr"}


class StrictHTML(HTMLParser):
    """Fails on an unclosed, stray or mismatched tag; collects the text of every cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.cells: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        assert tag not in VOID, f"</{tag}> for a void element"
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:] or 'nothing'}"
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse_html(text: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags: {parser.stack}"
    assert "\x1b" not in text  # HTML, not ANSI
    return parser


def printed(report, width: int = 200) -> str:
    """What ``rich`` prints for ``report`` on a plain (non-terminal, colourless) console."""
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, color_system=None, highlight=False, emoji=False)
    console.print(report)
    return out.getvalue()


def same_lines(a: str, b: str) -> None:
    strip = lambda text: [line.rstrip() for line in text.rstrip("\n").split("\n")]  # noqa: E731
    assert strip(a) == strip(b)


# --- numbers: to_dict() is the CLI's JSON --------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, args",
    [
        ({"at": [4.6]}, ["sigmoid", "--at", "4.6"]),
        ({"at": 4.6}, ["sigmoid", "--at", "4.6"]),
        ({}, ["gelu"]),
        ({"at": [-2, 0, 3], "framework": "jax"}, ["relu", "--at", "-2", "0", "3", "--framework", "jax"]),
        ({"xlim": (-4, 4), "points": 9, "order": 2}, ["tanh", "--xlim", "-4", "4", "--points", "9",
                                                      "--order", "2"]),
        ({"threshold": 0.1, "at": [np.inf, -1e308]}, ["elu", "--threshold", "0.1", "--at", "inf", "-1e308"]),
    ],
)
def test_derive_equals_the_cli_json(kwargs, args):
    name = args[0]
    rep = actviz.derive(name if name != "relu" else "relu", **kwargs)
    assert rep.to_dict() == run_cli("derive", *args, "--format", "json").json


def test_derive_data_is_the_input_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = np.random.default_rng(7).normal(0, 3, 5000).astype(np.float32)
    np.save("pre.npy", x)
    cli = run_cli("derive", "sigmoid", "--input", "pre.npy", "-f", "json").json
    assert cli["summary"]["counts"]["vanishing"] > 0
    for data in (x, np.load("pre.npy", mmap_mode="r")):
        rep = actviz.derive("sigmoid", data=data, source="pre.npy")
        assert isinstance(rep, actviz.api.InputReport) and rep.to_dict() == cli
    as_list = actviz.derive("sigmoid", data=x.tolist(), source="pre.npy").to_dict()  # float64 now
    assert as_list["summary"].pop("dtype") == "float64"
    cli["summary"].pop("dtype")
    assert as_list == cli
    assert "σ → 0" in actviz.derive("sigmoid", data=x)._repr_html_()
    small = [0.5, -3, 2, 8]
    (tmp_path / "small.txt").write_text("0.5\n-3\n2\n8\n")  # one column: no "flattened" note
    assert actviz.derive("sigmoid", data=small).to_dict() == run_cli(
        "derive", "sigmoid", "--input", str(tmp_path / "small.txt"), "-f", "json").json


@pytest.mark.parametrize(
    "logits, kwargs, args",
    [
        ([0.2, 0.02, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75], {}, []),
        ([-1, -2.5, 3], {"labels": "cat,dog,bird"}, ["--labels", "cat,dog,bird"]),
        ([-1, -2.5, 3], {"labels": ["cat", "dog", "bird"], "sort": True},
         ["--labels", "cat,dog,bird", "--sort"]),
        ([1000, 1001, 1002], {"temperature": 0.5}, ["--temperature", "0.5"]),
        ([0, -np.inf, np.inf, np.inf], {"top": 2}, ["--top", "2"]),
        (np.array([[1, 2, 3], [0, 0, 9]], dtype=np.float32), {}, []),
    ],
)
def test_softmax_report_equals_the_cli_json(logits, kwargs, args, tmp_path):
    arr = np.asarray(logits, dtype=np.float64)
    np.save(tmp_path / "z.npy", arr)
    cli = run_cli("softmax", "--input", str(tmp_path / "z.npy"), *args, "--format", "json").json
    assert actviz.softmax_report(logits, **kwargs).to_dict() == cli


@pytest.mark.parametrize(
    "kwargs, args",
    [
        ({}, ["--task", "multiclass"]),
        ({"depth": 12, "framework": "pytorch"},
         ["--task", "binary", "--depth", "12", "--framework", "pytorch"]),
        ({"output_range": "positive", "layer": "output"},
         ["--task", "regression", "--output-range", "positive", "--layer", "output"]),
        ({"units": 10, "framework": "jax"}, ["--task", "multiclass", "--units", "10", "-F", "jax"]),
    ],
)
def test_recommend_equals_the_cli_json(kwargs, args):
    task = args[1]
    assert actviz.recommend(task, **kwargs).to_dict() == run_cli("recommend", *args, "-f", "json").json


@pytest.mark.parametrize(
    "names, kwargs, args",
    [
        (["sigmoid", "relu"], {"depth": 6}, ["sigmoid", "relu", "--depth", "6"]),
        ("selu", {"depth": 5, "init": "lecun", "bias": 0.5}, ["selu", "--depth", "5", "--init", "lecun",
                                                             "--bias", "0.5"]),
        (["relu"], {"depth": 3, "bias": -3.0, "seed": 4},
         ["relu", "--depth", "3", "--bias", "-3", "--seed", "4"]),
    ],
)
def test_flow_equals_the_cli_json(names, kwargs, args):
    small = {"width": 16, "batch": 8}
    cli = run_cli("flow", *args, "--width", "16", "--batch", "8", "-f", "json").json
    assert actviz.flow(names, **small, **kwargs).to_dict() == cli


def test_flow_default_activations_are_the_cli_ones():
    cli = run_cli("flow", "--depth", "2", "--width", "8", "--batch", "4", "-f", "json").json
    assert actviz.flow(depth=2, width=8, batch=4).to_dict() == cli


@pytest.mark.parametrize("spec, args", [("gelu", []), ("leaky_relu:alpha=0.1", ["--framework", "pytorch"]),
                                         ("sigmoid", ["--threshold", "0.001"])])
def test_info_and_catalog_equal_the_cli_json(spec, args):
    fw = "pytorch" if "pytorch" in args else None
    t = 0.001 if "0.001" in args else 0.01
    assert actviz.info(spec, framework=fw, threshold=t).to_dict() == run_cli("info", spec, *args, "-f",
                                                                             "json").json
    assert actviz.catalog_report(framework="jax").to_dict() == run_cli("list", "-F", "jax", "-f", "json").json


def test_to_dict_is_strict_json_data():
    docs = [actviz.derive("exponential", at=[1000.0, np.nan]).to_dict(),
            actviz.softmax_report([0, -np.inf]).to_dict(), actviz.info("relu").to_dict()]
    for doc in docs:
        text = json.dumps(doc, allow_nan=False)  # raises on NaN/Infinity and on NumPy values
        assert json.loads(text) == doc
    assert docs[0]["points"][0]["f"] == "Infinity" and docs[0]["points"][1]["f"] == "NaN"
    assert docs[1]["log_probabilities"][1] == "-Infinity"


# --- tables: rich prints the command's output ----------------------------------------------
@pytest.mark.parametrize(
    "report, args",
    [
        (lambda: actviz.softmax_report([0.2, 1.3, 3.75], labels="a,b,c"), ["softmax", "0.2", "1.3", "3.75",
                                                                            "--labels", "a,b,c"]),
        (lambda: actviz.derive("relu", at=[-1, 0, 2]), ["derive", "relu", "--at", "-1", "0", "2"]),
        (lambda: actviz.recommend("binary", depth=12), ["recommend", "--task", "binary", "--depth", "12"]),
        (lambda: actviz.flow(["tanh", "relu"], depth=4, width=8, batch=8),
         ["flow", "tanh", "relu", "--depth", "4", "--width", "8", "--batch", "8"]),
        (lambda: actviz.info("elu"), ["info", "elu"]),
        (lambda: actviz.catalog_report(), ["list"]),
    ],
    ids=["softmax", "derive", "recommend", "flow", "info", "list"],
)
def test_rich_printing_a_report_prints_the_command_tables(report, args):
    same_lines(printed(report(), width=120), run_cli(*args, columns=120).out)


# --- HTML ----------------------------------------------------------------------------------
def test_softmax_html_is_a_table_with_every_number():
    res = actviz.softmax_report([0.2, 1.3, 3.75], labels=["cat", "dog", "bird"])
    page = parse_html(res._repr_html_())
    assert "table" in page.tags and "th" in page.tags
    row = res.rows[0]
    shown = set(numbers(" ".join(page.cells)))  # every digit, in the tables' spelling (−, e−16)
    for i in range(3):
        assert float(row.probabilities[i]) in shown
        assert float(row.log_probabilities[i]) in shown
    assert "▶ bird" in page.cells and "sum" in page.cells


def test_derive_html_has_the_values_saturation_and_kinks():
    rep = actviz.derive("selu", at=[-1.5, 0.0, 2.0])
    page = parse_html(rep._repr_html_())
    assert page.tags.count("table") == 3  # values, saturation, kinks
    shown = set(numbers(" ".join(page.cells)))
    assert float(rep.points[0].f) in shown and rep.regions[0].end in shown
    big = actviz.derive("sigmoid", data=np.linspace(-8, 8, 1001))
    cells = parse_html(big._repr_html_()).cells
    assert "1,001" in cells and "active" in cells


def test_flow_recommend_info_list_html():
    flo = actviz.flow(["sigmoid", "relu"], depth=10, width=16, batch=16)
    page = parse_html(flo._repr_html_())
    verdict = flo.verdicts[0].text
    assert page.tags.count("table") == 3 and verdict in flo._repr_html_().replace("&#x27;", "'")
    adv = actviz.recommend("multiclass")
    text = adv._repr_html_()
    parse_html(text)
    assert "<pre><code>" in text and "softmax" in text
    cat = parse_html(actviz.catalog_report()._repr_html_())
    assert set(actviz.names()) <= set(cat.cells)
    info = parse_html(actviz.info("selu")._repr_html_())
    assert any("1.0507" in c for c in info.cells) and "output range" in info.cells


def test_activation_shows_itself_as_html_with_a_plot_and_as_png():
    act = actviz.get("gelu")
    page = parse_html(act._repr_html_())
    assert act.formula.text.removeprefix("f(x) = ") in act._repr_html_()
    assert len(page.images) == 1 and "smoothness" in page.cells
    src = page.images[0]["src"] or ""
    assert src.startswith("data:image/png;base64,")
    png = act._repr_png_()
    assert base64.b64decode(src.split(",", 1)[1]) == png
    img = decode_png(png)
    assert img.shape[:2] == (440, 640)
    assert close_to(img, "#0072b2").sum() > 500  # the curves in the first palette colour


# --- figures -------------------------------------------------------------------------------
def decode_png(data: bytes) -> np.ndarray:
    from matplotlib.image import imread

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return imread(io.BytesIO(data), format="png")[:, :, :3]


def close_to(img: np.ndarray, hex_colour: str, tol: float = 0.06) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.all(np.abs(img - rgb) < tol, axis=-1)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_plot_figure_saves_the_cli_bytes(fmt, tmp_path):
    cli = tmp_path / f"cli.{fmt}"
    run_cli("plot", "relu", "gelu", "--grad", "-o", str(cli))
    fig = actviz.plot("relu", "gelu", grad=True)
    fig.savefig(tmp_path / f"api.{fmt}")  # plain savefig: reproducible settings, the CLI's bytes
    assert (tmp_path / f"api.{fmt}").read_bytes() == cli.read_bytes()
    from actviz.render.figure_file import save

    out = io.BytesIO()
    save(fig, out, fmt)
    assert out.getvalue() == cli.read_bytes()
    if fmt == "png":
        assert fig._repr_png_() == cli.read_bytes()


def test_plot_into_a_users_axes_draws_there(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3), dpi=100)
    left, right = fig.subplots(1, 2)
    back = actviz.plot("sigmoid", grad=True, xlim=(-6, 6), ax=right)
    assert back is right and not left.lines
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels[:2] == ["sigmoid", "sigmoid′"]
    assert right.get_xlim() == (-6.0, 6.0)
    img = decode_png(actviz.render.display.png(fig))
    blue = close_to(img, "#0072b2")
    cols = np.flatnonzero(blue.any(axis=0))
    assert cols.size and cols.min() > img.shape[1] // 2  # only in the right-hand axes


def test_softmax_and_flow_figures_and_axes():
    from matplotlib.figure import Figure

    res = actviz.softmax_report([0.2, 1.3, 3.75])
    img = decode_png(res.figure()._repr_png_())
    from actviz.render.figure import LIGHT

    assert close_to(img, LIGHT.palette[1]).sum() > 1000  # the argmax bar in plot's second colour
    fig = Figure()
    ax = fig.subplots()
    assert res.figure(ax) is fig and len(ax.patches) == 3
    assert [p.get_height() for p in ax.patches] == res.rows[0].probabilities.tolist()
    flo = actviz.flow(["sigmoid", "relu"], depth=5, width=8, batch=8)
    f2 = Figure()
    a, b = f2.subplots(1, 2)
    assert flo.figure((a, b)) is f2 and len(a.lines) >= 2 and len(b.lines) == 2
    grads = a.lines[0].get_ydata()
    assert list(grads) == [s.grad_log10 for s in flo.results[0].layers]
    with pytest.raises(ValueError, match="two Axes"):
        flo.figure([a])
    assert decode_png(flo.figure()._repr_png_()).shape[:2] == (460, 1100)


# --- inputs --------------------------------------------------------------------------------
class FakeTorchTensor:
    """Stands in for a ``torch.Tensor`` that needs ``detach().cpu().numpy()`` (no ``__array__``)."""

    __module__ = "torch.fake"

    def __init__(self, values):
        self.values = np.asarray(values, dtype=np.float32)
        self.calls: list[str] = []

    def detach(self):
        self.calls.append("detach")
        return self

    def cpu(self):
        self.calls.append("cpu")
        return self

    def numpy(self):
        self.calls.append("numpy")
        return self.values


def test_tensors_are_converted_not_rejected():
    t = FakeTorchTensor([-1.0, 0.5, 2.0])
    y = actviz.get("relu")(t)
    assert y.dtype == np.float32 and y.tolist() == [0.0, 0.5, 2.0] and t.calls == ["detach", "cpu", "numpy"]
    expected = actviz.softmax_report([1, 2, 3]).to_dict()
    assert actviz.softmax_report(FakeTorchTensor([1, 2, 3])).to_dict() == expected
    assert actviz.derive("tanh", at=FakeTorchTensor([0.5])).points[0].x == 0.5
    p = actviz.softmax(FakeTorchTensor([1, 2, 3]))
    assert p.dtype == np.float32 and p.tolist() == actviz.softmax(np.float32([1, 2, 3])).tolist()


def test_real_tensors_when_installed():
    found = False
    for package in ("torch", "jax.numpy"):
        try:
            lib = __import__(package, fromlist=["_"])
        except ImportError:
            continue
        found = True
        x = lib.asarray([0.5, -2.0]) if package != "torch" else lib.tensor([0.5, -2.0], requires_grad=True)
        assert np.allclose(actviz.get("sigmoid")(x), actviz.get("sigmoid")(np.array([0.5, -2.0], np.float32)))
    if not found:
        pytest.skip("neither PyTorch nor JAX is installed")


def test_scalars_lists_arrays_everywhere():
    assert actviz.derive("relu", at=2).to_dict() == actviz.derive("relu", at=np.array([2.0])).to_dict()
    assert actviz.softmax_report((1, 2)).to_dict() == actviz.softmax_report(np.array([1.0, 2.0])).to_dict()
    act = actviz.get("elu")
    assert actviz.plot(act).axes[0].get_lines()  # an Activation object is taken as it is


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: actviz.derive("relux"), "did you mean 'relu'"),
        (lambda: actviz.derive("relu", xlim=(3, 1)), "xlim needs min < max"),
        (lambda: actviz.derive("relu", at=[1], data=[1, 2]), "data cannot be combined"),
        (lambda: actviz.derive("relu", points=1), "points must be between 2"),
        (lambda: actviz.derive("relu", data=[]), "no numbers"),
        (lambda: actviz.derive("relu", at=["a"]), "expected real numbers"),
        (lambda: actviz.softmax_report([1, np.nan]), "logit 1 is NaN"),
        (lambda: actviz.softmax_report([1, 2], labels="a"), "1 label for 2 logits"),
        (lambda: actviz.softmax_report([1, 2], temperature=0), "temperature must be"),
        (lambda: actviz.softmax_report(np.zeros((2, 2, 2))), "got shape"),
        (lambda: actviz.recommend("clustering"), "unknown task"),
        (lambda: actviz.recommend("binary", depth=2.5), "depth must be a whole number"),
        (lambda: actviz.flow("relu", depth=0), "depth must be between 1"),
        (lambda: actviz.flow("relu", init="orthogonal"), "unknown init"),
        (lambda: actviz.plot(), "at least one activation"),
        (lambda: actviz.plot("relu", threshold=-1), "threshold must be"),
        (lambda: actviz.plot("relu", theme="pink"), "theme must be"),
        (lambda: actviz.plot("relu", xlim=(1e16, 2e16)), "xlim must stay within ±1e+15"),
        (lambda: actviz.plot("relu", xlim=(1, 1 + 2**-52)), "too narrow to plot"),
        (lambda: actviz.plot("relu", ylim=(0, np.inf)), "ylim needs finite numbers"),
        (lambda: actviz.plot("relu", size=(1, 1)), "size takes width and height"),
        (lambda: actviz.plot("relu", dpi=5000), "dpi must be between 30 and 1200"),
        (lambda: actviz.plot("relu", size=(40, 40), dpi=1200), "too large"),
        (lambda: actviz.plot("relu", points=10**7), "points must be between 2"),
        (lambda: actviz.plot(*["relu"] * 9), "at most 8 activations"),
        (lambda: actviz.derive(actviz.get("elu"), framework="jax"), "follows tensorflow's conventions"),
    ],
)
def test_bad_input_is_one_clear_value_error(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_reports_have_a_short_useful_repr():
    reprs = {
        "softmax": repr(actviz.softmax_report([0.2, 1.3, 3.75], labels="a,b,c")),
        "flow": repr(actviz.flow(["sigmoid", "relu"], depth=10, width=16, batch=16)),
        "derive": repr(actviz.derive("sigmoid", at=[1, 2])),
        "recommend": repr(actviz.recommend("multiclass")),
        "info": repr(actviz.info("gelu")),
        "catalog": repr(actviz.catalog_report()),
    }
    assert reprs["softmax"] == "SoftmaxResult(3 logits, argmax 'c': p=0.896846)"
    assert reprs["flow"] == "FlowReport(depth=10, width=16: sigmoid vanishing, relu stable)"
    assert reprs["derive"] == "DeriveReport('sigmoid', tensorflow, 2 points, 2 saturation regions)"
    assert "hidden='relu'" in reprs["recommend"] and "output='softmax'" in reprs["recommend"]
    assert reprs["info"] == "Info('gelu:approximate=false', framework='tensorflow')"
    assert reprs["catalog"].startswith("Catalog(") and all(len(r) < 120 for r in reprs.values())


def test_reports_are_frozen():
    for rep in (actviz.derive("relu", at=1), actviz.softmax_report([1, 2]), actviz.recommend("binary"),
                actviz.flow("relu", depth=2, width=4, batch=4), actviz.info("relu"), actviz.catalog_report()):
        field = dataclasses.fields(rep)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(rep, field, None)


# --- cost and side effects -----------------------------------------------------------------
PROBE = """
import os, sys
os.chdir(sys.argv[1])
import actviz
before = sorted(m.split('.')[0] for m in sys.modules)
rep = actviz.derive('sigmoid', at=[1]); actviz.softmax_report([1, 2]); actviz.recommend('binary')
actviz.flow('relu', depth=2, width=4, batch=4); actviz.info('gelu').to_dict()
tables = sorted(m.split('.')[0] for m in sys.modules)
rep._repr_html_(); actviz.softmax_report([1, 2])._repr_html_()
fig = actviz.plot('relu', 'gelu', grad=True); png = fig._repr_png_(); actviz.get('gelu')._repr_png_()
actviz.softmax_report([1, 2]).figure(); actviz.flow('relu', depth=2, width=4, batch=4).figure()
print(repr((before, tables, 'matplotlib.pyplot' in sys.modules, os.listdir('.'), len(png))))
"""


def test_import_is_cheap_and_calls_touch_neither_pyplot_nor_disk(tmp_path):
    import ast

    work, home = tmp_path / "work", tmp_path / "home"  # Matplotlib may keep its font cache in HOME
    work.mkdir()
    home.mkdir()
    done = subprocess.run([sys.executable, "-c", PROBE, str(work)], capture_output=True, text=True,
                          timeout=300, env={"PATH": "", "MPLBACKEND": "Agg", "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    before, tables, pyplot, files, png_size = ast.literal_eval(done.stdout.strip())
    assert "numpy" not in before and "matplotlib" not in before
    assert "matplotlib" not in tables  # info's HTML has a picture, but was not asked for above
    assert not pyplot and files == [] and png_size > 10_000


def test_api_docstring_examples_run():
    import actviz.core.arrays
    import actviz.core.checks
    import actviz.core.jsonsafe

    for module in (actviz.api, actviz.core.jsonsafe, actviz.core.arrays, actviz.core.checks):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_readme_python_api_examples_run(tmp_path, monkeypatch):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Python API\n")
    section = readme[start:readme.index("\n## ", start + 1)]
    blocks = re.findall(r"^```pycon\n(.*?)^```", section, flags=re.M | re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)  # the example saves a file
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for block in blocks:
        runner.run(parser.get_doctest(block, {}, "README", "README.md", 0))
    assert runner.failures == 0 and runner.tries >= 10
    cli = tmp_path / "cli.png"
    run_cli("plot", "relu", "gelu", "--grad", "-o", str(cli))
    assert (tmp_path / "relu_gelu.png").read_bytes() == cli.read_bytes()


def test_lazy_attributes_survive_the_modules_they_share_a_name_with():
    import importlib

    importlib.import_module("actviz.flow.simulate")  # the package behind actviz.flow
    assert callable(actviz.flow) and actviz.flow is actviz.api.flow
    assert actviz.softmax_report is actviz.api.softmax_report
    calls = {"plot", "derive", "softmax_report", "recommend", "flow", "info", "catalog_report"}
    assert calls <= set(dir(actviz))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        actviz.nope  # noqa: B018
