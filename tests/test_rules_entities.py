"""Nominal and pronoun mentions (extent per the guidelines, section 2.5) and the rules' coreference."""

from __future__ import annotations

import pytest

from newsbench.baselines.rules import RulesExtractor
from newsbench.model import Document


def _predict(text: str) -> Document:
    return RulesExtractor().extract(Document(id="e", text=text))


def _mentions(text: str, kind: str) -> list[tuple[str, str]]:
    return [(m.text, m.type) for m in _predict(text).mentions if m.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # quantifiers and numbers stay out; names, hyphen compounds and noun modifiers stay in
        (
            "Jets attacked several Syrian-aligned armed groups.",
            [("Jets", "VEH"), ("Syrian-aligned armed groups", "ORG")],
        ),
        ("He met the roughly 2,500 U.S. troops there.", [("U.S. troops", "PER")]),
        ("It warned Iran’s armed groups.", [("armed groups", "ORG")]),
        ("They died at a small base in Jordan.", [("small base", "FAC")]),
        ("These militias killed four members.", [("militias", "ORG"), ("members", "PER")]),
        ("A strike hit Hamas.", []),
    ],
)
def test_nominal_mentions_span_the_head_with_its_premodifiers(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _mentions(text, "NOM") == expected


def test_a_name_inside_a_nominal_is_its_own_nested_mention() -> None:
    pred = _predict("Officials said Syrian-aligned armed groups fled.")
    spans = [(m.text, m.type, m.kind) for m in pred.mentions]
    assert ("Syrian", "GPE", "NAM") in spans
    assert ("Syrian-aligned armed groups", "ORG", "NOM") in spans


def _entity_texts(pred: Document) -> list[list[str]]:
    by_id = pred.mention_index()
    return [[by_id[mid].text for mid in e.mentions] for e in pred.entities]


@pytest.mark.parametrize(
    ("text", "cluster"),
    [
        ("Later top Hezbollah commander Fuad Shukr died.", ["top Hezbollah commander", "Fuad Shukr"]),
        ("The Army spokesman Maj. Gen. Patrick Ryder spoke.", ["Army spokesman", "Patrick Ryder"]),
        ("Then Yehia Rasool, a spokesman for the army, spoke.", ["Yehia Rasool", "spokesman"]),
        ("Iraq said its forces were ready.", ["Iraq", "its"]),
        ("Iraq and the Iraqi people and Iraq again.", ["Iraq", "Iraqi", "Iraq"]),
    ],
)
def test_role_phrases_appositives_pronouns_and_demonyms_join_the_named_entity(
    text: str, cluster: list[str]
) -> None:
    assert cluster in _entity_texts(_predict(text))


def test_every_mention_is_in_exactly_one_entity_of_its_type() -> None:
    pred = _predict("Iraq said its forces and U.S. officials met in Baghdad on Tuesday; they left.")
    members = [mid for e in pred.entities for mid in e.mentions]
    assert sorted(members) == sorted(m.id for m in pred.mentions)
    types = {m.id: m.type for m in pred.mentions}
    assert all(types[mid] == e.type for e in pred.entities for mid in e.mentions)


@pytest.mark.parametrize(
    ("text", "pronoun", "etype"),
    [
        ("John Smith arrived and he spoke.", "he", "PER"),
        ("The PMF said our country is free.", "our", "ORG"),
        ("Nobody said anything, but they left.", "they", "ORG"),
    ],
)
def test_a_pronoun_takes_the_type_of_the_nearest_name_it_can_refer_to(
    text: str, pronoun: str, etype: str
) -> None:
    assert (pronoun, etype) in _mentions(text, "PRO")
