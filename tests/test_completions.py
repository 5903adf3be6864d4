"""Shell completion: the committed scripts are current, and bash's real completion offers real words.

The bash tests source ``completions/actviz.bash`` in a real bash, set COMP_WORDS/COMP_CWORD as
bash does on TAB, call ``_actviz_completion`` and read COMPREPLY. The script asks the installed
``actviz`` for the words, so this runs the whole chain.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from actviz.catalog.frameworks import FRAMEWORKS
from actviz.catalog.registry import all_spellings
from actviz.cli.completions import FILES, script, stale

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "completions"
BIN = Path(sys.executable).parent  # the venv's bin: where the installed `actviz` lives
BASH = shutil.which("bash")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_ACTVIZ")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.parametrize("shell", sorted(FILES))
def test_committed_script_is_current(shell: str) -> None:
    committed = (FOLDER / FILES[shell]).read_text(encoding="utf-8")
    assert committed == script(shell), (
        f"completions/{FILES[shell]} is stale: run 'python -m actviz.cli.completions'"
    )


def test_stale_detects_a_changed_script(tmp_path: Path) -> None:
    for name in FILES.values():
        shutil.copy(FOLDER / name, tmp_path / name)
    assert stale(tmp_path) == []
    (tmp_path / FILES["zsh"]).write_text("# edited\n", encoding="utf-8")
    (tmp_path / FILES["fish"]).unlink()
    assert sorted(stale(tmp_path)) == sorted([FILES["zsh"], FILES["fish"]])


def test_generator_writes_what_the_cli_prints(tmp_path: Path) -> None:
    """`python -m actviz.cli.completions DIR` and `_ACTVIZ_COMPLETE=bash_source actviz` agree."""
    out = tmp_path / "c"
    gen = subprocess.run([sys.executable, "-m", "actviz.cli.completions", str(out)],
                         capture_output=True, text=True, env=_env(), cwd=tmp_path)
    assert gen.returncode == 0, gen.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES.values())
    env = _env() | {"_ACTVIZ_COMPLETE": "bash_source"}
    printed = subprocess.run(["actviz"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert printed.returncode == 0
    assert printed.stdout == (out / FILES["bash"]).read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "actviz.cli.completions", "--check", str(out)],
                           capture_output=True, text=True, env=_env(), cwd=tmp_path)
    assert check.returncode == 0, check.stderr


# Each case: the words typed so far (the last one is being completed) → words that must be offered
# (and, optionally, words that must not).
BASH_CASES: list[tuple[list[str], set[str], set[str]]] = [
    (["actviz", "plot", "leak"], {"leaky_relu", "leakyrelu"}, {"relu", "elu"}),
    (["actviz", "derive", "sig"], {"sigmoid"}, {"tanh"}),
    (["actviz", "info", "swi"], {"swish"}, set()),
    (["actviz", "flow", "relu", "g"], {"gelu"}, {"relu"}),
    (["actviz", "recommend", "--task", "mul"], {"multiclass", "multilabel"}, {"binary"}),
    (["actviz", "recommend", "--task", ""], {"binary", "multiclass", "multilabel", "regression"}, set()),
    (["actviz", "list", "--framework", "py"], {"pytorch"}, {"jax"}),
    (["actviz", "plot", "relu", "-F", ""], set(FRAMEWORKS), set()),
    (["actviz", "pl"], {"plot"}, {"list"}),
    (["actviz", ""], {"list", "info", "plot", "derive", "softmax", "recommend", "flow", "help"}, set()),
    (["actviz", "help", "rec"], {"recommend"}, set()),
    (["actviz", "derive", "relu", "--fo"], {"--format"}, {"--framework"}),
    (["actviz", "flow", "relu", "--init", "g"], {"glorot"}, {"he"}),
]


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_completion_offers_real_words() -> None:
    lines = [f"source {FOLDER / FILES['bash']}"]
    for words, _, _ in BASH_CASES:
        quoted = " ".join("'" + w + "'" for w in words)
        lines += [
            f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=()",
            "_actviz_completion actviz",
            'echo "@@ ${COMPREPLY[*]}"',
        ]
    result = subprocess.run([BASH, "-c", "\n".join(lines)], capture_output=True, text=True, env=_env())
    assert result.returncode == 0, result.stderr
    replies = [line[3:].split() for line in result.stdout.splitlines() if line.startswith("@@")]
    assert len(replies) == len(BASH_CASES), result.stdout + result.stderr
    for (words, wanted, unwanted), reply in zip(BASH_CASES, replies, strict=True):
        assert wanted <= set(reply), (words, reply)
        assert not unwanted & set(reply), (words, reply)
        assert all(r.startswith(words[-1]) for r in reply), (words, reply)


def test_every_spelling_is_offered_after_plot() -> None:
    """Names and aliases: the completion of '' after plot is the full list of spellings."""
    from click.shell_completion import ShellComplete

    from actviz.cli.main import cli

    comp = ShellComplete(cli, {}, "actviz", "_ACTVIZ_COMPLETE")
    offered = [c.value for c in comp.get_completions(["plot"], "")]
    assert sorted(offered) == sorted(all_spellings())
    assert {"leaky_relu", "lrelu", "swish", "silu", "gelu"} <= set(offered)


@pytest.mark.parametrize(
    "words",
    [
        ["plot", "relu", "-o"],
        ["plot", "relu", "--output"],
        ["derive", "relu", "--input"],
        ["derive", "relu", "-i"],
        ["softmax", "--input"],
        ["softmax", "1", "2", "--plot"],
        ["flow", "relu", "--plot"],
    ],
)
def test_file_options_complete_file_names(words: list[str]) -> None:
    """After -o/--input/--plot the shell is told to complete files (bash: `compopt -o default`)."""
    from click.shell_completion import BashComplete

    from actviz.cli.main import cli

    comp = BashComplete(cli, {}, "actviz", "_ACTVIZ_COMPLETE")
    items = comp.get_completions(words, "rel")
    assert [(item.type, item.value) for item in items] == [("file", "rel")]
    assert comp.format_completion(items[0]) == "file,rel"


def test_spelling_table_matches_the_catalog() -> None:
    """Completion reads the generated table, not the catalog (no NumPy per Tab): it must be current."""
    from actviz.catalog.spellings import SPELLINGS

    assert list(SPELLINGS) == all_spellings(), "stale table: run 'python -m actviz.catalog.spellings'"


@pytest.mark.parametrize("words", [["plot", "re"], ["info", "ge"], ["derive", "relu", "--for"],
                                   ["flow", "relu", "si"], ["recommend", "--task", "m"]])
def test_completion_imports_neither_numpy_nor_plotting(words: list[str]) -> None:
    probe = ("import sys\nfrom actviz.cli.main import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('HEAVY', [m for m in ('numpy', 'matplotlib', 'rich') if m in sys.modules])")
    env = _env() | {"_ACTVIZ_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(["actviz", *words]),
                    "COMP_CWORD": str(len(words))}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout, done.stdout
    assert len(done.stdout.splitlines()) > 1, done.stdout  # something was offered
