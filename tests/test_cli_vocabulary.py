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
