"""``actviz recommend``: the right advice per task × layer × depth, numbers that follow the depth,
correct framework snippets, a clean table at 80 and 40 columns, and one-line errors.

Truth comes from the seed's section 7 / the framework reference (which activation and loss fit a
task), from mpmath (σ′(0), tanh′(1), where σ′ and tanh′ cross 0.01) and from closed forms stated next
to each check — never from earlier output of this command.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import re
import subprocess
import sys

import mpmath as mp
import pytest
from click.testing import CliRunner

from actviz.advice import build, rules
from tests.conftest import run_cli

TASKS = ("binary", "multiclass", "multilabel", "regression")
LAYERS = ("hidden", "output", "both")
DEPTHS = (1, 3, 8, 20)  # shallow (1, 3) and deep plain stacks (8, 20)
FRAMEWORKS = ("tensorflow", "keras", "pytorch", "jax")

# (task, output range) → output activation and units, from the seed: binary → sigmoid (1 unit),
# multiclass → softmax (N), multilabel → sigmoid per label (N), regression → identity; positive
# targets → softplus, targets in (0, 1) → sigmoid.
OUTPUT = {
    ("binary", "any"): ("sigmoid", 1),
    ("multiclass", "any"): ("softmax", None),  # N, one per class: JSON null, never the text "N"
    ("multilabel", "any"): ("sigmoid", None),
    ("regression", "any"): ("identity", 1),
    ("regression", "positive"): ("softplus", 1),
    ("regression", "unit"): ("sigmoid", 1),
}

# The loss each framework pairs with each task (classification losses take logits).
LOSS = {
    "pytorch": {"binary": "nn.BCEWithLogitsLoss()", "multiclass": "nn.CrossEntropyLoss()",
                "multilabel": "nn.BCEWithLogitsLoss()", "regression": "nn.MSELoss()"},
    "keras": {"binary": "keras.losses.BinaryCrossentropy(from_logits=True)",
              "multiclass": "keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
              "multilabel": "keras.losses.BinaryCrossentropy(from_logits=True)",
              "regression": "keras.losses.MeanSquaredError()"},
    "tensorflow": {"binary": "tf.keras.losses.BinaryCrossentropy(from_logits=True)",
                   "multiclass": "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
                   "multilabel": "tf.keras.losses.BinaryCrossentropy(from_logits=True)",
                   "regression": "tf.keras.losses.MeanSquaredError()"},
    "jax": {"binary": "optax.sigmoid_binary_cross_entropy",
            "multiclass": "optax.softmax_cross_entropy_with_integer_labels",
            "multilabel": "optax.sigmoid_binary_cross_entropy",
            "regression": "optax.squared_error"},
}


def invoke(*args: str, columns: int = 200):
    return run_cli("recommend", *args, columns=columns, expect=None)


def strict_json(text: str):
    def refuse(token):
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def json_of(*args: str) -> dict:
    result = invoke("--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return strict_json(result.stdout)


def reason(doc: dict, name: str) -> dict:
    (found,) = [r for r in doc["hidden"]["reasons"] if r["activation"] == name]
    return found


def code_part(line: str) -> str:
    """A snippet line without its comment (no snippet has '#' inside a string)."""
    return line.split("#", 1)[0]


# --- mpmath truths --------------------------------------------------------------------------------
def mp_sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def mp_dsigmoid(x):
    return mp_sigmoid(x) * mp_sigmoid(-x)


# σ′ is even and decreasing in abs(x) (σ″ = σ′(1 − 2σ) < 0 for x > 0), so sup σ′ = σ′(0).
SIGMOID_SUP = float(mp_dsigmoid(mp.mpf(0)))
TANH_PRIME_AT_1 = float(mp.sech(1) ** 2)
# Where the gradient drops below 0.01: σ′(x) = 0.01 and sech²(x) = 0.01 (x = acosh 10); elu′ = eˣ.
SIGMOID_EDGE = float(mp.findroot(lambda x: mp_dsigmoid(x) - mp.mpf("0.01"), 4.5))
TANH_EDGE = float(mp.acosh(10))
ELU_EDGE = float(mp.log(mp.mpf("0.01")))


# --- the right answer for every task × layer × depth ----------------------------------------------
@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("task", TASKS)
def test_task_layer_depth(task: str, layer: str, depth: int) -> None:
    doc = json_of("--task", task, "--layer", layer, "--depth", str(depth))
    assert list(doc) == ["task", "depth", "hidden", "output", "warnings", "snippet"]
    assert doc["task"] == task and doc["depth"] == depth
    deep = depth >= 8

    if layer == "output":
        assert doc["hidden"] is None
        assert doc["warnings"] == []
    else:
        hidden = doc["hidden"]
        assert list(hidden) == ["recommended", "alternatives", "avoid", "reasons"]
        assert hidden["recommended"] == "relu"
        alternatives = [a["activation"] for a in hidden["alternatives"]]
        avoid = [a["activation"] for a in hidden["avoid"]]
        assert alternatives[0] == "leaky_relu"  # the seed: if relu works badly, try leaky relu
        assert {"elu", "gelu", "silu"} <= set(alternatives)
        assert "sigmoid" in avoid and "sigmoid" not in alternatives
        assert ("tanh" in avoid) == deep and ("tanh" in alternatives) == (not deep)
        assert ("selu" in alternatives) == deep
        assert all(a["when"] for a in hidden["alternatives"]) and all(a["why"] for a in hidden["avoid"])
        # one reason per activation named, with its numbers
        named = ["relu", *alternatives, *avoid]
        assert [r["activation"] for r in hidden["reasons"]] == list(dict.fromkeys(named))
        warnings = " ".join(doc["warnings"])
        assert "Dead ReLU" in warnings
        assert ("residual" in warnings and "selu" in warnings and "LeCun-normal" in warnings) == deep
        assert ("Do not use sigmoid or tanh" in warnings) == deep

    if layer == "hidden":
        assert doc["output"] is None
    else:
        out = doc["output"]
        assert list(out) == ["activation", "units", "loss", "logits_note"]
        activation, units = OUTPUT[(task, "any")]
        assert out["activation"] == activation and out["units"] == units
        assert out["loss"] == LOSS["tensorflow"][task]
        assert out["logits_note"]


@pytest.mark.parametrize(("task", "output_range"), sorted(OUTPUT))
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_output_layer_per_framework(task: str, output_range: str, framework: str) -> None:
    doc = json_of("--task", task, "--output-range", output_range, "-F", framework, "--layer", "output")
    activation, units = OUTPUT[(task, output_range)]
    out = doc["output"]
    assert (out["activation"], out["units"], out["loss"]) == (activation, units, LOSS[framework][task])
    note = out["logits_note"]
    if task == "regression":
        assert "No logits" in note
    elif framework == "pytorch":
        module = "nn.Softmax" if activation == "softmax" else "nn.Sigmoid"
        assert f"Never put {module}" in note and "only at inference" in note
    elif framework in ("keras", "tensorflow"):
        assert "from_logits=True" in note and f"activation='{activation}'" in note
    else:
        assert f"Do not apply jax.nn.{activation} first" in note


def test_positive_regression_explains_softplus_over_relu() -> None:
    note = json_of("--task", "regression", "--output-range", "positive", "--layer", "output")["output"][
        "logits_note"
    ]
    assert "(0, ∞)" in note  # softplus's range
    assert "relu" in note and "f′ = 0 on (−∞, 0]" in note  # relu's dead region, from the analysis
    assert "σ(x) > 0 everywhere" in note


def test_units_option() -> None:
    doc = json_of("--task", "multiclass", "--units", "7", "-F", "pytorch")
    assert doc["output"]["units"] == 7
    assert "num_classes = 7" in doc["snippet"]["code"]
    doc = json_of("--task", "regression", "--units", "3", "-F", "keras")
    assert doc["output"]["units"] == 3 and "num_targets = 3" in doc["snippet"]["code"]


# --- numbers come from the catalog and follow --depth ---------------------------------------------
def test_sigmoid_factor_moves_with_depth_only() -> None:
    shallow = json_of("--task", "binary", "--depth", "3")
    deep = json_of("--task", "binary", "--depth", "10")
    s3, s10 = reason(shallow, "sigmoid"), reason(deep, "sigmoid")
    assert s3["values"]["sup_abs_grad"] == SIGMOID_SUP == 0.25
    assert s3["values"]["gradient_factor_bound"] == pytest.approx(SIGMOID_SUP**3, rel=1e-15)
    assert s10["values"]["gradient_factor_bound"] == pytest.approx(SIGMOID_SUP**10, rel=1e-15)
    # 0.25³ = 0.015625 and 0.25¹⁰ = 9.5367…e−7, quoted in the text
    assert "0.25³ = 0.0156" in s3["text"] and "0.25¹⁰ = 9.5e−7" in s10["text"]
    assert s3["text"] != s10["text"]
    # the seed: sigmoid networks lose the gradient within about 5 layers (0.25⁵ < 1e−3 ≤ 0.25⁴)
    assert s3["values"]["vanishes_from_depth"] == 5
    assert any("9.5e−7" in w for w in deep["warnings"])
    assert not any("0.25³" in w for w in shallow["warnings"])


def test_tanh_factor_and_saturation_from_the_catalog() -> None:
    for depth in (2, 7, 30):
        t = reason(json_of("--task", "regression", "--depth", str(depth), "--layer", "hidden"), "tanh")
        assert t["values"]["typical_grad"] == pytest.approx(TANH_PRIME_AT_1, rel=1e-14)
        assert t["values"]["gradient_factor_typical"] == pytest.approx(TANH_PRIME_AT_1**depth, rel=1e-13)
        assert t["values"]["sup_abs_grad"] == 1.0
        assert t["values"]["saturates_beyond"] == pytest.approx(TANH_EDGE, rel=1e-14)


def test_saturation_edges_and_dead_region() -> None:
    doc = json_of("--task", "multiclass", "--layer", "hidden")
    assert reason(doc, "sigmoid")["values"]["saturates_beyond"] == pytest.approx(SIGMOID_EDGE, rel=1e-14)
    assert reason(doc, "elu")["values"]["saturates_below"] == pytest.approx(ELU_EDGE, rel=1e-14)
    relu = reason(doc, "relu")["values"]
    assert relu["dead_below"] == 0.0 and relu["gradient_factor"] == 1.0
    assert relu["inactive_share"] == 0.5  # P(Z ≤ 0) for a symmetric pre-activation


def test_framework_defaults_reach_the_reasons() -> None:
    # leaky_relu's default slope: 0.2 in TensorFlow/Keras, 0.01 in PyTorch/JAX (framework reference)
    tf_doc = json_of("--task", "binary", "--layer", "hidden", "-F", "tensorflow")
    pt_doc = json_of("--task", "binary", "--layer", "hidden", "-F", "pytorch")
    assert reason(tf_doc, "leaky_relu")["values"]["negative_slope"] == 0.2
    assert reason(pt_doc, "leaky_relu")["values"]["negative_slope"] == 0.01
    assert "PyTorch's default α" in reason(pt_doc, "leaky_relu")["text"]
    # selu's constants (Klambauer et al.): λ for x > 0, λα just below 0
    selu = reason(json_of("--task", "binary", "--layer", "hidden", "--depth", "12"), "selu")["values"]
    lam, alpha = mp.mpf("1.0507009873554804934193349852946"), mp.mpf("1.6732632423543772848170429916717")
    assert selu["scale"] == pytest.approx(float(lam), rel=1e-15)
    assert selu["sup_abs_grad"] == pytest.approx(float(lam * alpha), rel=1e-15)


def test_deep_warning_names_the_framework_init() -> None:
    for framework, needle in [("keras", "kernel_initializer='lecun_normal'"),
                              ("pytorch", "nonlinearity='linear'"), ("jax", "lecun_normal()")]:
        warnings = " ".join(json_of("--task", "binary", "--depth", "10", "-F", framework)["warnings"])
        assert needle in warnings


# --- snippets ---------------------------------------------------------------------------------------
SNIPPET_CASES = [(fw, task, rng, layer) for fw in FRAMEWORKS for (task, rng) in sorted(OUTPUT)
                 for layer in LAYERS]


@pytest.mark.parametrize(("framework", "task", "output_range", "layer"), SNIPPET_CASES)
def test_snippet_compiles_and_fits(framework: str, task: str, output_range: str, layer: str) -> None:
    code = build.recommend(task, layer, 4, output_range, framework).snippet
    compile(code, "<snippet>", "exec")
    assert max(len(line) for line in code.splitlines()) <= 78
    assert "depth" in code or layer == "output"
    if layer != "output":
        assert "4" in code  # the depth asked for


def _calls(code: str) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]


def _name(node: ast.AST) -> str:
    return ast.unparse(node)


@pytest.mark.parametrize("layer", ("output", "both"))
def test_pytorch_multiclass_feeds_logits_to_cross_entropy(layer: str) -> None:
    code = build.recommend("multiclass", layer, 3, "any", "pytorch").snippet
    lines = code.splitlines()
    assert "nn.CrossEntropyLoss()" in code
    # no softmax anywhere in the code (only in the inference comment), and nothing after the Linear
    assert not any("softmax" in code_part(line).lower() for line in lines)
    assert any(line.startswith("#") and "torch.softmax(logits, dim=-1)" in line for line in lines)
    heads = [c for c in _calls(code) if _name(c.func) == "nn.Sequential"] or []
    for seq in heads:
        assert _name(seq.args[-1]).startswith("nn.Linear(width, num_classes")
    if layer == "output":
        assert "output_layer = nn.Linear(width, num_classes)" in code


@pytest.mark.parametrize("task", ("binary", "multilabel"))
def test_pytorch_sigmoid_tasks_use_bce_with_logits(task: str) -> None:
    code = build.recommend(task, "both", 3, "any", "pytorch").snippet
    assert "nn.BCEWithLogitsLoss()" in code and "nn.BCELoss(" not in code
    assert not any("sigmoid" in code_part(line).lower() for line in code.splitlines())


@pytest.mark.parametrize("framework", ("keras", "tensorflow"))
@pytest.mark.parametrize(("task", "output_range"), sorted(OUTPUT))
def test_keras_output_dense(framework: str, task: str, output_range: str) -> None:
    code = build.recommend(task, "both", 3, output_range, framework).snippet
    prefix = "tf.keras." if framework == "tensorflow" else "keras."
    assert ("import tensorflow as tf" in code) == (framework == "tensorflow")
    if framework == "keras":
        assert "tf." not in code
    dense = [c for c in _calls(code) if _name(c.func) == f"{prefix}layers.Dense"]
    (head,) = [c for c in dense if _name(c.args[0]) != "width"]
    activation = {k.arg: ast.literal_eval(k.value) for k in head.keywords}.get("activation")
    want = OUTPUT[(task, output_range)][0]
    if task == "regression":
        assert activation == (None if want == "identity" else want)
        assert f"{prefix}losses.MeanSquaredError()" in code
    else:
        assert activation is None  # logits, with from_logits=True in the loss
        assert LOSS[framework][task] in code
    hidden = [c for c in dense if _name(c.args[0]) == "width"]
    assert [k.value.value for c in hidden for k in c.keywords] == ["relu"]


@pytest.mark.parametrize(("task", "output_range"), sorted(OUTPUT))
def test_jax_snippets_use_optax_and_flax(task: str, output_range: str) -> None:
    code = build.recommend(task, "both", 3, output_range, "jax").snippet
    assert "import flax.linen as nn" in code and "import optax" in code
    assert f"{LOSS['jax'][task]}(" in code
    assert "jax.nn.relu(nn.Dense(self.width)(x))" in code
    want = OUTPUT[(task, output_range)][0]
    returns = [code_part(line) for line in code.splitlines() if "return" in line and "Dense" in line]
    if want in ("softplus", "sigmoid") and task == "regression":
        assert returns == [f"        return jax.nn.{want}(nn.Dense(self.outputs)(x))"]
    else:
        assert [r.strip() for r in returns] == ["return nn.Dense(self.outputs)(x)"]


def test_positive_regression_snippets() -> None:
    assert "nn.Softplus()" in build.recommend("regression", "both", 3, "positive", "pytorch").snippet
    assert 'activation="softplus"' in build.recommend("regression", "output", 3, "positive", "keras").snippet


# --- the rules table drives the command -------------------------------------------------------------
def test_every_task_in_the_table_is_accepted_and_documented() -> None:
    help_text = invoke("--help").stdout
    for row in rules.TASKS:
        assert row.name in help_text and row.summary.split()[0] in help_text
        assert json_of("--task", row.name)["task"] == row.name


def test_adding_a_row_adds_a_task(monkeypatch: pytest.MonkeyPatch) -> None:
    from actviz.cli import cmd_recommend

    count = rules.TaskRule(
        name="counts", summary="non-negative counts per example", unit_word="target", fixed_units=None,
        default_units=1, min_units=1, units_hint="",
        outputs={"any": rules.OutputRule("softplus", False, rules.task("regression").outputs["any"].loss,
                                         "softplus keeps every rate")},
    )
    try:
        with monkeypatch.context() as m:
            m.setattr(rules, "TASKS", (*rules.TASKS, count))
            module = importlib.reload(cmd_recommend)
            runner = CliRunner()
            assert "counts" in runner.invoke(module.command, ["--help"]).stdout
            result = runner.invoke(module.command, ["--task", "counts", "--format", "json", "-F", "pytorch"])
            assert result.exit_code == 0, result.output
            out = strict_json(result.stdout)["output"]
            assert out["activation"] == "softplus" and out["loss"] == "nn.MSELoss()"
    finally:
        importlib.reload(cmd_recommend)
    assert "counts" not in rules.task_names()


# --- bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--task", "ranking"], "'ranking' is not one of"),
        (["--task", "binary", "--depth", "0"], "--depth must be a whole number of hidden layers from 1"),
        (["--task", "binary", "--depth", "-3"], "--depth must be"),
        (["--task", "binary", "--depth", "2.5"], "--depth must be a whole number"),
        (["--task", "binary", "--depth", str(rules.MAX_DEPTH + 1)], f"from 1 to {rules.MAX_DEPTH}"),
        (["--task", "binary", "--framework", "caffe"], "'caffe' is not one of"),
        (["--task", "binary", "--units", "3"], "exactly 1 output unit"),
        (["--task", "multiclass", "--units", "1"], "use --task binary"),
        (["--task", "multilabel", "--units", "zero"], "--units must be a whole number"),
        (["--task", "binary", "--output-range", "positive"], "does not apply to --task binary"),
        (["--task", "binary", "--layer", "middle"], "'middle' is not one of"),
        ([], "Missing option '--task'"),
    ],
)
def test_bad_input_is_one_error_line(args: list[str], needle: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0]


def test_real_entry_point_without_scipy_or_matplotlib() -> None:
    script = (
        "import sys\n"
        "from actviz.cli.errors import run\n"
        "from actviz.cli.main import cli\n"
        "code = run(cli, ['recommend', '--task', 'multiclass', '--depth', '12', '-F', 'jax'])\n"
        "print('LOADED', 'scipy' in sys.modules, 'matplotlib' in sys.modules, code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={"NO_COLOR": "1", "COLUMNS": "80", "PATH": ""})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("LOADED False False 0")
    bad = subprocess.run([sys.executable, "-m", "actviz", "recommend", "--task", "binary", "--depth", "0"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1


# --- the table view ----------------------------------------------------------------------------------
ANSI = re.compile(r"\x1b\[")


def _rendered(width: int, *args, **kwargs) -> str:
    from rich.console import Console

    from actviz.render.recommend_view import render

    buf = io.StringIO()
    console = Console(file=buf, width=width, no_color=True, color_system=None, highlight=False,
                      emoji=False, force_terminal=False)
    render(build.recommend(*args, **kwargs), console)
    return buf.getvalue()


def _prose_and_code(text: str) -> tuple[list[str], list[str]]:
    lines = text.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.endswith(" snippet")]
    return lines[: start + 1], lines[start + 1 :]


@pytest.mark.parametrize("width", (80, 40))
@pytest.mark.parametrize(("task", "framework", "depth"),
                         [("multiclass", "tensorflow", 3), ("binary", "pytorch", 12),
                          ("regression", "jax", 1)])
def test_table_fits_the_width(width: int, task: str, framework: str, depth: int) -> None:
    rec = build.recommend(task, "both", depth, "any", framework)
    text = _rendered(width, task, "both", depth, "any", framework)
    prose, code = _prose_and_code(text)
    assert all(len(line) <= width for line in prose), [line for line in prose if len(line) > width]
    assert not any(line != line.rstrip() for line in text.splitlines())  # no padding blanks
    assert "…" not in text and not ANSI.search(text)
    # the code is printed verbatim (never re-flowed), so copying it gives valid Python
    assert [line.strip() for line in code if line.strip()] == [
        line.strip() for line in rec.snippet.splitlines() if line.strip()
    ]
    if width == 80:
        assert all(len(line) <= 80 for line in code)
    joined = " ".join(prose)
    for needle in ("Hidden layers", "Output layer", "Warnings", "relu", "leaky_relu", "sigmoid"):
        assert needle in joined
    flat = re.sub(r"\s+", "", joined)  # long names may be folded across lines at 40 columns
    assert re.sub(r"\s+", "", rec.output.loss) in flat


def test_table_through_the_cli_at_40_columns() -> None:
    result = invoke("--task", "multilabel", "--units", "5", "--depth", "9", columns=40)
    assert result.exit_code == 0, result.stderr
    prose, _ = _prose_and_code(result.stdout)
    assert all(len(line) <= 40 for line in prose)
    text = " ".join(prose)
    assert "5, one per label" in text and "selu" in text and "0.25⁹" in text
    assert not ANSI.search(result.stdout)


def test_colour_on_a_terminal_keeps_the_code_intact() -> None:
    from rich.console import Console

    from actviz.render.recommend_view import render

    rec = build.recommend("multiclass", "both", 3, "any", "pytorch")
    buf = io.StringIO()
    render(rec, Console(file=buf, width=80, force_terminal=True, color_system="standard"))
    text = buf.getvalue()
    assert ANSI.search(text)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    _, code = _prose_and_code(plain)
    assert [line[2:] for line in code if line.strip()] == [line for line in rec.snippet.splitlines() if line]


def test_output_only_table_omits_hidden_sections() -> None:
    text = _rendered(80, "binary", "output", 3, "any", "keras")
    assert "Hidden layers" not in text and "Warnings" not in text and "hidden layers" not in text
    assert "Output layer" in text and "keras.losses.BinaryCrossentropy(from_logits=True)" in text
