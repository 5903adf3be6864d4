"""Showing results in Jupyter and in a rich console, from the renderables the CLI prints.

- :class:`Printed` turns a CLI print function (``render(console, report)``) into a rich
  renderable, so ``console.print(result)`` shows exactly what the command prints;
- :func:`html` writes rich renderables (tables, text, groups, padding, code) as small, valid
  HTML: a rich ``Table`` becomes a ``<table>`` with the same cells, never ANSI text;
- :func:`png` gives the PNG bytes of a Matplotlib figure (for ``_repr_png_``).

Renderers hand their renderables here; nothing in this module computes a number.
"""

from __future__ import annotations

import base64
import html as _html
import io
from collections.abc import Callable, Iterable
from typing import Any

CSS_CLASS = "actviz"


class Printed:
    """A rich renderable that runs ``draw(console)`` on a console of the same width and colours."""

    def __init__(self, draw: Callable[[Any], None]):
        self.draw = draw

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Any]:
        from rich.console import Console
        from rich.text import Text

        out = io.StringIO()
        sub = Console(
            file=out,
            width=options.max_width,
            color_system=console.color_system,
            force_terminal=console.is_terminal,
            no_color=console.no_color,
            highlight=False,
            emoji=False,
        )
        self.draw(sub)  # it may print or write to sub.file directly: both end up in ``out``
        yield Text.from_ansi(out.getvalue().rstrip("\n"), no_wrap=True, overflow="ignore")


def plain(cell: Any) -> str:
    """The text of a rich cell (``Text``, ``str`` or anything with a ``plain`` form)."""
    if cell is None:
        return ""
    text = getattr(cell, "plain", None)
    return text if isinstance(text, str) else str(cell)


def _table(table: Any) -> str:
    rows = table.row_count
    columns = table.columns
    cells = [list(c.cells) for c in columns]
    out = ["<table>"]
    if table.title:
        out.append(f"<caption>{_html.escape(plain(table.title))}</caption>")
    if table.show_header and any(plain(c.header) for c in columns):
        out.append("<thead><tr>" + "".join(f"<th>{_html.escape(plain(c.header))}</th>" for c in columns)
                   + "</tr></thead>")
    out.append("<tbody>")
    for r in range(rows):
        tds = []
        for c, column in enumerate(columns):
            align = {"right": ' style="text-align:right"', "center": ' style="text-align:center"'}.get(
                column.justify, "")
            tds.append(f"<td{align}>{_html.escape(plain(cells[c][r]))}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    if table.caption:
        out.append(_paragraph(plain(table.caption)))
    return "".join(out)


def _paragraph(text: str) -> str:
    lines = [_html.escape(line) for line in text.strip("\n").split("\n")]
    return "<p>" + "<br>".join(lines) + "</p>" if any(lines) else ""


def fragment(renderable: Any) -> str:
    """One rich renderable as HTML."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.syntax import Syntax
    from rich.table import Table

    if isinstance(renderable, Table):
        return _table(renderable)
    if isinstance(renderable, Group):
        return "".join(fragment(r) for r in renderable.renderables)
    if isinstance(renderable, Padding):
        return fragment(renderable.renderable)
    if isinstance(renderable, Syntax):
        return f"<pre><code>{_html.escape(renderable.code)}</code></pre>"
    if isinstance(renderable, Code):
        return f"<pre><code>{_html.escape(renderable.code)}</code></pre>"
    if isinstance(renderable, Figure):
        return renderable.html()
    text = _paragraph(plain(renderable))
    if text and "bold" in str(getattr(renderable, "style", "")):  # a heading
        return text.replace("<p>", "<p><strong>", 1).replace("</p>", "</strong></p>")
    return text


class Code:
    """Program text for :func:`html` (shown verbatim in ``<pre>``)."""

    def __init__(self, code: str):
        self.code = code


class Figure:
    """A picture for :func:`html`: PNG bytes shown as an inline image."""

    def __init__(self, data: bytes, alt: str):
        self.data, self.alt = data, alt

    def html(self) -> str:
        src = "data:image/png;base64," + base64.b64encode(self.data).decode("ascii")
        return f'<img src="{src}" alt="{_html.escape(self.alt, quote=True)}">'


def html(renderables: Iterable[Any]) -> str:
    """Renderables as one ``<div>`` of HTML (tables as ``<table>``), for ``_repr_html_``."""
    body = "".join(fragment(r) for r in renderables)
    return f'<div class="{CSS_CLASS}">{body}</div>'


def png(fig: Any) -> bytes:
    """The PNG bytes of ``fig`` (reproducible, as the CLI writes them)."""
    from actviz.render.figure_file import save

    buffer = io.BytesIO()
    save(fig, buffer, "png")
    return buffer.getvalue()
