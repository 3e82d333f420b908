"""Placing returned strings in the text: exact, then normalised, then fuzzy, always in code points."""

from __future__ import annotations

import pytest

from newsbench.baselines.locate import align, find_all, normalise

TEXT = (
    "Iranian officials met in Iran.\r\n\r\n“It’s over,” said Jose\u0301 Ruiz 🙂 in Tehran — and Iran agreed."
)
# Hand-counted offsets: "Iranian" 0-7, "Iran" 25-29, CRLF CRLF 30-34, “ 34, "It’s over," 35-45, ” 45,
# "said" 47-51, "José" 52-57 (e + U+0301), "Ruiz" 58-62, 🙂 63, "Tehran" 68-74, "—" 75, "Iran" 81-85.


@pytest.mark.parametrize(
    ("needle", "occurrence", "span"),
    [
        ("Iran", None, (25, 29)),  # whole word first: not the start of "Iranian"
        ("Iran", 1, (25, 29)),
        ("Iran", 2, (81, 85)),
        ("Iran", 7, (81, 85)),  # counted past the end: the last one
        ("Iranian", None, (0, 7)),
        ("  said  ", None, (47, 51)),  # surrounding whitespace ignored
        ("Ruiz 🙂 in", None, (58, 67)),  # an astral character is one code point
        ("ian", None, (4, 7)),  # no whole-word match: inside a word will do
    ],
)
def test_exact_matches_count_occurrences_of_whole_words(
    needle: str, occurrence: int | None, span: tuple[int, int]
) -> None:
    found = align(TEXT, needle, occurrence)
    assert found is not None and (found.start, found.end, found.method) == (*span, "exact")


@pytest.mark.parametrize(
    ("needle", "span", "covered"),
    [
        ("It's over,", (35, 45), "It’s over,"),  # straight apostrophe for a curly one
        ('"It\'s over," said', (34, 51), "“It’s over,” said"),  # straight quotation marks for curly ones
        ('met in Iran. "It', (18, 37), "met in Iran.\r\n\r\n“It"),  # a CRLF paragraph break as one space
        ("José Ruiz", (52, 62), "Jose\u0301 Ruiz"),  # precomposed for decomposed: the mark is kept
        ("Jose Ruiz", (52, 62), "Jose\u0301 Ruiz"),  # accent dropped altogether
        ("TEHRAN - and", (68, 80), "Tehran — and"),  # case and dash
    ],
)
def test_normalised_matches_map_back_to_the_original_code_points(
    needle: str, span: tuple[int, int], covered: str
) -> None:
    found = align(TEXT, needle)
    assert found is not None and (found.start, found.end, found.method) == (*span, "normalised")
    assert TEXT[found.start : found.end] == covered


@pytest.mark.parametrize(
    ("needle", "span"),
    [
        ("Iranian oficials met", (0, 21)),  # a letter missing
        ("said José Ruiz in Tehran", (47, 74)),  # the emoji left out
        ("It is over, said José", (35, 57)),  # a contraction expanded and the marks dropped
    ],
)
def test_fuzzy_matches_find_the_most_similar_stretch(needle: str, span: tuple[int, int]) -> None:
    found = align(TEXT, needle)
    assert found is not None and (found.start, found.end, found.method) == (*span, "fuzzy")
    assert 0.85 <= found.ratio < 1.0


@pytest.mark.parametrize(
    "needle",
    ["", "   ", "Baghdad", "officials in Baghdad rejected", "xy"],
)
def test_strings_that_are_not_in_the_text_are_not_placed(needle: str) -> None:
    assert align(TEXT, needle) is None


@pytest.mark.parametrize(
    ("near", "span"),
    [((30, 30), (25, 29)), ((70, 90), (81, 85)), ((0, 7), (25, 29))],
)
def test_without_an_occurrence_the_repeat_nearest_a_range_wins(
    near: tuple[int, int], span: tuple[int, int]
) -> None:
    found = align(TEXT, "Iran", near=near)
    assert found is not None and (found.start, found.end) == span


def test_the_min_ratio_is_the_fuzzy_threshold() -> None:
    assert align(TEXT, "Iranian oficials met", min_ratio=0.99) is None


@pytest.mark.parametrize(
    ("text", "folded", "starts"),
    [
        ("A  b\r\nc", "a b c", (0, 1, 3, 4, 6)),
        ("e\u0301x", "ex", (0, 2)),
        ("“Q”", '"q"', (0, 1, 2)),
        ("🙂–", "🙂-", (0, 1)),
    ],
)
def test_the_normalised_view_remembers_where_each_character_came_from(
    text: str, folded: str, starts: tuple[int, ...]
) -> None:
    norm = normalise(text)
    assert norm.text == folded
    assert norm.starts == starts
    assert norm.original(0, len(folded)) == (0, len(text))


def test_find_all_includes_overlapping_occurrences() -> None:
    assert find_all("aaaa", "aa") == [0, 1, 2]


def test_a_repeated_string_is_ambiguous_only_when_nothing_says_which_repeat() -> None:
    text = "Kim met Lee. Later Kim left."
    assert align(text, "Kim").ambiguous  # type: ignore[union-attr]
    assert not align(text, "Kim", 2).ambiguous  # type: ignore[union-attr]
    assert align(text, "Kim", 5).ambiguous  # type: ignore[union-attr]  # counted past the repeats
    assert not align(text, "Kim", near=(19, 27)).ambiguous  # type: ignore[union-attr]
    assert not align(text, "Lee").ambiguous  # type: ignore[union-attr]
