"""The document model round-trips through JSON, and the corpus converts to a Hugging Face DatasetDict."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from docfactory import valid_document

from newsbench import load_corpus, to_dataset_dict
from newsbench.corpus_add import add_documents
from newsbench.model import Document
from newsbench.validate import validate_data

CORPUS_DOCUMENTS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "documents").glob("*.json"))


def test_json_round_trip_gives_back_the_whole_document() -> None:
    data = valid_document()
    doc = Document.from_json(data)
    assert doc.to_json() == data
    assert Document.from_json(doc.to_json()) == doc
    assert validate_data(doc.to_json(), "x") == []


def test_every_corpus_document_round_trips_through_the_model_unchanged() -> None:
    """Every field the gold files use (entity names and links, event tense, ...) survives a read and write."""
    assert CORPUS_DOCUMENTS, "the corpus has no documents"
    for path in CORPUS_DOCUMENTS:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert Document.from_json(data).to_json() == data, path.name


def _rebuilt(value: Any) -> Any:
    """``value`` built again through its classes' own constructors, all the way down."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: _rebuilt(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, tuple):
        return tuple(_rebuilt(v) for v in value)
    return value


def _same_object(made: Any, built: Any) -> None:
    assert type(made) is type(built)
    if dataclasses.is_dataclass(made):
        for name in [f.name for f in dataclasses.fields(made)]:
            _same_object(getattr(made, name), getattr(built, name))
    elif isinstance(made, tuple):
        assert len(made) == len(built)
        for a, b in zip(made, built, strict=True):
            _same_object(a, b)
    else:
        assert made == built


def test_a_read_document_is_what_the_constructors_build() -> None:
    """from_json fills frozen instances without their __init__ (msgspec sets each field, leaving a plain
    default to the class): the objects must be the constructors' own, with every field, equal, hashed
    alike, and still frozen."""
    for data in [valid_document()] + [json.loads(p.read_text(encoding="utf-8")) for p in CORPUS_DOCUMENTS]:
        doc = Document.from_json(data)
        built = _rebuilt(doc)
        _same_object(doc, built)
        assert doc == built and repr(doc) == repr(built)
        for made, same in [
            (doc.mentions, built.mentions),
            (doc.events, built.events),
            (doc.quotes, built.quotes),
        ]:
            assert hash(made) == hash(same)
        with pytest.raises(dataclasses.FrozenInstanceError):
            doc.mentions[0].id = "x"  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            doc.id = "x"  # type: ignore[misc]


def test_the_round_trip_document_carries_the_fields_a_lossy_reader_would_drop() -> None:
    data = valid_document()
    assert "name" in data["entities"][0] and "tense" in data["events"][0]


def test_blank_keeps_text_and_metadata_and_drops_annotations() -> None:
    doc = Document.from_json(valid_document())
    blank = doc.blank()
    assert (blank.id, blank.text) == (doc.id, doc.text)
    assert not (blank.mentions or blank.events or blank.quotes or blank.entities or blank.ignore)


def test_dataset_dict_has_one_row_per_document_with_nested_spans(tmp_path: Path) -> None:
    src = tmp_path / "d.json"
    src.write_text(json.dumps(valid_document("d1"), ensure_ascii=False), encoding="utf-8")
    add_documents([src], tmp_path / "corpus", "dev")
    dataset = to_dataset_dict(load_corpus(tmp_path / "corpus"))
    assert list(dataset) == ["dev"]
    row = dataset["dev"][0]
    assert row["id"] == "d1"
    first = row["mentions"][0]["spans"][0]
    assert row["text"][first["start"] : first["end"]] == first["text"]
    assert row["events"][0]["arguments"][0] == {"role": "Attacker", "mention": "m3"}
    assert row["quotes"][0]["speaker"] == "m1"
