"""The ``spacy`` adapter without a model download: a blank pipeline with an entity ruler for names, and
hand-built parses (``Doc(words=…, heads=…, deps=…)``) for dependency-based quote attribution."""

from __future__ import annotations

from typing import Any

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc  # noqa: E402

from newsbench.baselines import spacy_adapter  # noqa: E402
from newsbench.baselines.spacy_adapter import SpacyExtractor, cluster, ner_mentions  # noqa: E402
from newsbench.baselines.spacy_quotes import attribute, governing_verb  # noqa: E402
from newsbench.model import Document, Quote  # noqa: E402
from newsbench.spans import Span  # noqa: E402
from newsbench.typemap import load_type_map, types  # noqa: E402
from newsbench.validate import validate_data  # noqa: E402

ONTONOTES = [
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
]

TEXT = (
    "Ana Silva met Jose\u0301 Ramos 🙂 at the United Nations on Monday.\r\n"
    "Three Iraqi and two Muslim leaders came from Lisbon; Silva left."
)
# Hand-counted: "José" is five code points (e + U+0301), the emoji one, CRLF two.
PATTERNS = [
    ("PERSON", "Ana Silva"),
    ("PERSON", "Jose\u0301 Ramos"),
    ("PERSON", "Silva"),
    ("ORG", "the United Nations"),
    ("DATE", "Monday"),
    ("CARDINAL", "Three"),
    ("CARDINAL", "two"),
    ("NORP", "Iraqi"),
    ("NORP", "Muslim"),
    ("GPE", "Lisbon"),
]


@pytest.fixture(scope="module")
def ruler_nlp() -> Any:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": pattern} for label, pattern in PATTERNS])
    return nlp


def system(nlp: Any) -> SpacyExtractor:
    return SpacyExtractor(nlp=nlp)


def test_ontonotes_labels_map_onto_our_types_at_code_point_offsets(ruler_nlp: Any) -> None:
    pred = system(ruler_nlp).extract(Document(id="d1", text=TEXT))
    assert validate_data(pred.to_json(), "prediction") == []
    assert [(m.start, m.end, m.type, m.kind) for m in pred.mentions] == [
        (0, 9, "PER", "NAM"),
        (14, 25, "PER", "NAM"),  # José Ramos, decomposed accent inside
        (35, 49, "ORG", "NAM"),  # "the" left out of the name span
        (53, 59, "TIME", "NAM"),  # DATE
        (68, 73, "GPE", "NAM"),  # NORP that is a nationality; "Muslim" (NORP) and the CARDINALs are dropped
        (107, 113, "GPE", "NAM"),
        (115, 120, "PER", "NAM"),
    ]
    assert all(TEXT[m.start : m.end] == m.text for m in pred.mentions)


def test_a_one_word_name_joins_the_earlier_person_it_ends(ruler_nlp: Any) -> None:
    mentions = ner_mentions(ruler_nlp(TEXT))
    silva = next(e for e in cluster(mentions) if e.name == "Ana Silva")
    by_id = {m.id: m for m in mentions}
    assert [by_id[m].start for m in silva.mentions] == [0, 115]


def test_the_map_accounts_for_every_ontonotes_label_once() -> None:
    raw = load_type_map(spacy_adapter.LABEL_MAP)
    listed = [*types(raw), *types(raw, "demonym_types")]
    assert sorted(listed) == sorted(ONTONOTES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iraqis and Britons protested.", ["GPE", "GPE"]),
        ("Muslims and Republicans protested.", []),
    ],
)
def test_norp_becomes_gpe_only_for_nationality_words(text: str, expected: list[str]) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "NORP", "pattern": w} for w in ("Iraqis", "Britons", "Muslims", "Republicans")]
    )
    assert [m.type for m in ner_mentions(nlp(text))] == expected


def test_without_a_parser_quotes_are_attributed_by_proximity(ruler_nlp: Any) -> None:
    text = "“We will rebuild the port,” Ana Silva said on Monday."
    pred = system(ruler_nlp).extract(Document(id="d2", text=text))
    assert validate_data(pred.to_json(), "prediction") == []
    (quote,) = pred.quotes
    assert (quote.type, quote.content[0].start, quote.content[0].end) == ("direct", 1, 26)
    assert quote.cue is not None and (quote.cue.start, quote.cue.end) == (38, 42)
    assert quote.speaker is not None and pred.mention_index()[quote.speaker].text == "Ana Silva"


def parsed(nlp: Any, rows: list[tuple[str, bool, int, str, str, str]]) -> Doc:
    """A Doc from (word, space after, head index, dependency, part of speech, entity IOB) rows."""
    words, spaces, heads, deps, pos, ents = zip(*rows, strict=True)
    return Doc(
        nlp.vocab,
        words=list(words),
        spaces=list(spaces),
        heads=list(heads),
        deps=list(deps),
        pos=list(pos),
        ents=list(ents),
    )


