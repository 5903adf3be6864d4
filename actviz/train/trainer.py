"""The training loop of ``actviz train`` and its measurements.

Each step takes a batch (the whole training set, or ``batch`` rows of a per-epoch shuffle from
``default_rng([seed, 3, epoch])``), runs forward, asks the head for ∂L/∂z_out, runs backward and
lets the optimiser update the weights. Every ``config.every()`` steps, and after the last, a
:class:`~actviz.train.result.Point` is measured on the whole training set (loss, accuracy, dead
units, per-layer gradient norms) and on the test set (loss, accuracy).

A loss that is no longer finite (weights overflowed) ends the run: ``diverged_at`` is that step.
Overflow inside the run is a result, not a warning, so the loop runs under ``np.errstate``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from actviz.catalog.activation import Activation
from actviz.flow.init import choose_init
from actviz.train import network, optim
from actviz.train.data import DataSet
from actviz.train.heads import Head, choose_head
from actviz.train.result import (
    ActivationResult,
    DataInfo,
    HeadInfo,
    Picture,
    Point,
    Run,
    TrainConfig,
    TrainResult,
    Verdict,
)

_BATCHES = 3  # random stream for the batch order
GRID = 120  # picture resolution per axis (2-D); 1-D pictures use 4 × GRID points
TICK = 25  # steps between two progress callbacks

Progress = Callable[[int], None]


def _measure(net: network.Network, act: Activation, head: Head, data: DataSet, step: int,
             fwd: network.Pass | None = None, loss: float | None = None,
             delta: np.ndarray | None = None) -> Point:
    if fwd is None:
        fwd = network.forward(net, act, data.x_train)
        loss, delta = head.loss_and_grad(fwd.out, data.y_train)
    assert loss is not None and delta is not None
    dw, _ = network.backward(net, fwd, delta)
    grads = tuple(float(np.linalg.norm(g)) for g in dw)
    test = network.forward(net, act, data.x_test, slopes=False)
    test_loss, _ = head.loss_and_grad(test.out, data.y_test, grad=False)
    return Point(step, loss, test_loss, head.accuracy(fwd.out, data.y_train),
                 head.accuracy(test.out, data.y_test), network.dead_share(fwd), grads)


def _picture(net: network.Network, act: Activation, head: Head, data: DataSet) -> Picture | None:
    """Predictions over the data's plane (2-D) or line (1-D), in the data's own units."""
    raw = data.raw(np.concatenate([data.x_train, data.x_test]))
    lo, hi = raw.min(axis=0), raw.max(axis=0)
    pad = 0.08 * np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - pad, hi + pad
    if data.dims == 1:
        xs = np.linspace(lo[0], hi[0], 4 * GRID)
        out = network.forward(net, act, data.standardise(xs[:, None]), slopes=False).out
        return Picture((xs,), head.probability(out))
    if data.dims != 2:
        return None
    xs, ys = np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID)
    gx, gy = np.meshgrid(xs, ys)
    pts = data.standardise(np.column_stack([gx.ravel(), gy.ravel()]))
    values = head.probability(network.forward(net, act, pts, slopes=False).out)
    return Picture((xs, ys), values.reshape(GRID, GRID, *values.shape[1:]))


def _batches(n: int, rows: int, seed: int):
    """Row indices of every step's batch (None: the whole set)."""
    if rows >= n:
        while True:
            yield None
    epoch = 0
    while True:
        order = np.random.default_rng([seed, _BATCHES, epoch]).permutation(n)
        for start in range(0, n - rows + 1, rows):  # a short last batch is dropped
            yield order[start:start + rows]
        epoch += 1


