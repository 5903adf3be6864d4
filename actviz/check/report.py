"""What ``actviz check`` finds, as one object: the audits of one call, with their display.

:func:`audit_arrays` audits an implementation's results given as arrays (the ``--input/--values/
--grads`` path); :func:`framework_audits` runs installed frameworks (``--framework-run``). Both
feed a :class:`CheckReport`, whose ``to_dict()`` is the ``--format json`` document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actviz.check.arrays import Loaded, WrongArray
from actviz.check.model import CheckResult
from actviz.core import ulp as u
from actviz.core.jsonsafe import clean
from actviz.core.params import param


@dataclass(frozen=True)
class CheckReport:
    """One or more audits (``league``: ``--framework-run all``, a table of frameworks first).

    ``skipped`` says which frameworks had no such function (a league goes on without them; the
    CLI prints each as a note on stderr, not in the JSON)."""

    results: tuple[CheckResult, ...]
    league: bool = False
    skipped: tuple[str, ...] = ()

    def __repr__(self) -> str:
        parts = ", ".join(f"{r.implementation.split(':')[0]} max "
                          f"{max(q.max_ulp for q in r.quantities):.3g} ulp" for r in self.results)
        return f"CheckReport({self.results[0].activation!r} in {self.results[0].dtype}: {parts})"

    @property
    def passed(self) -> bool:
        """Every result within its ``max_ulp`` (or no limit): ``actviz check`` exits 0."""
        return all(r.passed for r in self.results)

    def to_dict(self) -> Any:
        """The ``actviz check --format json`` document: one result's dict, a list for a league."""
        if self.league:
            return clean([r.to_dict() for r in self.results])
        return clean(self.results[0].to_dict())

    def __rich__(self) -> Any:
        from rich.console import Group

        from actviz.render.check_view import renderables

        return Group(*renderables(list(self.results), self.league))

    def _repr_html_(self) -> str:
        from actviz.render.check_view import renderables
        from actviz.render.display import html

        return html(renderables(list(self.results), self.league))

    def figure(self, ax: Any = None) -> Any:
        """The ULP error against x (``check --plot``): a new Figure, or drawn into ``ax`` (one
        Axes per panel: per result, f and f′)."""
        from actviz.render.check_chart import figure

        return figure(list(self.results), ax)


def audit_arrays(act: Any, x: Loaded, values: Loaded, grads: Loaded | None, max_ulp: float | None,
                 implementation: str | None = None) -> CheckResult:
    """Audit ``values`` (f) and ``grads`` (f′) of an implementation of ``act`` at the inputs ``x``;
    the three are as long as each other, and ``values``' dtype is the target dtype."""
    for other, what in ((values, "values"), (grads, "grads")):
        if other is not None and other.data.shape[0] != x.data.shape[0]:
            raise WrongArray(f"{param(what)} has {other.data.shape[0]:,} values but {param('x')} has "
                             f"{x.data.shape[0]:,}: they must match")
    results = {"f": values.bits} if grads is None else {"f": values.bits, "df": grads.bits}
    from actviz.check.audit import audit

    names = implementation or " / ".join(s.source for s in (x, values, grads) if s is not None)
    return audit(act, x.data, values.fmt, results, implementation=names, x_fmt=x.fmt, max_ulp=max_ulp)


def framework_audits(spec: Any, name: str, inputs: Loaded | None, target: u.FloatFormat,
                     max_ulp: float | None, activation: Any) -> CheckReport:
    """Run framework ``name`` (``all``: every installed one) on ``inputs`` (None: the hard grid).

    ``activation(spec, preset)`` makes the Activation under each framework's preset; a framework
    without the function is skipped (and named in ``skipped``) when several run, an error when
    one does.
    """
    from actviz.check import frameworks

    runners = frameworks.select(name)
    out, skipped = [], []
    for runner in runners:
        act = activation(spec, runner.preset)
        try:
            out.append(runner.check(act, target, inputs, max_ulp))
        except frameworks.Unsupported as exc:
            if len(runners) == 1:
                raise
            skipped.append(str(exc))
    if not out:
        raise frameworks.Unsupported(f"no installed framework has {spec}")
    return CheckReport(tuple(out), league=name.strip().lower() == "all", skipped=tuple(skipped))
