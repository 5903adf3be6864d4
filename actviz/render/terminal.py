"""Drawing a :class:`~actviz.scene.Scene` as text: Unicode braille or plain ASCII.

Braille characters hold a 2×4 grid of dots per cell, so an 80-column terminal gives 160 dots
across. f is drawn solid, f′ dashed and f″ dotted (in ASCII: one character per curve), each
activation in its own colour (without colour, each braille curve's key ``a``, ``a′``, ``b``… is
written next to it and in the legend); the axes through the origin, the framework's f′ at kinks (●, the
other one-sided limit ○), one strip per activation for the saturation regions, a legend and the
notes follow. No library: a few hundred lines of NumPy do it, and the project's runtime
dependencies stay click, numpy, matplotlib and rich.

:func:`render` returns lines of ``(text, style)`` segments; :func:`plain` joins them for tests
and pipes, :func:`show` prints them through a rich Console (colour only where allowed).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np

from actviz.core.numtext import number
from actviz.scene import PRIME, Scene, kink_source

Segment = tuple[str, "str | None"]
Line = list[Segment]

BRAILLE = 0x2800
# Bit of each dot in a braille cell, indexed [row][column] (Unicode's dot numbering 1–8).
DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8)
COLORS = ("bright_blue", "bright_red", "bright_green", "bright_magenta", "bright_cyan", "bright_yellow",
          "blue", "red")
ASCII_CHARS = ("*+.", "#=:", "@~'", "%-,", "&^`", "$\"_", "o/;", "x\\!")  # per activation: f, f′, f″
AXIS_STYLE = "dim"
# --ascii: plain ASCII for terminals without Unicode fonts, including the catalog's labels.
TO_ASCII = str.maketrans({"′": "'", "″": "''", "−": "-", "→": "->", "●": "X", "○": "O", "≈": "~",
                          "σ": "sigma", "α": "alpha", "β": "beta", "λ": "lambda", "·": "*", "ˣ": "^x",
                          "≥": ">=", "≤": "<=", "∞": "inf", "⁻": "-", "⁺": "+", "√": "sqrt", "Φ": "Phi"})
SHADE_CHARS = {False: {"dead": "▒", "vanishing": "░", "flat": "░"},
               True: {"dead": "=", "vanishing": ".", "flat": "."}}


@dataclass(frozen=True)
class Size:
    """Plot area in character cells (without the labels around it)."""

    cols: int
    rows: int


def plot_size(terminal_cols: int, terminal_rows: int, scene: Scene) -> Size:
    """The plot area that fits a terminal of the given size with everything around it."""
    margin = _label_width(scene) + 1
    cols = max(20, terminal_cols - margin - 1)
    shade_rows = len({s.index for s in scene.shades})
    notes = len(scene.notes) + len(scene.overlaps) + len(scene.callouts) + bool(scene.marks)
    around = 1 + 1 + shade_rows + 1 + 2 + notes  # title, x labels, strips, legend, notes
    rows = max(6, min(terminal_rows - around - 1, cols // 3))
    return Size(cols, rows)


def _ticks(scene: Scene) -> list[float]:
    y0, y1 = scene.ylim
    return [y1, 0.0, y0] if y0 < 0 < y1 else [y1, y0]


def _num(v: float) -> str:
    return number(v + 0.0, 3)


def _label_width(scene: Scene) -> int:
    return max(len(_num(v)) for v in _ticks(scene))


class _Canvas:
    """Dots (braille) or characters (ASCII) with the curve that owns each cell."""

    def __init__(self, size: Size, ascii_only: bool):
        self.size = size
        self.ascii = ascii_only
        self.sx, self.sy = (1, 1) if ascii_only else (2, 4)
        self.bits = np.zeros((size.rows, size.cols), dtype=np.uint8)
        self.chars = np.full((size.rows, size.cols), "", dtype=object)
        self.owner = np.full((size.rows, size.cols), -1, dtype=np.int64)

    @property
    def width(self) -> int:
        return self.size.cols * self.sx

    @property
    def height(self) -> int:
        return self.size.rows * self.sy

    def to_dots(self, scene: Scene, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (x0, x1), (y0, y1) = scene.xlim, scene.ylim
        px = (x - x0) / (x1 - x0) * (self.width - 1)
        py = (y1 - y) / (y1 - y0) * (self.height - 1)
        return px, py

    def plot(self, px: np.ndarray, py: np.ndarray, owner: int, char: str, pattern: int) -> None:
        """Join consecutive finite points with dots (NaN breaks the line); pattern 0/1/2: solid/dash/dot."""
        ok = np.isfinite(px) & np.isfinite(py)
        seg = ok[:-1] & ok[1:]
        if not seg.any():
            self._put(px[ok], py[ok], owner, char, pattern)
            return
        # Clamp far-away points just outside the canvas, so steep segments stay short.
        py = np.clip(py, -2.0, self.height + 1.0)
        ax, ay, bx, by = px[:-1][seg], py[:-1][seg], px[1:][seg], py[1:][seg]
        steps = np.ceil(np.maximum(np.abs(bx - ax), np.abs(by - ay))).astype(np.int64) + 1
        t = _ramps(steps)
        rep = np.repeat(np.arange(steps.size), steps)
        self._put(ax[rep] + t * (bx - ax)[rep], ay[rep] + t * (by - ay)[rep], owner, char, pattern)
        lone = ok & ~np.concatenate(([False], seg)) & ~np.concatenate((seg, [False]))
        self._put(px[lone], py[lone], owner, char, pattern)

    def _put(self, px: np.ndarray, py: np.ndarray, owner: int, char: str, pattern: int) -> None:
        ix, iy = np.rint(px).astype(np.int64), np.rint(py).astype(np.int64)
        keep = (ix >= 0) & (ix < self.width) & (iy >= 0) & (iy < self.height)
        if pattern == 1:
            keep &= (ix // (3 * self.sx)) % 2 == 0 if self.ascii else (ix // 4) % 2 == 0
        elif pattern == 2:
            keep &= ix % 3 == 0 if self.ascii else ix % 4 == 0
        ix, iy = ix[keep], iy[keep]
        cx, cy = ix // self.sx, iy // self.sy
        if self.ascii:
            self.chars[cy, cx] = char
        else:
            np.bitwise_or.at(self.bits, (cy, cx), DOT_BITS[iy % self.sy, ix % self.sx])
        self.owner[cy, cx] = owner

    def cell(self, x: float, y: float, scene: Scene) -> tuple[int, int] | None:
        px, py = self.to_dots(scene, np.array([x]), np.array([y]))
        cx, cy = int(round(px[0])) // self.sx, int(round(py[0])) // self.sy
        if 0 <= cx < self.size.cols and 0 <= cy < self.size.rows:
            return cx, cy
        return None


def _ramps(steps: np.ndarray) -> np.ndarray:
    """Concatenated linspace(0, 1, n) for every n in ``steps`` (vectorised)."""
    starts = np.repeat(np.cumsum(steps) - steps, steps)
    k = np.arange(int(steps.sum())) - starts
    denom = np.repeat(np.maximum(steps - 1, 1), steps)
    return k / denom


def keys(scene: Scene) -> dict[tuple[int, int], str]:
    """The key of each curve (index, order) for labels on the curves: ``a`` for the first
    activation's f, ``a′`` for its f′, ``b`` for the next one's f…"""
    return {(c.index, c.order): chr(ord("a") + c.index % 26) + PRIME[c.order] for c in scene.curves}


def render(scene: Scene, size: Size, ascii_only: bool = False, title: str | None = None,
           labels: bool = False) -> list[Line]:
    """The whole picture as lines of ``(text, style)`` segments.

    ``labels``: write each braille curve's key (``a``, ``a′``, ``b``…, see :func:`keys`) next to
    it and in the legend, so curves can be told apart without colour (NO_COLOR, a pipe). ASCII
    curves need none: each has its own character."""
    canvas = _Canvas(size, ascii_only)
    styles: list[str | None] = []
    owners: dict[int, tuple[int, int]] = {}
    # Last drawn wins a cell: draw f″, f′, f of the last activation first, so the first f is on top.
    for c in sorted(scene.curves, key=lambda c: (-c.index, -c.order)):
        px, py = canvas.to_dots(scene, c.x, c.y)
        styles.append(COLORS[c.index % len(COLORS)])
        owners[len(styles) - 1] = (c.index, c.order)
        canvas.plot(px, py, len(styles) - 1, ASCII_CHARS[c.index % len(ASCII_CHARS)][c.order], c.order)
    grid = _cells(canvas, styles)
    _axes(grid, canvas, scene)
    labels = labels and not ascii_only
    if labels:
        _curve_labels(grid, canvas, owners, keys(scene), styles)
    _marks(grid, canvas, scene, ascii_only)
    lines: list[Line] = []
    if title is None:
        title = scene.acts[0].formula.text if len(scene.acts) == 1 else ""
    if title:
        lines.append([(title, "bold")])
    width = _label_width(scene)
    tick_rows = {}
    for v in _ticks(scene):
        _, py = canvas.to_dots(scene, np.array([0.0]), np.array([v]))
        tick_rows.setdefault(min(size.rows - 1, max(0, int(round(py[0])) // canvas.sy)), _num(v))
    for r, row in enumerate(grid):
        lines.append([(tick_rows.get(r, "").rjust(width) + " ", AXIS_STYLE), *row])
    lines.append([(" " * (width + 1) + _x_labels(scene, size.cols), AXIS_STYLE)])
    lines.extend(_strips(scene, size.cols, width + 1, ascii_only))
    total = width + 1 + size.cols
    lines.extend(_legend(scene, ascii_only, total, keys(scene) if labels else None))
    for note in _notes(scene, ascii_only):
        lines.extend([(line, AXIS_STYLE)] for line in textwrap.wrap(note, total, subsequent_indent="  "))
    if ascii_only:
        lines = [[(_ascii(t), st) for t, st in line] for line in lines]
    return lines


def _ascii(text: str) -> str:
    """``text`` in ASCII: known symbols spelled out, anything else left becomes '?'."""
    return text.translate(TO_ASCII).encode("ascii", "replace").decode("ascii")


def _cells(canvas: _Canvas, styles: list[str | None]) -> list[list[Segment]]:
    rows = []
    for r in range(canvas.size.rows):
        row = []
        for c in range(canvas.size.cols):
            owner = int(canvas.owner[r, c])
            if canvas.ascii:
                ch = canvas.chars[r, c] or " "
            else:
                bits = int(canvas.bits[r, c])
                ch = chr(BRAILLE + bits) if bits else " "
            row.append((ch, styles[owner] if owner >= 0 else None))
        rows.append(row)
    return rows


def _axes(grid: list[list[Segment]], canvas: _Canvas, scene: Scene) -> None:
    """The axes through the origin, in cells no curve uses."""
    h, v, cross = ("-", "|", "+") if canvas.ascii else ("─", "│", "┼")
    origin = canvas.cell(0.0 if scene.xlim[0] <= 0 <= scene.xlim[1] else math.nan, 0.0, scene)
    zero_row = canvas.cell(scene.xlim[0], 0.0, scene)
    zero_col = origin[0] if origin else None
    for r, row in enumerate(grid):
        for c, (ch, _) in enumerate(row):
            if ch != " ":
                continue
            on_row = zero_row is not None and r == zero_row[1]
            on_col = zero_col is not None and c == zero_col
            if on_row or on_col:
                row[c] = (cross if on_row and on_col else h if on_row else v, AXIS_STYLE)


def _curve_labels(grid: list[list[Segment]], canvas: _Canvas, owners: dict[int, tuple[int, int]],
                  key_of: dict[tuple[int, int], str], styles: list[str | None]) -> None:
    """Each curve's key in empty cells just above (else below) a cell the curve owns, tried at
    spread-out columns first (curve k of n near column (k + 1)/(n + 1) of the width), so labels
    of different curves do not pile up in one place."""
    rows, cols = canvas.size.rows, canvas.size.cols
    taken = np.zeros((rows, cols), dtype=bool)
    order = sorted(owners, key=lambda o: owners[o])  # the legend's order: a, a′, b, …
    for k, owner in enumerate(order):
        key = key_of[owners[owner]]
        start = int((k + 1) / (len(order) + 1) * (cols - 1))
        columns = sorted(range(cols), key=lambda col: abs(col - start))
        spot = _free_spot(grid, canvas, owner, len(key), columns, taken)
        if spot is None:
            continue
        r, col = spot
        for j, ch in enumerate(key):
            grid[r][col + j] = (ch, styles[owner])
            taken[r, col + j] = True


def _free_spot(grid: list[list[Segment]], canvas: _Canvas, owner: int, width: int, columns: list[int],
               taken: np.ndarray) -> tuple[int, int] | None:
    rows, cols = canvas.size.rows, canvas.size.cols
    for col in columns:
        mine = np.flatnonzero(canvas.owner[:, col] == owner)
        for r in mine.tolist():
            # Above, below, then right or left of the curve's cell.
            for rr, cc in ((r - 1, col), (r + 1, col), (r, col + 2), (r, col - width - 1)):
                if not (0 <= rr < rows and 0 <= cc and cc + width <= cols):
                    continue
                inside = all(grid[rr][c][0] == " " and not taken[rr, c] for c in range(cc, cc + width))
                # A blank (or this curve) on each side, so the key is not read as part of another.
                sides = [c for c in (cc - 1, cc + width) if 0 <= c < cols]
                if inside and all((grid[rr][c][0] == " " and not taken[rr, c]) or canvas.owner[rr, c] == owner
                                  for c in sides):
                    return rr, cc
    return None


def _marks(grid: list[list[Segment]], canvas: _Canvas, scene: Scene, ascii_only: bool) -> None:
    filled, hollow = ("X", "O") if ascii_only else ("●", "○")
    for m in scene.marks:
        style = COLORS[m.index % len(COLORS)]
        if m.other is not None:
            cell = canvas.cell(m.x, m.other, scene)
            if cell:
                grid[cell[1]][cell[0]] = (hollow, style)
        cell = canvas.cell(m.x, m.value, scene)
        if cell:
            grid[cell[1]][cell[0]] = (filled, style)


def _x_labels(scene: Scene, cols: int) -> str:
    x0, x1 = scene.xlim
    text = [" "] * cols
    labels = [(0, _num(x0), "left"), (cols - 1, _num(x1), "right")]
    if x0 < 0 < x1:
        labels.append((int(round((0 - x0) / (x1 - x0) * (cols - 1))), "0", "centre"))
    for pos, label, align in labels:
        start = {"left": pos, "right": pos - len(label) + 1}.get(align, pos - len(label) // 2)
        start = max(0, min(cols - len(label), start))
        if all(ch == " " for ch in text[max(0, start - 1) : start + len(label) + 1]):
            text[start : start + len(label)] = label
    return "".join(text)


def _strips(scene: Scene, cols: int, indent: int, ascii_only: bool) -> list[Line]:
    """One row per activation: where abs(f′) < threshold (░) or f′ = 0 (▒), with the labels."""
    out = []
    x0, x1 = scene.xlim
    for index in dict.fromkeys(s.index for s in scene.shades):
        text = [" "] * cols
        for s in (s for s in scene.shades if s.index == index):
            a = int(round((s.start - x0) / (x1 - x0) * (cols - 1)))
            b = int(round((s.end - x0) / (x1 - x0) * (cols - 1)))
            text[a : b + 1] = SHADE_CHARS[ascii_only][s.kind] * (b + 1 - a)
            for name in (s.label, s.short):  # with where it holds if that fits, else without
                label = f" {_ascii(name) if ascii_only else name} "
                if name and len(label) + 2 <= b + 1 - a:
                    start = (a + b + 1 - len(label)) // 2
                    text[start : start + len(label)] = label
                    break
        out.append([(" " * indent, None), ("".join(text), COLORS[index % len(COLORS)])])
    return out


def _legend(scene: Scene, ascii_only: bool, width: int,
            key_of: dict[tuple[int, int], str] | None = None) -> list[Line]:
    fix = _ascii if ascii_only else str
    samples = ("───", "─ ─", "· ·") if not ascii_only else None
    items: list[Line] = []
    for c in scene.curves:
        style = COLORS[c.index % len(COLORS)]
        sample = ASCII_CHARS[c.index % len(ASCII_CHARS)][c.order] * 3 if samples is None else samples[c.order]
        key = [(key_of[(c.index, c.order)] + " ", style)] if key_of else []
        items.append([*key, (sample, style), (fix(f" {c.label}"), None)])
    kinds = {s.kind for s in scene.shades}
    shade = SHADE_CHARS[ascii_only]
    if kinds - {"dead"}:
        legend = fix(f" |f′| < {number(scene.threshold)}")
        items.append([(shade["vanishing"] * 2, AXIS_STYLE), (legend, None)])
    if "dead" in kinds:
        items.append([(shade["dead"] * 2, AXIS_STYLE), (fix(" f′ = 0 (dead)"), None)])
    lines: list[Line] = []
    line: Line = []
    used = 0
    for item in items:
        n = sum(len(t) for t, _ in item) + 3
        if line and used + n > width:
            lines.append(line)
            line, used = [], 0
        line.extend([("   ", None), *item] if line else item)
        used += n
    if line:
        lines.append(line)
    return lines


def _notes(scene: Scene, ascii_only: bool) -> list[str]:
    notes = []
    if scene.marks:
        values = "; ".join(dict.fromkeys(m.text for m in scene.marks))
        notes.append(f"At kinks ● is {kink_source(scene)}, ○ the other one-sided limit: {values}")
    notes.extend(f"{scene.acts[c.index].name}: {c.text}" for c in scene.callouts)
    notes.extend(f"{o.text(scene.acts[o.index])}." for o in scene.overlaps)
    notes.extend(scene.notes)
    return [_ascii(n) for n in notes] if ascii_only else notes


def plain(lines: list[Line]) -> str:
    """The picture as plain text (no colour), one string with newlines."""
    return "\n".join("".join(text for text, _ in line).rstrip() for line in lines) + "\n"


def show(lines: list[Line], console) -> None:
    """Print through a rich Console, which decides about colour (terminal, NO_COLOR)."""
    from rich.text import Text

    for line in lines:
        text = Text()
        for chunk, style in line:
            text.append(chunk, style=style or "")
        console.print(text, soft_wrap=True, overflow="ignore", crop=False)
