"""The prediction cache: keyed by system, version, config hash and document hash; corrupt entries are misses."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from docfactory import valid_document

from newsbench.eval.run.cache import CacheKey, Entry, PredictionCache, default_dir, document_hash
from newsbench.model import Document

KEY = CacheKey("rules", "1.0", "c" * 64, "d" * 64)
PREDICTION = {"id": "doc-1", "text": "Zoe\u0301 😀 “hi”\r\n", "mentions": []}
ENTRY = Entry(PREDICTION, None, "f" * 64)


def test_an_entry_round_trips_with_its_astral_and_combining_characters(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path)
    assert cache.get(KEY) is None
    cache.put(KEY, ENTRY)
    assert cache.get(KEY) == ENTRY
    assert cache.unreadable == 0


@pytest.mark.parametrize(
    "other",
    [
        replace(KEY, system="spacy"),
        replace(KEY, version="1.1"),
        replace(KEY, config_hash="e" * 64),
        replace(KEY, document_hash="f" * 64),
    ],
)
def test_every_part_of_the_key_separates_entries(tmp_path: Path, other: CacheKey) -> None:
    cache = PredictionCache(tmp_path)
    cache.put(KEY, ENTRY)
    assert cache.get(other) is None
    assert cache.path(other) != cache.path(KEY)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"format": 1, "key": ',
        b"\xc3\x28",
        b'"just a string"',
        b'{"format": 1, "key": {}, "prediction": {}}',
        b'{"format": 2, "key": {"system": "rules"}, "prediction": {}}',
    ],
)
def test_a_corrupt_or_foreign_entry_is_a_miss_and_counted(tmp_path: Path, content: bytes) -> None:
    cache = PredictionCache(tmp_path)
    cache.put(KEY, ENTRY)
    cache.path(KEY).write_bytes(content)
    assert cache.get(KEY) is None
    assert cache.unreadable == 1


def test_an_entry_copied_under_another_key_is_not_served(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path)
    other = replace(KEY, version="2.0")
    cache.put(KEY, ENTRY)
    cache.path(other).parent.mkdir(parents=True, exist_ok=True)
    cache.path(other).write_bytes(cache.path(KEY).read_bytes())
    assert cache.get(other) is None


@pytest.mark.parametrize(
    ("system", "folder"),
    [("rules", "rules"), ("../evil name", "%2E.%2Fevil%20name"), ("", "%"), ("a/b", "a%2Fb"), ("a_b", "a_b")],
)
def test_system_names_become_safe_folder_names(tmp_path: Path, system: str, folder: str) -> None:
    cache = PredictionCache(tmp_path)
    path = cache.path(replace(KEY, system=system))
    assert path.parent.parent == tmp_path / folder


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path))
    assert default_dir() == tmp_path / "predictions"
    monkeypatch.delenv("NEWSBENCH_CACHE")
    assert default_dir() == Path(".cache") / "newsbench" / "predictions"


def test_entries_are_written_whole_with_no_temporary_file_left(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path)
    cache.put(KEY, ENTRY)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [cache.path(KEY)]
    assert json.loads(files[0].read_text(encoding="utf-8"))["prediction"] == PREDICTION


def test_the_document_hash_sees_text_and_layers_but_not_object_identity() -> None:
    doc = Document.from_json(valid_document())
    assert document_hash(doc) == document_hash(Document.from_json(valid_document()))
    assert document_hash(doc) != document_hash(doc.blank())
    assert document_hash(doc.blank()) != document_hash(replace(doc, text=doc.text + " ").blank())


def test_a_cached_prediction_keeps_the_key_order_the_system_gave(tmp_path: Path) -> None:
    """Meta and config dicts are written out in their own order, so a cached rerun must not reorder them."""
    cache = PredictionCache(tmp_path)
    cache.put(KEY, Entry({"meta": {"zeta": 1, "alpha": 2}, "id": "x"}, None, "f" * 64))
    found = cache.get(KEY)
    assert found is not None
    assert list(found.prediction) == ["meta", "id"]
    assert list(found.prediction["meta"]) == ["zeta", "alpha"]


def test_an_invalid_outputs_verdict_is_kept_with_it(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path)
    cache.put(KEY, Entry(PREDICTION, "$.mentions: bad", "f" * 64))
    assert cache.get(KEY) == Entry(PREDICTION, "$.mentions: bad", "f" * 64)


def test_an_unwritable_cache_costs_the_reuse_but_not_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "file-in-the-way"
    blocker.write_text("x", encoding="utf-8")
    cache = PredictionCache(blocker / "cache")
    cache.put(KEY, ENTRY)
    assert (cache.unwritable, cache.get(KEY)) == (1, None)
