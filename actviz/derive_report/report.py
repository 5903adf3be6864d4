"""Everything ``actviz derive`` shows for one activation, as one object (:class:`Report`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from actviz.analysis import Region, saturation_regions
from actviz.catalog.activation import Activation
from actviz.derive_report.points import SMALL_INPUT, Point, default_points, evaluate_points
from actviz.derive_report.summary import Summary, summarize


@dataclass(frozen=True)
class Report:
    """Everything ``derive`` shows for one activation."""

    act: Activation
    order: int
    threshold: float
    regions: list[Region]
    points: list[Point] | None
    summary: Summary | None
    source: str | None = None  # input name for a summary


def build(act: Activation, order: int, threshold: float, *, xs: np.ndarray | None = None,
          data: np.ndarray | None = None, source: str | None = None,
          chunk: int | None = None) -> Report:
    """A report for table points ``xs``, or for input ``data`` (rows if small, else a summary)."""
    regions = saturation_regions(act, threshold)
    if data is not None and data.size > SMALL_INPUT:
        summary = summarize(act, data, regions, threshold, chunk)
        return Report(act, order, threshold, regions, None, summary, source)
    points_x = data if data is not None else xs if xs is not None else default_points(act)
    points = evaluate_points(act, np.asarray(points_x), order, regions, threshold)
    return Report(act, order, threshold, regions, points, None, source)