# Ramos met Ana Silva . “ We will win , ” she said .
MET_THEN_QUOTE = [
    ("Ramos", True, 1, "nsubj", "PROPN", "B-PERSON"),
    ("met", True, 1, "ROOT", "VERB", "O"),
    ("Ana", True, 3, "compound", "PROPN", "B-PERSON"),
    ("Silva", False, 1, "dobj", "PROPN", "I-PERSON"),
    (".", True, 1, "punct", "PUNCT", "O"),
    ("“", False, 8, "punct", "PUNCT", "O"),
    ("We", True, 8, "nsubj", "PRON", "O"),
    ("will", True, 8, "aux", "AUX", "O"),
    ("win", False, 12, "ccomp", "VERB", "O"),
    (",", False, 8, "punct", "PUNCT", "O"),
    ("”", True, 8, "punct", "PUNCT", "O"),
    ("she", True, 12, "nsubj", "PRON", "O"),
    ("said", False, 12, "ROOT", "VERB", "O"),
    (".", False, 12, "punct", "PUNCT", "O"),
]
# The same words parsed the other common way: the quote's verb is the root, "said" hangs off it as parataxis.
PARATAXIS = [
    *MET_THEN_QUOTE[:8],
    ("win", False, 8, "ROOT", "VERB", "O"),
    (",", False, 8, "punct", "PUNCT", "O"),
    ("”", True, 8, "punct", "PUNCT", "O"),
    ("she", True, 12, "nsubj", "PRON", "O"),
    ("said", False, 8, "parataxis", "VERB", "O"),
    (".", False, 8, "punct", "PUNCT", "O"),
]
# Silva told reporters that the port would reopen .
INDIRECT = [
    ("Silva", True, 1, "nsubj", "PROPN", "B-PERSON"),
    ("told", True, 1, "ROOT", "VERB", "O"),
    ("reporters", True, 1, "dobj", "NOUN", "O"),
    ("that", True, 7, "mark", "SCONJ", "O"),
    ("the", True, 5, "det", "DET", "O"),
    ("port", True, 7, "nsubj", "NOUN", "O"),
    ("would", True, 7, "aux", "AUX", "O"),
    ("reopen", False, 1, "ccomp", "VERB", "O"),
    (".", False, 1, "punct", "PUNCT", "O"),
]
# The “ peace plan ” failed .
SCARE_QUOTE = [
    ("The", True, 3, "det", "DET", "O"),
    ("“", False, 3, "punct", "PUNCT", "O"),
    ("peace", True, 3, "compound", "NOUN", "O"),
    ("plan", False, 5, "nsubj", "NOUN", "O"),
    ("”", True, 3, "punct", "PUNCT", "O"),
    ("failed", False, 5, "ROOT", "VERB", "O"),
    (".", False, 5, "punct", "PUNCT", "O"),
]


@pytest.mark.parametrize(
    ("rows", "content", "cue"),
    [
        (MET_THEN_QUOTE, (22, 33), (40, 44)),  # up the head chain: win -ccomp-> said
        (PARATAXIS, (22, 33), (40, 44)),  # among the quote root's dependents
        (INDIRECT, (27, 48), (6, 10)),  # an indirect quote's clause: reopen -ccomp-> told
        (SCARE_QUOTE, (5, 15), None),  # no reporting verb governs a scare quote
    ],
)
def test_the_reporting_verb_is_found_in_the_parse(
    rows: list[Any], content: tuple[int, int], cue: tuple[int, int] | None
) -> None:
    doc = parsed(spacy.blank("en"), rows)
    verb = governing_verb(doc, [Span.of(doc.text, *content)])
    assert (None if verb is None else (verb.idx, verb.idx + len(verb.text))) == cue


@pytest.mark.parametrize("rows", [MET_THEN_QUOTE, PARATAXIS])
def test_a_pronoun_subject_speaks_for_the_nearest_person_before_it(rows: list[Any]) -> None:
    nlp = spacy.blank("en")
    doc = parsed(nlp, rows)
    pred = SpacyExtractor(nlp=nlp).from_spacy(Document(id="d3", text=doc.text), doc)
    assert validate_data(pred.to_json(), "prediction") == []
    (quote,) = pred.quotes
    assert quote.content[0].text == "We will win,"
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.speaker is not None and pred.mention_index()[quote.speaker].text == "Ana Silva"


def test_the_parse_overrides_a_proximity_answer() -> None:
    doc = parsed(spacy.blank("en"), INDIRECT)
    mention = ner_mentions(doc)[0]
    guess = Quote("q1", "indirect", (Span.of(doc.text, 27, 48),), cue=None, speaker=None)
    (quote,) = attribute(doc, [guess], [mention])
    assert quote.cue == Span.of(doc.text, 6, 10)
    assert quote.speaker == mention.id


def test_a_quote_no_verb_governs_keeps_its_proximity_answer() -> None:
    doc = parsed(spacy.blank("en"), SCARE_QUOTE)
    guess = Quote("q1", "mixed", (Span.of(doc.text, 5, 15),), cue=None, speaker=None)
    assert attribute(doc, [guess], []) == [guess]


def test_the_pipeline_version_is_part_of_the_config(ruler_nlp: Any) -> None:
    config = system(ruler_nlp).config
    assert (config["pipeline"], config["pipeline_version"]) == ("en_pipeline", "0.0.0")


def test_a_missing_pipeline_is_unavailable_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy_adapter, "pipeline_installed", lambda name: False)
    status = SpacyExtractor.availability()
    assert not status.available
    assert (
        status.reason == "no spaCy pipeline en_core_web_sm installed: python -m spacy download en_core_web_sm"
    )
    with pytest.raises(ValueError, match="python -m spacy download xx_missing_pipeline"):
        SpacyExtractor(pipeline="xx_missing_pipeline")