def train_run(act: Activation, head: Head, data: DataSet, config: TrainConfig, seed: int,
              picture: bool = False, progress: Progress | None = None) -> Run:
    """One seed of one activation."""
    init = choose_init(act, config.init).init
    net = network.build(data.dims, config.width, config.depth, head.units, init, seed)
    params = net.params
    opt = optim.make(config.optimizer, params, config.lr, config.momentum)
    every = config.every()
    points: list[Point] = []
    diverged: int | None = None
    batches = _batches(len(data.x_train), config.rows(len(data.x_train)), seed)
    advanced = 0
    with np.errstate(all="ignore"):
        for step in range(config.steps + 1):
            idx = next(batches)
            xb = data.x_train if idx is None else data.x_train[idx]
            yb = data.y_train if idx is None else data.y_train[idx]
            fwd = network.forward(net, act, xb)
            loss, delta = head.loss_and_grad(fwd.out, yb)
            measure = step % every == 0 or step == config.steps
            if measure:
                point = _measure(net, act, head, data, step, *((fwd, loss, delta) if idx is None else ()))
                if not np.isfinite(point.train_loss):
                    diverged = step
                    break
                points.append(point)
            if not np.isfinite(loss):
                diverged = step
                break
            if step == config.steps:
                break
            assert delta is not None
            dw, db = network.backward(net, fwd, delta)
            opt.step(params, [*dw, *db])
            if progress is not None and (step + 1) % TICK == 0:
                progress(TICK)
                advanced += TICK
        pic = _picture(net, act, head, data) if picture and diverged is None else None
    if progress is not None:
        progress(config.steps - advanced)
    if not points:  # diverged before the first measurement: step 0 itself was not finite
        points.append(Point(0, float("nan"), float("nan"), None, None, (), ()))
    return Run(seed, tuple(points), diverged, pic)


def baseline_loss(data: DataSet) -> float:
    """The training loss of the best constant prediction: the class shares' entropy (nats), or
    the targets' variance (mean squared error of predicting their mean)."""
    if data.task == "regression":
        return float(np.var(data.y_train))
    shares = np.bincount(data.y_train) / len(data.y_train)
    shares = shares[shares > 0]
    return float(-np.sum(shares * np.log(shares)))


def output_note(head: Head, data: DataSet) -> str:
    """What a non-recommended output activation cannot do: reach the regression targets, or stay
    within (0, 1) as a probability must."""
    if head.act is None or head.is_recommended:
        return ""
    props = head.act.properties
    if data.task == "binary":
        if props.range_low >= 0.0 and props.range_high <= 1.0:
            return ""
        return (f"the output {head.output} ranges over {props.range_text}, not (0, 1): as a probability "
                "it is clipped to [1e-7, 1 − 1e-7], and clipped outputs pass no gradient")
    y = data.y_train
    outside = float(np.mean((y < props.range_low) | (y > props.range_high)))
    if outside == 0.0:
        return ""
    return (f"the output {head.output} only reaches {props.range_text}: "
            f"{outside:.0%} of the targets lie outside")


def train(acts: list[Activation], data: DataSet, config: TrainConfig, pictures: bool = False,
          progress: Progress | None = None) -> TrainResult:
    """Train every activation for every seed; the verdicts and summaries in one result."""
    from actviz.catalog.registry import parse_spec
    from actviz.train.verdict import verdict

    output = None
    if config.output is not None:
        output = "softmax" if config.output.strip().lower() == "softmax" else parse_spec(
            config.output, config.framework)
    head = choose_head(data.task, len(data.classes), output, config.framework)
    config.check(len(data.x_train), data.dims, head.units)
    base = baseline_loss(data)
    notes = tuple(n for n in (output_note(head, data),) if n)
    results = []
    for act in acts:
        runs = tuple(train_run(act, head, data, config, config.seed + i, pictures and i == 0, progress)
                     for i in range(config.seeds))
        partial = ActivationResult(act, choose_init(act, config.init), runs, Verdict("", ""))
        results.append(ActivationResult(act, partial.init, runs, verdict(partial, base, notes)))
    info = DataInfo(data.name, data.task, len(data.x_train), len(data.x_test), data.features, data.classes,
                    base)
    head_info = HeadInfo(head.output, head.recommended, head.loss, head.units)
    return TrainResult(config, info, head_info, tuple(results), data)
