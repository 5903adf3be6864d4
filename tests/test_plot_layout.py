"""Crowded plots (#18): layouts, legend places, a growing figure, labels, f′ over f, the gallery,
region labels that say where they hold, curve keys without colour, one-line glyph warnings and
the softmax / flow charts.

Pixels are read back from decoded PNGs; where a curve must be comes from reasoning (relu(5) = 5,
σ′ ≤ 1/4) or from mpmath, never from our own formulas.
"""

from __future__ import annotations

import io
import math
import re

import mpmath
import numpy as np
import pytest

import actviz
from actviz.catalog.registry import get, names, parse_spec
from actviz.render import figure, figure_file, figure_frame, terminal
from actviz.scene import build_scene, curve_label, plot_label, region_where, shades
from tests.conftest import run_cli


def decode(fig) -> np.ndarray:
    from matplotlib.image import imread

    buffer = io.BytesIO()
    figure_file.save(fig, buffer, "png")
    return imread(io.BytesIO(buffer.getvalue()), format="png")[:, :, :3]


def build(specs, orders=(0, 1), size=None, **options):
    acts = [parse_spec(s) for s in specs]
    scene = build_scene(acts, list(orders), shade=1 in orders)
    with figure.style(figure.LIGHT):
        fig = figure.build_figure(scene, size=size, **options)
        return fig, decode(fig)


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def pixel(ax, x, y, image):
    px, py = ax.transData.transform((x, y))
    return int(round(image.shape[0] - py)), int(round(px))


def near(image, row, col, colour, radius=2, tol=0.12) -> bool:
    patch = image[max(0, row - radius) : row + radius + 1, max(0, col - radius) : col + radius + 1]
    return bool((np.abs(patch - colour).max(axis=2) < tol).any())


