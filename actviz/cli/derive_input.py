"""``actviz derive … --input``: real inputs, streamed, summarised, compared and drawn.

Parse → compute → render: :func:`actviz.sources.open_input` opens the arrays,
:func:`actviz.summary.summarize_input` reads them once, the renderers print or draw the result.
A small single input (≤ 50 values) keeps the row-by-row table of ``derive``; ``-f csv`` of one
array through one activation streams every row (x,f,df[,d2f],region) in constant memory.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import click
import numpy as np

from actviz.cli.errors import ActvizError, ActvizUsageError, cli_message

PROGRESS_AFTER = 1.0  # seconds before a progress bar appears (on a terminal only)


def run(acts: list[Any], source: str, order: int, threshold: float, fmt: str, *, column: str | None,
        only: tuple[str, ...], plot: str | None, digits: int | None = None) -> None:
    """Everything ``derive --input`` does; a missing or ambiguous column is a usage error."""
    from actviz.textstream import ColumnError

    try:
        _run(acts, source, order, threshold, fmt, column=column, only=only, plot=plot, digits=digits)
    except ColumnError as exc:
        raise ActvizUsageError(cli_message(exc)) from None


def _peek(pieces: Iterator[np.ndarray], limit: int) -> tuple[list[np.ndarray], bool]:
    """Read pieces until more than ``limit`` values are seen; (pieces read, whether that is all)."""
    got: list[np.ndarray] = []
    n = 0
    for piece in pieces:
        got.append(np.asarray(piece))
        n += piece.size
        if n > limit:
            return got, False
    return got, True


def _run(acts: list[Any], source: str, order: int, threshold: float, fmt: str, *, column: str | None,
         only: tuple[str, ...], plot: str | None, digits: int | None = None) -> None:
    from actviz import derive_report as dr
    from actviz.sources import open_input

    lower = source.lower()
    if only and not lower.endswith((".npz", ".safetensors")):
        raise ActvizUsageError("--only selects arrays of a .npz or .safetensors file")
    if column is not None and lower.endswith((".npy", ".npz", ".safetensors")):
        raise ActvizUsageError("--column applies to text and CSV input only")
    inputs = open_input(source, column, only)
    single = len(acts) == 1 and not inputs.several
    if single:  # the row-by-row table for a small input, or rows streamed as CSV
        from actviz.summary import pieces as values_of

        arr = inputs.arrays[0]
        pieces = values_of(arr)
        head, complete = _peek(pieces, dr.SMALL_INPUT)
        values = sum(p.size for p in head)
        if values == 0 and complete:
            raise ActvizError(f"{inputs.source}: no numbers found (empty input)")
        stream = itertools.chain(head, pieces)
        if fmt == "csv" and plot is None:
            from actviz.analysis import saturation_regions

            regions = saturation_regions(acts[0], threshold)
            for block in dr.csv_rows(acts[0], stream, order, regions, threshold):
                click.echo(block, nl=False)
            return
        if complete and values <= dr.SMALL_INPUT and plot is None:
            from actviz.summary import shape_note

            data = np.concatenate([p.reshape(-1) for p in head]).astype(np.float64)
            report = dr.build(acts[0], order, threshold, data=data, source=inputs.source)
            _report_out(report, fmt, digits, shape_note(arr.final_shape))
            return
        inputs = replace(inputs, arrays=(replace(arr, read=lambda: stream, array=None),))

    from actviz.summary import summarize_input

    with _progress(inputs, fmt) as tick:
        summaries = summarize_input(acts, inputs, threshold, plot=plot is not None, tick=tick)
    if plot is not None:
        _plot(summaries[0], plot)
    if fmt == "json":
        _json_out(summaries, single)
    elif fmt == "csv":
        _csv_out(summaries)
    else:
        from actviz.cli.common import console
        from actviz.render import summary_view

        if len(acts) > 1:
            summary_view.render_comparison(console(), summaries, digits=digits)
        elif single:
            summary_view.render_one(console(), summaries[0], digits=digits)
        else:
            summary_view.render_arrays(console(), summaries[0], digits=digits)
    if plot is not None:
        click.echo(f"Wrote {plot}", err=True)


def _report_out(report: Any, fmt: str, digits: int | None = None, note: str | None = None) -> None:
    """The row-by-row report; ``note`` (a multi-axis input flattened) is said in both forms."""
    from actviz import derive_report as dr

    if fmt == "json":
        from actviz.render.jsonout import dumps

        doc = dr.to_json(report)
        if note:
            doc["note"] = f"input {note}: rows in storage order"
        click.echo(dumps(doc))
        return
    from actviz.cli.common import console
    from actviz.render.derive_view import render

    render(console(), report, digits)
    if note:
        console().print(f"  input {note} (rows in storage order)", style="dim")


def _json_out(summaries: list[Any], single: bool) -> None:
    from actviz.render.jsonout import dumps
    from actviz.summary import document

    click.echo(dumps(document(summaries, single)))


def _csv_out(summaries: list[Any]) -> None:
    """One row per (activation, array) and a total row per activation; columns are the JSON
    record's keys joined with dots."""
    from actviz.summary import flat_record

    rows = []
    for s in summaries:
        for a in (*s.arrays, s.total):
            rows.append({"function": s.act.label, **flat_record(a.to_dict())})
    header = list(rows[0])
    click.echo(",".join(header))
    for row in rows:
        click.echo(",".join(_csv_cell(row[k]) for k in header))


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    text = str(v)
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def _plot(summary: Any, path: str) -> None:
    from actviz.render.atomic import OutputError, check_target
    from actviz.render.derive_chart import write
    from actviz.render.figure_file import FORMAT_NAMES, format_of

    fmt = format_of(path)
    if fmt is None:
        raise ActvizUsageError(f"--plot file must end in {FORMAT_NAMES}, got '{path}'")
    try:
        check_target(path)
        write(summary, path, fmt)
    except OutputError as exc:
        raise ActvizError(str(exc)) from None


class _progress:
    """A rich progress bar on stderr for long inputs: only on a terminal and only for tables."""

    def __init__(self, inputs: Any, fmt: str) -> None:
        self.inputs = inputs
        self.enabled = fmt == "table" and sys.stderr.isatty() and inputs.total and inputs.position
        self.bar: Any = None
        self.start = time.monotonic()

    def __enter__(self) -> Callable[[int], None] | None:
        return self.tick if self.enabled else None

    def tick(self, done: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < PROGRESS_AFTER:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(f"reading {self.inputs.source}", total=self.inputs.total)
        self.bar.update(self.task, completed=self.inputs.position(done))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
