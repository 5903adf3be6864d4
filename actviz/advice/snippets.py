"""Short code snippets for the recommended layers and loss, in each framework's own names.

One function per framework family writes the code; the names come from the rules table (losses,
inference calls) and the catalog (``act.framework_name``: ``torch.nn.ReLU``, ``jax.nn.relu`` …).
Every snippet is valid Python and no line is longer than ``MAX_LINE`` characters, so it prints
unwrapped in an 80-column terminal.

Conventions the snippets follow (and the tests check):
- classification heads emit logits and the loss applies σ or softmax itself; probabilities are
  computed only at inference, in a comment;
- regression heads apply the output activation in the layer (softplus, sigmoid) or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from actviz.advice import rules
from actviz.catalog.registry import get

MAX_LINE = 78
HIDDEN_WIDTH = 64  # an example width for the hidden layers
PLACEHOLDER_UNITS = 10  # used when --units is not given and the task has one unit per class/label


@dataclass(frozen=True)
class Head:
    """What a snippet needs to know about the output layer."""

    task: rules.TaskRule
    rule: rules.OutputRule
    units: int | None  # None: one per class/label, not given


def _plural(word: str) -> str:
    return word + ("es" if word.endswith("s") else "s")


def _units_line(head: Head) -> tuple[str, str | None]:
    """(units expression, the line defining it or None) for the output layer."""
    if head.task.fixed_units is not None:
        return str(head.task.fixed_units), None
    name = f"num_{_plural(head.task.unit_word)}"
    if head.units is not None:
        return name, f"{name} = {head.units}"
    return name, f"{name} = {PLACEHOLDER_UNITS}  # set to your number of {_plural(head.task.unit_word)}"


def _keras_activation(name: str) -> str:
    """``relu`` for keras.activations.relu (Keras accepts the short name as a string)."""
    full = get(name, "keras").framework_name("keras")
    return (full or name).rsplit(".", 1)[-1]


def _torch_module(name: str) -> str:
    """``nn.ReLU()`` for torch.nn.ReLU."""
    full = get(name, "pytorch").framework_name("pytorch") or ""
    return full.replace("torch.nn.", "nn.") + "()"


def _jax_function(name: str) -> str:
    """``jax.nn.relu`` for jax.nn.relu."""
    return get(name, "jax").framework_name("jax") or f"jax.nn.{name}"


def _inference(framework: str, rule: rules.OutputRule, logits: str = "logits") -> str:
    return rules.INFERENCE[framework][rule.activation].replace("logits", logits)


def _head_comment(rule: rules.OutputRule) -> str:
    if rule.from_logits:
        return f"emits logits: no {rule.activation} here"
    if rule.activation == "identity":
        return "the prediction itself: no activation"
    return f"{rule.activation} keeps predictions in {get(rule.activation).properties.range_text}"


# --- Keras and TensorFlow -----------------------------------------------------------------------
def _keras(framework: str, layer: str, depth: int, hidden: str, head: Head | None) -> str:
    ns = "tf.keras" if framework == "tensorflow" else "keras"
    lines = ["import tensorflow as tf" if framework == "tensorflow" else "import keras", ""]
    hidden_expr = f'{ns}.layers.Dense(width, activation="{_keras_activation(hidden)}")'
    if layer in ("hidden", "both"):
        lines.append(f"depth, width = {depth}, {HIDDEN_WIDTH}")
    if head is None:
        lines += ["hidden_layers = [", f"    {hidden_expr} for _ in range(depth)", "]"]
        return "\n".join(lines)
    units, units_def = _units_line(head)
    lines += [units_def] if units_def else []
    rule = head.rule
    act_arg = "" if rule.from_logits or rule.activation == "identity" else f', activation="{rule.activation}"'
    out_expr = f"{ns}.layers.Dense({units}{act_arg})"
    if layer == "both":
        lines += [
            f"model = {ns}.Sequential(",
            f"    [{hidden_expr} for _ in range(depth)]",
            f"    + [{out_expr}]  # {_head_comment(rule)}",
            ")",
        ]
    else:
        lines.append(f"output_layer = {out_expr}  # {_head_comment(rule)}")
    lines.append(f"loss = {rule.loss.for_framework(framework)}  # targets: {rule.loss.targets}")
    if layer == "both":
        lines.append('model.compile(optimizer="adam", loss=loss)')
    if rule.from_logits:
        lines.append(f"# probabilities at inference only: {_inference(framework, rule)}")
    return "\n".join(lines)


# --- PyTorch ------------------------------------------------------------------------------------
def _pytorch(framework: str, layer: str, depth: int, hidden: str, head: Head | None) -> str:
    lines = ["from torch import nn", ""]
    module = _torch_module(hidden)
    if layer in ("hidden", "both"):
        lines += [
            f"depth, width = {depth}, {HIDDEN_WIDTH}",
            "in_features = 20  # set to your number of input features",
            "layers = []",
            "for i in range(depth):",
            f"    layers += [nn.Linear(in_features if i == 0 else width, width), {module}]",
        ]
    else:
        lines.append(f"width = {HIDDEN_WIDTH}  # size of the last hidden layer")
    if head is None:
        lines.append("hidden = nn.Sequential(*layers)")
        return "\n".join(lines)
    if head.rule.from_logits:
        lines.insert(0, "import torch  # for the inference line")
    units, units_def = _units_line(head)
    lines += [units_def] if units_def else []
    rule = head.rule
    parts = [f"nn.Linear(width, {units})"]
    if not rule.from_logits and rule.activation != "identity":
        parts.append(_torch_module(rule.activation))
    comment = f"  # {_head_comment(rule)}"
    if layer == "both":
        lines.append(f"model = nn.Sequential(*layers, {', '.join(parts)}){comment}")
    elif len(parts) == 1:
        lines.append(f"output_layer = {parts[0]}{comment}")
    else:
        lines.append(f"output_layer = nn.Sequential({', '.join(parts)}){comment}")
    lines.append(f"loss_fn = {rule.loss.for_framework(framework)}  # targets: {rule.loss.targets}")
    if rule.from_logits:
        lines.append(f"# probabilities at inference only: {_inference(framework, rule)}")
    return "\n".join(lines)


# --- JAX (Flax linen + optax) -------------------------------------------------------------------
def _jax(framework: str, layer: str, depth: int, hidden: str, head: Head | None) -> str:
    lines = ["import flax.linen as nn", "import jax"]
    if head is not None:
        lines.append("import optax")
    lines.append("")
    act = _jax_function(hidden)
    if head is None:
        lines += [
            "",
            "class Hidden(nn.Module):",
            f"    depth: int = {depth}",
            f"    width: int = {HIDDEN_WIDTH}",
            "",
            "    @nn.compact",
            "    def __call__(self, x):",
            "        for _ in range(self.depth):",
            f"            x = {act}(nn.Dense(self.width)(x))",
            "        return x",
        ]
        return "\n".join(lines)
    rule = head.rule
    units, units_def = _units_line(head)
    wrap = "" if rule.from_logits or rule.activation == "identity" else _jax_function(rule.activation)
    lines += [units_def] if units_def else []
    if layer == "both":
        lines += [
            "",
            "",
            "class MLP(nn.Module):",
            f"    depth: int = {depth}",
            f"    width: int = {HIDDEN_WIDTH}",
            f"    outputs: int = {units}",
            "",
            "    @nn.compact",
            "    def __call__(self, x):",
            "        for _ in range(self.depth):",
            f"            x = {act}(nn.Dense(self.width)(x))",
        ]
        out = "nn.Dense(self.outputs)(x)"
        lines.append(f"        return {wrap}({out})  # {_head_comment(rule)}" if wrap
                     else f"        return {out}  # {_head_comment(rule)}")
    else:
        if wrap:
            lines += [f"output_layer = nn.Dense({units})",
                      f"# {_head_comment(rule)}:",
                      f"# predictions = {wrap}(output_layer.apply(params, h))"]
        else:
            lines.append(f"output_layer = nn.Dense({units})  # {_head_comment(rule)}")
    pred, target = ("logits", "labels") if rule.from_logits else ("predictions", "targets")
    lines += [
        "",
        "",
        f"def loss_fn({pred}, {target}):  # {target}: {rule.loss.targets}",
        f"    losses = {rule.loss.for_framework(framework)}({pred}, {target})",
        "    return losses.mean()",
    ]
    if rule.from_logits:
        lines += ["", "", f"# probabilities at inference only: {_inference(framework, rule)}"]
    return "\n".join(lines)


_WRITERS = {"tensorflow": _keras, "keras": _keras, "pytorch": _pytorch, "jax": _jax}


def _fit(line: str) -> list[str]:
    """A line longer than MAX_LINE with a trailing comment: the comment goes on the line above."""
    code, sep, comment = line.partition("  # ")
    if len(line) <= MAX_LINE or not sep or not code.strip():
        return [line]
    indent = code[: len(code) - len(code.lstrip())]
    return [f"{indent}# {comment}", code]


def _tidy(code: str) -> str:
    """Fit long lines and allow at most two blank lines in a row."""
    out: list[str] = []
    for line in code.split("\n"):
        if not line.strip() and len(out) >= 2 and not out[-1].strip() and not out[-2].strip():
            continue
        out.extend(_fit(line))
    return "\n".join(out).strip("\n") + "\n"


def snippet(framework: str, layer: str, depth: int, hidden: str, head: Head | None) -> str:
    """Code for ``layer`` ("hidden", "output" or "both") in ``framework``.

    ``hidden`` is the hidden-layer activation (a catalog name); ``head`` is None for hidden only.
    """
    if layer != "hidden" and head is None:
        raise ValueError("an output snippet needs the output head")
    return _tidy(_WRITERS[framework](framework, layer, depth, hidden, head if layer != "hidden" else None))
