"""The table view of ``actviz recommend``: sections of aligned text, readable from 40 columns up.

It only lays out a :class:`actviz.advice.build.Recommendation`; every number is already in it.
From ``WIDE`` columns up, names and their explanations sit side by side; below that each name is
on its own line with the explanation under it. Prose wraps to the width; code is never re-flowed
(long lines are left to the terminal) so a copied snippet stays valid.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from actviz.advice.build import HiddenAdvice, OutputAdvice, Recommendation
from actviz.advice.reasons import framework_label

WIDE = 60  # from this width on, two-column layout
INDENT = 2


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _indent(renderable: Any, level: int = 1) -> Padding:
    return Padding(renderable, (0, 0, 0, INDENT * level), expand=False)


def _pairs(rows: list[tuple[str, str]], wide: bool, name_style: str = "bold", name_width: int = 0) -> Any:
    """Name → text rows: a two-column grid when wide, stacked lines when narrow."""
    if wide:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style=name_style, min_width=name_width)
        grid.add_column(overflow="fold")
        for name, text in rows:
            grid.add_row(name, text)
        return grid
    parts: list[Any] = []
    for name, text in rows:
        parts.append(Text(name, style=name_style))
        parts.append(_indent(Text(text, overflow="fold")))
    return Group(*parts)


def _bullets(items: list[str], mark: str = "•", style: str = "") -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(mark, item)
    return grid


def _title(rec: Recommendation) -> Text:
    layers = "layer" if rec.depth == 1 else "layers"
    parts = [f"task {rec.task}", f"{rec.depth} hidden {layers}", framework_label(rec.framework)]
    if rec.hidden is None:
        del parts[1]  # the output layer alone does not depend on the depth
    if rec.output_range != "any":
        parts.insert(1, f"output {rec.output_range}")
    title = Text("actviz recommend", style="bold")
    title.append(": " + ", ".join(parts))
    return title


def _hidden(hidden: HiddenAdvice, depth: int, wide: bool) -> list[Any]:
    best = hidden.recommended
    out: list[Any] = [_heading("Hidden layers")]
    use = Text("Use ")
    use.append(best.activation, style="bold green")
    use.append(f": {best.when}.")
    out.append(_indent(use))
    width = max(len(c.activation) for c in (*hidden.alternatives, *hidden.avoid, best))
    if hidden.alternatives:
        out.append(_indent(Text("Alternatives", style="bold")))
        rows = [(c.activation, c.when) for c in hidden.alternatives]
        out.append(_indent(_pairs(rows, wide, "cyan", width), 2))
    if hidden.avoid:
        out.append(_indent(Text("Avoid", style="bold")))
        rows = [(c.activation, c.when) for c in hidden.avoid]
        out.append(_indent(_pairs(rows, wide, "red", width), 2))
    out.append(_indent(Text(f"Why, for {depth} hidden {'layer' if depth == 1 else 'layers'}", style="bold")))
    out.append(_indent(_bullets([r.text for r in hidden.reasons]), 2))
    return out


def _units(output: OutputAdvice) -> str:
    if output.units is None:
        return f"N, one per {output.unit_word} (set --units N)"
    if output.unit_word == "output":
        return str(output.units)
    return f"{output.units}, one per {output.unit_word}"


def _output(output: OutputAdvice, wide: bool) -> list[Any]:
    if output.from_logits:
        activation = f"{output.activation}, applied inside the loss (the layer emits logits)"
    elif output.activation == "identity":
        activation = "identity (no activation)"
    else:
        activation = f"{output.activation}, in the layer"
    rows = [
        ("Activation", activation),
        ("Units", _units(output)),
        ("Loss", output.loss),
        ("Note", output.logits_note),
    ]
    return [_heading("Output layer"), _indent(_pairs(rows, wide))]


def _snippet(rec: Recommendation, console: Any, wide: bool) -> None:
    console.print(_heading(f"{framework_label(rec.framework)} snippet"))
    code = rec.snippet.rstrip("\n")
    if console.is_terminal and not console.no_color:
        from rich.syntax import Syntax

        text = Syntax(code, "python", theme="ansi_dark", background_color="default").highlight(code)
        text.rstrip()
    else:
        text = Text(code)
    if wide:
        text = Text("\n").join(Text(" " * INDENT) + line for line in text.split("\n"))
    console.print(text, soft_wrap=True, crop=False)


def render(rec: Recommendation, console: Any) -> None:
    """Print ``rec`` for people on ``console`` (a rich Console)."""
    with console.capture() as captured:
        _render(rec, console)
    console.file.write(_strip_trailing(captured.get()))
    console.file.flush()


def _strip_trailing(text: str) -> str:
    """Drop the blanks rich pads grid cells with (keeping any colour codes after them)."""
    return "\n".join(_TRAILING.sub(r"\1", line) for line in text.split("\n"))


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")


def _blocks(rec: Recommendation, wide: bool) -> list[list[Any]]:
    """Hidden layers, output layer and warnings, each a list of renderables."""
    blocks: list[list[Any]] = []
    if rec.hidden is not None:
        blocks.append(_hidden(rec.hidden, rec.depth, wide))
    if rec.output is not None:
        blocks.append(_output(rec.output, wide))
    if rec.warnings:
        blocks.append([_heading("Warnings"), _indent(_bullets(list(rec.warnings), "!", "bold yellow"))])
    return blocks


def html(rec: Recommendation) -> str:
    """The same sections as HTML (for Jupyter); the snippet verbatim."""
    from actviz.render.display import Code
    from actviz.render.display import html as to_html

    parts: list[Any] = [_title(rec)]
    for block in _blocks(rec, wide=True):
        parts.extend(block)
    parts += [_heading(f"{framework_label(rec.framework)} snippet"), Code(rec.snippet.rstrip("\n"))]
    return to_html(parts)


def _render(rec: Recommendation, console: Any) -> None:
    wide = console.width >= WIDE
    console.print(_title(rec))
    for block in _blocks(rec, wide):
        console.print()
        for part in block:
            console.print(part)
    console.print()
    _snippet(rec, console, wide)
