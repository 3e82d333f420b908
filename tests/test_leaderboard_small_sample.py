"""Below the small-sample threshold the leaderboard marks its intervals unreliable, as every report does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docfactory import TEXT, valid_document

from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.corpus_add import add_documents
from newsbench.eval.bench.benchmark import RunSettings, run_suite
from newsbench.eval.bench.leaderboard import render_html, render_markdown, render_text
from newsbench.eval.bench.suite import load_suite
from newsbench.eval.report.markdown import UNRELIABLE
from newsbench.eval.stats.sample import MIN_RELIABLE_DOCUMENTS, small_sample_note
from newsbench.extractor import Availability
from newsbench.registry import SystemEntry

SUITE = (
    '\nname = "mini"\n[[corpus]]\nname = "c"\npath = "c"\ntasks = ["entities"]\n[options]\nbootstrap = 20\n'
)


def _board(tmp_path: Path, documents: int) -> dict[str, Any]:
    source = tmp_path / "src"
    source.mkdir()
    files = []
    for n in range(documents):
        path = source / f"d{n}.json"
        path.write_text(json.dumps(valid_document(f"d{n}", f"d{n} {TEXT}"), ensure_ascii=False), "utf-8")
        files.append(path)
    add_documents(files, tmp_path / "c", "test")
    (tmp_path / "suite.toml").write_text(SUITE, encoding="utf-8")
    entries = {
        cls.name: SystemEntry(
            cls.name, f"{cls.__module__}:{cls.__qualname__}", cls, cls.version, Availability.ok()
        )
        for cls in (OracleExtractor, EmptyExtractor)
    }
    result = run_suite(load_suite(tmp_path / "suite.toml"), entries, tmp_path / "runs", RunSettings(None))
    saved = json.loads((result.folder / "leaderboard.json").read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(result.leaderboard))
    assert isinstance(saved, dict)
    return saved


def _forms(board: dict[str, Any]) -> list[str]:
    """The terminal, Markdown and HTML forms, Markdown's escaped brackets read back as brackets."""
    markdown = render_markdown(board).replace("\\[", "[").replace("\\]", "]")
    return [render_text(board), markdown, render_html(board)]


def test_a_two_document_section_marks_every_interval_and_says_why(tmp_path: Path) -> None:
    board = _board(tmp_path, 2)
    (section,) = board["sections"]
    assert section["small_sample"] == small_sample_note(2)
    assert f"{UNRELIABLE} {small_sample_note(2)}" in section["notes"]
    for rendered in _forms(board):
        assert "[100.00, 100.00]" + UNRELIABLE in rendered
        assert UNRELIABLE + " only 2 gold documents" in rendered
    assert f"F1 100.00 [100.00, 100.00]{UNRELIABLE}" in render_html(board)  # the bar's label too


@pytest.mark.parametrize("documents", [MIN_RELIABLE_DOCUMENTS])
def test_from_the_threshold_up_nothing_is_marked_and_small_sample_is_null(
    tmp_path: Path, documents: int
) -> None:
    board = _board(tmp_path, documents)
    (section,) = board["sections"]
    assert section["small_sample"] is None
    for rendered in _forms(board):
        assert UNRELIABLE not in rendered
        assert "[100.00, 100.00]" in rendered
