"""The tokeniser keeps code-point offsets exact for every kind of character the corpus may hold."""

from __future__ import annotations

import pytest

from newsbench.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The United States launched", ["The", "United", "States", "launched"]),
        ("U.S. troops", ["U.S.", "troops"]),
        ("Iraq’s forces", ["Iraq", "’s", "forces"]),
        ("Iran-backed", ["Iran", "-", "backed"]),
        ("roughly 2,500 troops", ["roughly", "2,500", "troops"]),
        ("“unite efforts.”", ["“", "unite", "efforts", ".", "”"]),
        ("we’ve seen", ["we’ve", "seen"]),
        ("e\u0301te\u0301 ok", ["e\u0301te\u0301", "ok"]),
        ("hi 😀 there", ["hi", "😀", "there"]),
        ("one\r\ntwo", ["one", "two"]),
    ],
)
def test_tokens_split_as_documented(text: str, expected: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == expected


@pytest.mark.parametrize("text", ["a 😀 b\r\nc e\u0301 “d” U.S.", "", "   ", "Iraq’s 2,500-strong 🇮🇶 force"])
def test_token_offsets_index_the_text_by_code_point(text: str) -> None:
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text
