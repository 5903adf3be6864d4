"""The result model of ``actviz train``: frozen dataclasses, ``to_dict()`` gives the JSON document.

A :class:`TrainResult` holds the configuration, a summary of the data and of the output head, and
one :class:`ActivationResult` per activation. That holds one :class:`Run` per seed; a run is the
list of :class:`Point` measurements taken every ``every`` steps (and at the last step) on the whole
training and test sets. Across seeds, :meth:`ActivationResult.curve` gives the mean and the
standard deviation (ddof = 1; 0 for one seed) of the runs that reached each step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from actviz.catalog.activation import Activation
from actviz.core.jsonsafe import clean
from actviz.core.params import ParamError, param
from actviz.flow.init import Init, InitChoice

MAX_DEPTH = 50
MAX_WIDTH = 1024
MAX_STEPS = 1_000_000
MAX_SEEDS = 50
MAX_WORK = 2e11  # multiply-adds per run (steps × rows × weights): minutes, not hours
EVALS = 50  # measurements per run (plus step 0): half the run time goes into them


class ConfigError(ParamError):
    """A training setting out of range (the message names the parameter)."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines the training besides the data and the activations."""

    depth: int = 3
    width: int = 32
    steps: int = 1000
    lr: float = 0.02
    optimizer: str = "sgd"
    momentum: float = 0.9
    batch: int = 32  # 0: the whole training set
    init: Init | None = None  # None: each activation's default (as in flow)
    seed: int = 0
    seeds: int = 1
    framework: str = "tensorflow"
    output: str | None = None  # the output activation's spec; None: as recommend advises

    def check(self, rows: int | None = None, inputs: int = 2, outputs: int = 1) -> None:
        """Raise ConfigError naming the parameter if a value is out of range."""
        from actviz.train.optim import OPTIMIZERS

        for what, value, low, cap in (("depth", self.depth, 1, MAX_DEPTH),
                                      ("width", self.width, 1, MAX_WIDTH),
                                      ("steps", self.steps, 1, MAX_STEPS),
                                      ("seeds", self.seeds, 1, MAX_SEEDS)):
            if not low <= value <= cap:
                raise ConfigError(f"{param(what)} must be between {low} and {cap:,}, got {value}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ConfigError(f"{param('lr')} must be a finite number > 0, got {self.lr:g}")
        if not (math.isfinite(self.momentum) and 0.0 <= self.momentum < 1.0):
            raise ConfigError(f"{param('momentum')} must be in [0, 1), got {self.momentum:g}")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"unknown optimizer '{self.optimizer}'; choose {' or '.join(OPTIMIZERS)}")
        if self.batch < 0:
            raise ConfigError(f"{param('batch')} must be 0 (the whole training set) or more, "
                              f"got {self.batch}")
        if self.seed < 0:
            raise ConfigError(f"{param('seed')} must be >= 0, got {self.seed}")
        if rows is not None:
            weights = inputs * self.width + (self.depth - 1) * self.width**2 + self.width * outputs
            work = float(self.steps) * self.rows(rows) * weights
            if work > MAX_WORK:
                raise ConfigError(f"steps × batch × weights = {work:.2g} multiply-adds per run is over the "
                                  f"limit {MAX_WORK:.0e}; lower {param('steps')}, {param('batch')}, "
                                  f"{param('width')} or {param('depth')}")

    def rows(self, n_train: int) -> int:
        """Rows per step: the batch, or the whole training set."""
        return n_train if self.batch == 0 or self.batch >= n_train else self.batch

    def every(self) -> int:
        """Steps between two measurements."""
        return max(1, math.ceil(self.steps / EVALS))

    def eval_steps(self) -> list[int]:
        e = self.every()
        out = list(range(0, self.steps, e))
        return [*out, self.steps]


@dataclass(frozen=True)
class Point:
    """Measurements after ``step`` updates, on the whole training set (and the test set)."""

    step: int
    train_loss: float
    test_loss: float
    train_acc: float | None  # None for regression
    test_acc: float | None
    dead: tuple[float, ...]  # per hidden layer: share of units with f′ = 0 on every training input
    grad_norm: tuple[float, ...]  # per layer (hidden layers, then the output layer): ‖∂L/∂W_l‖_F

    def value(self, field: str) -> Any:
        return getattr(self, field)


