"""Offset helpers shared by the formats: UTF-16 <-> code points, aligning tokens to a text, token runs."""

from __future__ import annotations

import pytest

from newsbench.formats.offsets import OffsetError, Utf16Map, align_tokens, join_tokens, runs

TEXT = "a😀b\r\ne\u0301"  # a, emoji (2 UTF-16 units), b, CR, LF, e + combining acute


@pytest.mark.parametrize(("code_point", "unit"), [(0, 0), (1, 1), (2, 3), (3, 4), (5, 6), (7, 8)])
def test_utf16_offsets_both_ways(code_point: int, unit: int) -> None:
    umap = Utf16Map.of(TEXT)
    assert umap.to_utf16(code_point) == unit
    assert umap.to_code_points(unit) == code_point


def test_an_offset_inside_a_surrogate_pair_is_an_error() -> None:
    with pytest.raises(OffsetError, match="inside a character"):
        Utf16Map.of(TEXT).to_code_points(2)


@pytest.mark.parametrize(
    ("text", "tokens", "offsets"),
    [
        ("Hi  there.", ["Hi", "there", "."], [(0, 2), (4, 9), (9, 10)]),
        ("A\r\nB😀 C", ["A", "B", "😀", "C"], [(0, 1), (3, 4), (4, 5), (6, 7)]),
        ("Cafe\u0301 ok", ["Cafe\u0301", "ok"], [(0, 5), (6, 8)]),
    ],
)
def test_tokens_align_to_the_text_skipping_only_whitespace(
    text: str, tokens: list[str], offsets: list[tuple[int, int]]
) -> None:
    assert align_tokens(text, tokens) == offsets


def test_a_token_missing_from_the_text_is_an_error() -> None:
    with pytest.raises(OffsetError, match="token 2 'b' not found at offset 1"):
        align_tokens("a-b", ["a", "b"])


def test_join_tokens_follows_the_spacing_rule() -> None:
    text, offsets = join_tokens(
        [["He", "said", "(", "no", ")", "."], ["OK"]], frozenset({")", "."}), frozenset({"("})
    )
    assert text == "He said (no).\nOK"
    assert offsets == [[(0, 2), (3, 7), (8, 9), (9, 11), (11, 12), (12, 13)], [(14, 16)]]


def test_token_runs_make_one_span_per_run() -> None:
    offsets = [(0, 2), (3, 5), (6, 8), (9, 11)]
    assert runs(offsets, [3, 0, 1]) == [(0, 5), (9, 11)]
