"""Writing an output file atomically: all of it or nothing.

The bytes go to a temporary file in the target's own folder (so the final rename never crosses
a file system), which then replaces the target with ``os.replace``. If anything fails before
that, the temporary file is removed: no partial or stray file is ever left behind. Problems
that can be seen up front (missing folder, target is a folder, folder not writable) are
reported by :func:`check_target` as one clear :class:`OutputError` before any work is done.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class OutputError(OSError):
    """The output file cannot be written; the message is one line for the user."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "cannot write the output file"


def check_target(path: str | os.PathLike[str]) -> Path:
    """The target as a Path, after checking that it can be written; OutputError otherwise."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"cannot write '{target}': it is a folder; give a file name such as "
                          f"'{target / 'plot.png'}'")
    folder = target.resolve().parent
    if not folder.exists():
        raise OutputError(f"cannot write '{target}': folder '{target.parent}' does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write '{target}': '{target.parent}' is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write '{target}': folder '{target.parent}' is not writable")
    return target


def _final_mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 minus the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a temporary file next to ``path`` for binary writing; on success it becomes ``path``.

    >>> with atomic_write("out.png") as fh:   # doctest: +SKIP
    ...     fh.write(data)
    """
    target = check_target(path)
    real = target.resolve()  # write through a symlink to the file it points at
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in '{target.parent}': {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _final_mode(real))
        os.replace(tmp, real)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write '{target}': {exc.strerror or exc}") from None
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path) as fh:
        fh.write(data)
