"""``actviz derive --format csv``: every row (x, f, df[, d2f], region), streamed chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from actviz.analysis import ACTIVE, DEAD, VANISHING, Region
from actviz.catalog.activation import Activation
from actviz.derive_report.points import NAN_CODE, REGION_NAMES, evaluate
from actviz.derive_report.reading import chunks


def csv_header(order: int) -> str:
    return "x,f,df,d2f,region" if order == 2 else "x,f,df,region"


def csv_lines(act: Activation, arr: np.ndarray, order: int, regions: list[Region], threshold: float,
              chunk: int | None = None) -> Iterator[str]:
    """The header line, then one block of rows per chunk (each ending with a newline).

    Numbers are Python's shortest round-trip repr (``inf``, ``-inf``, ``nan`` for non-finite ones),
    so ``float(field)`` gives back the exact float64.
    """
    return csv_rows(act, chunks(arr, chunk), order, regions, threshold)


def csv_rows(act: Activation, pieces: Iterable[np.ndarray], order: int, regions: list[Region],
             threshold: float) -> Iterator[str]:
    """As :func:`csv_lines`, for values arriving as pieces (a text stream read chunk by chunk)."""
    yield csv_header(order) + "\n"
    names = np.array([REGION_NAMES[c] for c in (ACTIVE, VANISHING, DEAD, NAN_CODE)])
    for piece in pieces:
        x = piece.astype(np.float64).reshape(-1)
        f, df, d2f, codes = evaluate(act, x, order, regions, threshold)
        cols = [x, f, df] if d2f is None else [x, f, df, d2f]
        texts = [map(repr, c.tolist()) for c in cols]
        region = names[codes].tolist()  # NAN_CODE = -1 picks the last name, "nan"
        yield "".join(",".join(row) + "\n" for row in zip(*texts, region, strict=True))
