"""User-defined activations: ``name = "formula"`` lines in a config file.

The file is ``$ACTVIZ_ACTIVATIONS`` if set (empty: none), else
``$XDG_CONFIG_HOME/actviz/activations.toml`` (``~/.config/actviz/activations.toml``). Each entry is
one TOML line, ``gelu_sig = "x*sigmoid(1.702*x)"``; comments, blank lines and an
``[activations]`` header are allowed. Each line is read on its own (``tomllib`` on Python 3.11+, a
small reader of basic and literal strings on 3.10), so a broken entry is one warning naming the file
and line, and the other entries still load. A name that is already a catalog activation is skipped
with a warning (the catalog wins).
"""

from __future__ import annotations

import functools
import os
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

ENV = "ACTVIZ_ACTIVATIONS"
_LINE = re.compile(r'\s*([A-Za-z][A-Za-z0-9_\-]*)\s*=\s*(".*"|\'.*\')\s*(#.*)?$')


class UserActivationWarning(UserWarning):
    """A broken entry in the user's activations file."""


@dataclass(frozen=True)
class Entry:
    name: str
    formula: str
    path: str
    line: int


def config_path() -> Path | None:
    given = os.environ.get(ENV)
    if given is not None:
        return Path(given).expanduser() if given.strip() else None
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "actviz" / "activations.toml"


def entries() -> dict[str, Entry]:
    """Valid entries by normalised name (each problem warned about once per process)."""
    path = config_path()
    if path is None:
        return {}
    return _load(str(path))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Entry]:
    from actviz.expr.parser import MAX_LENGTH

    try:
        with open(path, "rb") as fh:
            raw = fh.read(64 * MAX_LENGTH * 16)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        _warn(f"{path}: cannot read ({exc.strerror or exc})")
        return {}
    # Only now the catalog (and NumPy): without a file, shell completion stays NumPy-free.
    from actviz.catalog.registry import normalise
    from actviz.expr.errors import ExprError
    from actviz.expr.parser import parse
    from actviz.expr.resolve import catalog_keys

    out: dict[str, Entry] = {}
    text = raw.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "[activations]":
            continue
        where = f"{path}:{number}"
        parsed = _read_line(line)
        if parsed is None:
            _warn(f"{where}: expected name = \"formula\"; entry skipped")
            continue
        name, formula = parsed
        key = normalise(name)
        if key in catalog_keys():
            _warn(f"{where}: '{name}' is a catalog activation; entry skipped")
            continue
        if key in out:
            _warn(f"{where}: '{name}' is defined twice (first on line {out[key].line}); entry skipped")
            continue
        try:
            parse(formula)
        except ExprError as exc:
            _warn(f"{where}: {name}: {exc}; entry skipped")
            continue
        out[key] = Entry(name, formula, path, number)
    return out


def _read_line(line: str) -> tuple[str, str] | None:
    m = _LINE.match(line)
    if m is None:
        return None
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            data = tomllib.loads(line)
        except tomllib.TOMLDecodeError:
            return None
        if len(data) != 1:
            return None
        ((name, value),) = data.items()
        return (name, value) if isinstance(value, str) else None
    value = m.group(2)  # Python 3.10: basic ("...", \" and \\ escapes) or literal ('...') strings
    body = value[1:-1]
    if value[0] == "'":
        return None if "'" in body else (m.group(1), body)
    if re.search(r'(?<!\\)(\\\\)*"', body):
        return None
    return m.group(1), re.sub(r"\\(.)", r"\1", body)


def _warn(message: str) -> None:
    warnings.warn(message, UserActivationWarning, stacklevel=2)


def lookup(name: str) -> Entry | None:
    from actviz.catalog.registry import normalise

    return entries().get(normalise(name))
