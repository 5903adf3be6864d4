"""Data for ``actviz train``: built-in sets generated from a seed, or the user's CSV table.

Built-in sets (``n`` points, noise fixed per set; every draw from
``numpy.random.default_rng([seed, stream])``, so the same seed gives the same points):

- ``moons``    two interleaving half circles (binary), noise σ = 0.1
- ``circles``  a ring around a disc, radii 1 and 0.5 (binary), noise σ = 0.05
- ``spirals``  K interleaved arms, 1.75 turns each (binary for K = 2, else multiclass)
- ``xor``      uniform on [−1, 1]², label = [x₁·x₂ > 0] (binary), points within 0.05 of an axis
               left out so the classes do not touch
- ``blobs``    K Gaussian clusters (σ = 0.6) on a circle of radius 2 (multiclass, K = 3 by default)
- ``sine``     y = sin(x) + N(0, 0.05²), x uniform on [−π, π] (regression)

CSV (a file or ``-`` for stdin): a header row naming the columns, one of them the label (``--label``
or a column called label, y, target or class); all other columns are numeric features. The file
is read one row at a time and refused beyond ``MAX_ROWS`` rows or ``MAX_FEATURES`` features, so
memory stays bounded whatever the input. A label column of at most ``MAX_CLASSES`` distinct
whole numbers, or of any text, is a classification target; other numbers are a regression target.

Features are standardised with the training part's mean and std (the network sees
``(x − shift) / scale``); regression targets are left as they are.
"""

from __future__ import annotations

import csv
import math
import os
import sys
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

import numpy as np

from actviz.core.params import ParamError, param

TASKS = ("binary", "multiclass", "regression")
MAX_ROWS = 100_000
MAX_FEATURES = 100
MAX_CLASSES = 20
MAX_POINTS = 100_000
MAX_LINE = 1 << 20  # characters per CSV line
LABEL_NAMES = ("label", "y", "target", "class")
_DATA, _SPLIT = 0, 1  # random streams (the network uses its own)


class DataError(ParamError):
    """A data set that cannot be used (a file that is missing or not a usable CSV)."""


class DataUsageError(DataError):
    """Parameters that do not fit the data (unknown set, classes, points, task, test_share)."""


@dataclass(frozen=True, eq=False)
class DataSet:
    """Training and test parts, standardised features, integer classes or real targets."""

    name: str
    task: str  # the task the labels allow by default: binary, multiclass or regression
    x_train: np.ndarray  # n_train × d, standardised
    y_train: np.ndarray  # class ids (int64) or targets (float64, n × 1)
    x_test: np.ndarray
    y_test: np.ndarray
    features: tuple[str, ...]
    classes: tuple[str, ...]  # class names (classification), () for regression
    shift: np.ndarray  # per-feature mean of the raw training features
    scale: np.ndarray  # per-feature std (1 where a feature is constant)

    @property
    def dims(self) -> int:
        return self.x_train.shape[1]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Standardised features back in the data's own units (for plots)."""
        return x * self.scale + self.shift

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (x - self.shift) / self.scale