@dataclass(frozen=True, eq=False)
class Picture:
    """What the trained net predicts over the input plane (2-D data) or line (1-D data), seed 1.

    ``grid`` holds the axis values (one array for 1-D, two for 2-D, in the data's own units);
    ``values`` is P(class 1) (binary), the probabilities (…, K) (multiclass) or ŷ (regression).
    """

    grid: tuple[np.ndarray, ...]
    values: np.ndarray


@dataclass(frozen=True, eq=False)
class Run:
    """One seed's training."""

    seed: int
    points: tuple[Point, ...]
    diverged_at: int | None  # the step whose loss was no longer finite, or None
    picture: Picture | None = None

    @property
    def last(self) -> Point:
        return self.points[-1]


@dataclass(frozen=True)
class Verdict:
    """``kind``: learned, slow, stalled or diverged; ``text``: the line shown to people."""

    kind: str
    text: str


@dataclass(frozen=True)
class CurvePoint:
    step: int
    seeds: int  # runs that reached this step
    mean: dict[str, float | None]
    std: dict[str, float | None]
    dead: tuple[float, ...]  # mean over seeds, per layer
    grad_norm: tuple[float, ...]  # geometric mean over seeds, per layer (0 stays 0)


SCALARS = ("train_loss", "test_loss", "train_acc", "test_acc")


def _mean_std(values: list[float]) -> tuple[float, float]:
    arr = np.array(values, dtype=np.float64)
    mean = float(np.mean(arr))
    std = float(np.std(arr, ddof=1)) if len(arr) > 1 else 0.0
    return mean, std


@dataclass(frozen=True, eq=False)
class ActivationResult:
    """All seeds of one activation, and its verdict."""

    act: Activation
    init: InitChoice
    runs: tuple[Run, ...]
    verdict: Verdict

    @property
    def diverged(self) -> list[int]:
        """The divergence steps of the runs that diverged."""
        return [r.diverged_at for r in self.runs if r.diverged_at is not None]

    def curve(self) -> list[CurvePoint]:
        """Mean and spread over seeds at every measured step."""
        with np.errstate(all="ignore"):  # a run close to diverging may hold huge numbers
            return self._curve()

    def _curve(self) -> list[CurvePoint]:
        longest = max(len(r.points) for r in self.runs)
        out = []
        for i in range(longest):
            pts = [r.points[i] for r in self.runs if len(r.points) > i]
            mean: dict[str, float | None] = {}
            std: dict[str, float | None] = {}
            for field in SCALARS:
                vals = [p.value(field) for p in pts]
                if any(v is None for v in vals):
                    mean[field] = std[field] = None
                else:
                    mean[field], std[field] = _mean_std(vals)
            full = [p for p in pts if p.grad_norm]  # a run that diverged at step 0 measured nothing
            dead = tuple(float(np.mean(col)) for col in zip(*(p.dead for p in full), strict=True))
            grads = tuple(_geometric(col) for col in zip(*(p.grad_norm for p in full), strict=True))
            out.append(CurvePoint(pts[0].step, len(pts), mean, std, dead, grads))
        return out

    def final(self) -> CurvePoint:
        """Mean and spread of the last measurement of every run that did not diverge (else of all)."""
        good = [r for r in self.runs if r.diverged_at is None] or list(self.runs)
        last = ActivationResult(self.act, self.init, tuple(
            Run(r.seed, (r.last,), r.diverged_at) for r in good), self.verdict)
        return last.curve()[0]


def _geometric(values: tuple[float, ...]) -> float:
    arr = np.array(values, dtype=np.float64)
    if np.any(arr == 0.0) or not np.all(np.isfinite(arr)):
        return float(np.min(arr)) if np.any(arr == 0.0) else float("nan")
    return float(np.exp(np.mean(np.log(arr))))


