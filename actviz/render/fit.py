"""Tables that never wrap or cut a number: as they are when they fit, stacked when they do not.

A table whose cells all fit on one line in ``width`` columns is printed as it is (no cell may
wrap). A wider one becomes a vertical layout, one block per row, one ``header  value`` line per
cell, so every number stays whole in a narrow terminal (or with a small ``COLUMNS`` in a pipe).
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

_RULER = Console(file=io.StringIO(), width=10_000, color_system=None)  # measures, never prints


def natural_width(renderable: Any) -> int:
    """Columns ``renderable`` takes when nothing in it wraps."""
    return _RULER.measure(renderable).maximum


def fits(table: Table, width: int) -> bool:
    """Whether ``table``, drawn ``width`` columns wide (its cells folded as they allow), keeps
    within them: rich draws a table that cannot shrink enough wider, and then cuts its lines,
    so a whole table still ends in its box's bottom-right corner."""
    from rich.segment import Segment

    lines = _RULER.render_lines(table, _RULER.options.update_width(width), pad=False)
    last = "".join(seg.text for seg in lines[-1]).rstrip() if lines else ""
    corner = table.box.bottom_right if table.box and table.show_edge else ""
    return all(Segment.get_line_length(line) <= width for line in lines) and last.endswith(corner)


def fit(table: Table, width: int) -> Any:
    """``table`` with unwrappable cells if it fits in ``width`` columns, else :func:`stacked`."""
    for column in table.columns:
        column.no_wrap = True  # (overflow="ignore" would undo the header's justify)
    if natural_width(table) <= width:
        return table
    return stacked(table)


def stacked(table: Table, fold: bool = False) -> Group:
    """The rows of ``table`` one below the other: its title, then per row a block of
    ``header  value`` lines (empty cells and unnamed columns such as a bar left out), blocks
    apart by a blank line, then its caption. ``fold``: long values (text) fold onto more lines
    instead of being cut."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=not fold, overflow="fold" if fold else "ellipsis")
    named = [c for c in table.columns if _plain(c.header)]
    headers = [c.header for c in named]
    columns = [list(c.cells) for c in named]
    for r in range(table.row_count):
        if r:
            grid.add_row("", "")
        for header, cells in zip(headers, columns, strict=True):
            cell = cells[r]
            if not _plain(cell):
                continue
            grid.add_row(header, cell)
    title, caption = table.title, table.caption
    parts: list[Any] = [Text(title) if isinstance(title, str) else title] if title else []
    notes: list[Any] = [Text(caption) if isinstance(caption, str) else caption] if caption else []
    return Group(*parts, grid, *notes)


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
