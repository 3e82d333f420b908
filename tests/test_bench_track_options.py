"""A corpus or track added with ``bench --track`` is scored with the same options as the suite's sections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docfactory import TEXT, valid_document

from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.cli import main
from newsbench.corpus_add import add_documents
from newsbench.eval.bench.suite import load_suite, with_options
from newsbench.eval.bench.tracks import parse_track_option, with_tracks
from newsbench.extractor import Availability
from newsbench.problems import NewsbenchError
from newsbench.registry import SystemEntry

SUITE = """
name = "mini"
[[corpus]]
name = "tiny"
path = "tiny"
[options]
bootstrap = 20
"""


def _corpus(root: Path, name: str, ids: list[str]) -> Path:
    source = root / f"{name}-src"
    source.mkdir()
    files = []
    for doc_id in ids:
        path = source / f"{doc_id}.json"
        path.write_text(json.dumps(valid_document(doc_id, f"{doc_id} {TEXT}"), ensure_ascii=False), "utf-8")
        files.append(path)
    add_documents(files, root / name, "test")
    return root / name


@pytest.fixture
def suite_file(tmp_path: Path) -> Path:
    _corpus(tmp_path, "tiny", ["t1", "t2"])
    _corpus(tmp_path, "mine", ["m1", "m2", "m3"])
    (tmp_path / "suite.toml").write_text(SUITE, encoding="utf-8")
    return tmp_path / "suite.toml"


def test_tasks_and_other_options_reach_a_corpus_added_with_track(
    suite_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = {
        cls.name: SystemEntry(
            cls.name, f"{cls.__module__}:{cls.__qualname__}", cls, cls.version, Availability.ok()
        )
        for cls in (OracleExtractor, EmptyExtractor)
    }
    monkeypatch.setattr("newsbench.commands.bench.discover", lambda: entries)
    out = suite_file.parent / "runs"
    mine = suite_file.parent / "mine"
    args = ["bench", "--suite", str(suite_file), "--out", str(out), "--track", f"mine={mine}"]
    assert main([*args, "--tasks", "entities", "--bootstrap", "30", "--quiet"]) == 0
    out_text = capsys.readouterr().out
    (folder,) = out.iterdir()
    board = json.loads((folder / "leaderboard.json").read_text(encoding="utf-8"))
    sections = {s["name"]: s for s in board["sections"]}
    assert set(sections) == {"tiny", "mine"}
    for section in sections.values():
        assert list(section["tasks"]) == ["entities"]
        assert "|tasks:entities|" in section["signature"] and "|bs:30|" in section["signature"]
    assert "events:" not in out_text and "quotes:" not in out_text


def test_tasks_narrow_a_track_whichever_is_applied_first(suite_file: Path) -> None:
    suite = load_suite(suite_file)
    track = parse_track_option(f"mine={suite_file.parent / 'mine'}", suite)
    options_first = with_tracks(with_options(suite, {"tasks": ("quotes",)}), [track])
    tracks_first = with_options(with_tracks(suite, [track]), {"tasks": ("quotes",)})
    for narrowed in (options_first, tracks_first):
        assert [(c.name, c.tasks) for c in narrowed.corpora] == [("tiny", ("quotes",)), ("mine", ("quotes",))]


def test_a_track_left_with_no_task_by_tasks_is_an_error_naming_it(suite_file: Path) -> None:
    suite = load_suite(suite_file)
    track = parse_track_option(f"gum-news={suite_file.parent / 'nowhere'}", suite)
    with pytest.raises(
        NewsbenchError, match="--track gum-news: it scores none of the tasks given with --tasks"
    ):
        with_tracks(with_options(suite, {"tasks": ("quotes",)}), [track])
