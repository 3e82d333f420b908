"""Every verb's ``--help`` ends with examples that the real parser accepts; the top-level help lists the
exit statuses, which are the ones the command returns."""

from __future__ import annotations

import shlex

import pytest

from newsbench.cli import build_parser, main
from newsbench.commands.help import EXAMPLES, EXIT_CODES, SUMMARIES
from newsbench.commands.run import PARTIAL


@pytest.mark.parametrize("verb", list(SUMMARIES))
def test_every_verb_help_shows_examples_the_parser_accepts(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as shown:
        main([verb, "--help"])
    assert shown.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text
    assert EXAMPLES[verb]
    for example in EXAMPLES[verb]:
        assert f"  {example}\n" in text
        words = shlex.split(example)
        assert words[:2] == ["newsbench", verb]
        args = build_parser(words[1:]).parse_args(words[1:])  # SystemExit(2) if it does not parse
        assert args.verb == verb


def test_the_top_level_help_lists_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "exit status:" in text
    for code, meaning in EXIT_CODES.items():
        assert f"  {code:<4} {meaning}" in text
    assert PARTIAL == 3 and 3 in EXIT_CODES


def test_the_exit_statuses_are_the_ones_listed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["score", "--no-such-flag"])
    assert usage.value.code == 2
    assert main(["validate", "no-such-file.json"]) == 1
    assert main(["systems"]) == 0
    capsys.readouterr()
