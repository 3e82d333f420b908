"""The rules' data files agree with the ontology and pycountry, and the text segmentation they rely on."""

from __future__ import annotations

import pycountry
import pytest

from newsbench.baselines.rules.lexicon import fold, lexicon, load_data
from newsbench.baselines.rules.segments import all_sentences, paragraphs
from newsbench.ontology import ontology


def test_every_trigger_names_an_ontology_event_type() -> None:
    assert set(lexicon().triggers.values()) <= set(ontology().event_types)


def test_every_role_in_the_data_is_an_ontology_role_with_ontology_types() -> None:
    lex, onto = lexicon(), ontology()
    assert set(lex.role_types) <= set(onto.roles)
    assert {t for types in lex.role_types.values() for t in types} <= set(onto.entity_types)
    assert set(lex.role_prepositions) | lex.subject_roles | lex.either_side_roles <= set(onto.roles)


def test_nominals_and_pronouns_are_typed_with_ontology_types() -> None:
    lex = lexicon()
    types = set(ontology().entity_types)
    assert set(lex.nominals.values()) <= types
    assert {t for ts in lex.pronouns.values() for t in ts} <= types


@pytest.mark.parametrize("file", ["demonyms.json", "countries.json"])
def test_country_codes_in_the_data_are_iso_codes_pycountry_knows(file: str) -> None:
    data = load_data(file)
    tables = [data["adjectives"], data["people"]] if file == "demonyms.json" else [data["aliases"]]
    codes = {code for table in tables for code in table}
    assert {c for c in codes if pycountry.countries.get(alpha_2=c) is None} == set()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Iraq", "IQ"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("U.S.", "US"),
        ("United States", "US"),
        ("Russia", "RU"),
    ],
)
def test_country_names_come_from_pycountry_and_the_alias_file(name: str, code: str) -> None:
    assert lexicon().countries[name] == code


@pytest.mark.parametrize(
    ("raw", "folded"), [("Bābil", "Babil"), ("Karbalā’", "Karbala'"), ("Şalāḩ", "Salah")]
)
def test_folding_strips_accents_so_gazetteer_spellings_match_news(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!", ["One.", "Two!"]),
        ("Maj. Gen. Patrick Ryder spoke. He left.", ["Maj. Gen. Patrick Ryder spoke.", "He left."]),
        (
            "Since Oct. 7 the U.S. Army waited. Then it left.",
            ["Since Oct. 7 the U.S. Army waited.", "Then it left."],
        ),
        ("“It is over.” He left.", ["“It is over.”", "He left."]),
        ("John F. Kennedy won. 😀 Done.", ["John F. Kennedy won. 😀 Done."]),
        ("First.\r\nSecond line.\n\nThird", ["First.", "Second line.", "Third"]),
    ],
)
def test_sentences_split_at_ends_but_not_after_abbreviations(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in all_sentences(text, lexicon())] == expected


def test_paragraphs_are_lines_without_their_breaks_or_padding() -> None:
    text = "  One. \r\nTwo\n\n\tThree\r"
    assert [text[p.start : p.end] for p in paragraphs(text)] == ["One.", "Two", "Three"]
