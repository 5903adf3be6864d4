"""One vocabulary across commands: framework spellings (#18)."""

from __future__ import annotations

import importlib

import click
import pytest

from actviz.cli.main import COMMANDS


def _commands() -> dict[str, click.Command]:
    return {name: importlib.import_module(module).command for name, (module, _) in COMMANDS.items()}


def _framework_param(cmd: click.Command) -> click.Parameter | None:
    return next((p for p in cmd.params if "-F" in getattr(p, "opts", ())), None)


FRAMEWORK_SPELLINGS = {"torch": "pytorch", "pytorch": "pytorch", "PyTorch": "pytorch", "pt": "pytorch",
                       "tf": "tensorflow", "tensorflow": "tensorflow", "TF": "tensorflow",
                       "jax": "jax", "keras": "keras"}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_framework_aliases_work_wherever_minus_f_is_taken(command):
    param = _framework_param(_commands()[command])
    if param is None:
        pytest.skip(f"{command} has no -F")
    for spelling, canonical in FRAMEWORK_SPELLINGS.items():
        assert param.type.convert(spelling, param, None) == canonical
    with pytest.raises(click.BadParameter):
        param.type.convert("theano", param, None)


def test_every_command_that_names_a_framework_has_minus_f():
    have = {name for name, cmd in _commands().items() if _framework_param(cmd) is not None}
    assert {"list", "info", "plot", "derive", "flow", "train", "check", "recommend"} <= have


def test_json_shows_the_canonical_preset(actviz_cli):
    doc = actviz_cli("derive", "leaky_relu", "--at", "-1", "-F", "torch", "-f", "json").json
    assert doc["framework"] == "pytorch" and doc["params"] == {"alpha": 0.01}
    doc = actviz_cli("info", "selu", "--framework", "tf", "-f", "json").json
    assert doc["framework"] == "tensorflow"
    doc = actviz_cli("info", "leaky_relu", "-F", "keras-torch", "-f", "json").json
    assert doc["framework"] == "keras:torch"
    rows = actviz_cli("list", "-F", "torch", "-f", "json").json
    assert next(r for r in rows if r["name"] == "leaky_relu")["params"] == {"alpha": 0.01}
    err = actviz_cli("derive", "relu", "--at", "1", "-F", "theano", expect=2).err
    assert err.startswith("Error:") and len(err.strip().splitlines()) == 1


# --- one meaning per option letter and per long option -------------------------------------
# Every short option of every command, and what it stands for. A new option letter, or an old
# one given a second meaning, fails here: add it to this table (and to README) deliberately.
SHORT = {
    "-F": "--framework", "-f": "--format", "-t": "--threshold", "-n": "--points",
    "-o": "--output", "-p": "--plot", "-i": "--input", "-g": "--grad", "-T": "--terminal",
    "-l": "--labels", "-k": "--top", "-d": "--depth", "-w": "--width", "-b": "--batch",
    "-s": "--seed",
}

# Long options that mean the same in every command that has them: (what it is, metavar kind).
SHARED_LONG = {
    "--framework": "a framework preset", "--format": "output format", "--threshold": "|f′| limit",
    "--points": "how many points", "--plot": "a figure FILE", "--input": "a FILE or '-'",
    "--seed": "a random seed", "--depth": "hidden layers", "--width": "units per layer",
    "--batch": "batch size", "--init": "weight initialiser", "--xlim": "an x-range",
    "--order": "derivative order (1, 2)", "--grad2": "also f″",
}

# The spellings each command accepts for f″ (the other command's spelling is a hidden alias).
SECOND_DERIVATIVE = {"derive": ["--order", "2"], "plot": ["--grad2"]}


def _options(cmd: click.Command):
    return [p for p in cmd.params if isinstance(p, click.Option)]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_short_option_means_the_same_everywhere(command):
    for p in _options(_commands()[command]):
        longs = [o for o in p.opts if o.startswith("--")]
        for short in (o for o in p.opts if not o.startswith("--")):
            assert short in SHORT, f"{command} {short}: not in the vocabulary table"
            assert SHORT[short] in longs, f"{command} {short} is {longs}, elsewhere {SHORT[short]}"


def test_shared_long_options_keep_their_short_letter():
    """A long option with a letter in one command has that letter wherever it exists (-p for
    --plot in derive and info too), and no other."""
    letter = {long: short for short, long in SHORT.items()}
    for name, cmd in _commands().items():
        for p in _options(cmd):
            for long in (o for o in p.opts if o in letter and o in SHARED_LONG):
                shorts = [o for o in p.opts if not o.startswith("--")]
                assert shorts == [letter[long]], f"{name} {long}: {shorts}"


@pytest.mark.parametrize("old, new", [
    (["derive", "tanh", "--at", "1", "--grad2", "-f", "json"],
     ["derive", "tanh", "--at", "1", "--order", "2", "-f", "json"]),
])
def test_derive_accepts_plot_s_spelling_of_f_second(actviz_cli, old, new):
    a, b = actviz_cli(*old).json, actviz_cli(*new).json
    assert a == b and "d2f" in a["points"][0]


def test_plot_accepts_derive_s_order(actviz_cli, tmp_path):
    import numpy as np
    from PIL import Image

    one, two = tmp_path / "a.png", tmp_path / "b.png"
    actviz_cli("plot", "gelu", "--order", "2", "-o", str(one))
    actviz_cli("plot", "gelu", "--grad", "--grad2", "-o", str(two))
    assert np.array_equal(np.asarray(Image.open(one)), np.asarray(Image.open(two)))
    actviz_cli("plot", "gelu", "--order", "1", "-n", "200", "-o", str(one))
    actviz_cli("plot", "gelu", "--grad", "-n", "200", "-o", str(two))
    assert np.array_equal(np.asarray(Image.open(one)), np.asarray(Image.open(two)))


def test_retired_letters_are_usage_errors_not_other_options(actviz_cli):
    """softmax -T (now --temperature only), softmax -s (--sort), flow/train -i (--init) clashed
    with plot's -T, derive's -i and flow's -s."""
    assert "-T" in actviz_cli("softmax", "1", "2", "-T", "2", expect=2).err
    assert "-i" in actviz_cli("flow", "relu", "-i", "he", expect=2).err
    doc = actviz_cli("softmax", "1", "2", "--temperature", "2", "--sort", "-f", "json").json
    assert doc["temperature"] == 2.0


def _retired_cases() -> list[tuple[str, str, str]]:
    from actviz.cli.errors import RETIRED_LETTERS

    return [(cmd, short, long) for cmd, letters in RETIRED_LETTERS.items() for short, long in letters.items()]


@pytest.mark.parametrize(("command", "short", "long"), _retired_cases())
def test_a_retired_letter_names_its_long_option(command, short, long):
    from tests.conftest import run_cli

    cmd = _commands()[command]
    opts = {o for p in cmd.params for o in getattr(p, "opts", ())}
    assert long in opts and short not in opts  # the table says what the command really has
    args = {"softmax": [short, "2", "1", "2"], "flow": ["relu", short, "he"], "train": ["relu", short, "he"]}
    result = run_cli(command, *args[command], expect=2)
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and f"No such option '{short}'" in lines[0]
    assert f"{short} is now spelled {long}" in lines[0]


def test_an_unknown_letter_gets_no_retired_hint():
    from tests.conftest import run_cli

    assert "now spelled" not in run_cli("softmax", "-x", "1", expect=2).err
