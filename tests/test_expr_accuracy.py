"""``info FORMULA --accuracy``: the ULP error of a formula as written, where it lives, the fix."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from actviz.expr.accuracy import PROGRAMS, measure
from actviz.expr.activation import from_text
from tests.test_cli_behaviour import invoke
from tests.test_startup import loaded

WRITTEN64, WRITTEN32, ACTVIZ = PROGRAMS


@pytest.fixture(autouse=True)
def no_user_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ACTVIZ_ACTIVATIONS", str(tmp_path / "none.toml"))


@pytest.mark.parametrize(("formula", "stable"), [
    ("log(1+exp(x))", "softplus(x)"),
    ("1/(1+exp(-x))", "sigmoid(x)"),
    ("exp(x)-1", "expm1(x)"),
    ("1-tanh(x)**2", "sech2(x)"),
    ("x*(1+erf(x/sqrt(2)))/2", "x*(2*Phi(x))/2"),
    ("log(1+x)", "log1p(x)"),
])
def test_classic_patterns_get_their_stable_form(formula, stable):
    act = from_text(formula)
    report = measure(act)
    assert report.stable == stable
    bad = {p: report.overall.max_ulp[i] for i, p in enumerate(PROGRAMS)}
    # As written, each loses most of its digits somewhere (or overflows); the stable form does not.
    # 1/(1+exp(−x)) is the exception: exp overflows to inf for x < −709 (a warning in NumPy), and
    # 1/inf = 0 is still the right value there.
    if formula == "1/(1+exp(-x))":
        assert bad[WRITTEN64] <= 4, bad
    else:
        assert bad[WRITTEN64] > 1e3, bad
    assert bad[ACTVIZ] <= 4 or formula.startswith("x*(1+erf"), bad
    if formula.startswith("x*(1+erf"):  # only subnormal results (x < −37) lose a few more ULP
        assert max(r.max_ulp[2] for r in report.regions if r.region != "−40 < x ≤ −5") <= 4


def test_overflow_is_located():
    report = measure(from_text("log(1+exp(x))"))
    far_right = next(r for r in report.regions if r.region == "x ≥ 40")
    assert math.isinf(far_right.max_ulp[0]) and far_right.max_ulp[2] <= 1
    middle = next(r for r in report.regions if r.region == "5 ≤ x < 40")
    assert middle.max_ulp[0] <= 1  # log(1+e^x) is fine there (no overflow before 709)


def test_a_good_formula_is_reported_good():
    report = measure(from_text("x*sigmoid(x)"))
    assert report.stable is None and not report.rewrites
    assert report.overall.max_ulp[0] <= 4 and report.overall.max_ulp[2] <= 4
    assert report.overall.max_ulp[1] <= 4  # float32: three roundings, in float32's own ULPs


def test_float32_inputs_keep_their_sign_below_the_float32_range():
    # x = −1e−300 is no float32: its program runs at −1.4e−45 (not at −0, whose 1/x = −inf mpmath
    # could not tell from +inf); IEEE division is correctly rounded, overflow to ±inf included.
    report = measure(from_text("1/x"))
    assert report.overall.max_ulp[1] <= 0.5 and report.overall.max_ulp[0] <= 0.5


def test_float32_errors_are_in_float32_ulps():
    # NumPy's float32 expm1 is within 1 ULP of float32; exp(x) − 1 in float32 returns 0 for tiny x,
    # abs(0 − v)/ulp(v) ≤ 2^24 in float32's units (it would be ~2^53 in float64's).
    assert measure(from_text("expm1(x)")).overall.max_ulp[1] <= 1
    tiny = next(r for r in measure(from_text("exp(x)-1")).regions if r.region == "−5 < x < 5")
    assert 1e6 < tiny.max_ulp[1] <= 2**24 and tiny.max_ulp[2] <= 1


def test_cli_table_json_and_plot(tmp_path):
    code, out, err = invoke(["info", "exp(x)-1", "--accuracy"])
    assert code == 0, err
    assert "expm1(x)" in out and "as written, float32" in out and "fractional ULP" in out
    code, out, err = invoke(["info", "exp(x)-1", "--accuracy", "-f", "json"])
    doc = json.loads(out)
    assert doc["stable_form"] == "expm1(x)" and doc["rewrites"][0]["before"] == "exp(x) - 1"
    png = tmp_path / "err.png"
    code, _, err = invoke(["info", "exp(x)-1", "--accuracy", "--plot", str(png)])
    assert code == 0 and f"Wrote {png}" in err
    import matplotlib.image

    pixels = matplotlib.image.imread(str(png))[..., :3]
    def count(rgb):
        return int(np.all(np.abs(pixels - np.array(rgb) / 255) < 0.03, axis=-1).sum())

    # C0 (as written, float64: partly hidden behind the others), C1 (float32), C2 (actviz)
    assert count((31, 119, 180)) > 20 and count((255, 127, 14)) > 100 and count((44, 160, 44)) > 100


def test_cli_errors(tmp_path):
    code, _, err = invoke(["info", "relu", "--accuracy"])
    assert code == 2 and "for formulas" in err
    code, _, err = invoke(["info", "exp(x)", "--plot", str(tmp_path / "a.png")])
    assert code == 2 and "--plot needs --accuracy" in err and not list(tmp_path.iterdir())
    code, _, err = invoke(["info", "exp(x)", "--accuracy", "--plot", str(tmp_path / "a.txt")])
    assert code == 2 and not list(tmp_path.iterdir())


def test_mpmath_is_imported_only_for_accuracy(tmp_path):
    mods, out = loaded(["derive", "x*sigmoid(x)", "--at", "1"], tmp_path)
    assert "0.7310585786300049" in out
    assert not {"mpmath", "matplotlib", "scipy"} & mods
    mods, _ = loaded(["info", "x*sigmoid(x)"], tmp_path)
    assert not {"mpmath", "matplotlib", "scipy"} & mods
    mods, _ = loaded(["info", "exp(x)-1", "--accuracy"], tmp_path)
    assert "mpmath" in mods and "matplotlib" not in mods


def test_no_warning_when_the_exact_value_is_beyond_float32(actviz_cli):
    # x⁶ for x ≥ 2.6e6: the exact value overflows float32, so the program's inf is right there
    # (no "overflow encountered in cast" warning on the way, and no error for that inf).
    result = actviz_cli("info", "x*x*x*x*x*x", "--accuracy", "-f", "json")
    assert result.err == ""
    doc = json.loads(result.out)
    far = next(r for r in doc["regions"] if r["region"] == "x ≥ 40")
    assert far[WRITTEN32]["max_ulp"] <= 2.5 and far[WRITTEN32]["median_ulp"] == 0  # 5 roundings at most


def test_errors_equal_an_independent_mpmath_reading():
    # x³/(1+x²): subnormal results at tiny x, overflow of x³ far out; the report's errors are
    # abs(y − v)/ulp(v) with v from mpmath (this test's own formula) and ulp of v's float64 binade.
    import mpmath as mp

    from actviz.check.reference import round_mpf

    act = from_text("x**3/(1+x**2)")
    report = measure(act)
    x = report.x
    with np.errstate(all="ignore"):
        written = x**3 / (1 + x**2)
    fast = act(x)
    pick = np.unique(np.concatenate([np.flatnonzero(np.abs(x) < 1e-3),
                                     np.random.default_rng(1).choice(x.size, 40, replace=False)]))
    with mp.workdps(80):
        for i in pick.tolist():
            v = mp.mpf(x[i]) ** 3 / (1 + mp.mpf(x[i]) ** 2)
            hi = round_mpf(v, mp.mp)
            e = -1022 if abs(hi) < 2.0**-1022 else min(math.frexp(abs(hi))[1] - 1, 1023)
            for program, y in ((WRITTEN64, written), (ACTVIZ, fast)):
                got = float(y[i])
                want = (0.0 if got == hi else math.inf) if not math.isfinite(got) else \
                    float(abs(mp.mpf(got) - v) / mp.ldexp(1, e - 52))
                assert report.ulps[program][i] == pytest.approx(want, rel=1e-9, abs=1e-12), (x[i], program)
