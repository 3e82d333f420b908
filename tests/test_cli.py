"""The command line turns every kind of bad input or environment into one line and exit 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

from newsbench.cli import main
from newsbench.commands.help import SUMMARIES
from newsbench.problems import Problem


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("a.json", "d1", "$.mentions[0]", "bad"), "a.json: document d1: $.mentions[0]: bad"),
        (Problem("a.json", None, "$", "the file is empty"), "a.json: the file is empty"),
        (Problem("-", None, "$", "--jobs must be positive"), "--jobs must be positive"),
        (
            Problem("suite.toml", None, "$.options.seed", "must be an integer"),
            "suite.toml: $.options.seed: must be an integer",
        ),
    ],
)
def test_problems_print_only_the_parts_they_have(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_an_output_folder_that_cannot_be_made_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    status = main(["score", "--gold", str(CORPUS), "--pred", str(CORPUS), "--out", str(blocker / "sub")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("error: ")
    assert "Traceback" not in err


def test_a_closed_pipe_ends_quietly() -> None:
    script = f"import sys; from newsbench.cli import main; sys.exit(main(['stats', {str(CORPUS)!r}]))"
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err


@pytest.mark.parametrize("verb", SUMMARIES)
def test_every_verb_help_is_plain_text_and_shows_option_defaults(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([verb, "--help"])
    assert stopped.value.code == 0
    shown = capsys.readouterr().out
    assert "``" not in shown
    for option in ("--partial", "--args", "--seed", "--bootstrap"):
        if f"{option} " in shown:
            assert "default:" in shown.split(f"  {option}", 1)[1].split("\n  -", 1)[0], option
