"""A small valid document with every layer, over text with curly quotes, an emoji, a combining mark and CRLF.

Tests take it as JSON, break one thing, and check what validation or the corpus says.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

TEXT = (
    "Zoe\u0301 Li 😀 said on Monday that Acme attacked Springfield.\r\n"
    "“We will return,” Li said.\r\n"
    "CLICK HERE TO READ MORE"
)


def span(text: str, needle: str, occurrence: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "text": needle}


def valid_document(doc_id: str = "doc-1", text: str = TEXT) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "schema_version": "1.0",
            "id": doc_id,
            "language": "en",
            "text": text,
            "mentions": [
                {"id": "m1", "spans": [span(text, "Zoe\u0301 Li")], "type": "PER", "kind": "NAM"},
                {"id": "m2", "spans": [span(text, "Monday")], "type": "TIME", "kind": "NAM"},
                {"id": "m3", "spans": [span(text, "Acme")], "type": "ORG", "kind": "NAM"},
                {"id": "m4", "spans": [span(text, "Springfield")], "type": "GPE", "kind": "NAM"},
                {"id": "m5", "spans": [span(text, "Li", 1)], "type": "PER", "kind": "NAM"},
                {"id": "m6", "spans": [span(text, "We")], "type": "PER", "kind": "PRO"},
            ],
            "entities": [
                {"id": "e1", "type": "PER", "mentions": ["m1", "m5", "m6"], "name": "Zoé Li"},
                {"id": "e2", "type": "ORG", "mentions": ["m3"]},
                {"id": "e3", "type": "GPE", "mentions": ["m4"], "links": [{"db": "wikidata", "id": "Q1"}]},
                {"id": "e4", "type": "TIME", "mentions": ["m2"]},
            ],
            "events": [
                {
                    "id": "ev1",
                    "type": "Conflict.Attack",
                    "trigger": span(text, "attacked"),
                    "arguments": [{"role": "Attacker", "mention": "m3"}, {"role": "Target", "mention": "m4"}],
                    "polarity": "positive",
                    "modality": "asserted",
                    "genericity": "specific",
                    "tense": "past",
                }
            ],
            "quotes": [
                {
                    "id": "q1",
                    "type": "indirect",
                    "content": [span(text, "Acme attacked Springfield")],
                    "cue": span(text, "said"),
                    "speaker": "m1",
                },
                {
                    "id": "q2",
                    "type": "direct",
                    "content": [span(text, "We will return,")],
                    "cue": span(text, "said", 1),
                    "speaker": "m5",
                },
            ],
            "ignore": [span(text, "CLICK HERE TO READ MORE")],
        }
    )


def write_documents(folder: Path, docs: list[dict[str, Any]]) -> Path:
    """Each document as ``folder/<id>.json`` (a folder of documents, as score and compare take one)."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{doc['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder
