"""Saving a Matplotlib figure: format from the file name, reproducible bytes, atomic writes.

Shared by ``plot``, ``softmax --plot`` and ``flow --plot``. The same figure always gives the same
bytes: no dates or version strings in the metadata, a fixed SVG id salt, text as paths. Files are
written through :mod:`actviz.render.atomic`, so a failure never leaves a partial file. Matplotlib
is imported only inside :func:`save`.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
FORMAT_NAMES = ".png, .svg or .pdf"

METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": "actviz"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "actviz", "Producer": None},
}
REPRODUCIBLE_RC: dict[str, Any] = {"svg.hashsalt": "actviz", "svg.fonttype": "path", "pdf.compression": 6}


_MATHTEXT_GLYPH = re.compile(r"Font .* does not have a glyph for .* \[U\+([0-9a-fA-F]+)\]")
MATHTEXT_FONT = "DejaVu Sans"  # mathtext.fontset "dejavusans" (render.figure.rc)


class _MathtextGlyphs(logging.Filter):
    """Mathtext reports a missing glyph through logging ("Font 'default' does not have a glyph
    for …"), not as a warning: turn it into the warning the text path gives ("Glyph N missing
    from font(s) …"), which the CLI gathers into one line, and drop the log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        found = _MATHTEXT_GLYPH.search(record.getMessage())
        if not found:
            return True
        warnings.warn(f"Glyph {int(found.group(1), 16)} missing from font(s) {MATHTEXT_FONT}.", UserWarning,
                      stacklevel=2)
        return False


@contextmanager
def glyph_warnings() -> Iterator[None]:
    """While drawing: mathtext's missing-glyph log lines become warnings (see :class:`_MathtextGlyphs`)."""
    logger = logging.getLogger("matplotlib.mathtext")
    guard = _MathtextGlyphs()
    logger.addFilter(guard)
    try:
        yield
    finally:
        logger.removeFilter(guard)


def format_of(path: str) -> str | None:
    """``png``, ``svg`` or ``pdf`` from the file's extension; None for anything else."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def save(fig: Any, out: IO[bytes], fmt: str) -> None:
    """Write ``fig`` as ``fmt`` to the binary stream ``out``, reproducibly."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    with matplotlib.rc_context(REPRODUCIBLE_RC), glyph_warnings():
        fig.savefig(out, format=fmt, dpi=fig.dpi, metadata=METADATA[fmt])


def save_to_file(fig: Any, path: str, fmt: str) -> None:
    """Write ``fig`` to ``path`` atomically (all of it or nothing)."""
    from actviz.render.atomic import atomic_write

    with atomic_write(path) as fh:
        save(fig, fh, fmt)
