"""The ``actviz derive --format json`` document of a :class:`~actviz.derive_report.report.Report`."""

from __future__ import annotations

from typing import Any

from actviz.catalog.describe import kink_record
from actviz.core.jsonsafe import bound
from actviz.derive_report.points import Point
from actviz.derive_report.report import Report
from actviz.derive_report.summary import QUANTILE_METHOD, Summary


def to_json(report: Report) -> dict[str, Any]:
    """The ``--format json`` document (plain data; strict JSON through :func:`actviz.core.jsonsafe.clean`)."""
    act = report.act
    formula = {"f": act.formula.text, "df": act.dformula.text}
    if report.order == 2:
        formula["d2f"] = act.d2formula.text
    doc: dict[str, Any] = {
        "function": act.name,
        "params": dict(act.params),
        "framework": act.framework,
        "formula": formula,
    }
    if report.summary is not None:
        doc["summary"] = summary_json(report.summary)
    else:
        doc["points"] = [_point_json(p, report.order) for p in report.points or []]
    doc["saturation"] = {
        "threshold": report.threshold,
        "regions": [{"start": bound(r.start), "end": bound(r.end), "kind": r.kind}
                    for r in report.regions],
    }
    doc["kinks"] = [kink_record(k) for k in act.kinks]
    return doc


def _point_json(p: Point, order: int) -> dict[str, Any]:
    row: dict[str, Any] = {"x": p.x, "f": p.f, "df": p.df}
    if order == 2:
        row["d2f"] = p.d2f
    return row


def summary_json(s: Summary) -> dict[str, Any]:
    return {
        "count": s.count,
        "nan": s.nan,
        "counts": dict(s.counts),
        "fractions": {name: s.fraction(name) for name in s.counts},
        "abs_df": {
            "mean": s.abs_df_mean,
            "min": s.abs_df_min,
            "max": s.abs_df_max,
            "quantiles": dict(s.quantiles),
            "quantile_method": QUANTILE_METHOD,
        },
        "x": {"min": s.x_min, "max": s.x_max},
    }
