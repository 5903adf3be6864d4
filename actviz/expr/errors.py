"""The one error type of the expression language: a message, the text and where in it."""

from __future__ import annotations

EXCERPT = 60  # characters of the formula shown around the offending token


class ExprError(ValueError):
    """A formula that cannot be accepted, with the position (0-based) and width of the culprit.

    ``str(err)`` is one line (message and column); :meth:`caret_lines` gives the formula (an
    excerpt for long input, non-printable characters shown as ``?``) and a caret line under the
    offending token, for the CLI to print just before its ``Error:`` line.
    """

    def __init__(self, message: str, text: str, pos: int, width: int = 1):
        self.message = message
        self.text = text
        self.pos = max(0, min(pos, len(text)))
        self.width = max(1, width)
        super().__init__(f"{message} (column {self.pos + 1} of the formula)")

    def caret_lines(self) -> list[str]:
        start = max(0, self.pos - EXCERPT // 2)
        stop = min(len(self.text), start + EXCERPT)
        shown = "".join(c if c.isprintable() else "?" for c in self.text[start:stop])
        left = "…" if start > 0 else ""
        right = "…" if stop < len(self.text) else ""
        width = max(1, min(self.width, stop - self.pos))
        return [f"  {left}{shown}{right}", "  " + " " * (len(left) + self.pos - start) + "^" * width]