# --- labels -----------------------------------------------------------------------------------
def test_labels_leave_out_parameters_at_their_defaults():
    assert plot_label(get("gelu")) == "gelu"
    assert plot_label(parse_spec("gelu:approximate=true")) == "gelu (approx=true)"
    assert plot_label(get("leaky_relu")) == "leaky_relu"
    assert plot_label(parse_spec("leaky_relu:alpha=0.1")) == "leaky_relu (α=0.1)"
    assert curve_label(get("silu"), 1) == "silu′"
    fig, _ = build(["gelu", "elu", "silu"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:6] == ["gelu", "gelu′", "elu", "elu′", "silu", "silu′"]


def test_help_states_the_limit_and_the_new_options():
    text = run_cli("plot", "--help").out
    assert "at most 8" in text
    for option in ("--layout", "--legend", "--gallery", "stacked", "grid"):
        assert option in text


# --- layouts ----------------------------------------------------------------------------------
def test_grid_layout_one_panel_per_activation_with_its_own_curves():
    specs = ["relu", "sigmoid", "tanh", "elu"]
    fig, img = build(specs, layout="grid")
    assert len(fig.axes) == 4
    assert [ax.get_title() for ax in fig.axes] == specs
    relu_ax, sigmoid_ax = fig.axes[0], fig.axes[1]
    assert {line.get_gid() for line in relu_ax.get_lines() if (line.get_gid() or "").startswith("curve")} == {
        "curve-0-0", "curve-0-1"}
    # Each panel fits its own y-range: sigmoid's axes stop near 1, not at relu's 10.
    assert sigmoid_ax.get_ylim()[1] < 1.5 and relu_ax.get_ylim()[1] > 9.5
    assert near(img, *pixel(relu_ax, 5, 5, img), rgb(figure.LIGHT.palette[0]))
    assert near(img, *pixel(sigmoid_ax, 0, 0.5, img), rgb(figure.LIGHT.palette[1]))


def test_grid_shapes_leave_no_empty_row():
    shapes = {n: figure_frame.grid_shape(n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 42)}
    assert shapes == {1: (1, 1), 2: (1, 2), 3: (1, 3), 4: (2, 2), 5: (2, 3), 6: (2, 3), 7: (2, 4), 8: (2, 4),
                      42: (6, 7)}
    assert all(rows * cols >= n and (rows - 1) * cols < n for n, (rows, cols) in shapes.items())


def test_stacked_layout_puts_the_derivative_on_its_own_axes():
    fig, img = build(["sigmoid", "tanh"], layout="stacked")
    top, bottom = fig.axes
    assert top.get_ylabel() == "f(x)" and bottom.get_ylabel() == "f′(x)"
    assert {line.get_gid() for line in bottom.get_lines() if line.get_gid()} >= {"curve-0-1", "curve-1-1"}
    assert not any((line.get_gid() or "").endswith("-1") for line in top.get_lines())
    assert bottom.get_ylim()[1] < 1.6  # tanh′ ≤ 1: not squashed under f
    assert bottom.get_position().y1 < top.get_position().y0  # below, not over
    assert near(img, *pixel(bottom, 0, 0.25, img), rgb(figure.LIGHT.palette[0]), radius=8)  # σ′(0) = 1/4


@pytest.mark.parametrize("specs, orders", [
    (["gelu", "clipped_gelu:max_val=9"], (0, 1, 2)),  # 9 entries: Matplotlib puts 3, 2, 2, 2 in 4 columns
    (["relu", "elu", "selu", "gelu", "silu"], (0, 1)),
    (["relu6", "hard_sigmoid:slope=0.2,offset=0.5", "softcap:cap=3"], (0, 1, 2)),
])
def test_a_legend_below_stays_inside_the_figure(specs, orders):
    fig, _ = build(specs, orders=orders)
    fig.canvas.draw()
    box, page = fig.legends[0].get_window_extent(), fig.bbox
    assert box.x0 >= page.x0 and box.x1 <= page.x1, (box, page)


@pytest.mark.parametrize("where", ["right", "inside", "none"])
def test_legend_places(where):
    fig, _ = build(["relu", "elu", "selu"], legend=where)
    ax = fig.axes[0]
    if where == "none":
        assert not fig.legends and ax.get_legend() is None
    elif where == "inside":
        assert not fig.legends and ax.get_legend() is not None
    else:
        legend = fig.legends[0]
        fig.canvas.draw()
        box = legend.get_window_extent()
        assert box.x0 >= ax.get_window_extent().x1  # right of the axes, not over them
        assert fig.get_size_inches()[0] > 6.4  # the figure grew to make room


def test_grid_legend_inside_takes_a_free_panel_place():
    fig, _ = build(["relu", "gelu", "silu", "elu", "selu"], layout="grid", legend="inside")
    fig.canvas.draw()
    box = fig.legends[0].get_window_extent()
    assert not any(box.overlaps(ax.get_window_extent()) for ax in fig.axes)  # over no panel
    assert box.x0 > fig.axes[4].get_window_extent().x1  # in the free place right of selu


def test_figure_grows_with_the_legend_so_the_axes_keep_their_room():
    eight = ["relu", "leaky_relu", "gelu", "silu", "elu", "selu", "mish", "softplus"]
    fig, _ = build(eight)
    one, _ = build(["relu"])
    h8 = fig.axes[0].get_position().height * fig.get_size_inches()[1]
    h1 = one.axes[0].get_position().height * one.get_size_inches()[1]
    assert fig.get_size_inches()[1] > 4.8
    assert h8 >= 0.95 * h1  # the crowded figure's axes are not squeezed
    # The saturation strips take a fixed height each, not a third of the axes.
    assert 7 * figure_frame.STRIP_IN < 0.45 * h8


def test_a_fixed_size_too_small_is_one_clear_error(tmp_path):
    result = run_cli("plot", "relu", "elu", "selu", "gelu", "--grad", "--layout", "grid", "--size", "3", "2",
                     "-o", str(tmp_path / "x.png"), expect=2)
    assert result.err.startswith("Error: ") and result.err.count("\n") == 1
    assert "--size" in result.err and not (tmp_path / "x.png").exists()
    narrow = run_cli("plot", "relu", "elu", "--grad", "--legend", "right", "--size", "3", "4",
                     "-o", str(tmp_path / "x.png"), expect=2)
    assert "wide (--size)" in narrow.err and narrow.err.count("\n") == 1


def test_api_layout_and_legend():
    fig = actviz.plot("relu", "gelu", grad=True, layout="grid", legend="none")
    assert len(fig.axes) == 2 and not fig.legends
    with pytest.raises(ValueError, match="layout"):
        actviz.plot("relu", layout="spiral")
    from matplotlib.figure import Figure

    with pytest.raises(ValueError, match="new figure"):
        actviz.plot("relu", layout="grid", ax=Figure().add_subplot())


# --- f′ over f --------------------------------------------------------------------------------
def test_relu_grad_on_relu_stays_visible():
    """relu′ = relu = 0 for x < 0: the dashes are drawn over the solid line with a background
    halo, so the line at y = 0 shows gaps in the background colour every dash; f alone has none."""
    def gaps(orders):
        fig, img = build(["relu"], orders)
        ax = fig.axes[0]
        row = pixel(ax, -5, 0, img)[0]
        cols = [pixel(ax, x, 0, img)[1] for x in (-9.0, -1.0)]
        band = img[row - 2 : row + 3, cols[0] : cols[1]]
        return int((band.min(axis=2) > 0.97).any(axis=0).sum()), fig

    with_grad, fig = gaps((0, 1))
    alone, _ = gaps((0,))
    assert alone == 0 and with_grad > 10
    assert "f′ lies on f" in [t.get_text() for t in fig.axes[0].texts]


def test_overlaps_are_footnoted_when_several_share_the_axes():
    acts = [get("relu"), parse_spec("leaky_relu:alpha=0.01")]
    scene = build_scene(acts, [0, 1])
    relu, leaky = scene.overlaps
    assert (relu.index, relu.start, relu.end) == (0, -10.0, 0.0)  # relu′ = relu = 0 on all of x ≤ 0
    assert leaky.index == 1 and leaky.start < -4 and leaky.end == 0.0  # 0.01 vs 0.01·x: one line there
    fr = figure_frame.frame(scene)
    text = " ".join(fr.notes)
    assert "relu′ lies on relu for −10 ≤ x ≤ 0" in text
    assert not build_scene([get("sigmoid"), get("tanh")], [0]).overlaps  # no f′ drawn: nothing to say


# --- region labels ------------------------------------------------------------------------------
def test_region_labels_name_the_whole_side_not_the_plot_edge():
    (dead,) = shades(get("relu"), 0, (-10.0, 10.0), 0.01)
    assert dead.label == "dead: f′ = 0 for x ≤ 0" and "10" not in dead.label
    assert dead.short == "dead: f′ = 0"
    (everywhere,) = shades(get("sigmoid"), 0, (-3.0, 3.0), 0.3)  # sup σ′ = 1/4 < 0.3
    assert everywhere.label == "|f′| < 0.3 everywhere"
    (step,) = shades(get("step"), 0, (-10.0, 10.0), 0.01)
    assert step.label == "dead: f′ = 0 everywhere"
    left, right = shades(get("hard_tanh"), 0, (-10.0, 10.0), 0.01)  # f′ = 0 outside [−1, 1]
    assert (left.label, right.label) == ("dead: f′ = 0 for x < −1", "dead: f′ = 0 for x > 1")
    assert region_where(-math.inf, math.inf) == "everywhere"
    assert region_where(-math.inf, 0.0) == "x ≤ 0" and region_where(2.5, math.inf) == "x ≥ 2.5"


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu", "softplus", "gelu"])
def test_rounded_region_bounds_never_claim_a_point_outside(name):
    """"x > 4.585" for σ′ < 0.01 must hold at the stated bound (checked with mpmath)."""
    mpmath.mp.dps = 40
    exact = {"sigmoid": lambda x: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2,
             "tanh": lambda x: 1 - mpmath.tanh(x) ** 2,
             "elu": lambda x: mpmath.exp(x) if x < 0 else mpmath.mpf(1),
             "softplus": lambda x: 1 / (1 + mpmath.exp(-x)),
             "gelu": lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x)}[name]
    for s in shades(get(name), 0, (-10.0, 10.0), 0.01):
        for bound in re.findall(r"x [<>] (−?[\d.]+)", s.label):
            b = float(bound.replace("−", "-"))
            assert abs(exact(mpmath.mpf(b))) < 0.01, (s.label, b)


