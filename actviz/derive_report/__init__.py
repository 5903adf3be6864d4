"""The data behind ``actviz derive``: value tables, saturation, kinks and summaries of real inputs.

Everything here is plain data built from the catalog (f, f′, f″, kinks) and
:mod:`actviz.analysis` (saturation regions, per-point classification); the rich view and the CLI
only format it. One job per module:

- :mod:`.points`    the table's points (teaching set, ``at`` values, an ``xlim`` grid) and their values;
- :mod:`.reading`   reading a large input chunk by chunk (bounded memory, pages handed back);
- :mod:`.summary`   the :class:`Summary` of a large input (more than ``SMALL_INPUT`` values);
- :mod:`.csv_rows`  the CSV rows, streamed the same chunked way;
- :mod:`.report`    the :class:`Report` (:func:`build`), what the command shows;
- :mod:`.document`  its JSON document (:func:`to_json`).

The names below are importable from here as before (``from actviz import derive_report as dr``).
"""

from actviz.derive_report.csv_rows import csv_header, csv_lines, csv_rows
from actviz.derive_report.document import summary_json, to_json
from actviz.derive_report.points import (
    DEFAULT_GRID_POINTS,
    DEFAULT_XLIM,
    MAX_POINTS,
    NAN_CODE,
    REGION_NAMES,
    SMALL_INPUT,
    TEACHING_POINTS,
    Point,
    chosen_points,
    default_points,
    evaluate_points,
    grid_points,
)
from actviz.derive_report.reading import CHUNK, chunks
from actviz.derive_report.report import Report, build
from actviz.derive_report.summary import QUANTILE_METHOD, QUANTILES, Summary, summarize

__all__ = [
    "CHUNK", "DEFAULT_GRID_POINTS", "DEFAULT_XLIM", "MAX_POINTS", "NAN_CODE", "QUANTILES", "QUANTILE_METHOD",
    "REGION_NAMES", "SMALL_INPUT", "TEACHING_POINTS", "Point", "Report", "Summary", "build", "chosen_points",
    "chunks", "csv_header", "csv_lines", "csv_rows", "default_points", "evaluate_points", "grid_points",
    "summarize", "summary_json", "to_json",
]
