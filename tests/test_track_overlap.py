"""A track's documents that the suite corpora hold in train or dev are left out of its scoring, with a note."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.corpus_add import add_documents
from newsbench.digest import sha256_text
from newsbench.eval.bench.benchmark import RunSettings, run_suite
from newsbench.eval.bench.leaderboard import render_markdown
from newsbench.eval.bench.overlap import leave_out_seen, seen_texts
from newsbench.eval.bench.suite import load_suite, with_options
from newsbench.eval.bench.tracks import Track, open_track
from newsbench.extractor import Availability
from newsbench.formats.contract import ImportOptions
from newsbench.formats.registry import importer
from newsbench.model import Document
from newsbench.registry import SystemEntry

CAT = REPO / "tests" / "fixtures" / "formats" / "cat" / "small.xml"
MEANTIME_TYPES = REPO / "schema" / "tracks" / "meantime.json"
NAMES = {"seen": "Zed", "tested": "Zorro", "new": "Zeta"}


def _track_folder(root: Path, names: dict[str, str]) -> Path:
    """CAT files differing in one word, so in their text: the fixture with ``Zed`` replaced."""
    folder = root / "track"
    folder.mkdir(parents=True)
    xml = CAT.read_text(encoding="utf-8")
    for key, word in names.items():
        text = xml.replace('doc_name="42_Acme,_buys_Zed"', f'doc_name="{key}"').replace(">Zed<", f">{word}<")
        (folder / f"{key}.xml").write_text(text, encoding="utf-8")
    return folder


def _imported(folder: Path) -> dict[str, Document]:
    docs = importer("cat")([folder], ImportOptions(type_map="meantime"))
    return {doc.id: doc for doc in docs}


def _add(root: Path, doc: Document, new_id: str, split: str) -> None:
    """``doc``'s text as a corpus document of another id (a corpus and a track name documents differently)."""
    file = root / "src" / f"{new_id}.json"
    file.parent.mkdir(exist_ok=True)
    data = doc.to_json()
    data["id"] = new_id
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    add_documents([file], root / "bundled", split)


def _suite(root: Path, corpus_tasks: str = '["entities"]') -> Path:
    text = f"""
name = "overlap"
[[corpus]]
name = "bundled"
path = "bundled"
split = "test"
tasks = {corpus_tasks}
[[track]]
name = "meantime"
path = "track"
importer = "cat"
types = {json.dumps(str(MEANTIME_TYPES))}
tasks = ["entities"]
[options]
bootstrap = 20
"""
    (root / "suite.toml").write_text(text, encoding="utf-8")
    return root / "suite.toml"


def _entries() -> dict[str, SystemEntry]:
    return {
        cls.name: SystemEntry(
            cls.name, f"{cls.__module__}:{cls.__qualname__}", cls, cls.version, Availability.ok()
        )
        for cls in (OracleExtractor, EmptyExtractor)
    }


@pytest.fixture
def overlapping(tmp_path: Path) -> Path:
    """A track of three documents: one also in the suite corpus's train split, one in its test split."""
    docs = _imported(_track_folder(tmp_path, NAMES))
    assert set(docs) == set(NAMES)
    _add(tmp_path, docs["seen"], "corpus-seen", "train")
    _add(tmp_path, docs["tested"], "corpus-tested", "test")
    return _suite(tmp_path)


def _section(board: dict[str, Any], name: str) -> dict[str, Any]:
    sections = board["sections"]
    assert isinstance(sections, list)
    (found,) = [s for s in sections if s["name"] == name]
    assert isinstance(found, dict)
    return found


def test_a_track_document_in_a_suite_corpus_train_split_is_left_out_and_the_notes_say_so(
    overlapping: Path,
) -> None:
    result = run_suite(load_suite(overlapping), _entries(), overlapping.parent / "runs", RunSettings(None))
    track = _section(result.leaderboard, "meantime")
    assert track["documents"] == 2
    notes = " ".join(map(str, track["notes"]))
    assert (
        "1 document is also in the train or dev split of the suite corpus bundled, so left out of scoring "
        "(systems may have learned from them): seen" in notes
    )
    assert "1 scored document is also in the test split of the suite corpus bundled (kept" in notes
    assert "so left out of scoring" in render_markdown(result.leaderboard)


def test_a_corpus_dropped_by_tasks_still_counts_as_trained_on(tmp_path: Path) -> None:
    docs = _imported(_track_folder(tmp_path, NAMES))
    _add(tmp_path, docs["seen"], "corpus-seen", "train")
    _add(tmp_path, docs["tested"], "corpus-tested", "test")
    suite = with_options(load_suite(_suite(tmp_path, '["quotes"]')), {"tasks": ("entities",)})
    assert suite.corpora == ()
    result = run_suite(suite, _entries(), tmp_path / "runs", RunSettings(None))
    assert _section(result.leaderboard, "meantime")["documents"] == 2


def test_a_track_made_only_of_trained_on_documents_is_skipped_with_the_reason(tmp_path: Path) -> None:
    docs = _imported(_track_folder(tmp_path, {"seen": "Zed"}))
    _add(tmp_path, docs["seen"], "corpus-seen", "dev")
    _add(tmp_path, _imported(_track_folder(tmp_path / "other", {"x": "Xavier"}))["x"], "corpus-x", "test")
    result = run_suite(load_suite(_suite(tmp_path)), _entries(), tmp_path / "runs", RunSettings(None))
    (skipped,) = result.leaderboard["skipped"]["sections"]
    assert skipped["name"] == "meantime"
    assert "1 document is also in the train or dev split of the suite corpus bundled" in skipped["reason"]


def test_a_text_in_train_anywhere_wins_over_the_same_text_in_a_test_split(tmp_path: Path) -> None:
    docs = _imported(_track_folder(tmp_path, {"seen": "Zed"}))
    _add(tmp_path, docs["seen"], "corpus-seen", "test")
    other = tmp_path / "second"
    other.mkdir()
    _add(other, docs["seen"], "again", "train")
    suite = load_suite(_suite(tmp_path))
    corpora = (
        *suite.file_corpora,
        *(replace(c, name=f"{c.name}-2", path=other / "bundled") for c in suite.file_corpora),
    )
    found = seen_texts(corpora)
    key = sha256_text(docs["seen"].text)
    assert (found[key].split, found[key].corpus) == ("train", "bundled-2")


def test_the_meantime_track_keeps_no_document_of_the_bundled_train_or_dev_split(external: Path) -> None:
    suite = load_suite()
    (spec,) = [t for t in suite.tracks if t.name == "meantime"]
    track = open_track(replace(spec, path=external / "meantime"))
    assert isinstance(track, Track)
    seen = seen_texts(suite.file_corpora)
    kept, notes = leave_out_seen(track, seen)

    def learnable(docs: list[Document]) -> list[str]:
        return [
            d.id for d in docs if seen.get(sha256_text(d.text)) and seen[sha256_text(d.text)].split != "test"
        ]

    assert learnable(track.gold) and len(kept.gold) == len(track.gold) - len(learnable(track.gold))
    assert learnable(kept.gold) == []
    assert notes[0].startswith(f"{len(learnable(track.gold))} documents are also in the train or dev split")
