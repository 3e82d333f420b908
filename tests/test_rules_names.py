"""Names by capitalisation and gazetteers: extent (no determiner, title or possessive) and type."""

from __future__ import annotations

import pytest

from newsbench.baselines.rules.names import find_names
from newsbench.baselines.rules.times import find_times


def _names(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.type) for f in find_names(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # countries from pycountry, with aliases and demonyms from the data files
        ("The United States struck targets in Syria.", [("United States", "GPE"), ("Syria", "GPE")]),
        ("U.S. officials met Russian envoys.", [("U.S.", "GPE"), ("Russian", "GPE")]),
        ("They backed Syrian-aligned groups.", [("Syrian", "GPE")]),
        ("It hit Iran-backed militias.", [("Iran", "GPE")]),
        # provinces (pycountry subdivisions, accents folded) and cities; the classifier noun stays out
        ("Fighting spread in Babil province, south of Baghdad.", [("Babil", "GPE"), ("Baghdad", "GPE")]),
        # head words type names
        ("Ships crossed the Red Sea.", [("Red Sea", "LOC")]),
        ("He landed at Kennedy Airport.", [("Kennedy Airport", "FAC")]),
        (
            "The State Department and the Popular Mobilization Forces spoke.",
            [
                ("State Department", "ORG"),
                ("Popular Mobilization Forces", "ORG"),
            ],
        ),
        ("Shares of Acme Holdings rose.", [("Acme Holdings", "ORG")]),
        # known organisations and acronyms; possessive 's outside
        ("The BBC reported that Hezbollah’s leaders fled.", [("BBC", "ORG"), ("Hezbollah", "ORG")]),
        ("The PMF denied it.", [("PMF", "ORG")]),
        # persons: titles cut off, role words before a name, two-word names, surname alone later
        ("Maj. Gen. Patrick Ryder spoke first.", [("Patrick Ryder", "PER")]),
        ("The commander Fuad Shukr died.", [("Fuad Shukr", "PER")]),
        ("Yehia Rasool spoke. Later Rasool left.", [("Yehia Rasool", "PER"), ("Rasool", "PER")]),
        (
            "Iraqi Prime Minister Mohammed Shia al-Sudani said so.",
            [
                ("Iraqi", "GPE"),
                ("Mohammed Shia al-Sudani", "PER"),
            ],
        ),
        # words capitalised only by position are not names; nor are months, weekdays or banner lines
        ("Moreover, the talks failed. According to them, Such things happen.", []),
        ("In January and on Tuesday nothing happened.", []),
        ("CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER", []),
        # a lone unknown capitalised word is not guessed at
        ("Officials met at Zorblat yesterday.", []),
    ],
)
def test_names_are_found_with_their_type_and_extent(text: str, expected: list[tuple[str, str]]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "same_entity"),
    [
        ("Iraq said Iraqi forces were ready.", ["Iraq", "Iraqi"]),
        (
            "The Popular Mobilization Forces (PMF) said the PMF was ready.",
            ["Popular Mobilization Forces", "PMF", "PMF"],
        ),
        ("Yehia Rasool spoke. Later Rasool left.", ["Yehia Rasool", "Rasool"]),
        ("The U.S. and the United States and America.", ["U.S.", "United States", "America"]),
    ],
)
def test_names_of_one_entity_share_a_key(text: str, same_entity: list[str]) -> None:
    found = find_names(text)
    assert [text[f.start : f.end] for f in found] == same_entity
    assert len({f.key for f in found}) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("since February", [("February", "NAM")]),
        ("on Tuesday morning", [("Tuesday morning", "NAM")]),
        ("Last week, and after last week’s attack", [("Last week", "NOM"), ("last week", "NOM")]),
        ("since early February", [("early February", "NAM")]),
        ("Since Hamas’s Oct. 7 attack", [("Oct. 7", "NAM")]),
        ("by September and by next year", [("September", "NAM"), ("next year", "NOM")]),
        (
            "on February 3, 2024, in 1999 and yesterday",
            [("February 3, 2024", "NAM"), ("1999", "NAM"), ("yesterday", "NOM")],
        ),
        ("You may march on. It cost $2024 and 2,019 people.", []),
    ],
)
def test_time_expressions_by_pattern(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[f.start : f.end], f.kind) for f in find_times(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a gazetteer name wins over a title reading of its first word
        ("Shares of General Motors fell.", [("General Motors", "ORG")]),
        # "US" is a country, not the pronoun
        ("US officials met.", [("US", "GPE")]),
        # "of" joins a name only after a head word
        ("He joined the Bank of England.", [("Bank of England", "ORG")]),
        # an unknown word written mid-sentence twice is taken for an organisation
        ("Shares of Zorblat fell. Investors sold Zorblat.", [("Zorblat", "ORG"), ("Zorblat", "ORG")]),
    ],
)
def test_gazetteers_acronyms_and_repeated_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert _names(text) == expected
