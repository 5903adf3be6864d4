"""Text views of a softmax result: rich tables, HTML, JSON and CSV. No math here: every number
shown comes from the :class:`~actviz.softmax_result.SoftmaxResult` (computed by the core)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from actviz.core.numtext import MINUS, number, roundtrip

if TYPE_CHECKING:
    from actviz.softmax_result import SoftmaxResult, SoftmaxRow

_EIGHTHS = " ▏▎▍▌▋▊▉"
_MIN_BAR, _MAX_BAR = 8, 40
_MARK = "▶ "  # marks the argmax row in the first column


def full(value: float) -> str:
    """A float for CSV: the shortest text that reads back as the identical float64 (ASCII)."""
    return roundtrip(value)


ERROR_DIGITS = 2  # the sum's distance from 1 is a few ulp: two digits say how many


def sum_text(row: SoftmaxRow) -> str:
    """The sum row's cell: ``1`` when the float64 probabilities add up to 1 exactly, else
    ``1 − 1.1e−16`` (their exact sum's distance from 1, never a bare ``0.9999999999999999``)."""
    err = row.total_error
    if err == 0:
        return "1"
    sign = MINUS if err < 0 else "+"
    return f"1 {sign} {number(abs(err), ERROR_DIGITS)}"


def sum_note(row: SoftmaxRow) -> str | None:
    """Why the sum is not 1 (None when it is): each probability is rounded to float64."""
    if row.total_error == 0:
        return None
    return (f"sum {sum_text(row)}: the exact sum of the float64 probabilities, each rounded to "
            "53 bits; it misses 1 by that rounding, not by a wrong probability")


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of ``fraction`` (0…1) of ``width`` cells, in eighths of a cell."""
    eighths = int(round(max(0.0, min(1.0, fraction)) * width * 8))
    whole, part = divmod(eighths, 8)
    return "█" * whole + (_EIGHTHS[part] if part else "")


def _name(result: SoftmaxResult, i: int) -> str:
    return result.labels[i] if result.labels else str(i)


def _title(result: SoftmaxResult, r: int, row: SoftmaxRow) -> str:
    n = row.logits.size
    what = f"{result.fn} of {n} logit{'s' * (n != 1)}"
    if result.temperature != 1.0:
        what += f" / T (T = {number(result.temperature)})"
    if row.rest is not None:
        what += f", the {len(row.shown)} most probable"
    return f"row {r}: {what}" if result.batch else what


def _widths(cells: list[list[str]]) -> list[int]:
    return [max(len(c[k]) for c in cells) for k in range(len(cells[0]))]


def _bar_width(console_width: int, widths: list[int]) -> int:
    """Room left for the bar after the text columns, or 0 when there is too little for one.

    Each column takes its width plus one cell of padding either side and a separator.
    """
    room = console_width - sum(w + 3 for w in widths) - 4
    return 0 if room < _MIN_BAR else min(_MAX_BAR, room)


def table(result: SoftmaxResult, r: int, row: SoftmaxRow, width: int, digits: int | None = None) -> Any:
    """One rich Table: index/label, logit, probability, log-probability and a bar.

    The argmax row is marked with ``▶`` (and coloured on a terminal). Numbers are shown in full
    (or to ``digits`` significant digits) and never cut or wrapped: on a narrow terminal the bar
    goes first, then the rows are stacked (one per block). The sum row shows how far the exact
    sum of the float64 probabilities is from 1, and a note under the table says why.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from actviz.render.fit import fit

    head = ["label" if result.labels else "#", "logit", "probability", "log-probability"]
    cells = [
        [
            (_MARK if i == row.argmax else "") + _name(result, i),
            number(row.logits[i], digits),
            number(row.probabilities[i], digits),
            number(row.log_probabilities[i], digits),
        ]
        for i in row.shown
    ]
    footer = [["sum", "", sum_text(row), ""]]
    if row.rest is not None:
        footer.insert(0, ["rest", "", number(row.rest, digits), ""])
    widths = _widths([head, *cells, *footer])
    bar_width = _bar_width(width, widths)

    tab = Table(title=_title(result, r, row), box=box.SIMPLE_HEAD, title_justify="left",
                caption=sum_note(row), caption_justify="left")
    for k, name in enumerate(head):
        justify = "left" if k == 0 and result.labels else "right"
        tab.add_column(name, justify=justify)
    if bar_width:
        tab.add_column("", no_wrap=True, overflow="crop", width=bar_width)
    for i, text in zip(row.shown, cells, strict=True):
        is_max = i == row.argmax
        style = "bold green" if is_max else ""
        drawn = [Text(bar(float(row.probabilities[i]), bar_width), style="green" if is_max else "cyan")]
        tab.add_row(*(Text(t, style=style) for t in text), *(drawn if bar_width else []))
    tab.rows[-1].end_section = True
    for text in footer:
        tab.add_row(*(Text(t, style="dim") for t in text), *([Text("")] if bar_width else []))
    return fit(tab, width)


def print_tables(result: SoftmaxResult, console: Any, digits: int | None = None) -> None:
    """Print one table per row on ``console`` (the CLI's follows the colour rules)."""
    for r, row in enumerate(result.rows):
        console.print(table(result, r, row, console.width, digits))


class Tables:
    """The tables of a result as one rich renderable, as wide as the console it is printed on."""

    def __init__(self, result: SoftmaxResult):
        self.result = result

    def __rich_console__(self, console: Any, options: Any) -> Any:
        for r, row in enumerate(self.result.rows):
            yield table(self.result, r, row, options.max_width)


HTML_WIDTH = 100  # the bar column's room in HTML tables


def html(result: SoftmaxResult) -> str:
    """The tables as HTML (for Jupyter)."""
    from actviz.render.display import html as to_html

    return to_html(table(result, r, row, HTML_WIDTH) for r, row in enumerate(result.rows))


def to_json(result: SoftmaxResult) -> str:
    """Strict JSON: one object, or a list of objects for a batch; floats round-trip."""
    from actviz.render.jsonout import dumps

    return dumps(result.to_dict())


def to_csv(result: SoftmaxResult) -> str:
    """One CSV document: a row column for a batch, a label column with --labels."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = ["index", "logit", "probability", "log_probability", "is_argmax"]
    if result.labels:
        header.insert(1, "label")
    if result.batch:
        header.insert(0, "row")
    writer.writerow(header)
    for r, row in enumerate(result.rows):
        for i in row.shown:
            line = [
                str(i),
                full(row.logits[i]),
                full(row.probabilities[i]),
                full(row.log_probabilities[i]),
                "1" if i == row.argmax else "0",
            ]
            if result.labels:
                line.insert(1, result.labels[i])
            if result.batch:
                line.insert(0, str(r))
            writer.writerow(line)
    return buf.getvalue()