# --- built-in generators: (n, rng, classes) → raw x (n × d), labels -----------------------------
def _counts(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def moons(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = _counts(n, 2)
    t = np.concatenate([rng.uniform(0.0, math.pi, a), rng.uniform(0.0, math.pi, b)])
    y = np.repeat([0, 1], [a, b])
    x = np.where(y[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]))
    return x + rng.normal(0.0, 0.1, x.shape), y


def circles(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = _counts(n, 2)
    t = rng.uniform(0.0, 2.0 * math.pi, n)
    y = np.repeat([0, 1], [a, b])
    r = np.where(y == 0, 1.0, 0.5)
    x = np.column_stack([r * np.cos(t), r * np.sin(t)])
    return x + rng.normal(0.0, 0.05, x.shape), y


def spirals(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    y = np.repeat(np.arange(classes), _counts(n, classes))
    t = np.sqrt(rng.uniform(0.02, 1.0, n))  # uniform density along the arm's area
    angle = 3.5 * math.pi * t + 2.0 * math.pi * y / classes
    x = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
    return x + rng.normal(0.0, 0.02, x.shape), y


def xor(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, (n, 2))
    x += np.sign(x) * 0.05  # a margin of 0.05 around both axes
    x = np.clip(x, -1.0, 1.0)
    return x, (x[:, 0] * x[:, 1] > 0).astype(np.int64)


def blobs(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    y = np.repeat(np.arange(classes), _counts(n, classes))
    angle = 2.0 * math.pi * y / classes
    centres = 2.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    return centres + rng.normal(0.0, 0.6, (n, 2)), y


def sine(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-math.pi, math.pi, (n, 1))
    return x, np.sin(x) + rng.normal(0.0, 0.05, x.shape)


@dataclass(frozen=True)
class Builtin:
    make: Callable[[int, np.random.Generator, int], tuple[np.ndarray, np.ndarray]]
    task: str
    classes: int  # default number of classes (0 for regression)
    classes_free: bool  # --classes applies
    summary: str


BUILTINS: dict[str, Builtin] = {
    "moons": Builtin(moons, "binary", 2, False, "two interleaving half circles"),
    "circles": Builtin(circles, "binary", 2, False, "a ring around a disc"),
    "spirals": Builtin(spirals, "binary", 2, True, "interleaved spiral arms"),
    "xor": Builtin(xor, "binary", 2, False, "the four quadrants, XOR of the signs"),
    "blobs": Builtin(blobs, "multiclass", 3, True, "Gaussian clusters on a circle"),
    "sine": Builtin(sine, "regression", 0, False, "y = sin(x) + noise on [−π, π]"),
}


def builtin(name: str, points: int, seed: int,
            classes: int | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Raw features, labels and number of classes of a built-in set."""
    spec = BUILTINS[name]
    if classes is not None and not spec.classes_free:
        free = " and ".join(n for n, b in BUILTINS.items() if b.classes_free)
        raise DataUsageError(f"{param('classes')} applies to {free} only, not to {name}")
    k = spec.classes if classes is None else classes
    if spec.classes_free and not 2 <= k <= MAX_CLASSES:
        raise DataUsageError(f"{param('classes')} must be between 2 and {MAX_CLASSES}, got {k}")
    if not 4 <= points <= MAX_POINTS:
        raise DataUsageError(f"{param('points')} must be between 4 and {MAX_POINTS:,}, got {points}")
    x, y = spec.make(points, np.random.default_rng([seed, _DATA]), k)
    return x.astype(np.float64), y, k


# --- CSV ----------------------------------------------------------------------------------------
def _float(text: str) -> float | None:
    try:
        return float(text.strip().replace("−", "-"))
    except ValueError:
        return None


def _open(source: str, stdin: IO[str] | None) -> IO[str]:
    if source == "-":
        return stdin if stdin is not None else sys.stdin
    if os.path.isdir(source):
        raise DataError(f"cannot read '{source}': it is a directory")
    try:
        return open(source, encoding="utf-8", newline="")
    except FileNotFoundError:
        raise DataError(f"cannot read '{source}': no such file "
                        f"(built-in sets: {', '.join(BUILTINS)})") from None
    except PermissionError:
        raise DataError(f"cannot read '{source}': permission denied") from None
    except OSError as exc:
        raise DataError(f"cannot read '{source}': {exc.strerror or exc}") from None


def _label_index(header: list[str], label: str | None, where: str) -> int:
    names = [h.strip() for h in header]
    if label is not None:
        for i, h in enumerate(names):
            if h.lower() == label.strip().lower():
                return i
        raise DataError(f"{where} has no column '{label}' (columns: {', '.join(names)})")
    for i, h in enumerate(names):
        if h.lower() in LABEL_NAMES:
            return i
    raise DataError(f"{where} has no label column: name one with {param('label')} "
                    f"(columns: {', '.join(names)}; looked for {', '.join(LABEL_NAMES)})")


def read_csv(source: str, label: str | None = None,
             stdin: IO[str] | None = None) -> tuple[np.ndarray, list[str], tuple[str, ...], str]:
    """Features (n × d), label texts, feature names and label name from a CSV with a header row."""
    where = "stdin" if source == "-" else source
    fh = _open(source, stdin)
    try:
        return _parse_rows(csv.reader(_lines(fh, where)), label, where)
    except csv.Error as exc:
        raise DataError(f"{where}: not a readable CSV ({exc})") from None
    finally:
        if fh is not stdin and fh is not sys.stdin:
            fh.close()


def _lines(fh: IO[str], where: str) -> Iterable[str]:
    """The lines of ``fh``, each read with a length limit (a file without newlines stays bounded)."""
    number = 0
    while True:
        try:
            line = fh.readline(MAX_LINE + 1)
        except UnicodeDecodeError:
            raise DataError(f"cannot read '{where}': not a text file") from None
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE:
            raise DataError(f"{where} line {number} is longer than {MAX_LINE:,} characters")
        yield line


def _parse_rows(rows: Iterable[list[str]], label: str | None,
                where: str) -> tuple[np.ndarray, list[str], tuple[str, ...], str]:
    header: list[str] | None = None
    li = 0
    values = array("d")
    labels: list[str] = []
    width = 0
    for number, row in enumerate(rows, start=1):
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            if all(_float(c) is not None for c in row):
                raise DataError(f"{where} has no header row, so no label column: start the file "
                                "with the column names (e.g. x1,x2,label)")
            header = row
            if len(header) - 1 > MAX_FEATURES:
                raise DataError(f"{where} has {len(header) - 1} feature columns; at most {MAX_FEATURES}")
            li = _label_index(header, label, where)
            width = len(header)
            continue
        if len(row) != width:
            raise DataError(f"{where} line {number}: {len(row)} fields, the header has {width}")
        if len(labels) == MAX_ROWS:
            raise DataError(f"{where} has more than {MAX_ROWS:,} rows; sample it first")
        for i, cell in enumerate(row):
            if i == li:
                continue
            v = _float(cell)
            if v is None or not math.isfinite(v):
                raise DataError(f"{where} line {number}: feature '{header[i].strip()}' is "
                                f"'{cell.strip()}', not a finite number")
            values.append(v)
        text = row[li].strip()
        if not text:
            raise DataError(f"{where} line {number}: the label is empty")
        labels.append(text)
    if header is None:
        raise DataError(f"{where} is empty")
    if width < 2:
        raise DataError(f"{where} has a label column but no feature column")
    if len(labels) < 4:
        raise DataError(f"{where} has {len(labels)} data rows; at least 4 are needed")
    x = np.frombuffer(values, dtype=np.float64).reshape(len(labels), width - 1).copy()
    names = tuple(h.strip() for i, h in enumerate(header) if i != li)
    return x, labels, names, header[li].strip()


def encode_labels(texts: list[str], where: str) -> tuple[np.ndarray, tuple[str, ...], str]:
    """Label texts → (class ids or targets, class names, natural task)."""
    numbers = [_float(t) for t in texts]
    if all(v is not None for v in numbers):
        vals = np.array(numbers, dtype=np.float64)
        if not np.all(np.isfinite(vals)):
            raise DataError(f"{where}: a label is not finite")
        distinct = np.unique(vals)
        if np.all(distinct == np.round(distinct)) and len(distinct) <= MAX_CLASSES:
            ids = np.searchsorted(distinct, vals).astype(np.int64)
            names = tuple(f"{v:g}" for v in distinct)
            return ids, names, _natural(len(distinct))
        return vals.reshape(-1, 1), (), "regression"
    distinct_text = sorted(set(texts))
    if len(distinct_text) > MAX_CLASSES * 5:
        raise DataError(f"{where}: {len(distinct_text)} different text labels; is the label column right?")
    index = {t: i for i, t in enumerate(distinct_text)}
    ids = np.array([index[t] for t in texts], dtype=np.int64)
    return ids, tuple(distinct_text), _natural(len(distinct_text))


def _natural(classes: int) -> str:
    """The task of a label column with this many distinct classes ("one": nothing to learn)."""
    return "binary" if classes == 2 else ("multiclass" if classes > 2 else "one")


# --- assembling a data set ----------------------------------------------------------------------
def resolve_task(natural: str, n_classes: int, requested: str | None, where: str) -> str:
    """The task to train: the one the labels allow, or ``requested`` if the labels fit it."""
    if natural == "one":
        raise DataError(f"{where}: every label is the same; nothing to learn")
    if requested is None:
        return natural
    if requested not in TASKS:
        raise DataUsageError(f"unknown task '{requested}'; choose from {', '.join(TASKS)}")
    if natural == "regression" and requested != "regression":
        raise DataUsageError(f"{where} has real-valued targets: {param('task', requested)} needs "
                             "class labels")
    if requested == "binary" and n_classes > 2:
        raise DataUsageError(f"{where} has {n_classes} classes: use {param('task', 'multiclass')}, "
                             "not binary")
    return requested


def split(x: np.ndarray, y: np.ndarray, test_share: float, seed: int) -> tuple[np.ndarray, ...]:
    """A seeded random split: (x_train, y_train, x_test, y_test)."""
    n = len(x)
    n_test = int(round(n * test_share))
    if n_test < 1 or n - n_test < 2:
        raise DataUsageError(f"{n} points with {param('test_share')} {test_share:g} leave {n_test} for "
                             f"testing and {n - n_test} for training; need at least 1 and 2")
    order = np.random.default_rng([seed, _SPLIT]).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def make_dataset(x: np.ndarray, y: np.ndarray, name: str, task: str, features: tuple[str, ...],
                 classes: tuple[str, ...], test_share: float, seed: int) -> DataSet:
    """Split, standardise the features and, for regression on class ids, make targets real."""
    if task == "regression" and y.ndim == 1:
        y = y.astype(np.float64).reshape(-1, 1)
        classes = ()
    xtr, ytr, xte, yte = split(x, y, test_share, seed)
    shift = xtr.mean(axis=0)
    scale = xtr.std(axis=0)
    scale[scale == 0.0] = 1.0
    return DataSet(name, task, (xtr - shift) / scale, ytr, (xte - shift) / scale, yte, features,
                   classes, shift, scale)


def load(data: str, *, points: int = 400, seed: int = 0, task: str | None = None, test_share: float = 0.25,
         classes: int | None = None, label: str | None = None, stdin: IO[str] | None = None) -> DataSet:
    """A built-in set by name, or a CSV file (``-`` for stdin); DataError for anything unusable."""
    if not 0.0 < test_share < 1.0:
        raise DataUsageError(f"{param('test_share')} must be between 0 and 1 (exclusive), got {test_share:g}")
    key = data.strip().lower()
    if key in BUILTINS:
        if label is not None:
            raise DataUsageError(f"{param('label')} is for CSV files; {key} is a built-in set")
        x, y, k = builtin(key, points, seed, classes)
        spec = BUILTINS[key]
        natural = spec.task if spec.task == "regression" else ("binary" if k == 2 else "multiclass")
        t = resolve_task(natural, k, task, key)
        names = ("x",) if x.shape[1] == 1 else ("x1", "x2")
        class_names = tuple(str(i) for i in range(k))
        return make_dataset(x, y, key, t, names, class_names, test_share, seed)
    if not (data == "-" or os.path.splitext(data)[1].lower() in (".csv", ".txt")
            or os.path.exists(data)):
        raise DataUsageError(f"unknown data set '{data}'; choose {', '.join(BUILTINS)} or a .csv file")
    if classes is not None:
        raise DataUsageError(f"{param('classes')} is for the built-in spirals and blobs, not for a CSV file")
    x, texts, names, label_name = read_csv(data, label, stdin)
    where = "stdin" if data == "-" else data
    y, class_names, natural = encode_labels(texts, f"{where} column '{label_name}'")
    t = resolve_task(natural, len(class_names), task, f"{where} column '{label_name}'")
    return make_dataset(x, y, os.path.basename(data) if data != "-" else "stdin", t, names, class_names,
                        test_share, seed)

