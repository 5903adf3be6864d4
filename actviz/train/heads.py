"""The output layer and loss of ``actviz train``: by task, exactly as ``actviz recommend`` advises.

The task row of :mod:`actviz.advice.rules` gives the output activation and the loss:

- binary      sigmoid, binary cross-entropy from the logit z:  L = mean(softplus(z) − y·z),
              ∂L/∂z = (σ(z) − y)/n
- multiclass  softmax over K units, cross-entropy from the logits: L = −mean(log softmax(z)_y),
              ∂L/∂z = (softmax(z) − onehot(y))/n
- regression  identity, mean squared error: L = mean((ŷ − y)²), ŷ = g(z), ∂L/∂z = 2(ŷ − y)·g′(z)/n

``--output NAME`` puts another catalog activation g at the output, to show what goes wrong: for
regression ŷ = g(z) (σ cannot reach targets outside (0, 1)); for binary g(z) is taken as the
probability p, clipped to [1e−7, 1 − 1e−7] as Keras does for ``from_logits=False`` (a clipped p
passes no gradient). Multiclass keeps softmax: the loss needs K probabilities that sum to 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from actviz.advice import rules
from actviz.catalog.activation import Activation
from actviz.core.params import ParamError, param

LOSS_NAMES = {"binary": "binary cross-entropy", "multiclass": "cross-entropy",
              "regression": "mean squared error"}
EPSILON = 1e-7  # Keras's clip of probabilities given to binary cross-entropy


class HeadError(ParamError):
    """An output activation that does not fit the task."""


def recommended_output(task: str) -> str:
    """The output activation ``recommend --task TASK`` advises (``any`` output range)."""
    return rules.task(task).outputs["any"].activation


@dataclass(frozen=True, eq=False)
class Head:
    """The output layer: its activation (None: softmax), units, loss and how predictions are made."""

    task: str
    output: str  # "softmax" or the output activation's spec
    recommended: str  # what recommend advises for the task
    units: int
    act: Activation | None  # the output activation g; None for softmax
    from_logits: bool  # the loss is computed from z directly (the recommended classification heads)

    @property
    def loss(self) -> str:
        return LOSS_NAMES[self.task]

    @property
    def is_recommended(self) -> bool:
        return self.output == self.recommended

    def loss_and_grad(self, z: np.ndarray, y: np.ndarray,
                      grad: bool = True) -> tuple[float, np.ndarray | None]:
        """The mean loss over the rows of ``z`` and (if ``grad``) ∂L/∂z."""
        n = z.shape[0]
        if self.task == "multiclass":
            from actviz.core.vector import softmax_and_log

            p, logp = softmax_and_log(z, axis=1)
            rows = np.arange(n)
            loss = -float(np.sum(logp[rows, y] / n))  # terms divided first: no overflow in the sum
            if not grad:
                return loss, None
            # p_y − 1 as −Σ_{j≠y} p_j: no cancellation where p_y is near 1.
            others = p.copy()
            others[rows, y] = 0.0
            p[rows, y] = -others.sum(axis=1)
            p /= n
            return loss, p
        assert self.act is not None
        if self.task == "binary":
            t = y.reshape(-1, 1).astype(np.float64)
            if self.from_logits:
                # With s = 1 − 2t (±1 for t in {0, 1}): softplus(z) − t·z = softplus(s·z) and
                # σ(z) − t = s·σ(s·z), without the cancellation of z − z or σ(z) − 1.
                s = 1.0 - 2.0 * t
                sz = s * z
                loss = float(np.sum(np.logaddexp(0.0, sz) / n))
                if not grad:
                    return loss, None
                d = s * np.asarray(self.act(sz), dtype=np.float64)
                d /= n
                return loss, d
            p = np.asarray(self.act(z), dtype=np.float64)
            pc = np.clip(p, EPSILON, 1.0 - EPSILON)
            loss = float(np.mean(-t * np.log(pc) - (1.0 - t) * np.log1p(-pc)))
            if not grad:
                return loss, None
            inside = (p > EPSILON) & (p < 1.0 - EPSILON)
            d = np.where(inside, (pc - t) / (pc * (1.0 - pc)), 0.0)
            d *= np.asarray(self.act.grad(z), dtype=np.float64)
            d /= n
            return loss, d
        yhat = np.asarray(self.act(z), dtype=np.float64)
        r = yhat - y
        loss = float(np.mean(np.square(r)))
        if not grad:
            return loss, None
        r *= np.asarray(self.act.grad(z), dtype=np.float64)
        r *= 2.0 / r.size
        return loss, r

    def predict(self, z: np.ndarray) -> np.ndarray:
        """Class ids (classification) or predicted values (regression, n × 1)."""
        if self.task == "multiclass":
            return np.argmax(z, axis=1)
        if self.task == "binary":
            if self.from_logits:
                return (z[:, 0] > 0.0).astype(np.int64)
            assert self.act is not None
            return (np.asarray(self.act(z[:, 0]), dtype=np.float64) > 0.5).astype(np.int64)
        assert self.act is not None
        return np.asarray(self.act(z), dtype=np.float64)

    def probability(self, z: np.ndarray) -> np.ndarray:
        """Binary: P(class 1) per row; multiclass: the probabilities (n × K); regression: ŷ."""
        if self.task == "multiclass":
            from actviz.core.vector import softmax

            return np.asarray(softmax(z, axis=1))
        assert self.act is not None
        out = np.asarray(self.act(z), dtype=np.float64)
        return out[:, 0] if self.task == "binary" else out

    def accuracy(self, z: np.ndarray, y: np.ndarray) -> float | None:
        """Share of correct classes; None for regression."""
        if self.task == "regression":
            return None
        return float(np.mean(self.predict(z) == y))


def choose_head(task: str, classes: int, output: Activation | str | None, framework: str) -> Head:
    """The head for ``task``: the recommended one, or ``output`` (an Activation or "softmax")."""
    from actviz.catalog.registry import get

    recommended = recommended_output(task)
    units = classes if task == "multiclass" else 1
    if output is None or (isinstance(output, str) and output == recommended):
        if recommended == "softmax":
            return Head(task, "softmax", recommended, units, None, True)
        act = get(recommended, framework)
        return Head(task, recommended, recommended, units, act, recommended == "sigmoid")
    if isinstance(output, str):  # "softmax" (anything else arrives as an Activation)
        raise HeadError(f"{param('output', 'softmax')} is for {param('task', 'multiclass')}, not {task} "
                        f"(its output layer is {recommended})")
    if task == "multiclass":
        raise HeadError(f"{param('task', 'multiclass')} needs softmax at the output (K probabilities "
                        f"that sum to 1); got {param('output', output.spec)}")
    same = output.spec == recommended
    return Head(task, output.spec, recommended, units, output, same and recommended == "sigmoid")
