"""``actviz check`` end to end: files of every dtype, stdin, JSON, the plot, exit codes, bad input,
and a real framework runner (JAX; the others are skipped when absent)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

import actviz
from tests.conftest import run_cli
from tests.test_startup import PROBE


def _strict(token: str):
    raise AssertionError(f"non-strict JSON token {token}")


def invoke(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    """``actviz check ARGS`` through the shared runner: (exit code, stdout, stderr)."""
    result = run_cli("check", *args, input=stdin, columns=120, expect=None)
    return result.code, result.out, result.err


def as_json(args: list[str], stdin: str = "", code: int = 0):
    got, out, err = invoke([*args, "-f", "json"], stdin)
    assert got == code, err
    return json.loads(out, parse_constant=_strict)


@pytest.fixture()
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """x (float32), correctly rounded-ish sigmoid values and a 3-float perturbation of them."""
    monkeypatch.chdir(tmp_path)
    x = np.random.default_rng(2).normal(0, 5, 4000).astype(np.float32)
    act = actviz.get("sigmoid")
    y = act(x)  # float64 rounded once to float32
    np.save("x.npy", x)
    np.save("y.npy", y)
    np.save("g.npy", act.grad(x))
    np.save("y3.npy", (y.view(np.uint32) + np.uint32(3)).view(np.float32))
    return tmp_path


def test_table_and_json_of_files(files: Path) -> None:
    code, out, err = invoke(["sigmoid", "-i", "x.npy", "--values", "y.npy", "--grads", "g.npy"])
    assert code == 0, err
    for title in ("summary", "f by region", "f′ by region", "assert_close", "metric:", "context:"):
        assert title in out
    doc = as_json(["sigmoid", "-i", "x.npy", "--values", "y3.npy"])
    q = doc["quantities"][0]
    assert doc["dtype"] == "float32" and q["max_distance"] == 3 and q["correctly_rounded"] == 0
    assert q["histogram"]["≤4"] == 4000 and len(q["worst"]) == 5
    assert float.fromhex(q["worst"][0]["x_hex"]) == q["worst"][0]["x"]


def test_max_ulp_sets_the_exit_status(files: Path) -> None:
    assert invoke(["sigmoid", "-i", "x.npy", "--values", "y.npy", "--max-ulp", "0.5"])[0] == 0
    code, out, _ = invoke(["sigmoid", "-i", "x.npy", "--values", "y3.npy", "--max-ulp", "2"])
    assert code == 1 and "OVER --max-ulp 2" in out
    doc = as_json(["sigmoid", "-i", "x.npy", "--values", "y3.npy", "--max-ulp", "7"])
    assert doc["passed"] is True and doc["max_ulp_limit"] == 7


def test_bfloat16_as_ml_dtypes_saves_it_and_as_uint16_patterns(files: Path) -> None:
    x = np.load("x.npy").astype(ml_dtypes.bfloat16)
    exact = actviz.get("tanh")(x.astype(np.float64))
    # round once from float64 by hand: ±1 float of the float32 route is what we measure below
    y = exact.astype(np.float32).astype(ml_dtypes.bfloat16)
    np.save("xb.npy", x)
    np.save("yb.npy", y)
    np.save("xu.npy", x.view(np.uint16))
    np.save("yu.npy", y.view(np.uint16))
    a = as_json(["tanh", "-i", "xb.npy", "--values", "yb.npy"])
    b = as_json(["tanh", "-i", "xu.npy", "--values", "yu.npy", "--dtype", "bfloat16"])
    assert a["dtype"] == b["dtype"] == "bfloat16"
    assert a["quantities"] == b["quantities"]
    assert a["quantities"][0]["max_distance"] <= 1  # double rounding moves a value by 1 at most


def test_text_and_stdin(files: Path) -> None:
    Path("x.txt").write_text("0.5\n-3\n2\n8\n", encoding="utf-8")
    vals = actviz.get("relu")(np.array([0.5, -3, 2, 8]))
    Path("y.txt").write_text("\n".join(repr(float(v)) for v in vals), encoding="utf-8")
    doc = as_json(["relu", "-i", "x.txt", "--values", "-"], stdin=Path("y.txt").read_text(encoding="utf-8"))
    assert doc["dtype"] == "float64" and doc["quantities"][0]["max_ulp"] == 0
    doc = as_json(["relu", "-i", "x.txt", "--values", "y.txt", "--dtype", "float16"])
    assert doc["dtype"] == "float16" and doc["quantities"][0]["max_distance"] == 0


@pytest.mark.parametrize("args, needle", [
    (["sigmoid", "-i", "x.npy"], "give --input and --values"),
    (["sigmoid", "-i", "x.npy", "--values", "short.npy"], "must match"),
    (["sigmoid", "-i", "x.npy", "--values", "ints.npy"], "int64"),
    (["sigmoid", "-i", "x.npy", "--values", "y.npy", "--max-ulp", "nan"], "--max-ulp"),
    (["sigmoid", "-i", "x.npy", "--values", "y.npy", "--max-ulp", "-1"], "--max-ulp"),
    (["sigmoid", "-i", "x.npy", "--values", "y.npy", "--dtype", "float16"], "--dtype is float16"),
    (["sigmoid", "-i", "-", "--values", "-"], "only one of"),
    (["sigmoid", "-i", "x.npy", "--values", "y.npy", "--plot", "err.gif"], "cannot tell the format"),
    (["sigmoid", "--framework-run", "nosuch"], "choose from jax, torch, tensorflow, mlx"),
    (["tanh_shrink", "--framework-run", "jax"], "jax has no tanh_shrink"),
    (["sigmoid", "--framework-run", "jax", "--values", "y.npy"], "drop --values"),
    (["sigmod", "-i", "x.npy", "--values", "y.npy"], "did you mean 'sigmoid'"),
])
def test_usage_errors_exit_2_with_one_line(files: Path, args: list[str], needle: str) -> None:
    np.save("short.npy", np.zeros(10, np.float32))
    np.save("ints.npy", np.zeros(4000, np.int64))
    code, out, err = invoke(args)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("Error:") and needle in err, err
    assert out == "" and not Path("err.gif").exists()


@pytest.mark.parametrize("make, needle", [
    (lambda: None, "no such file"),
    (lambda: np.save("bad.npy", np.zeros(5, np.complex128)), "not a dtype check can read"),
    (lambda: Path("bad.npy").write_bytes(b"not an npy"), "not a valid .npy"),
])
def test_unreadable_files_exit_1(files: Path, make, needle: str) -> None:
    make()
    code, out, err = invoke(["sigmoid", "-i", "x.npy", "--values", "bad.npy", "--plot", "e.png"])
    assert code == 1 and needle in err and err.count("\n") == 1, err
    assert not Path("e.png").exists()


def test_missing_framework_names_the_pip_package(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actviz.check import frameworks

    monkeypatch.setattr(frameworks.Torch, "available", lambda self: False)
    code, _, err = invoke(["gelu", "--framework-run", "torch"])
    assert code == 2 and "pip install torch" in err


def test_plot_is_drawn(files: Path) -> None:
    from matplotlib.image import imread

    args = ["sigmoid", "-i", "x.npy", "--values", "y3.npy", "--grads", "g.npy", "--plot", "e.png"]
    code, _, err = invoke(args)
    assert code == 0 and "Wrote e.png" in err
    img = imread("e.png")[..., :3]
    h = img.shape[0]
    assert h > 500  # two panels
    for half in (img[: h // 2], img[h // 2:]):  # each panel has coloured points, not only grey and white
        saturated = (half.max(axis=2) - half.min(axis=2)) > 0.3
        assert saturated.mean() > 0.002


def test_large_file_imports_nothing_heavy(files: Path) -> None:
    """A float32 audit loads neither Matplotlib, SciPy, mpmath nor a framework."""
    out = files / "mods.json"
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["check", "sigmoid", "-i", "x.npy", "--values", "y.npy"]
    done = subprocess.run([sys.executable, "-c", PROBE, str(out), *args], cwd=files, capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    mods = set(json.loads(out.read_text(encoding="utf-8")))
    assert "numpy" in mods
    assert not mods & {"matplotlib", "scipy", "mpmath", "jax", "torch", "tensorflow", "ml_dtypes"}, mods


def test_float64_values_use_mpmath_with_a_sample_note(files: Path) -> None:
    x = np.linspace(-30, 30, 12001)
    np.save("x64.npy", x)
    np.save("y64.npy", actviz.get("softplus")(x))
    doc = as_json(["softplus", "-i", "x64.npy", "--values", "y64.npy"])
    q = doc["quantities"][0]
    assert doc["reference"].startswith("mpmath") and q["count"] <= 10_000
    assert q["max_ulp"] <= 4 and any("not audited" in n for n in doc["notes"])


# --- real frameworks ----------------------------------------------------------------------------
HAVE = {name: importlib.util.find_spec(name) is not None for name in ("jax", "torch", "tensorflow", "mlx")}


@pytest.mark.skipif(not HAVE["jax"], reason="jax not installed")
def test_jax_relu_on_the_exhaustive_bfloat16_grid(files: Path) -> None:
    """relu is exact wherever XLA computes with the value itself; on CPU it flushes subnormal
    inputs to zero, which the subnormal region shows (relu(x) = 0 for a subnormal x > 0)."""
    doc = as_json(["relu", "--framework-run", "jax", "--dtype", "bfloat16"])
    f, df = doc["quantities"]
    assert f["count"] == 65536 and "65,536 inputs" in doc["implementation"]
    assert f["nan_mismatches"] == 0 and f["inf_mismatches"] == 0
    regions = {r["region"]: r for r in f["regions"]}
    for name in ("negative tail", "centre", "positive tail", "±0", "±inf", "NaN"):
        assert regions[name]["max_distance"] == 0, name
    sub = regions["subnormal"]
    # every subnormal bfloat16 of both signs; the 4 nearest 0 on each side count as the kink's
    assert sub["count"] + regions["kinks"]["count"] == 2 * 127 and regions["kinks"]["count"] == 8
    if sub["max_distance"]:  # flushed: the worst is a subnormal input whose result is 0
        assert f["worst"][0]["region"] in ("subnormal", "kinks") and f["worst"][0]["got"] == 0.0


@pytest.mark.skipif(not HAVE["jax"], reason="jax not installed")
def test_jax_float32_run_finds_what_a_naive_formula_would(files: Path) -> None:
    """jax's gelu(approximate=True) is (x/2)(1 + tanh u): 1 + tanh cancels for x < −5 in float32.
    The check sees the false zeros as errors of about 2^24 ULP, in the centre region."""
    doc = as_json(["gelu:approximate=true", "--framework-run", "jax", "--max-ulp", "4"], code=1)
    f = doc["quantities"][0]
    assert f["worst"][0]["got"] == 0.0 and f["worst"][0]["exact"] < 0
    assert f["max_ulp"] > 1e6


@pytest.mark.skipif(not HAVE["jax"], reason="jax not installed")
def test_league_table_of_all_installed(files: Path) -> None:
    code, out, err = invoke(["sigmoid", "--framework-run", "all", "--dtype", "float16"])
    assert code == 0, err
    assert "frameworks side by side" in out and "jax" in out


@pytest.mark.parametrize("name", ["torch", "tensorflow", "mlx"])
def test_other_frameworks_run_when_installed(files: Path, name: str) -> None:
    if not HAVE[name]:
        pytest.skip(f"{name} not installed")
    doc = as_json(["relu", "--framework-run", name, "--dtype", "float16"])
    assert doc["quantities"][0]["max_distance"] == 0


@pytest.mark.skipif(not HAVE["jax"], reason="jax not installed")
def test_framework_run_on_the_users_inputs(files: Path) -> None:
    doc = as_json(["sigmoid", "--framework-run", "jax", "--input", "x.npy"])
    f = doc["quantities"][0]
    assert f["count"] == 4000 and "x.npy" in doc["implementation"] and doc["dtype"] == "float32"
    code, _, err = invoke(["sigmoid", "--framework-run", "jax", "--input", "x.npy", "--dtype", "float16"])
    assert code == 2 and "--dtype is float16" in err


def test_a_formula_is_a_reference_too(tmp_path: Path, actviz_cli) -> None:
    """#15 × #14: ``check "x*sigmoid(1.702*x)"`` audits against the formula's own exact values."""
    x = np.random.default_rng(11).normal(0, 4, 3000).astype(np.float32)
    formula = actviz.get("x*sigmoid(1.702*x)")
    exact = formula(x.astype(np.float64)).astype(np.float32)  # float64, rounded once
    bumped = exact.copy()
    bumped[::3] = np.nextafter(np.nextafter(exact[::3], np.inf), np.inf)  # 2 floats off
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", exact)
    np.save(tmp_path / "z.npy", bumped)
    args = ["check", "x*sigmoid(1.702*x)", "--input", str(tmp_path / "x.npy"), "-f", "json"]
    good = actviz_cli(*args, "--values", str(tmp_path / "y.npy")).json
    bad = actviz_cli(*args, "--values", str(tmp_path / "z.npy"), "--max-ulp", "1", expect=1).json
    assert json.dumps(good).count('"max_distance": 0') >= 1
    assert json.dumps(bad).count('"max_distance": 2') >= 1
