"""The advice of ``actviz recommend`` as data: one table the code reads, nothing computed here.

The seed's section 7 and common practice, written down once:

- ``TASKS``: per task, the output layer for each ``--output-range`` (activation, whether the final
  layer emits logits that the loss turns into probabilities, the loss in each framework, how to get
  probabilities at inference) and how many output units it needs. Adding a task is adding a row:
  ``--task``, its help text, the JSON and the snippets all read this table.
- ``HIDDEN_RECOMMENDED`` / ``HIDDEN_ALTERNATIVES`` / ``HIDDEN_AVOID``: the ranked hidden-layer
  advice, each entry active over a window of depths.
- Depth thresholds (``DEEP_STACK`` …), the saturation threshold and the framework notes used in the
  logits note and the snippets.

Every number quoted in a reason comes from the catalog (see ``reasons.py``), not from this file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from actviz.core.params import param

# --- depth --------------------------------------------------------------------------------------
DEFAULT_DEPTH = 3
MAX_DEPTH = 500  # 0.25**500 ≈ 9e−302 is still a normal float64: every factor stays printable
DEEP_STACK = 8  # from this many hidden layers: a deep plain stack (strong warnings, selu, residuals)
VANISHED = 1e-3  # a gradient factor below this counts as vanished (the seed: sigmoid "within ~5 layers")
SATURATION_THRESHOLD = 0.01  # abs(f′) below this is saturated (the CLI's default --threshold)
TYPICAL_PREACTIVATION = 1.0  # one standard deviation of a unit-variance pre-activation

LAYERS = ("both", "hidden", "output")
OUTPUT_RANGES = ("any", "positive", "unit")


# --- output layer -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Loss:
    """One loss in each framework. TensorFlow spells the Keras API as ``tf.keras.…``."""

    keras: str  # the constructor call, e.g. "keras.losses.BinaryCrossentropy(from_logits=True)"
    pytorch: str  # the module call, e.g. "nn.BCEWithLogitsLoss()"
    jax: str  # the optax function, e.g. "optax.sigmoid_binary_cross_entropy"
    targets: str  # what the loss wants as targets, e.g. "class ids 0 … N−1"

    def for_framework(self, framework: str) -> str:
        if framework == "tensorflow":
            return "tf." + self.keras
        return {"keras": self.keras, "pytorch": self.pytorch, "jax": self.jax}[framework]


@dataclass(frozen=True)
class OutputRule:
    """The output layer for one task and output range."""

    activation: str  # what turns the last layer's numbers into outputs: a catalog name or "softmax"
    from_logits: bool  # the final layer emits logits and the loss applies ``activation`` itself
    loss: Loss
    why: str  # why this activation fits the task; the catalog's range follows ("… in (0, 1)")


@dataclass(frozen=True)
class TaskRule:
    """One row of the task table."""

    name: str
    summary: str  # for --help: what the task is
    unit_word: str  # one output unit per …: "class", "label", "target"
    fixed_units: int | None  # exactly this many units (binary: 1), or None: one per ``unit_word``
    default_units: int | None  # units when --units is not given (None: "N, one per …")
    min_units: int
    units_hint: str  # what to do instead when units does not fit this task (parameters marked)
    outputs: Mapping[str, OutputRule]  # by --output-range; ranges missing here are refused


_BCE = Loss(
    keras="keras.losses.BinaryCrossentropy(from_logits=True)",
    pytorch="nn.BCEWithLogitsLoss()",
    jax="optax.sigmoid_binary_cross_entropy",
    targets="floats 0.0 or 1.0, one per unit",
)
_SPARSE_CE = Loss(
    keras="keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
    pytorch="nn.CrossEntropyLoss()",
    jax="optax.softmax_cross_entropy_with_integer_labels",
    targets="integer class ids 0..N-1",
)
_MSE = Loss(
    keras="keras.losses.MeanSquaredError()",
    pytorch="nn.MSELoss()",
    jax="optax.squared_error",
    targets="real numbers, one per unit",
)

TASKS: tuple[TaskRule, ...] = (
    TaskRule(
        name="binary",
        summary="one yes/no label per example",
        unit_word="output",
        fixed_units=1,
        default_units=1,
        min_units=1,
        units_hint=(f"for N classes use {param('task', 'multiclass')} {param('units')} N, for N labels "
                    f"{param('task', 'multilabel')}"),
        outputs={
            "any": OutputRule("sigmoid", True, _BCE, "σ maps a logit to a probability"),
        },
    ),
    TaskRule(
        name="multiclass",
        summary="exactly one of N classes per example",
        unit_word="class",
        fixed_units=None,
        default_units=None,
        min_units=2,
        units_hint=f"a single softmax unit always outputs 1; use {param('task', 'binary')}",
        outputs={
            "any": OutputRule("softmax", True, _SPARSE_CE,
                              "softmax turns N logits into probabilities that sum to 1"),
        },
    ),
    TaskRule(
        name="multilabel",
        summary="any subset of N labels per example (tags)",
        unit_word="label",
        fixed_units=None,
        default_units=None,
        min_units=2,
        units_hint=f"one label is a binary task; use {param('task', 'binary')}",
        outputs={
            "any": OutputRule("sigmoid", True, _BCE,
                              "one independent σ per label: each unit is its own yes/no probability"),
        },
    ),
    TaskRule(
        name="regression",
        summary="real-valued targets (use --output-range for constrained ones)",
        unit_word="target",
        fixed_units=None,
        default_units=1,
        min_units=1,
        units_hint="",
        outputs={
            "any": OutputRule("identity", False, _MSE, "the identity leaves predictions anywhere"),
            "positive": OutputRule("softplus", False, _MSE, "softplus keeps every prediction"),
            "unit": OutputRule("sigmoid", False, _MSE, "σ keeps every prediction"),
        },
    ),
)


def task_names() -> tuple[str, ...]:
    return tuple(t.name for t in TASKS)


def task(name: str) -> TaskRule:
    """The row for ``name``; KeyError if the table has none."""
    for row in TASKS:
        if row.name == name:
            return row
    raise KeyError(name)


# How each framework gets probabilities from logits at inference, by output activation.
INFERENCE: Mapping[str, Mapping[str, str]] = {
    "tensorflow": {"sigmoid": "tf.nn.sigmoid(logits)", "softmax": "tf.nn.softmax(logits)"},
    "keras": {"sigmoid": "keras.ops.sigmoid(logits)", "softmax": "keras.ops.softmax(logits)"},
    "pytorch": {"sigmoid": "torch.sigmoid(logits)", "softmax": "torch.softmax(logits, dim=-1)"},
    "jax": {"sigmoid": "jax.nn.sigmoid(logits)", "softmax": "jax.nn.softmax(logits)"},
}

# The logits note for outputs that are logits; {loss}, {activation}, {inference}, {module} are filled in.
_KERAS_NOTE = (
    "The final Dense layer has no activation and emits logits; with from_logits=True the loss "
    "applies {activation} itself, in a numerically stable way. Do not also put "
    "activation='{activation}' in the layer: that feeds probabilities to a loss expecting logits, "
    "a silent bug (if you want probabilities in the model, use activation='{activation}' with "
    "from_logits=False). Probabilities at inference: {inference}."
)
LOGITS_NOTE: Mapping[str, str] = {
    "tensorflow": _KERAS_NOTE,
    "keras": _KERAS_NOTE,
    "pytorch": (
        "The final nn.Linear emits logits; {loss} takes raw logits and applies {activation} itself "
        "(log-space, stable). Never put nn.{module} or {activation}() before it: the loss would "
        "apply {activation} a second time and training slows or stalls silently. Use {inference} "
        "only at inference."
    ),
    "jax": (
        "The final Dense layer emits logits; {loss} takes logits and applies {activation} itself "
        "(log-space, stable). Do not apply jax.nn.{activation} first. Probabilities at inference "
        "only: {inference}."
    ),
}

# PyTorch's module for the activation the loss already applies (named in the PyTorch note).
TORCH_MODULES: Mapping[str, str] = {"sigmoid": "Sigmoid", "softmax": "Softmax"}

# The note for outputs that are the prediction itself (regression).
DIRECT_NOTE = (
    "No logits here: the final layer's output{after} is the prediction, and {loss} compares it "
    "with the targets directly."
)


# --- hidden layers ------------------------------------------------------------------------------
@dataclass(frozen=True)
class HiddenChoice:
    """A hidden-layer activation and when to use it, shown for depths in [min_depth, max_depth]."""

    activation: str
    when: str
    min_depth: int = 1
    max_depth: int = MAX_DEPTH

    def applies(self, depth: int) -> bool:
        return self.min_depth <= depth <= self.max_depth


HIDDEN_RECOMMENDED = HiddenChoice(
    "relu", "the first choice for hidden layers; cheap, and f′ = 1 for every active unit"
)

HIDDEN_ALTERNATIVES: tuple[HiddenChoice, ...] = (
    HiddenChoice("leaky_relu", "if ReLU works badly or many units die (always 0): the negative "
                 "side keeps a small slope, so no unit loses its gradient"),
    HiddenChoice("elu", "smooth alternative to leaky_relu; negative outputs pull mean "
                 "activations toward 0"),
    HiddenChoice("gelu", "Transformers and large pretrained models (BERT, GPT, ViT)"),
    HiddenChoice("silu", "deep CNNs (EfficientNet) and gated LLM feed-forward blocks (SwiGLU)"),
    HiddenChoice("selu", "deep plain MLPs without normalisation layers: self-normalising with "
                 "LeCun-normal initialisation (AlphaDropout if you need dropout)",
                 min_depth=DEEP_STACK),
    HiddenChoice("tanh", "acceptable in shallow networks and recurrent cells: zero-centred, "
                 "but saturates", max_depth=DEEP_STACK - 1),
)

HIDDEN_AVOID: tuple[HiddenChoice, ...] = (
    HiddenChoice("sigmoid", "f′ is small everywhere and outputs are not centred on 0: gradients "
                 "shrink at every layer"),
    HiddenChoice("tanh", "saturates on both sides: in a deep plain stack its gradients vanish",
                 min_depth=DEEP_STACK),
)

# How to get LeCun-normal weights for selu in each framework.
SELU_INIT: Mapping[str, str] = {
    "tensorflow": "tf.keras.layers.Dense(units, activation='selu', kernel_initializer='lecun_normal')",
    "keras": "keras.layers.Dense(units, activation='selu', kernel_initializer='lecun_normal')",
    "pytorch": "nn.init.kaiming_normal_(layer.weight, nonlinearity='linear') (LeCun normal) + nn.SELU()",
    "jax": "flax.linen.Dense already defaults to kernel_init=lecun_normal(); apply jax.nn.selu",
}

DEEP_STACK_ADVICE = (
    "With {depth} hidden layers this is a deep plain stack: add residual (skip) connections and "
    "normalisation (BatchNorm, or LayerNorm in Transformers), or build a self-normalising MLP with "
    "selu and LeCun-normal weights: {selu_init}."
)
