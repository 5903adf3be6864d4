"""Messages that name a parameter, in the terms of whoever reads them.

The library says ``depth must be between 1 and 50``; the CLI says ``--depth must be …``. A
message marks each parameter it names with :func:`param` (``param("depth")``, or
``param("task", "multiclass")`` for a name with its value); :class:`ParamError` then reads, as
``str(exc)``, in the API's terms (``depth``, ``task='multiclass'``), and :meth:`ParamError.say`
renders it in other terms (the CLI's one mapping, ``actviz.cli.errors.option_name``). The marks
are a control character no argument or keyboard produces.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MARK = "\x00"
_MARKED = re.compile(f"{_MARK}([A-Za-z_][A-Za-z0-9_]*)(?:=([^{_MARK}]*))?{_MARK}")

Namer = Callable[[str, "str | None"], str]


def param(name: str, value: str | None = None) -> str:
    """A marked reference to parameter ``name`` (with ``value``: the parameter set to it)."""
    return f"{_MARK}{name}{_MARK}" if value is None else f"{_MARK}{name}={value}{_MARK}"


def api_name(name: str, value: str | None) -> str:
    """The API's terms: ``depth``; ``task='multiclass'``, ``units=3``."""
    if value is None:
        return name
    try:
        float(value)
    except ValueError:
        return f"{name}={value!r}"
    return f"{name}={value}"


def render(text: str, namer: Namer = api_name) -> str:
    """``text`` with every marked parameter named by ``namer(name, value)``."""
    return _MARKED.sub(lambda m: namer(m.group(1), m.group(2)), text)


class ParamError(ValueError):
    """A bad value of a parameter; ``str()`` in the API's terms, :meth:`say` in others.

    >>> exc = ParamError(f"{param('depth')} must be between 1 and 50, got 0")
    >>> str(exc)
    'depth must be between 1 and 50, got 0'
    >>> exc.say(lambda name, value: "--" + name)
    '--depth must be between 1 and 50, got 0'
    """

    def __init__(self, marked: str):
        self.marked = marked
        super().__init__(render(marked))

    def say(self, namer: Namer) -> str:
        """The message with each parameter named by ``namer(name, value)``."""
        return render(self.marked, namer)
