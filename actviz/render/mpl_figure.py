"""actviz's Matplotlib Figure: a plain ``matplotlib.figure.Figure`` that shows itself in Jupyter.

Figures actviz returns are built with the object API and never registered with pyplot, so
IPython's inline backend does not know them; ``_repr_png_`` makes a cell show the picture anyway.
The figure keeps the Matplotlib settings (:func:`actviz.render.figure.rc`) it was drawn under
and saves under them, with the reproducible settings and metadata of
:mod:`actviz.render.figure_file`, so ``fig.savefig("x.png")`` writes the bytes the CLI writes. Importing this
module imports Matplotlib: only the drawing paths do.
"""

from __future__ import annotations

import os
from typing import Any

import matplotlib
import matplotlib.figure


class Figure(matplotlib.figure.Figure):
    """A Figure that saves under its own settings and has a PNG representation."""

    def __init__(self, *args: Any, settings: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actviz_settings: dict[str, Any] = dict(settings or {})

    def savefig(self, fname: Any, *args: Any, **kwargs: Any) -> Any:
        from actviz.render.figure_file import METADATA, REPRODUCIBLE_RC, format_of, glyph_warnings

        fmt = kwargs.get("format")
        if fmt is None and isinstance(fname, (str, os.PathLike)):
            fmt = format_of(os.fspath(fname))
        if fmt in METADATA:
            kwargs.setdefault("metadata", METADATA[fmt])
        kwargs.setdefault("dpi", self.dpi)
        with matplotlib.rc_context({**self.actviz_settings, **REPRODUCIBLE_RC}), glyph_warnings():
            return super().savefig(fname, *args, **kwargs)

    def _repr_png_(self) -> bytes:
        from actviz.render.display import png

        return png(self)
