"""``actviz recommend``: which activation to use for a task, with reasons quantified from the catalog."""

from __future__ import annotations

import click

from actviz.advice import rules
from actviz.catalog.frameworks import BASE_FRAMEWORKS
from actviz.cli.common import WholeNumber, format_option, framework_option
from actviz.cli.errors import ActvizUsageError, cli_message

_TASK_HELP = "; ".join(f"{t.name}: {t.summary}" for t in rules.TASKS)

HELP = f"""\
Which activation to use for a task, and why — the advice of section 7 of the blog post actviz
grew from ("tensorflow激活函数原理和代码", TensorFlow activation functions: principles and code),
with numbers computed from the catalog for your depth and framework.

\b
Hidden layers: relu first, ranked alternatives and when to use each, what to avoid (sigmoid; tanh
in deep stacks) with gradient factors such as sup abs(σ′)^depth.
Output layer: activation, units, the matching loss and the logits advice, plus a code snippet.

\b
Tasks: {", ".join(rules.task_names())}.

\b
Examples:
  actviz recommend --task multiclass --units 10
  actviz recommend --task binary --framework pytorch
  actviz recommend --task regression --output-range positive --layer output
  actviz recommend --task multilabel --depth 12 --layer hidden
  actviz recommend --task multiclass -F jax --format json | jq .output
  actviz recommend --task multiclass --context transformer -F pytorch
"""


@click.command("recommend", help=HELP, context_settings={"max_content_width": 100})
@click.option(
    "--task",
    required=True,
    type=click.Choice(rules.task_names(), case_sensitive=False),
    help=f"What the network predicts. {_TASK_HELP}.",
)
@click.option(
    "--layer",
    type=click.Choice(rules.LAYERS, case_sensitive=False),
    default="both",
    show_default=True,
    help="Advice for the hidden layers, the output layer, or both.",
)
@click.option(
    "--depth",
    "-d",
    type=WholeNumber("--depth"),
    metavar="N",
    default=str(rules.DEFAULT_DEPTH),
    show_default=True,
    help=f"Number of hidden layers (1–{rules.MAX_DEPTH}); from {rules.DEEP_STACK} on the advice "
    "treats the network as a deep plain stack.",
)
@click.option(
    "--output-range",
    type=click.Choice(rules.OUTPUT_RANGES, case_sensitive=False),
    default="any",
    show_default=True,
    help="Regression targets: any real number, positive (softplus), or inside (0, 1) (sigmoid).",
)
@click.option(
    "--units",
    type=WholeNumber("--units"),
    metavar="N",
    default=None,
    help="Number of classes (multiclass), labels (multilabel) or targets (regression).",
)
@click.option(
    "--context",
    type=click.Choice(("mlp", "transformer"), case_sensitive=False),
    default="mlp",
    show_default=True,
    help="transformer: the hidden layers are a Transformer's feed-forward blocks (SwiGLU/GeGLU).",
)
@framework_option(help="Names, defaults and the code snippet in this framework.",
                  choices=BASE_FRAMEWORKS)
@format_option(("table", "json"))
def command(
    task: str, layer: str, depth: int, output_range: str, units: int | None, context: str, framework: str,
    fmt: str,
) -> None:
    from actviz.advice.build import AdviceError, recommend

    try:
        rec = recommend(
            task.lower(),
            layer=layer.lower(),
            depth=depth,
            output_range=output_range.lower(),
            framework=framework.lower(),
            units=units,
            context=context.lower(),
        )
    except AdviceError as exc:
        raise ActvizUsageError(cli_message(exc)) from None
    if fmt.lower() == "json":
        from actviz.render.jsonout import dumps

        click.echo(dumps(rec.to_dict()))
        return
    from actviz.cli.common import console
    from actviz.render.recommend_view import render

    render(rec, console())