@dataclass(frozen=True)
class DataInfo:
    name: str
    task: str
    train: int
    test: int
    features: tuple[str, ...]
    classes: tuple[str, ...]
    baseline: float  # the training loss of the best constant guess (class shares, or the mean)


@dataclass(frozen=True)
class HeadInfo:
    output: str
    recommended: str
    loss: str
    units: int


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Everything ``actviz train`` found, for the renderers and for ``to_dict()``."""

    config: TrainConfig
    data: DataInfo
    head: HeadInfo
    results: tuple[ActivationResult, ...]
    points: Any = None  # the DataSet (for plots); not part of to_dict()

    def __repr__(self) -> str:
        verdicts = ", ".join(f"{r.act.label} {r.verdict.kind}" for r in self.results)
        return (f"TrainResult({self.data.name}, depth={self.config.depth}, width={self.config.width}, "
                f"steps={self.config.steps}: {verdicts})")

    def __rich__(self) -> Any:
        from rich.console import Group

        from actviz.render.train_view import renderables

        return Group(*renderables(self))

    def _repr_html_(self) -> str:
        from actviz.render.display import html
        from actviz.render.train_view import renderables

        return html(renderables(self))

    def figure(self) -> Any:
        """Loss curves, dead units, gradients (and decision regions or the fit, when trained with
        ``pictures``): a new Matplotlib Figure, as ``actviz train --plot`` saves it."""
        from actviz.render.train_chart import figure

        return figure(self)

    def to_dict(self) -> dict[str, Any]:
        """The ``actviz train --format json`` document (strict-JSON data)."""
        c = self.config
        return clean({
            "config": {
                "depth": c.depth, "width": c.width, "steps": c.steps, "lr": c.lr, "optimizer": c.optimizer,
                "momentum": c.momentum if c.optimizer == "sgd" else None,
                "batch": c.batch if c.batch else "full", "init": c.init.spec if c.init else "default",
                "seed": c.seed, "seeds": c.seeds, "framework": c.framework, "every": c.every(),
            },
            "data": {"name": self.data.name, "task": self.data.task, "train": self.data.train,
                     "test": self.data.test, "features": list(self.data.features),
                     "classes": list(self.data.classes), "baseline_loss": self.data.baseline},
            "output": {"activation": self.head.output, "recommended": self.head.recommended,
                       "loss": self.head.loss, "units": self.head.units},
            "notes": NOTES,
            "results": [_result_dict(r) for r in self.results],
        })


NOTES = {
    "curve": "one point every `every` steps and at the last; each value is the mean over the seeds "
             "that reached the step, `_std` the sample standard deviation (0 for one seed)",
    "dead": "per hidden layer: share of units whose f′ is 0 on every training input",
    "grad_norm": "per layer, the output layer last: ‖∂L/∂W_l‖ (Frobenius) on the whole training set; "
                 "geometric mean over seeds",
    "diverged_at": "the step whose loss was no longer finite (null: it trained to the end)",
}


def _point_dict(p: CurvePoint) -> dict[str, Any]:
    out: dict[str, Any] = {"step": p.step, "seeds": p.seeds}
    for field in SCALARS:
        out[field] = p.mean[field]
        out[field + "_std"] = p.std[field]
    out["dead"] = list(p.dead)
    out["grad_norm"] = list(p.grad_norm)
    return out


def _result_dict(r: ActivationResult) -> dict[str, Any]:
    return {
        "function": r.act.name,
        "spec": r.act.spec,
        "params": r.act.params,
        "init": r.init.init.spec,
        "init_default": r.init.default,
        "init_reason": r.init.reason,
        "verdict": r.verdict.text,
        "verdict_kind": r.verdict.kind,
        "runs": [{"seed": run.seed, "diverged_at": run.diverged_at, "steps": run.last.step,
                  "train_loss": run.last.train_loss, "test_loss": run.last.test_loss,
                  "test_acc": run.last.test_acc} for run in r.runs],
        "final": _point_dict(r.final()),
        "curve": [_point_dict(p) for p in r.curve()],
    }