# --- gallery ------------------------------------------------------------------------------------
def test_gallery_draws_every_elementwise_entry_deterministically(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run_cli("plot", "--gallery")
    assert re.fullmatch(r"Wrote gallery\.png \(PNG, \d+×\d+ px\)\n", first.err)
    data = (tmp_path / "gallery.png").read_bytes()
    run_cli("plot", "--gallery", "-o", "again.png")
    assert (tmp_path / "again.png").read_bytes() == data  # same command, same bytes
    assert len(data) < 3_000_000
    from matplotlib.image import imread

    img = imread(io.BytesIO(data), format="png")
    assert img.shape[1] > img.shape[0] > 1500  # a poster, wider than high
    scene = build_scene([get(n) for n in names("elementwise")], [0, 1])
    with figure.style(figure.LIGHT):
        fig = figure.build_figure(scene, size=None, layout="grid", compact=True, title="")
    assert [ax.get_title() for ax in fig.axes] == names("elementwise")
    assert run_cli("plot", "relu", "--gallery", expect=2).err.startswith("Error: --gallery")


# --- warnings -----------------------------------------------------------------------------------
def test_mathtext_title_with_a_missing_glyph_gives_one_line(tmp_path):
    result = run_cli("plot", "sigmoid", "--title", "$x$ 激", "-o", str(tmp_path / "s.png"))
    lines = result.err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("Wrote ")  # no raw "Font 'default' does not have…"
    assert lines[1] == "warning: the font (DejaVu Sans) has no glyph for 激; they are drawn as boxes"


# --- terminal without colour ----------------------------------------------------------------------
def test_braille_without_colour_labels_every_curve():
    scene = build_scene([get("sigmoid"), get("relu")], [0])
    size = terminal.Size(cols=70, rows=16)
    lines = terminal.render(scene, size, labels=True)
    rows = ["".join(ch for ch, _ in line[1:]) for line in lines[: size.rows]]
    legend = terminal.plain(lines)
    assert "a ─── sigmoid" in legend and "b ─── relu" in legend
    plain = terminal.plain(terminal.render(scene, size))
    assert "a ─── sigmoid" not in plain  # with colour: no keys
    for key in ("a", "b"):
        spots = [(r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == key]
        assert spots, key
        r, c = spots[0]
        around = [rows[rr][cc] for rr in range(max(0, r - 1), min(len(rows), r + 2))
                  for cc in range(max(0, c - 3), min(len(rows[rr]), c + 4))]
        assert any(0x2800 < ord(ch) <= 0x28FF for ch in around)  # next to a curve


def test_no_color_cli_terminal_plot_has_keys():
    env = {"COLUMNS": "80", "LINES": "30"}
    out = run_cli("plot", "tanh", "relu", "--terminal", env=env, columns=None).out
    assert "a ─── tanh" in out and "b ─── relu" in out


# --- charts -------------------------------------------------------------------------------------
def test_softmax_bars_rotate_labels_only_when_they_would_overlap(tmp_path):
    from actviz.render import softmax_chart

    assert not softmax_chart.rotate_labels(["cat", "dog", "bird"], 5.0)
    assert softmax_chart.rotate_labels([f"category_{i}" for i in range(30)], 5.0)
    run_cli("softmax", "1", "2", "3", "--labels", "cat,dog,bird", "--plot", str(tmp_path / "p.png"))
    from actviz.api import softmax_report

    fig = softmax_chart.figure(softmax_report([1.0, 2.0, 3.0], labels=["cat", "dog", "bird"]))
    ax = fig.axes[0]
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())
    colours = {tuple(round(v, 3) for v in p.get_facecolor()[:3]) for p in ax.patches}
    assert colours == {tuple(round(v, 3) for v in rgb(c)) for c in figure.LIGHT.palette[:2]}


def test_flow_chart_label_and_labelled_guide_lines():
    from actviz.render import flow_chart

    report = actviz.flow("relu", depth=3, width=16, batch=4)
    fig = flow_chart.figure(report)
    ax = fig.axes[0]
    assert "_" not in ax.get_ylabel().replace("\\delta_", "")  # mathtext subscripts, not underscores
    assert ax.get_ylabel().startswith("$")
    guides = {line.get_gid(): line.get_ydata()[0] for line in ax.get_lines()
              if (line.get_gid() or "").startswith("guide")}
    assert guides == {"guide-vanishing": -2.0, "guide-exploding": 2.0}  # log10 0.01, log10 100
    lo, hi = ax.get_ylim()
    assert lo < -2 and hi > 2  # in view even when every layer's ratio is near 1
    texts = [t.get_text() for t in ax.texts]
    assert "vanishing below 0.01" in texts and "exploding above 100" in texts


# --- numerics met on the way ----------------------------------------------------------------------
def test_squareplus_grad_far_left_has_no_overflow():
    x = np.array([-8.4384485244963e149, -1e145, -1e140, -1e200])
    got = get("squareplus").grad(x)  # a RuntimeWarning would fail here (pytest turns them into errors)
    mpmath.mp.dps = 60
    for xi, gi in zip(x, got, strict=True):
        h = mpmath.sqrt(mpmath.mpf(xi) ** 2 + 4)
        want = float(4 / (2 * h * (h - mpmath.mpf(xi))))
        assert abs(gi - want) <= 2 * np.spacing(want)
