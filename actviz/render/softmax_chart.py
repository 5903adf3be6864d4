"""``softmax --plot``: a bar chart of the probabilities (PNG, SVG or PDF).

Matplotlib is imported inside :func:`write_chart` only, so the table path never loads it. The
file is written atomically (a temporary file in the target folder, then ``os.replace``): a
failure never leaves a partial file. SVG and PDF bytes are deterministic (no date, fixed SVG id
salt). No math here: the bars are the probabilities the command got from the core.

The atomic writer is private to this module; it could be merged with the plot command's
``actviz.render.atomic`` once that exists.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from actviz.cli.cmd_softmax import SoftmaxResult

FORMATS = ("png", "svg", "pdf")
# Metadata that would otherwise hold the current time.
_METADATA = {"png": None, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
_RC = {"svg.hashsalt": "actviz", "svg.fonttype": "path", "pdf.compression": 6}
ANNOTATE_MAX = 20  # bars are labelled with their value up to this many per row


def chart_format(path: str) -> str:
    """The output format from the file's extension; anything else is a clear usage error."""
    from actviz.cli.errors import ActvizUsageError

    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FORMATS:
        got = f"'.{ext}'" if ext else "no extension"
        raise ActvizUsageError(
            f"--plot {path}: unsupported format ({got}); use a file ending in .png, .svg or .pdf"
        )
    return ext


def check_target(path: str) -> str:
    """Fail early (before any work) if ``path`` cannot be written; return its format."""
    fmt = chart_format(path)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OSError(f"cannot write '{path}': it is a directory")
    if not os.path.isdir(folder):
        raise OSError(f"cannot write '{path}': folder '{os.path.dirname(path) or '.'}' does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OSError(f"cannot write '{path}': permission denied")
    return fmt


def write_atomic(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(fh)`` on a new temporary file next to ``path``, then move it into place.

    The temporary file is created with mode 0o666 minus the umask, like a plain ``open``.
    """
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OSError(f"cannot write '{path}': {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OSError(f"cannot write '{path}': {exc.strerror or exc}") from None
        raise


def _short(p: float) -> str:
    """A bar's value in 3 significant digits, never rounded up to a misleading "1"."""
    text = f"{p:.3g}"
    return "0.999…" if text == "1" and p != 1.0 else text


def _draw_row(ax, result: SoftmaxResult, r: int) -> None:
    row = result.rows[r]
    shown = row.shown
    names = [result.labels[i] if result.labels else str(i) for i in shown]
    probs = [float(row.probabilities[i]) for i in shown]
    colours = ["C1" if i == row.argmax else "C0" for i in shown]
    positions = list(range(len(shown)))
    ax.bar(positions, probs, color=colours, width=0.7)
    ax.set_xticks(positions)
    ax.set_xticklabels(names, rotation=90 if len(shown) > 20 or max(map(len, names)) > 6 else 0)
    # Scale to the tallest bar (room for its value label) so that small probabilities stay visible.
    ax.set_ylim(0, min(1.1, max(probs) * 1.18) if max(probs) > 0 else 1.0)
    ax.set_ylabel("probability")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    if len(shown) <= ANNOTATE_MAX:
        for x, p in zip(positions, probs, strict=True):
            ax.annotate(
                _short(p),
                (x, p),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )
    title = "softmax" if result.temperature == 1.0 else f"softmax, T = {result.temperature:g}"
    if result.batch:
        title = f"row {r}: {title}"
    if row.rest is not None:
        title += f" (top {len(shown)} of {row.logits.size})"
    ax.set_title(title, fontsize=10, loc="left")


def write_chart(result: SoftmaxResult, path: str) -> None:
    """Draw one bar chart per row (stacked) and write it to ``path`` atomically."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fmt = chart_format(path)
    n_bars = max(len(row.shown) for row in result.rows)
    n_rows = len(result.rows)
    width = min(20.0, max(6.4, 0.35 * n_bars + 2.0))
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, 2.8 * n_rows + 0.6), layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(n_rows, 1, squeeze=False)[:, 0]
        for r, ax in enumerate(axes):
            _draw_row(ax, result, r)
        write_atomic(path, lambda fh: fig.savefig(fh, format=fmt, dpi=150, metadata=_METADATA[fmt]))
