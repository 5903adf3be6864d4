"""One line per trained activation, in the seed's terms.

Parts, joined by "; " (all numbers are means over seeds):

- ``first-layer gradient 3.1e-06 of the last``  at initialisation ‖∂L/∂W₁‖ / ‖∂L/∂W_out‖ is below
  1e−2: the gradient vanishes on its way down (the seed: sigmoid "within about five layers");
- the outcome: ``loss still 0.69 after 2000 steps`` when the training loss ends above 90 % of
  the loss at step 0 or of the best constant guess (class shares; the mean for regression),
  whichever is lower (``stalled``), otherwise the test accuracy (or test loss for regression)
  and the loss from step 0 to the end (``learned`` when it at least halved, else ``slow``);
- ``40% of layer-2 units dead``  units whose f′ is 0 on every training input at the end (the seed's
  "dying ReLU"), when at least 10 % of some layer;
- ``diverged at step N``  the loss stopped being finite (``diverged`` when every seed did);
- notes from the trainer, e.g. the share of regression targets a bounded output cannot reach.
"""

from __future__ import annotations

import math

from actviz.core.numtext import number, percent
from actviz.flow.verdict import ratio_text
from actviz.train.result import ActivationResult, Run, Verdict

VANISHING_BELOW = 1e-2
STALLED_ABOVE = 0.9  # final / initial training loss
LEARNED_BELOW = 0.5
DEAD_NOTE_FROM = 0.1


def _num(v: float) -> str:
    return number(v, 3)


def diverged_text(runs: tuple[Run, ...]) -> str:
    steps = [r.diverged_at for r in runs if r.diverged_at is not None]
    if not steps:
        return ""
    if max(steps) == 0:
        where = "" if len(runs) == 1 else (" in every seed" if len(steps) == len(runs)
                                           else f" in {len(steps)} of {len(runs)} seeds")
        return (f"diverged at step 0{where}: the untrained network's output is not finite (the "
                "activations overflow; try fewer layers or smaller initial weights, init normal:STD)")
    if len(runs) == 1:
        return f"diverged at step {steps[0]} (the loss is no longer finite; try a lower learning rate)"
    share = "every seed" if len(steps) == len(runs) else f"{len(steps)} of {len(runs)} seeds"
    return f"diverged in {share}, first at step {min(steps)} (try a lower learning rate)"


def verdict(result: ActivationResult, baseline: float, notes: tuple[str, ...] = ()) -> Verdict:
    """The verdict for one activation's runs (see the module docstring)."""
    diverged = diverged_text(result.runs)
    if diverged and all(r.diverged_at is not None for r in result.runs):
        return Verdict("diverged", diverged)
    parts: list[str] = []
    first = result.curve()[0]
    if len(first.grad_norm) > 1 and first.grad_norm[-1] > 0.0:
        ratio = first.grad_norm[0] / first.grad_norm[-1]
        if ratio < VANISHING_BELOW:
            log = math.log10(ratio) if ratio > 0 else -math.inf
            parts.append(f"first-layer gradient {ratio_text(log)} of the last")
    final = result.final()
    start, end = first.mean["train_loss"], final.mean["train_loss"]
    assert start is not None and end is not None
    steps = f"{final.step} step{'s' if final.step != 1 else ''}"
    reference = min(start, baseline)
    if not end <= STALLED_ABOVE * reference:
        kind = "stalled"
        parts.append(f"loss still {_num(end)} after {steps} (a constant guess: {_num(baseline)})")
    else:
        kind = "learned" if end <= LEARNED_BELOW * reference else "slow"
        acc = final.mean["test_acc"]
        test_loss = final.mean["test_loss"]
        score = (f"test accuracy {percent(acc, 0)}" if acc is not None
                 else f"test loss {_num(test_loss or 0.0)}")
        parts.append(f"{score}, loss {_num(start)} → {_num(end)} in {steps}")
    if final.dead:
        layer = max(range(len(final.dead)), key=lambda i: final.dead[i])
        if final.dead[layer] >= DEAD_NOTE_FROM:
            parts.append(f"{percent(final.dead[layer], 0)} of layer-{layer + 1} units dead")
    if diverged:
        parts.append(diverged)
    parts += notes
    return Verdict(kind, "; ".join(parts))
