"""The seed gold document is valid, verbatim, complete in every layer, and stays inside its own rules.

The expectations below come from ``corpus/GUIDELINES.md``: the worked examples there are checked against
the stored annotation, so the guidelines and the gold cannot drift apart silently.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from conftest import CORPUS, SEED

from newsbench.cli import main
from newsbench.corpus import load_corpus
from newsbench.model import Document, Event
from newsbench.ontology import ontology
from newsbench.spans import Span
from newsbench.validate import validate_data

DOC_ID = "000_e5ff7c9162f697fe"
DOC_FILE = CORPUS / "documents" / f"{DOC_ID}.json"
BOILERPLATE = "CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DOC_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def doc() -> Document:
    return load_corpus(CORPUS).documents[DOC_ID]


def _annotated_spans(doc: Document) -> list[tuple[str, Span]]:
    """Every annotated span with a label saying where it sits; ignore regions are not annotation."""
    out = [(f"mention {m.id}", s) for m in doc.mentions for s in m.spans]
    out += [(f"trigger {e.id}", e.trigger) for e in doc.events]
    out += [(f"content {q.id}", s) for q in doc.quotes for s in q.content]
    out += [(f"cue {q.id}", q.cue) for q in doc.quotes if q.cue is not None]
    return out


def test_seed_document_passes_validation(raw: dict[str, Any]) -> None:
    assert validate_data(raw, str(DOC_FILE)) == []


def test_corpus_loads_with_the_seed_in_the_test_split() -> None:
    assert load_corpus(CORPUS).splits[DOC_ID] == "test"


def test_validate_command_accepts_the_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(CORPUS)]) == 0
    assert "error" not in capsys.readouterr().err


def test_text_is_byte_identical_to_the_seed(doc: Document) -> None:
    assert doc.text.encode("utf-8") == SEED.read_bytes()


def test_manifest_hash_matches_the_document_file() -> None:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [e for e in manifest["documents"] if e["id"] == DOC_ID]
    assert entry["split"] == "test"
    assert entry["sha256"] == hashlib.sha256((CORPUS / entry["file"]).read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ontology().mention_kinds)
def test_every_mention_kind_is_present(doc: Document, kind: str) -> None:
    assert any(m.kind == kind for m in doc.mentions)


@pytest.mark.parametrize("quote_type", ontology().quote_types)
def test_every_quote_type_is_present(doc: Document, quote_type: str) -> None:
    assert any(q.type == quote_type for q in doc.quotes)


def _events() -> tuple[Event, ...]:
    return load_corpus(CORPUS).documents[DOC_ID].events


@pytest.mark.parametrize("event", _events(), ids=lambda e: f"{e.id}-{e.type}-{e.trigger.text}")
def test_event_arguments_use_roles_allowed_for_the_type(event: Event) -> None:
    allowed = ontology().event_roles[event.type]
    assert [a.role for a in event.arguments if a.role not in allowed] == []


@pytest.mark.parametrize("event", _events(), ids=lambda e: f"{e.id}-{e.type}-{e.trigger.text}")
def test_event_carries_all_four_attributes(event: Event) -> None:
    assert None not in (event.polarity, event.modality, event.genericity, event.tense)


def test_boilerplate_line_is_the_only_ignore_region(doc: Document) -> None:
    start = doc.text.index(BOILERPLATE)
    assert doc.ignore == (Span(start, start + len(BOILERPLATE), BOILERPLATE),)


@pytest.mark.parametrize("layer", ["mention", "trigger", "content", "cue"])
def test_nothing_is_annotated_inside_the_ignore_region(doc: Document, layer: str) -> None:
    inside = [
        where
        for where, span in _annotated_spans(doc)
        if where.startswith(layer) and any(span.overlaps(region) for region in doc.ignore)
    ]
    assert inside == []


def test_every_mention_is_in_exactly_one_entity(doc: Document) -> None:
    members = [mid for e in doc.entities for mid in e.mentions]
    assert sorted(members) == sorted(m.id for m in doc.mentions)


# (text, occurrence in the document, type, kind): worked examples from GUIDELINES.md sections 2 and 3.
GUIDELINE_MENTIONS = [
    ("United States", 0, "GPE", "NAM"),  # 2.3: no determiner
    ("Babil", 0, "GPE", "NAM"),  # 2.3: lower-case "province" outside
    ("Iranian", 0, "GPE", "NAM"),  # 2.4: demonym inside "Iranian-backed"
    ("Iranian-aligned militia groups", 0, "ORG", "NOM"),  # 2.5: quantifier "several" outside
    ("others", 0, "PER", "NOM"),  # 2.5: elliptical nominal
    ("region", 0, "LOC", "NOM"),  # 2.5: "the entire" outside
    ("armed forces commander", 0, "PER", "NOM"),  # 2.5: possessor "Iraq's" outside
    ("its", 0, "GPE", "PRO"),  # 2.6
    ("Patrick Ryder", 0, "PER", "NAM"),  # 2.8: rank "Maj. Gen." outside
    ("Pentagon spokesman", 0, "PER", "NOM"),  # 2.8: role phrase before a name
    ("PMF", 0, "ORG", "NAM"),  # 2.3: parenthesised acronym
    ("the past", 0, "TIME", "NOM"),  # 3.1: TIME keeps its determiner
    ("early February", 0, "TIME", "NAM"),  # 3.2: calendar name makes it NAM
    ("Last week", 0, "TIME", "NOM"),  # 3.2
]


@pytest.mark.parametrize(("text", "occurrence", "type_", "kind"), GUIDELINE_MENTIONS)
def test_guideline_examples_are_annotated_as_stated(
    doc: Document, text: str, occurrence: int, type_: str, kind: str
) -> None:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(text, start + 1)
    found = [(m.type, m.kind) for m in doc.mentions if m.spans == (Span(start, start + len(text), text),)]
    assert found == [(type_, kind)]


# Strings the guidelines say are never mentions (2.6, 2.7, 2.8).
NOT_MENTIONS = [
    "which",
    "They",
    "Maj. Gen.",
    "Babil province",
    "drone",
    "WASHINGTON EXAMINER",
    "the United States",
]


@pytest.mark.parametrize("text", NOT_MENTIONS)
def test_guideline_non_mentions_are_not_annotated(doc: Document, text: str) -> None:
    assert [m.id for m in doc.mentions if m.text == text] == []


# (cue text, quote type, speaker mention text, content without quotation marks starts with)
GUIDELINE_QUOTES = [
    ("According to", "indirect", "Iraqi officials", "U.S. fighter jets struck"),
    ("called on", "mixed", "PMF", "unite efforts"),
    ("told", "indirect", "U.S. officials", "American forces carried out"),
    ("condemned", "mixed", "Yehia Rasool", "reckless and irresponsible"),
    ("said", "direct", "Rasool", "Such serious"),
    (None, "direct", "Rasool", "They also risk"),
    ("confirmed", "indirect", "Patrick Ryder", "these two attacks"),
    ("said", "direct", "Matthew Miller", "We certainly condemn"),
    (None, "direct", "Matthew Miller", "We’ve seen these attacks"),
    ("made quite clear", "indirect", "we", "we will defend our interests"),
    ("According to", "indirect", "Reuters", "Iraqi officials are seeking"),
]


@pytest.mark.parametrize(("cue", "quote_type", "speaker", "content"), GUIDELINE_QUOTES)
def test_guideline_quotes_are_annotated_as_stated(
    doc: Document, cue: str | None, quote_type: str, speaker: str, content: str
) -> None:
    mentions = doc.mention_index()
    found = [
        q
        for q in doc.quotes
        if q.content[0].text.startswith(content) and (q.cue.text if q.cue else None) == cue
    ]
    assert [(q.type, mentions[q.speaker].text if q.speaker else None) for q in found] == [
        (quote_type, speaker)
    ]


def test_quote_count_matches_the_guideline_table(doc: Document) -> None:
    assert len(doc.quotes) == len(GUIDELINE_QUOTES)


def test_document_file_is_what_the_model_writes(raw: dict[str, Any], doc: Document) -> None:
    """The stored file keeps the model's key order, so a re-add reproduces it byte for byte."""
    assert Document.from_json(raw).to_json() == raw
    assert list(raw) == list(doc.to_json())
