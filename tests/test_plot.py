"""``actviz plot``: real files read back, honest kinks, determinism, bad input, atomic writes.

Where a curve must be is known by reasoning (relu(5) = 5, leaky_relu(−9) = −0.09 for α = 0.01,
sigmoid(−3) ≈ 0.047, tanh(−3) ≈ −0.995); the figure's own data transform only turns those data
points into pixels, and the pixels are read back from the decoded PNG.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from actviz.catalog.registry import get, parse_spec
from actviz.render import figure, figure_file
from actviz.scene import MAX_POINTS, build_scene, sample_grid
from tests.conftest import run_cli

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def invoke(*args: str, env: dict | None = None):
    return run_cli("plot", *args, env=env, expect=None, columns=None)


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def decode_png(data: bytes) -> np.ndarray:
    from matplotlib.image import imread

    return imread(io.BytesIO(data), format="png")[:, :, :3]


def draw(specs: list[str], orders=(0, 1), theme=figure.LIGHT, framework=None, **scene_args):
    """Build the figure the command builds; return (figure, axes, decoded PNG pixels)."""
    acts = [parse_spec(s, framework=framework) for s in specs]
    scene = build_scene(acts, list(orders), shade=1 in orders, **scene_args)
    buffer = io.BytesIO()
    with figure.style(theme):
        fig = figure.build_figure(scene, theme=theme)
        figure_file.save(fig, buffer, "png")
    return fig, fig.axes[0], decode_png(buffer.getvalue())


def pixel(ax, x: float, y: float, image: np.ndarray) -> tuple[int, int]:
    """Row and column in the image of the data point (x, y)."""
    px, py = ax.transData.transform((x, y))
    return int(round(image.shape[0] - py)), int(round(px))


def colour_near(image, row, col, colour, radius=2, tol=0.12) -> bool:
    """Is ``colour`` (RGB 0–1) within ``tol`` somewhere in the square around (row, col)?"""
    patch = image[max(0, row - radius) : row + radius + 1, max(0, col - radius) : col + radius + 1]
    return bool((np.abs(patch - colour).max(axis=2) < tol).any())


# --- the picture ------------------------------------------------------------------------------
def test_png_curves_are_where_the_math_says():
    fig, ax, img = draw(["relu"])
    blue = rgb(figure.LIGHT.palette[0])
    assert img.shape[:2] == (720, 960)  # 6.4 × 4.8 in at 150 dpi
    assert colour_near(img, *pixel(ax, 5, 5, img), blue)  # relu(5) = 5, solid
    assert colour_near(img, *pixel(ax, -5, 0, img), blue)  # relu(−5) = 0
    # relu′ = 1 for x > 0, dashed: the colour shows up along the line, not necessarily at one x.
    row, col = pixel(ax, 5, 1, img)
    assert colour_near(img, row, col, blue, radius=12)
    # Nothing at (5, 3): between relu′ = 1 and relu(3) = 3's line, away from both.
    assert not colour_near(img, *pixel(ax, 6, 3, img), blue, radius=3)
    assert get("relu").formula.text in [t.get_text() for t in fig.texts]  # the formula as the title


def test_no_vertical_line_across_the_jump_in_relu_grad():
    fig, ax, img = draw(["relu"])
    blue = rgb(figure.LIGHT.palette[0])
    # f′ jumps from 0 to 1 at x = 0: nothing blue between the two one-sided limits on x = 0
    # (the grey y-axis runs there), only the dots at 0 (taken) and 1 (the other limit).
    for y in (0.3, 0.5, 0.7):
        assert not colour_near(img, *pixel(ax, 0, y, img), blue, radius=1)
    row, col = pixel(ax, 0, 1, img)
    assert not colour_near(img, row, col, blue, radius=1)  # the open dot: hollow in the middle
    assert colour_near(img, row, col, blue, radius=6)  # with a ring around it
    assert colour_near(img, *pixel(ax, 0, 0, img), blue, radius=1)  # the filled dot: tensorflow's 0


def test_small_leaky_slope_stays_visible():
    fig, ax, img = draw(["leaky_relu:alpha=0.01"])
    blue = rgb(figure.LIGHT.palette[0])
    row, col = pixel(ax, -9, -0.09, img)  # leaky_relu(−9) = −0.09
    axis_row, _ = pixel(ax, -9, 0.0, img)
    assert row - axis_row >= 3  # visibly below the x-axis
    assert colour_near(img, row, col, blue, radius=1)
    texts = [t.get_text() for t in ax.texts]
    assert "slope 0.01" in texts


def test_two_activations_get_distinct_colours_where_they_are():
    fig, ax, img = draw(["sigmoid", "tanh"])
    c0, c1 = rgb(figure.LIGHT.palette[0]), rgb(figure.LIGHT.palette[1])
    assert np.abs(c0 - c1).max() > 0.3
    s_row, s_col = pixel(ax, -3, 1 / (1 + np.exp(3)), img)
    t_row, t_col = pixel(ax, -3, np.tanh(-3), img)
    assert colour_near(img, s_row, s_col, c0) and not colour_near(img, s_row, s_col, c1)
    assert colour_near(img, t_row, t_col, c1) and not colour_near(img, t_row, t_col, c0)
    assert not any("=" in t.get_text() for t in fig.texts)  # no title: there is no single formula


def test_dark_theme_background_and_curves():
    fig, ax, img = draw(["tanh"], theme=figure.DARK)
    assert np.abs(img[2, 2] - rgb(figure.DARK.background)).max() < 0.02
    assert colour_near(img, *pixel(ax, 2, np.tanh(2), img), rgb(figure.DARK.palette[0]))


def test_runaway_curve_is_clipped_with_a_note():
    fig, ax, img = draw(["exponential", "relu"])
    y0, y1 = ax.get_ylim()
    assert 30 <= y1 < 60  # clipped near 3·max|x|, not at e^10 ≈ 22026
    assert colour_near(img, *pixel(ax, 5, 5, img), rgb(figure.LIGHT.palette[1]))  # relu not flattened
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "Clipped" in notes and "exponential" in notes and "--ylim" in notes


def test_framework_value_at_the_kink_is_marked():
    # PyTorch's hardtanh backward uses strict inequalities (0 at ±1); TensorFlow returns 1.
    for framework, value in (("pytorch", 0.0), ("tensorflow", 1.0)):
        act = get("hard_tanh", framework=framework)
        scene = build_scene([act], [0, 1])
        at_one = [m for m in scene.marks if m.x == 1.0 and m.order == 1]
        assert len(at_one) == 1
        assert at_one[0].value == value and at_one[0].other == 1.0 - value
        assert scene.framework == framework


# --- sampling ---------------------------------------------------------------------------------
def test_grid_contains_kinks_exactly_and_curves_split_at_jumps():
    grid = sample_grid((-1.0, 1.0), 4, [get("relu")])  # linspace(−1, 1, 4) misses 0
    assert 0.0 in grid and np.all(np.diff(grid) > 0)
    scene = build_scene([get("relu")], [0, 1], xlim=(-1.0, 1.0), points=4)
    f, df = scene.curves
    assert not np.isnan(f.y).any()  # relu itself is continuous
    breaks = np.flatnonzero(np.isnan(df.y))
    assert len(breaks) == 1
    b = breaks[0]
    assert df.x[b - 1] == df.x[b + 1] == 0.0 and df.y[b - 1] == 0.0 and df.y[b + 1] == 1.0


def test_hard_shrink_itself_is_split_where_it_jumps():
    scene = build_scene([get("hard_shrink")], [0], xlim=(-2.0, 2.0))
    assert np.isnan(scene.curves[0].y).sum() == 2  # f jumps at ±λ = ±0.5
    assert not np.isnan(build_scene([get("sigmoid")], [0, 1, 2]).curves[2].y).any()


def test_points_cap_in_the_scene():
    with pytest.raises(ValueError, match="points"):
        build_scene([get("relu")], [0], points=MAX_POINTS + 1)


# --- files ------------------------------------------------------------------------------------
def test_png_file_size_and_status_line(tmp_path):
    out = tmp_path / "r.png"
    result = invoke("relu", "--grad", "--size", "4", "3", "--dpi", "100", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert decode_png(data).shape[:2] == (300, 400)
    assert result.stderr.strip() == f"Wrote {out} (PNG, 400×300 px)"
    assert result.stdout == ""


def test_svg_has_one_path_per_curve_and_split_gradient(tmp_path):
    out = tmp_path / "s.svg"
    result = invoke("sigmoid", "tanh", "relu", "--grad", "--grad2", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    root = ET.parse(out).getroot()
    groups = {g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g")
              if (g.get("id") or "").startswith("curve-")}
    assert len(groups) == 9  # 3 activations × (f, f′, f″)
    relu_grad = groups["curve-2-1"].find("{http://www.w3.org/2000/svg}path").get("d")
    assert len(re.findall(r"M", relu_grad)) == 2  # two pieces: no vertical line at the kink
    sigmoid_grad = groups["curve-0-1"].find("{http://www.w3.org/2000/svg}path").get("d")
    assert len(re.findall(r"M", sigmoid_grad)) == 1
    text = out.read_text()
    assert "<dc:date>" not in text
    grown = re.search(r"SVG, 6\.4×([\d.]+) in", result.stderr)  # 9 legend entries: the figure grows
    assert grown and float(grown.group(1)) > 4.8


def test_pdf_header_and_no_timestamp(tmp_path):
    out = tmp_path / "p.pdf"
    assert invoke("gelu", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/CreationDate" not in data and b"/ModDate" not in data


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_same_command_same_bytes(tmp_path, ext):
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    for out in (a, b):
        assert invoke("relu", "leaky_relu", "--grad", "-o", str(out)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_default_name_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("relu", "--grad").exit_code == 0
    assert invoke("sigmoid", "tanh").exit_code == 0
    assert sorted(os.listdir(tmp_path)) == ["relu_grad.png", "sigmoid_tanh.png"]


def test_default_name_names_parameters_off_their_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for spec in ("gelu", "gelu:approximate=true", "leaky_relu:alpha=0.1", "leaky_relu:alpha=0.2"):
        result = invoke(spec)
        assert result.exit_code == 0, result.stderr
    # leaky_relu's TensorFlow default α is 0.2: that one keeps the plain name
    assert sorted(os.listdir(tmp_path)) == ["gelu.png", "gelu_approximate-true.png",
                                            "leaky_relu.png", "leaky_relu_alpha-0.1.png"]
    assert invoke("elu:alpha=1.5", "--grad").exit_code == 0
    assert (tmp_path / "elu_alpha-1.5_grad.png").is_file()


def test_png_to_stdout():
    result = invoke("relu", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(PNG_SIGNATURE)
    assert decode_png(result.stdout_bytes).shape[:2] == (720, 960)
    assert "Wrote PNG to stdout (960×720 px)" in result.stderr


# --- bad input --------------------------------------------------------------------------------
BAD = [
    (["relux"], 2, "unknown activation"),
    (["relu", "-o", "OUT/x.jpg"], 2, ".png, .svg or .pdf"),
    (["relu", "--xlim", "5", "1"], 2, "min < max"),
    (["relu", "--xlim", "1", "1"], 2, "min < max"),
    (["relu", "--xlim", "nan", "1"], 2, "finite"),
    (["relu", "--xlim", "-inf", "1"], 2, "finite"),
    (["relu", "--ylim", "0", "inf"], 2, "finite"),
    (["relu", "--xlim", "-1e308", "1e308"], 2, "within"),
    (["relu", "--xlim", "1", "1.0000000000001"], 2, "too narrow"),
    (["relu", "--points", str(MAX_POINTS + 1)], 2, "1,000,000"),
    (["relu", "--points", "1"], 2, "--points"),
    (["relu", "--size", "0", "3"], 2, "--size"),
    (["relu", "--dpi", "5"], 2, "--dpi"),
    (["relu", "--threshold", "0"], 2, "threshold"),
    (["relu", "--terminal", "-o", "OUT/x.png"], 2, "--terminal"),
    (["relu"] * 9, 2, "at most 8"),
    (["relu", "-o", "OUT/missing/x.png"], 1, "does not exist"),
    (["relu", "-o", "OUT/folder.png"], 1, "is a folder"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD, ids=[" ".join(a[:3]) for a, _, _ in BAD])
def test_bad_input_is_one_error_line_and_no_file(tmp_path, monkeypatch, args, code, message):
    (tmp_path / "folder.png").mkdir()
    monkeypatch.chdir(tmp_path)
    result = invoke(*[a.replace("OUT", str(tmp_path)) for a in args])
    assert result.exit_code == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert "Traceback" not in result.output
    assert sorted(os.listdir(tmp_path)) == ["folder.png"]  # nothing written, no temporary file
    assert os.listdir(tmp_path / "folder.png") == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = invoke("relu", "-o", str(locked / "x.png"))
    assert result.exit_code == 1 and "not writable" in result.stderr


def test_failure_while_saving_leaves_no_partial_file(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    out = tmp_path / "keep.png"
    out.write_bytes(b"old contents")

    def broken_savefig(self, fh, **kwargs):
        fh.write(b"\x89PNG half a file")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    result = invoke("relu", "--grad", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: cannot write '{out}': disk full"
    assert os.listdir(tmp_path) == ["keep.png"]  # the temporary file is gone
    assert out.read_bytes() == b"old contents"  # the old file is untouched


def test_atomic_write_keeps_permissions_of_an_existing_file(tmp_path):
    from actviz.render.atomic import write_bytes

    target = tmp_path / "t.bin"
    target.write_bytes(b"x")
    os.chmod(target, 0o640)
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert os.listdir(tmp_path) == ["t.bin"]


# --- terminal ---------------------------------------------------------------------------------
def test_terminal_braille_picture():
    from actviz.render import terminal

    scene = build_scene([get("relu")], [0, 1])
    size = terminal.Size(cols=60, rows=15)
    lines = terminal.render(scene, size)
    text = terminal.plain(lines)
    grid = [line[1:] for line in lines[1 : 1 + size.rows]]  # after the title, without the y labels
    cells = [[ch for ch, _ in row] for row in grid]
    braille = [[0x2800 < ord(ch) <= 0x28FF for ch in row] for row in cells]
    assert any(braille[0][-3:])  # relu reaches the top right corner (10, 10)
    assert not any(braille[0][: size.cols // 2])  # and nothing at the top left (relu = 0 there)
    assert "●" in text and "○" in text  # f′ at the kink: taken and other limit
    assert "dead: f′ = 0" in text and "relu′" in text
    assert text.splitlines()[0] == get("relu").formula.text


def test_terminal_ascii_is_pure_ascii_and_fits_the_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("sigmoid", "tanh", "--grad", "--ascii", env={"COLUMNS": "70", "LINES": "24"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.isascii()
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 70
    assert len(lines) <= 24
    assert "sigma -> 1" in result.stdout
    assert os.listdir(tmp_path) == []  # no file


def test_real_entry_point_pipes_png():
    done = subprocess.run([sys.executable, "-m", "actviz", "plot", "tanh", "--grad", "-o", "-"],
                          capture_output=True, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith(PNG_SIGNATURE)
    assert done.stderr.decode().count("\n") == 1


@pytest.mark.parametrize("size", [None, ("4", "3")])
def test_footnotes_stay_inside_the_image(tmp_path, size):
    out = tmp_path / "exp.png"
    args = ["exponential", "--grad", "-o", str(out)] + (["--size", *size] if size else [])
    assert invoke(*args).exit_code == 0
    pixels = decode_png(out.read_bytes())[..., :3].astype(float)  # 0…1
    height, width = pixels.shape[:2]
    notes = pixels[int(height * 0.82):]  # the footnote rows below the legend
    ink = np.any(np.abs(notes - pixels[-1, -1]) > 0.15, axis=2)  # not the background
    assert ink.any(), "the clipping note is drawn"
    columns = np.flatnonzero(ink.any(axis=0))
    assert columns.max() < width - 0.02 * width, (columns.max(), width)  # a margin on the right
    assert columns.min() > 0.02 * width


def test_rrelu_training_band_is_shaded_between_its_slopes():
    # rrelu (l = 1/8, u = 1/3): for x < 0, f lies between u·x and l·x while training. The band is
    # the curve's colour at BAND_ALPHA over the background, inside those lines and nowhere else.
    fig, ax, img = draw(["rrelu"], orders=(0,))
    bg, blue = rgb(figure.LIGHT.background), rgb(figure.LIGHT.palette[0])
    tint = bg * (1 - figure.BAND_ALPHA) + blue * figure.BAND_ALPHA
    lo, hi = 1 / 8, 1 / 3
    for x in (-8.0, -5.0):
        inside = x * (0.5 * (lo + hi) + hi) / 2  # between the inference line and u·x
        assert colour_near(img, *pixel(ax, x, inside, img), tint, radius=0, tol=0.03)
        for outside in (x * hi * 1.25, x * lo * 0.5):  # below u·x, above l·x
            assert colour_near(img, *pixel(ax, x, outside, img), bg, radius=0, tol=0.03)
    assert not colour_near(img, *pixel(ax, 5.0, 2.5, img), tint, radius=3, tol=0.03)  # x > 0: none
    assert ax.get_ylim()[0] < -10 * hi  # the band's lower edge is in view
    # f′ (order 1): the band of slopes [l, u] around the inference slope, for x < 0 only.
    fig, ax, img = draw(["rrelu"], orders=(1,))
    assert colour_near(img, *pixel(ax, -5.0, 0.3, img), tint, radius=0, tol=0.03)
    assert colour_near(img, *pixel(ax, -5.0, 0.45, img), bg, radius=0, tol=0.03)
    # A deterministic entry has no band.
    fig, ax, img = draw(["leaky_relu"], orders=(0,))
    assert not colour_near(img, *pixel(ax, -5.0, -1.5, img), tint, radius=3, tol=0.03)
