"""What a minimal suite (a name and a corpus) takes from the standard suite, and how it is shown."""

from __future__ import annotations

import json
from pathlib import Path

from docfactory import TEXT, valid_document

from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.corpus_add import add_documents
from newsbench.eval.bench.benchmark import RunSettings, run_suite
from newsbench.eval.bench.leaderboard import render_html, render_markdown, render_text
from newsbench.eval.bench.suite import load_suite
from newsbench.extractor import Availability
from newsbench.registry import SystemEntry

MINIMAL = '\nname = "mine"\n\n[[corpus]]\nname = "my-corpus"\npath = "my-corpus"\n'


def _files(folder: Path, ids: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for doc_id in ids:
        path = folder / f"{doc_id}.json"
        path.write_text(json.dumps(valid_document(doc_id, f"{doc_id} {TEXT}"), ensure_ascii=False), "utf-8")
        files.append(path)
    return files


def _entries() -> dict[str, SystemEntry]:
    return {
        cls.name: SystemEntry(
            cls.name, f"{cls.__module__}:{cls.__qualname__}", cls, cls.version, Availability.ok()
        )
        for cls in (OracleExtractor, EmptyExtractor)
    }


def test_a_corpus_without_a_split_is_scored_on_its_test_split_never_on_train(tmp_path: Path) -> None:
    add_documents(_files(tmp_path / "src", ["a1", "a2", "a3"]), tmp_path / "my-corpus", "train")
    add_documents(_files(tmp_path / "src2", ["t1", "t2"]), tmp_path / "my-corpus", "test")
    (tmp_path / "my-suite.toml").write_text(MINIMAL, encoding="utf-8")
    suite = load_suite(tmp_path / "my-suite.toml")
    assert suite.corpora[0].split == "test"
    board = run_suite(suite, _entries(), tmp_path / "runs", RunSettings(None)).leaderboard
    (section,) = board["sections"]
    assert (section["split"], section["documents"]) == ("test", 2)


def test_a_plain_folder_without_a_manifest_has_no_splits_and_is_scored_whole(tmp_path: Path) -> None:
    _files(tmp_path / "my-corpus", ["p1", "p2", "p3"])
    (tmp_path / "my-suite.toml").write_text(MINIMAL, encoding="utf-8")
    suite = load_suite(tmp_path / "my-suite.toml")
    assert suite.corpora[0].split is None
    board = run_suite(suite, _entries(), tmp_path / "runs", RunSettings(None)).leaderboard
    assert board["sections"][0]["documents"] == 3


def test_a_suite_without_a_version_shows_none_anywhere_and_records_null(tmp_path: Path) -> None:
    _files(tmp_path / "my-corpus", ["p1"])
    (tmp_path / "my-suite.toml").write_text(MINIMAL, encoding="utf-8")
    board = run_suite(
        load_suite(tmp_path / "my-suite.toml"), _entries(), tmp_path / "runs", RunSettings(None)
    )
    data = board.leaderboard
    assert data["suite"]["version"] is None
    for rendered in (render_text(data), render_markdown(data), render_html(data)):
        assert "version" not in rendered.lower().replace("system version", "")
    assert render_text(data).startswith("leaderboard: mine\n")
    saved = json.loads((board.folder / "leaderboard.json").read_text(encoding="utf-8"))
    assert saved["suite"]["version"] is None


def test_a_suite_with_a_version_shows_it_in_every_form(tmp_path: Path) -> None:
    _files(tmp_path / "my-corpus", ["p1"])
    (tmp_path / "my-suite.toml").write_text('version = "7b"' + MINIMAL, encoding="utf-8")
    data = run_suite(
        load_suite(tmp_path / "my-suite.toml"), _entries(), tmp_path / "runs", RunSettings(None)
    ).leaderboard
    assert data["suite"]["version"] == "7b"
    assert render_text(data).startswith("leaderboard: mine (suite version 7b)\n")
    assert "Suite version 7b, sha256" in render_markdown(data)
    assert "Suite version 7b, sha256" in render_html(data)


def test_spelling_out_the_default_split_and_tasks_keeps_the_suite_hash(tmp_path: Path) -> None:
    add_documents(_files(tmp_path / "src", ["t1", "t2"]), tmp_path / "my-corpus", "test")
    spelled = MINIMAL + 'split = "test"\ntasks = ["quotes", "events", "entities"]\n'
    other_split = MINIMAL + 'split = "dev"\n'
    hashes = []
    for i, text in enumerate((MINIMAL, spelled, other_split)):
        (tmp_path / f"suite{i}.toml").write_text(text, encoding="utf-8")
        hashes.append(load_suite(tmp_path / f"suite{i}.toml").hash)
    assert hashes[0] == hashes[1]
    assert hashes[2] != hashes[0]
