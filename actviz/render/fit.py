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


def fit(table: Table, width: int) -> Any:
    """``table`` with unwrappable cells if it fits in ``width`` columns, else :func:`stacked`."""
    for column in table.columns:
        column.no_wrap = True  # (overflow="ignore" would undo the header's justify)
    if natural_width(table) <= width:
        return table
    return stacked(table)


def stacked(table: Table) -> Group:
    """The rows of ``table`` one below the other: its title, then per row a block of
    ``header  value`` lines (empty cells and unnamed columns such as a bar left out), blocks
    apart by a blank line, then its caption."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
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
