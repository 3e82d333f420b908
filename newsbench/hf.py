"""The corpus as a Hugging Face ``datasets.DatasetDict``: one row per document, nested span features.

Built in memory from the loaded corpus, so it needs no loading script and no network. Every layer is a
feature, ``event_coreference`` included. ``meta`` (a document's source family, subset, import record) is
free-form JSON whose keys differ between documents, which Arrow's one-type-per-column cannot hold as a
struct; it is a JSON string, ``json.loads(row["meta"])``. :func:`document_of_row` turns a row back into the
document it came from.
"""

from __future__ import annotations

import json
from typing import Any

from newsbench.corpus import SPLITS, Corpus
from newsbench.model import SCHEMA_VERSION, Document


def _features() -> Any:
    from datasets import Features, Sequence, Value

    span = {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}
    ref = Value("string")
    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "title": Value("string"),
            "source": Value("string"),
            "url": Value("string"),
            "published": Value("string"),
            "language": Value("string"),
            "license": Value("string"),
            "mentions": [{"id": ref, "spans": [span], "type": Value("string"), "kind": Value("string")}],
            "entities": [
                {
                    "id": ref,
                    "type": Value("string"),
                    "mentions": Sequence(ref),
                    "name": Value("string"),
                    "links": [{"db": Value("string"), "id": Value("string")}],
                }
            ],
            "events": [
                {
                    "id": ref,
                    "type": Value("string"),
                    "trigger": span,
                    "arguments": [{"role": Value("string"), "mention": ref}],
                    "polarity": Value("string"),
                    "modality": Value("string"),
                    "genericity": Value("string"),
                    "tense": Value("string"),
                }
            ],
            "quotes": [
                {
                    "id": ref,
                    "type": Value("string"),
                    "content": [span],
                    "cue": span,
                    "speaker": ref,
                    "addressee": ref,
                    "medium": ref,
                }
            ],
            "event_coreference": [{"id": ref, "events": Sequence(ref)}],
            "ignore": [span],
            "meta": Value("string"),
        }
    )


def document_row(doc: Document) -> dict[str, Any]:
    """One document as a row: optional fields present (as None) in every row, so all rows share one type."""
    data = doc.to_json()
    row = {
        name: data.get(name)
        for name in ("id", "text", "title", "source", "url", "published", "language", "license")
    }
    row["mentions"] = data["mentions"]
    row["entities"] = [{"name": None, "links": [], **e} for e in data["entities"]]
    row["events"] = [
        {"polarity": None, "modality": None, "genericity": None, "tense": None, **e} for e in data["events"]
    ]
    row["quotes"] = [{"addressee": None, "medium": None, **q} for q in data["quotes"]]
    row["event_coreference"] = data.get("event_coreference", [])
    row["ignore"] = data["ignore"]
    row["meta"] = json.dumps(data.get("meta", {}), ensure_ascii=False, sort_keys=True)
    return row


def document_of_row(row: dict[str, Any]) -> Document:
    """The document a row of :func:`to_dataset_dict` was made from (the fields a row fills with None for a
    shared type are read as absent)."""
    data = {key: value for key, value in row.items() if value is not None}
    data["meta"] = json.loads(row["meta"])
    data["schema_version"] = SCHEMA_VERSION
    return Document.from_json(data)


def to_dataset_dict(corpus: Corpus) -> Any:
    """A ``DatasetDict`` with one ``Dataset`` per split that has documents (all documents under "test" if none has a split)."""
    from datasets import Dataset, DatasetDict

    features = _features()
    splits = {name: corpus.split(name) for name in SPLITS}
    if not any(splits.values()):
        splits = {"test": corpus.split(None)}
    return DatasetDict(
        {
            name: Dataset.from_list([document_row(d) for d in docs], features=features)
            for name, docs in splits.items()
            if docs
        }
    )
