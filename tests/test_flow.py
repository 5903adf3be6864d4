"""``actviz flow``: the simulation reproduces known physics, the chain rule is exact, the CLI and
the plot behave.

Truth comes from independent reasoning (variance of a sum of products, E[max(0, z)] of a normal,
finite differences of f alone), never from our own output.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from actviz.catalog.registry import get, names
from actviz.flow.init import Init, default_init, parse_init
from actviz.flow.simulate import (
    MAX_BATCH,
    MAX_DEPTH,
    MAX_WIDTH,
    FlowConfig,
    input_batch,
    layer_weights,
    output_gradient,
    simulate,
)
from actviz.flow.verdict import ratio_text, verdict
from tests.conftest import run_cli

DEFAULT = FlowConfig()  # depth 10, width 256, batch 256, seed 0


def invoke(*args: str) -> tuple[int, str, str]:
    """Run ``actviz ARGS`` in-process the way ``main`` does: (exit code, stdout, stderr)."""
    result = run_cli(*args, expect=None, columns=None, env={"NO_COLOR": None})
    return result.code, result.out, result.err


def strict_json(text: str):
    def refuse(token: str):
        raise ValueError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


# --- physics -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sigmoid_run():
    return simulate(get("sigmoid"), DEFAULT)


@pytest.fixture(scope="module")
def relu_run():
    return simulate(get("relu"), DEFAULT)


def test_sigmoid_glorot_gradient_vanishes(sigmoid_run):
    assert sigmoid_run.init.init.scheme == "glorot" and sigmoid_run.init.default
    first, last = sigmoid_run.layers[0], sigmoid_run.layers[-1]
    assert last.grad_norm == 1.0
    # σ′ ≤ 1/4 and Glorot keeps ‖δ W‖ ≈ ‖δ‖: about 0.25⁹ ≈ 4e-6 over 9 steps back.
    assert first.grad_norm < 1e-3
    norms = [s.grad_norm for s in sigmoid_run.layers]
    assert norms == sorted(norms) and len(set(norms)) == len(norms)  # shrinks at every step back
    assert verdict(sigmoid_run).kind == "vanishing"


def test_relu_he_gradient_stays_within_a_small_factor(relu_run):
    assert relu_run.init.init.scheme == "he"
    for s in relu_run.layers:
        assert 0.1 < s.grad_norm < 10, s
    assert verdict(relu_run).kind == "stable"


def test_tanh_keeps_far_more_gradient_than_sigmoid(sigmoid_run):
    tanh = simulate(get("tanh"), DEFAULT)
    assert tanh.layers[0].grad_log10 > sigmoid_run.layers[0].grad_log10 + 3


def test_first_layer_statistics_match_theory(relu_run, sigmoid_run):
    # z = x W with x ~ N(0, 1), W ~ N(0, std²), 256 inputs: Var z = 256 std².
    he = relu_run.layers[0]
    assert he.pre_std == pytest.approx(math.sqrt(2.0), rel=0.03)
    assert abs(he.pre_mean) < 0.05
    # E[max(0, z)] = σ_z / √(2π); P(z < 0) = 1/2 (so half of relu′ values are 0: saturated).
    assert he.act_mean == pytest.approx(math.sqrt(2.0) / math.sqrt(2 * math.pi), rel=0.05)
    assert he.saturated == pytest.approx(0.5, abs=0.02)
    glorot = sigmoid_run.layers[0]
    assert glorot.pre_std == pytest.approx(1.0, rel=0.03)
    assert glorot.act_mean == pytest.approx(0.5, abs=0.01)


def test_selu_lecun_self_normalises():
    result = simulate(get("selu"), FlowConfig(depth=30, width=256, batch=128))
    assert result.init.init.scheme == "lecun"
    for s in result.layers:
        assert abs(s.act_mean) < 0.2, s
        assert 0.7 < s.act_std < 1.3, s


def test_relu_with_large_negative_bias_dies():
    result = simulate(get("relu"), FlowConfig(bias=-3.0))
    assert all(s.dead > 0.9 for s in result.layers[1:])
    assert result.layers[-1].dead == 1.0
    assert result.last_grad_zero
    v = verdict(result)
    assert v.kind == "dead" and "layer 2" in v.text


def test_relu_without_bias_has_few_dead_units(relu_run):
    assert relu_run.layers[0].dead < 0.05


# --- exactness -----------------------------------------------------------------------------------
def test_backward_pass_matches_finite_differences_of_f():
    """‖δ_l‖/‖δ_L‖ from the analytic chain rule equals central differences of f alone."""
    act, config = get("tanh"), FlowConfig(depth=3, width=5, batch=3, seed=7, bias=0.1)
    init = Init("normal", 0.9)
    result = simulate(act, config, init)
    weights = [layer_weights(config, layer, 0.9) for layer in range(1, 4)]
    g = output_gradient(config)

    def loss_from(layer: int, z: np.ndarray) -> float:
        a = act(z)
        for w in weights[layer + 1:]:
            a = act(a @ w + config.bias)
        return float(np.sum(g * a))

    zs, a = [], input_batch(config)
    for w in weights:
        zs.append(a @ w + config.bias)
        a = act(zs[-1])
    h, norms = 1e-6, []
    for layer, z in enumerate(zs):
        d = np.zeros_like(z)
        for idx in np.ndindex(z.shape):
            up, down = z.copy(), z.copy()
            up[idx] += h
            down[idx] -= h
            d[idx] = (loss_from(layer, up) - loss_from(layer, down)) / (2 * h)
        norms.append(np.linalg.norm(d))
    for layer in range(3):
        assert result.layers[layer].grad_norm == pytest.approx(norms[layer] / norms[-1], rel=1e-6)


def test_tiny_ratios_do_not_underflow():
    result = simulate(get("sigmoid"), FlowConfig(depth=600, width=32, batch=16))
    first = result.layers[0]
    # ≈ 0.2 per layer: far below the smallest float64, still a finite log10.
    assert first.grad_log10 < -320 and math.isfinite(first.grad_log10)
    assert first.grad_norm == 0.0
    assert verdict(result).text.startswith("gradient at layer 1 is ") and "e−" in verdict(result).text


def test_same_seed_same_weights_for_every_activation():
    # leaky_relu with α = 0 is relu: identical numbers only if inputs and weights are shared.
    config = FlowConfig(depth=6, width=64, batch=32, seed=3)
    relu = simulate(get("relu"), config, Init("he"))
    leaky = simulate(get("leaky_relu", alpha=0.0), config, Init("he"))
    assert relu.layers == leaky.layers


def test_deterministic_for_a_seed_and_different_across_seeds():
    config = FlowConfig(depth=4, width=32, batch=16, seed=11)
    a = simulate(get("gelu"), config)
    b = simulate(get("gelu"), config)
    c = simulate(get("gelu"), FlowConfig(depth=4, width=32, batch=16, seed=12))
    assert a.layers == b.layers
    assert a.layers != c.layers


def test_overflow_is_a_diverged_verdict_not_a_warning():
    result = simulate(get("exponential"), FlowConfig(depth=6, width=64, batch=16))
    assert not all(math.isfinite(s.act_std) for s in result.layers)
    assert verdict(result).kind == "diverged"


# --- initialisers and verdict text ---------------------------------------------------------------
def test_init_standard_deviations():
    assert Init("he").weight_std(256, 256) == pytest.approx(math.sqrt(2 / 256))
    assert Init("glorot").weight_std(100, 300) == pytest.approx(math.sqrt(2 / 400))
    assert Init("lecun").weight_std(64, 10) == pytest.approx(1 / 8)
    assert parse_init("normal:0.05").weight_std(7, 9) == 0.05
    assert parse_init(" Xavier ") == Init("glorot")


@pytest.mark.parametrize("text", ["foo", "normal", "normal:", "normal:abc", "normal:0", "normal:-1",
                                  "normal:inf", "he:2"])
def test_parse_init_rejects(text):
    with pytest.raises(ValueError):
        parse_init(text)


@pytest.mark.parametrize("name,scheme", [
    ("relu", "he"), ("leaky_relu", "he"), ("relu6", "he"), ("elu", "he"), ("gelu", "he"),
    ("silu", "he"), ("mish", "he"), ("sigmoid", "glorot"), ("tanh", "glorot"),
    ("softsign", "glorot"), ("hard_sigmoid", "glorot"), ("hard_tanh", "glorot"), ("selu", "lecun"),
])
def test_default_init_per_activation(name, scheme):
    assert default_init(get(name)).init.scheme == scheme


def test_every_catalog_entry_has_a_default_init():
    for name in names():
        choice = default_init(get(name))
        assert choice.init.scheme in ("he", "glorot", "lecun") and choice.reason


@pytest.mark.parametrize("log10,text", [
    (math.log10(3.1e-6), "3.1e−6"), (math.log10(0.5), "0.5"), (0.0, "1"),
    (math.log10(9.96e-6), "1.0e−5"), (-629.6, "2.5e−630"), (math.log10(4.2e5), "4.2e5"),
    (math.inf, "∞"),
])  # the table rules: U+2212 minus, no '+' in exponents
def test_ratio_text(log10, text):
    assert ratio_text(log10) == text


@pytest.mark.parametrize("ratio,kind", [(0.009, "vanishing"), (0.011, "stable"), (99.0, "stable"),
                                        (101.0, "exploding")])
def test_verdict_thresholds(ratio, kind):
    from dataclasses import replace

    result = simulate(get("identity"), FlowConfig(depth=2, width=8, batch=4))
    first = replace(result.layers[0], grad_log10=math.log10(ratio))
    v = verdict(replace(result, layers=(first, result.layers[1])))
    assert v.kind == kind
    assert v.text.startswith(f"gradient at layer 1 is {ratio_text(math.log10(ratio))} of layer 2: {kind}")


# --- CLI -----------------------------------------------------------------------------------------
def test_cli_table_output():
    code, out, err = invoke("flow", "sigmoid", "relu", "--depth", "4", "--width", "64", "--batch", "32")
    assert code == 0, err
    assert "sigmoid · init glorot (default" in out and "relu · init he (default" in out
    assert "vanishing" in out or "stable" in out
    assert "Summary" in out and "\x1b[" not in out
    assert err == ""


def test_cli_json_is_strict_and_complete():
    code, out, _ = invoke("flow", "relu", "exponential", "-d", "5", "-w", "32", "-b", "8", "--seed", "4",
                          "--bias", "-0.5", "-f", "json")
    assert code == 0
    doc = strict_json(out)
    assert doc["config"]["depth"] == 5 and doc["config"]["bias"] == -0.5 and doc["config"]["seed"] == 4
    assert doc["config"]["init"] == "default"
    relu, expo = doc["results"]
    assert relu["function"] == "relu" and relu["init"] == "he" and relu["params"] == {
        "negative_slope": 0.0, "max_value": "Infinity", "threshold": 0.0}
    assert [s["layer"] for s in relu["layers"]] == [1, 2, 3, 4, 5]
    keys = {"layer", "pre_mean", "pre_std", "act_mean", "act_std", "saturated", "dead", "grad_norm"}
    for s in relu["layers"]:
        assert keys <= set(s)
        assert 0 <= s["saturated"] <= 1 and 0 <= s["dead"] <= 1
    assert relu["layers"][-1]["grad_norm"] == 1.0
    assert isinstance(relu["verdict"], str) and relu["verdict"]
    # exponential overflows: non-finite numbers are strings, undefined gradients null.
    assert expo["verdict_kind"] == "diverged"
    assert {"NaN", "Infinity"} & {s["act_std"] for s in expo["layers"]}
    assert any(s["grad_norm"] is None for s in expo["layers"])


def test_cli_init_option_and_params():
    code, out, _ = invoke("flow", "leaky_relu:alpha=0.1", "-d", "2", "-w", "16", "-b", "4",
                          "--init", "normal:0.3", "-f", "json", "--framework", "pytorch")
    assert code == 0
    doc = strict_json(out)
    r = doc["results"][0]
    assert r["params"] == {"alpha": 0.1} and r["init"] == "normal:0.3" and r["init_default"] is False
    assert r["weight_std"] == 0.3 and doc["config"]["framework"] == "pytorch"


@pytest.mark.parametrize("args,needle", [
    (["--depth", "0"], "depth"), (["--depth", str(MAX_DEPTH + 1)], "depth"),
    (["--width", "0"], "width"), (["--width", str(MAX_WIDTH + 1)], "width"),
    (["--batch", "0"], "batch"), (["--batch", str(MAX_BATCH + 1)], "batch"),
    (["--depth", "1000", "--width", "1024", "--batch", "64"], "depth × width × batch"),
    (["--depth", "300", "--width", "512", "--batch", "8"], "depth × width² ="),
    (["--depth", "4", "--width", "4096", "--batch", "1024"], "depth × width² × batch"),
    (["--init", "uniform"], "unknown init"), (["--init", "normal:zero"], "normal"),
    (["--init", "normal:-2"], "normal"), (["nosuch_act"], "unknown activation"),
    (["--input-std", "0"], "input std"), (["--bias", "nan"], "bias"), (["--seed", "-1"], "seed"),
    (["--plot", "out.gif"], ".png"),
])
def test_cli_bad_input_is_one_usage_error(args, needle):
    code, out, err = invoke("flow", "relu", *args)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0]


def test_table_mode_imports_no_matplotlib_and_bad_input_exits_2():
    code = ("import sys; from actviz.cli.errors import run; from actviz.cli.main import cli; "
            "rc = run(cli, ['flow', 'relu', '-d', '2', '-w', '8', '-b', '4']); "
            "print('MPL', 'matplotlib' in sys.modules, rc)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "MPL False 0"
    proc = subprocess.run([sys.executable, "-m", "actviz", "flow", "relu", "--width", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == "Error: width must be between 1 and 4096, got 0"


# --- plot ----------------------------------------------------------------------------------------
def test_plot_png_is_a_real_image(tmp_path):
    import matplotlib.image as mpimg

    path = tmp_path / "flow.png"
    code, out, err = invoke("flow", "sigmoid", "relu", "-d", "5", "-w", "32", "-b", "8",
                            "--plot", str(path), "-f", "json")
    assert code == 0, err
    assert f"Wrote {path}" in err
    strict_json(out)  # stdout still carries the JSON
    image = mpimg.imread(str(path))
    assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 400
    assert float(image[..., :3].std()) > 0.01  # something was drawn
    assert sorted(os.listdir(tmp_path)) == ["flow.png"]  # no temporary files left


def test_plot_svg_is_deterministic(tmp_path):
    args = ["flow", "tanh", "selu", "-d", "4", "-w", "16", "-b", "4", "-f", "json"]
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    assert invoke(*args, "--plot", str(first))[0] == 0
    assert invoke(*args, "--plot", str(second))[0] == 0
    data = first.read_bytes()
    assert data.startswith(b"<?xml") and b"</svg>" in data
    assert data == second.read_bytes()


def test_plot_into_missing_folder_fails_cleanly(tmp_path):
    target = tmp_path / "missing" / "flow.png"
    code, out, err = invoke("flow", "relu", "-d", "2", "-w", "8", "-b", "4", "--plot", str(target))
    assert code == 1 and out == ""
    assert err.startswith("Error: cannot write") and len(err.strip().splitlines()) == 1
    assert not target.parent.exists()
