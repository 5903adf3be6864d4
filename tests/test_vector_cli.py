"""The vector and gated entries through the CLI: list, info, softmax --fn, plot, derive, recommend.

Truth comes from the reference (catalog-gap.md golden values), from mpmath, or from reasoning
stated next to each check.
"""

from __future__ import annotations

import csv
import io
import json
import math
from fractions import Fraction

import numpy as np
import pytest

import actviz
from tests.conftest import run_cli
from tests.test_vector_entries import mp_softmax


def invoke(*args: str, input: str | None = None):
    """``actviz ARGS`` through the shared runner, the exit code left to the test."""
    return run_cli(*args, input=input, expect=None)


def one_error(result, code: int, message: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: ") and message in lines[-1], lines
    assert sum(line.startswith("Error: ") for line in lines) == 1
    assert "Traceback" not in result.output


# --- list and info ------------------------------------------------------------------------------

def test_list_shows_every_kind():
    rows = json.loads(invoke("list", "-f", "json").stdout)
    assert [r["name"] for r in rows] == actviz.names("all")
    kinds = {r["name"]: r["kind"] for r in rows}
    assert kinds["relu"] == "elementwise" and kinds["sparsemax"] == "vector" and kinds["swiglu"] == "gated"
    swiglu = next(r for r in rows if r["name"] == "swiglu")
    assert swiglu["gate"] == "last" and any("LLaMA" in m for m in swiglu["models"])
    table = invoke("list").stdout
    assert "vector and gated entries" in table and "gpt_oss_swiglu" in table
    csv_rows = list(csv.reader(io.StringIO(invoke("list", "-f", "csv").stdout)))
    assert csv_rows[0][-1] == "kind" and {r[-1] for r in csv_rows[1:]} == {"elementwise", "vector", "gated"}


def test_info_gated_names_the_gate_half_per_framework():
    doc = json.loads(invoke("info", "swiglu", "-f", "json").stdout)
    assert doc["kind"] == "gated" and doc["gate"]["order"] == "last"
    conv = doc["gate"]["conventions"]
    assert conv["pytorch"].startswith("second half") and conv["vllm"].startswith("first half")
    assert conv["gpt-oss"].startswith("even entries")
    assert doc["formula"]["d_value"] == "∂h/∂u = silu(g)"
    assert "wrong order is silent" in doc["warning"]
    text = invoke("info", "glu").stdout
    assert "x = [value | gate]" in text and "torch.nn.GLU" in text
    oss = json.loads(invoke("info", "clamped_swiglu", "-f", "json").stdout)
    assert oss["function"] == "gpt_oss_swiglu" and oss["gate"]["order"] == "interleaved"
    assert {p["name"]: p["value"] for p in oss["params"]} == {"alpha": 1.702, "limit": 7.0}


def test_info_says_the_kind():
    assert json.loads(invoke("info", "relu", "-f", "json").stdout)["kind"] == "elementwise"
    assert json.loads(invoke("info", "crelu", "-f", "json").stdout)["kind"] == "vector"


def test_info_vector_entry():
    doc = json.loads(invoke("info", "sparsemax", "-f", "json").stdout)
    assert doc["kind"] == "vector" and "#23425" in doc["description"]
    assert doc["derivatives"].startswith("exact Jacobian")
    sm = json.loads(invoke("info", "softmax", "-F", "pytorch", "-f", "json").stdout)
    assert "dim 0 for 0-, 1- and 3-D" in sm["conventions"]["pytorch"]
    assert "stochastic" in invoke("info", "gumbel_softmax").stdout


# --- softmax --fn ---------------------------------------------------------------------------------

def test_softmax_fn_sparsemax_golden_and_zero_count():
    out = invoke("softmax", "1", "1.1", "0", "--fn", "sparsemax", "-f", "json")
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    # exact: τ = 1.1/2 (float 1.1), p = [1 − τ, 1.1 − τ, 0], each rounded once
    tau = Fraction(1.1) / 2
    assert doc["probabilities"] == [float(1 - tau), float(Fraction(1.1) - tau), 0.0]
    assert doc["zeros"] == 1 and doc["function"] == "sparsemax"
    assert doc["log_probabilities"][2] == "-Infinity"
    assert "exactly 0 to 1 of 3" in out.stderr
    keys = set(json.loads(invoke("softmax", "1", "2", "-f", "json").stdout))
    assert keys == {"logits", "temperature", "probabilities", "log_probabilities", "argmax"}


def test_softmax_fn_softmin_and_log_softmax():
    doc = json.loads(invoke("softmax", "1", "2", "3", "--fn", "softmin", "-f", "json").stdout)
    want = mp_softmax([-1.0, -2.0, -3.0])
    pairs = zip(doc["probabilities"], want, strict=True)
    assert all(abs(p - float(w)) <= 2 * math.ulp(float(w)) for p, w in pairs)
    assert doc["argmax"] == 0
    ls = json.loads(invoke("softmax", "0.2", "1.3", "3.75", "--fn", "log_softmax", "-f", "json").stdout)
    np.testing.assert_allclose(ls["log_probabilities"], [-3.658871, -2.558871, -0.108871], atol=5e-7)
    assert "sparsemax of 2 logits" in invoke("softmax", "0", "0", "--fn", "sparsemax").stdout


def test_softmax_fn_bad_input():
    one_error(invoke("softmax", "1", "nan", "--fn", "sparsemax"), 2, "sparsemax is undefined")
    one_error(invoke("softmax", "--fn", "softmin", "inf", "inf"), 2, "all logits are +inf")
    one_error(invoke("softmax", "1", "2", "--fn", "hardmax"), 2, "--fn")


# --- plot and derive of a gated unit ----------------------------------------------------------------

def test_derive_gated_reports_both_partials():
    doc = json.loads(invoke("derive", "swiglu:value=2", "--at", "-1", "0", "1.5", "-f", "json").stdout)
    silu = actviz.get("silu")
    xs = np.array([-1.0, 0.0, 1.5])
    assert [p["x"] for p in doc["points"]] == xs.tolist()
    assert [p["f"] for p in doc["points"]] == (2 * silu(xs)).tolist()
    assert [p["df"] for p in doc["points"]] == (2 * silu.grad(xs)).tolist()
    assert [p["d_value"] for p in doc["points"]] == silu(xs).tolist()
    assert doc["gated"]["value"] == 2.0 and doc["gated"]["gate"] == "last"
    text = invoke("derive", "reglu:value=3", "--at", "-1", "0", "2").stdout
    assert "∂h/∂value" in text and "kink" in text


def test_plot_gated_says_which_half_gates(tmp_path):
    out = invoke("plot", "swiglu:gate=first,value=2", "--grad", "-o", str(tmp_path / "s.png"))
    assert out.exit_code == 0, out.stderr
    assert "first half" in out.stderr and "value = 2" in out.stderr
    from PIL import Image  # matplotlib's dependency

    img = np.asarray(Image.open(tmp_path / "s.png").convert("L"))
    assert img.shape[0] > 100 and (img < 128).mean() > 0.005  # something was drawn


@pytest.mark.parametrize(("args", "message"), [
    (("plot", "softmax", "-o", "x.png"), "vector function"),
    (("derive", "sparsemax"), "actviz softmax --fn sparsemax"),
    (("flow", "swiglu"), "gated unit"),
    (("derive", "swiglu:value=nan"), "finite number"),
    (("derive", "swiglu:gate=middle"), "unknown gate order"),
    (("derive", "swiglu:beta=2"), "no parameter 'beta'"),
    (("info", "glu:gate=sideways"), "unknown gate order"),
])
def test_bad_specs_are_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    one_error(invoke(*args), 2, message)
    assert list(tmp_path.iterdir()) == []


# --- recommend ----------------------------------------------------------------------------------

@pytest.mark.parametrize("framework", ["tensorflow", "keras", "pytorch", "jax"])
def test_recommend_transformer_names_swiglu_with_the_half_order_warning(framework):
    from actviz.advice.build import recommend

    rec = recommend("multiclass", framework=framework, context="transformer")
    doc = rec.to_dict()
    assert doc["context"] == "transformer"
    assert doc["hidden"]["recommended"] == "swiglu"
    assert doc["hidden"]["alternatives"][0]["activation"] == "geglu"
    assert "gpt-oss interleaves" in doc["warnings"][0] and "second half" in doc["warnings"][0]
    compile(rec.snippet, "<snippet>", "exec")
    assert max(len(line) for line in rec.snippet.splitlines()) <= 78
    assert "gate" in rec.snippet and "silu" in rec.snippet
    (reason,) = [r for r in doc["hidden"]["reasons"] if r["activation"] == "swiglu"]
    assert reason["values"]["sup_abs_grad_gate"] == actviz.get("silu").properties.sup_abs_grad
    plain = recommend("multiclass", framework=framework).to_dict()
    assert plain["hidden"]["recommended"] == "relu" and "context" not in plain


def test_recommend_context_cli():
    out = invoke("recommend", "--task", "binary", "--context", "transformer")
    assert out.exit_code == 0 and "swiglu" in out.stdout and "Gated units split" in out.stdout
    one_error(invoke("recommend", "--task", "binary", "--context", "rnn"), 2, "--context")
