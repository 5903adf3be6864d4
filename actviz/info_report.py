"""The data of ``actviz info``: the catalog's facts and the saturation regions computed from them.

:func:`actviz.catalog.describe.facts` keeps to what the catalog defines; the regions where
abs(f′) < ``threshold`` come from :func:`actviz.analysis.saturation_regions`, one floor up, and
are placed after the kinks, where ``info`` shows them.
"""

from __future__ import annotations

from typing import Any

from actviz.analysis import saturation_regions
from actviz.catalog.activation import Activation
from actviz.catalog.describe import facts


def info_document(act: Activation, threshold: float = 0.01) -> dict[str, Any]:
    """Everything ``actviz info`` shows for ``act``, with its saturation regions at ``threshold``
    (unbounded region ends as ±inf)."""
    doc: dict[str, Any] = {}
    for key, value in facts(act).items():
        doc[key] = value
        if key == "kinks":
            doc["saturation"] = {
                "threshold": threshold,
                "regions": [{"start": r.start, "end": r.end, "kind": r.kind, "label": r.label}
                            for r in saturation_regions(act, threshold)],
            }
    return doc
