"""The formula language: grammar, canonical printing, limits, hostile input, and formulas used
wherever a catalog name is (CLI commands, actviz.get, user-defined names, completion)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actviz
from actviz.expr import printer
from actviz.expr import tree as t
from actviz.expr.errors import ExprError
from actviz.expr.parser import MAX_DEPTH, parse
from actviz.expr.resolve import is_formula
from tests.test_cli_behaviour import invoke


@pytest.fixture(autouse=True)
def no_user_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ACTVIZ_ACTIVATIONS", str(tmp_path / "none.toml"))


# --- grammar and printing ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "tree"), [
    ("-x**2", t.Neg(t.Bin("**", t.X(), t.Num(2.0, "2")))),
    ("2**-x", t.Bin("**", t.Num(2.0, "2"), t.Neg(t.X()))),
    ("x**2**3", t.Bin("**", t.X(), t.Bin("**", t.Num(2.0, "2"), t.Num(3.0, "3")))),
    ("x^2", t.Bin("**", t.X(), t.Num(2.0, "2"))),
    ("1 - x - x", t.Bin("-", t.Bin("-", t.Num(1.0, "1"), t.X()), t.X())),
    ("x/2/x", t.Bin("/", t.Bin("/", t.X(), t.Num(2.0, "2")), t.X())),
    ("x if x > 0 else 0.1*x", t.Where(t.Cmp(">", t.X(), t.Num(0.0, "0")), t.X(),
                                      t.Bin("*", t.Num(0.1, "0.1"), t.X()))),
    ("x − 1", t.Bin("-", t.X(), t.Num(1.0, "1"))),
    ("gelu(x)", t.Cat("gelu", t.X())),
    ("LeakyReLU(x, alpha=0.3)", t.Cat("leaky_relu", t.X(), (("alpha", 0.3),))),
    ("leaky_relu(x, 0.3)", t.Cat("leaky_relu", t.X(), (("alpha", 0.3),))),
    ("pi*x", t.Bin("*", t.Num(np.pi, "pi"), t.X())),
])
def test_precedence_and_names(text, tree):
    assert parse(text).tree == tree


def test_the_conditional_and_where_are_the_same():
    assert parse("x if x > 0 else 0.1*x").tree == parse("where(x > 0, x, 0.1*x)").tree


@pytest.mark.parametrize("text", ["x*sigmoid(1.702*x)", "x*(1+erf(x/sqrt(2)))/2", "-(-x)", "(-x)**2",
                                  "x - (x - 1)", "2**-x", "clip(x, -1, 1)", "abs(x)**3", "x**2**3",
                                  "(x**2)**3", "where(x <= 1, x, 1 - exp(-x))", "leaky_relu(x, alpha=0.3)",
                                  "gelu(x, approximate=true)", "1e-300*x", "-pi*x", "1/(x/2)"])
def test_canonical_text_parses_back_to_the_same_tree(text):
    tree = parse(text).tree
    assert parse(printer.text(tree)).tree == tree
    assert printer.unicode(tree) and printer.mathtext(tree)


def test_unicode_and_mathtext():
    tree = parse("x*sigmoid(1.702*x) + abs(x)**2 - sqrt(pi)").tree
    assert printer.unicode(tree) == "x·σ(1.702·x) + |x|² − √(π)"
    assert r"\sigma" in printer.mathtext(tree) and r"\sqrt{\pi}" in printer.mathtext(tree)


def test_mathtext_renders(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.mathtext import math_to_image

    for text in ("x*sigmoid(b*x); b=1", "where(x > 0, x, 0.2*x)", "x*(1+erf(x/sqrt(2)))/2",
                 "leaky_relu(x, alpha=0.3)", "1e-5*x**2"):
        math_to_image(f"${printer.mathtext(parse(text).tree)}$", tmp_path / "f.png")  # raises if invalid


@pytest.mark.parametrize(("spec", "formula"), [("x*sigmoid(x)", True), ("x", True), ("relu", False),
                                               ("leaky_relu:alpha=0.1", False), ("leaky-relu", False),
                                               ("x-1", True), ("relux", False), ("gelu(x)", True)])
def test_formula_or_name(spec, formula):
    assert is_formula(spec) is formula


# --- hostile input -------------------------------------------------------------------------------
HOSTILE = {
    "__import__('os').system('id')": ("'", "strings are not part"),
    "__import__(x)": ("_", "not allowed"),
    "x.__class__": (".", "no attribute access"),
    "(lambda: 1)()": (":", "no lambdas"),
    "lambda(x)": ("l", "keyword 'lambda'"),
    "[x for x in ()]": ("[", "no lists"),
    "9**9**9": ("*", "exponent too large"),
    "1e309*x": ("1", "beyond float64"),
    "1e-400*x": ("1", "too small"),
    "(" * 10_000 + "x" + ")" * 10_000: (None, "too long"),
    "(" * (MAX_DEPTH + 5) + "x" + ")" * (MAX_DEPTH + 5): ("(", "nested too deeply"),
    "x" * 1_000_000: (None, "too long"),
    "x*" * 500_000 + "x": (None, "too long"),
    "x\x00+1": ("?", "unexpected character '\\x00'"),
    "relux(x)": ("r", "did you mean 'relu'"),
    "x*sigmod(x)": ("s", "did you mean 'sigmoid'"),
    "x*y": ("y", "unknown name 'y'"),
    "exp(x": ("", "expected ')'"),
    "x +": ("", "ends too early"),
    "x*sigmoid(b*x); b=1; c=2": ("c", "not used"),
    "x; x=1": ("x", "cannot be a parameter"),
    "2x": ("x", "write 2*x"),
    "x if x else 1": ("e", "expected a comparison"),
    "x > 0": (">", "unexpected '>'"),
    "gelu + 1": ("g", "write gelu(x)"),
    "leaky_relu(x, beta=1)": ("b", "no parameter 'beta'"),
    "elu(x, alpha=-1)": ("-", "out of range"),
    "x**(2**x)": ("*", None),  # allowed: the exponent depends on x
}


@pytest.mark.parametrize("text", list(HOSTILE), ids=lambda s: repr(s[:30]))
def test_hostile_input_is_one_error_with_a_caret(text):
    under, message = HOSTILE[text]
    if message is None:
        parse(text)
        return
    with pytest.raises(ExprError) as info:
        parse(text)
    err = info.value
    assert message in str(err)
    shown, caret = err.caret_lines()
    col = caret.index("^")
    if under:
        assert shown[col] == under, (shown, caret)
    code, out, stderr = invoke(["derive", text, "--at", "1"])
    lines = stderr.splitlines()
    assert code == 2 and out == ""
    assert lines[-1].startswith("Error: ") and message in lines[-1] and "Traceback" not in stderr
    assert lines[:-1] == [shown, caret]  # the formula, the caret under the culprit, the Error line


def test_no_partial_output_for_a_bad_formula(tmp_path):
    code, _, _ = invoke(["plot", "x*foo(x)", "-o", str(tmp_path / "f.png")])
    assert code == 2 and not list(tmp_path.iterdir())


ALPHABET = list("x()+-*/^,;=<>.e12 abcdfgilmnoprstwhq_:[]'\"\\\x00")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40))
def test_any_text_parses_or_is_an_expr_error(text):
    try:
        parse(text)
    except ExprError as err:
        assert 0 <= err.pos <= len(text)
        assert len(err.caret_lines()) == 2


# --- everywhere a catalog name is accepted ----------------------------------------------------------
def test_get_returns_an_activation():
    act = actviz.get("x*sigmoid(1.702*x)")
    assert isinstance(act, actviz.Activation)
    assert float(act(0.0)) == 0.0 and float(act.grad(0.0)) == 0.5
    assert act.formula.text == "f(x) = x·σ(1.702·x)"


def test_derive_and_info_json():
    code, out, err = invoke(["derive", "max(x, 0.1*x)", "--at", "-1", "0", "2", "-f", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert [k["x"] for k in doc["kinks"]] == [0.0]
    assert (doc["kinks"][0]["left"], doc["kinks"][0]["right"]) == (0.1, 1.0)
    code, out, err = invoke(["info", "x*sigmoid(b*x); b=1.702", "-f", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert doc["params"][0]["name"] == "b" and doc["params"][0]["value"] == 1.702
    assert doc["spec"] == "x*sigmoid(b*x); b=1.702"


def test_derive_finds_the_saturation_regions_of_a_formula():
    import mpmath as mp

    code, out, err = invoke(["derive", "x*sigmoid(x)", "--at", "1", "-f", "json"])
    assert code == 0, err
    regions = json.loads(out)["saturation"]["regions"]

    def df(z):  # d/dx x·σ(x) = σ(x)·(1 + x·σ(−x)), in mpmath
        return (1 + z / (1 + mp.exp(z))) / (1 + mp.exp(-z))

    # f′ = −0.01 ends the vanishing left tail; around the minimum (−1.278) abs(f′) < 0.01 is flat
    edges = [float(mp.findroot(lambda z, c=c: df(z) - c, z0)) for c, z0 in
             ((-0.01, -6.3), (-0.01, -1.33), (0.01, -1.23))]
    assert [r["kind"] for r in regions] == ["vanishing", "flat"] and regions[0]["start"] is None
    got = [regions[0]["end"], regions[1]["start"], regions[1]["end"]]
    assert got == pytest.approx(edges, rel=1e-9)


def test_plot_and_flow(tmp_path):
    png = tmp_path / "f.png"
    code, _, err = invoke(["plot", "x*sigmoid(1.702*x)", "gelu", "--grad", "-o", str(png)])
    assert code == 0 and png.stat().st_size > 0, err
    code, out, err = invoke(["flow", "x*sigmoid(b*x); b=1.5", "--depth", "3", "--width", "8", "-f", "json"])
    assert code == 0, err
    assert json.loads(out)


def test_user_defined_names(tmp_path, monkeypatch):
    path = tmp_path / "activations.toml"
    path.write_text('# mine\n[activations]\nmygelu = "x*sigmoid(1.702*x)"\nbroken = "x*(("\n'
                    "scaled = 'x*sigmoid(b*x); b=2'\nrelu = \"x\"\nnot a line\n", encoding="utf-8")
    monkeypatch.setenv("ACTVIZ_ACTIVATIONS", str(path))
    code, out, err = invoke(["derive", "mygelu", "--at", "1", "-f", "json"])
    assert code == 0
    assert json.loads(out)["points"][0]["f"] == float(actviz.get("x*sigmoid(1.702*x)")(1.0))
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, err
    assert f"{path}:4" in warnings[0] and f"{path}:6" in warnings[1] and f"{path}:7" in warnings[2]
    assert float(actviz.get("scaled", b=1.0)(1.0)) == float(actviz.get("x*sigmoid(x)")(1.0))
    assert actviz.get("mygelu").label == "mygelu"
    code, out, _ = invoke(["derive", "scaled:b=3", "--at", "1", "-f", "json"])
    assert code == 0
    from actviz.cli.common import ACTIVATION

    names = [c.value for c in ACTIVATION.shell_complete(None, None, "myg")]
    assert names == ["mygelu"]


def test_user_names_in_info_and_in_suggestions(tmp_path, monkeypatch):
    path = tmp_path / "activations.toml"
    path.write_text('mygelu = "x*sigmoid(1.702*x)"\nleaky_relu2 = "max(x, 0.3*x)"\n', encoding="utf-8")
    monkeypatch.setenv("ACTVIZ_ACTIVATIONS", str(path))
    code, out, err = invoke(["info", "mygelu", "-f", "json"])
    assert code == 0 and json.loads(out)["function"] == "mygelu", err
    code, _, err = invoke(["info", "mygelux"])  # the user's own name is the closest: suggested first
    assert code == 2 and "did you mean 'mygelu' or 'gelu'" in err.splitlines()[-1]
    code, _, err = invoke(["derive", "leaky_relu:alpha=abc", "--at", "1"])  # not an unknown name
    assert code == 2 and err.splitlines()[-1] == "Error: parameter alpha must be a number, got 'abc'"


def test_the_default_user_file_is_in_the_config_folder(tmp_path, monkeypatch):
    # ~/.config/actviz/activations.toml, or $XDG_CONFIG_HOME/actviz/activations.toml when that is set
    for home, xdg in ((tmp_path / "home", None), (tmp_path / "home2", tmp_path / "xdg")):
        folder = (xdg or home / ".config") / "actviz"
        folder.mkdir(parents=True)
        (folder / "activations.toml").write_text(f'mine{home.name} = "2*x"\n', encoding="utf-8")
        monkeypatch.delenv("ACTVIZ_ACTIVATIONS", raising=False)
        monkeypatch.setenv("HOME", str(home))
        if xdg is None:
            monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
        code, out, err = invoke(["derive", f"mine{home.name}", "--at", "3", "-f", "json"])
        assert code == 0, err
        assert json.loads(out)["points"][0]["f"] == 6.0


def test_the_python_310_line_reader(monkeypatch):
    """On 3.10 (no tomllib) each line is read by a small reader of TOML basic and literal strings."""
    from actviz.expr import user

    monkeypatch.setattr(user.sys, "version_info", (3, 10, 0))
    assert user._read_line('quick = "x*sigmoid(1.702*x)"') == ("quick", "x*sigmoid(1.702*x)")
    assert user._read_line("lit = 'x*2'  # comment") == ("lit", "x*2")
    assert user._read_line(r'esc = "a\"b"') == ("esc", 'a"b')
    assert user._read_line('bad = "x" "y"') is None
    assert user._read_line("no quotes = x") is None


def test_the_expression_package_never_runs_user_text():
    """No eval/exec/compile/ast/pickle, SymPy or numexpr anywhere in actviz/expr (read as tokens,
    so a word in a docstring does not count; ``re.compile`` of our own patterns is an attribute)."""
    import io
    import tokenize
    from pathlib import Path

    import actviz.expr

    banned = {"eval", "exec", "compile", "ast", "literal_eval", "pickle", "sympy", "sympify", "numexpr",
              "__import__", "getattr", "importlib"}
    allowed_getattr = {"tree.py"}  # a node reads its own fields
    for path in Path(actviz.expr.__file__).parent.glob("*.py"):
        tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
        names = {tok.string for before, tok in zip(tokens, tokens[1:], strict=False)
                 if tok.type == tokenize.NAME and before.string != "."}  # re.compile is an attribute
        found = banned & names - ({"getattr"} if path.name in allowed_getattr else set())
        assert not found, (path.name, found)


def test_formula_legends_name_the_derivative():
    from actviz.scene import curve_label

    act = actviz.get("x*sigmoid(b*x); b=1.5")
    assert curve_label(act, 0) == "f = x·σ(b·x) (b=1.5)"
    assert curve_label(act, 1) == "f′ where f = x·σ(b·x) (b=1.5)"


def test_a_formula_kink_claims_no_framework_value():
    # torch.maximum and jnp.maximum split a tie (0.55 here): actviz cannot know how a user's
    # formula is written in each framework, so it claims no framework's autodiff value.
    import json

    from tests.conftest import run_cli

    kink = json.loads(run_cli("derive", "max(x, 0.1*x)", "--at", "0", "-f", "json").out)["kinks"][0]
    assert (kink["left"], kink["right"]) == (0.1, 1.0)
    assert set(kink["frameworks"].values()) == {None} and "no framework value is claimed" in kink["note"]
    table = run_cli("derive", "max(x, 0.1*x)", "--at", "0").out
    assert "no framework value is claimed" in " ".join(table.split())
    catalog = json.loads(run_cli("derive", "relu", "--at", "0", "-f", "json").out)["kinks"][0]
    assert set(catalog["frameworks"].values()) == {0.0}  # a catalog kink keeps its measured values
