"""``run --jobs N`` and ``bench --jobs N`` score each system's predictions file in N processes too: the run
folder is the same bytes as with one process, documents held only in memory are scored in this process,
and a gold file edited after it was checked stops the run with the file and the document named."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import REPO, snapshot
from test_bench import entry
from test_runner import HEADLINE, OPTIONS

from newsbench.baselines.rules import RulesExtractor
from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.cli import main
from newsbench.eval import streaming
from newsbench.eval.bench.benchmark import RunSettings, run_corpus, run_suite
from newsbench.eval.bench.suite import load_suite
from newsbench.eval.bench.tracks import load_track_types, shipped_types_dir
from newsbench.eval.bench.written import PredictionsWriter
from newsbench.eval.run.gold import GoldSet, corpus_split
from newsbench.eval.run.runner import Record
from newsbench.model import Document
from newsbench.parallel import OrderedPool
from newsbench.scan import BATCH, Scanned

sys.path.insert(0, str(REPO / "tests" / "perf"))
from synthetic import corpus

DOCUMENTS = 5 * BATCH - 20
"""A few hundred documents: several batches, so both scoring processes get some, and a last short one."""

R = TypeVar("R")


def _documents() -> list[Document]:
    gold, _ = corpus(DOCUMENTS, 60, seed=11)
    return gold


def _folder(tmp_path: Path) -> Path:
    """The synthetic gold documents as one JSON Lines file in a folder (a corpus without splits)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in _documents())
    (folder / "gold.jsonl").write_text(lines, encoding="utf-8")
    return folder


@pytest.fixture
def scoring_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of processes of every pool scoring opens, in order."""
    opened: list[int] = []

    class Recorded(OrderedPool[R]):
        def __init__(self, jobs: int) -> None:
            opened.append(jobs)
            super().__init__(jobs)

    monkeypatch.setattr(streaming, "OrderedPool", Recorded)
    return opened


def _run(folder: Path, out: Path, jobs: str, *more: str) -> int:
    argv = ["run", "rules", "--corpus", str(folder), "--split", "all", "--no-cache", "--out", str(out)]
    return main([*argv, "--jobs", jobs, *more])


def test_run_with_two_jobs_scores_in_two_processes_and_writes_the_run_folder_of_one(
    tmp_path: Path, scoring_pools: list[int]
) -> None:
    folder = _folder(tmp_path)
    runs = {}
    for jobs in ("1", "2"):
        assert _run(folder, tmp_path / jobs, jobs) == 0
        (run,) = (tmp_path / jobs).iterdir()
        runs[jobs] = (run.name, snapshot(run))
    assert scoring_pools == [2]
    assert b'"reason":"missed"' in runs["2"][1]["reports/rules/errors.jsonl"]
    assert runs["2"] == runs["1"]


@pytest.mark.parametrize("track", ["gum-news", "meantime"])
def test_a_run_in_a_tracks_types_scores_in_two_processes_as_in_one(
    track: str, tmp_path: Path, scoring_pools: list[int]
) -> None:
    types = load_track_types(shipped_types_dir() / f"{track}.json")
    gold = corpus_split(_folder(tmp_path), None)
    runs = {}
    for jobs in (1, 2):
        settings = RunSettings(None, jobs=jobs)
        result = run_corpus(
            [RulesExtractor()],
            gold,
            tmp_path / str(jobs),
            ("c", None),
            OPTIONS,
            settings,
            HEADLINE,
            types=types,
        )
        runs[jobs] = snapshot(result.folder)
    assert scoring_pools == [2]
    report = json.loads(runs[2]["reports/rules/report.json"])
    assert report["signature"] != json.loads(_untyped_report(tmp_path, gold))["signature"]
    assert runs[2] == runs[1]


def _untyped_report(tmp_path: Path, gold: GoldSet) -> bytes:
    """The same run's report in newsbench's own types: a track's view must change what is scored."""
    settings = RunSettings(None)
    result = run_corpus([RulesExtractor()], gold, tmp_path / "own", ("c", None), OPTIONS, settings, HEADLINE)
    return (result.folder / "reports" / "rules" / "report.json").read_bytes()


def test_gold_held_in_memory_is_scored_in_this_process_with_two_jobs_to_the_same_bytes(
    tmp_path: Path, scoring_pools: list[int]
) -> None:
    docs = _documents()
    runs = {}
    for jobs in (1, 2):
        settings = RunSettings(None, jobs=jobs)
        result = run_corpus(
            [RulesExtractor()], docs, tmp_path / str(jobs), ("c", None), OPTIONS, settings, HEADLINE
        )
        assert len(result.reports[0].results) == DOCUMENTS
        runs[jobs] = snapshot(result.folder)
    assert scoring_pools == []  # no other process could read documents that are only in this one
    assert runs[2] == runs[1]


def test_a_bench_with_two_jobs_writes_the_bench_folder_of_one(
    tmp_path: Path, scoring_pools: list[int]
) -> None:
    suite = tmp_path / "suite.toml"
    suite.write_text(
        f'name = "synthetic"\nversion = "1"\n[[corpus]]\nname = "synthetic"\n'
        f'path = {json.dumps(str(_folder(tmp_path)))}\ntasks = ["entities", "events", "quotes"]\n'
        "[options]\nbootstrap = 20\n",
        encoding="utf-8",
    )
    entries = {cls.name: entry(cls) for cls in (RulesExtractor, OracleExtractor, EmptyExtractor)}
    benches = {}
    for jobs in (1, 2):
        result = run_suite(load_suite(suite), entries, tmp_path / str(jobs), RunSettings(None, jobs=jobs))
        benches[jobs] = (result.folder.name, snapshot(result.folder))
    assert scoring_pools == [2, 2, 2]  # each system's predictions
    assert benches[2] == benches[1]


def test_a_gold_file_edited_after_it_was_checked_stops_a_run_with_two_jobs_naming_file_and_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path)
    gold = folder / "gold.jsonl"
    finish = PredictionsWriter.finish

    def finish_then_edit(writer: PredictionsWriter) -> tuple[list[Record], list[Scanned]]:
        """The predictions are written; then the gold file changes, the same length, before scoring."""
        done = finish(writer)
        lines = gold.read_bytes().splitlines(keepends=True)
        edited = lines[200].replace(b'"language": "en"', b'"language": "fr"', 1)
        assert edited != lines[200]
        gold.write_bytes(b"".join([*lines[:200], edited, *lines[201:]]))
        return done

    monkeypatch.setattr(PredictionsWriter, "finish", finish_then_edit)
    assert _run(folder, tmp_path / "runs", "2") == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {gold}:201: document doc-000200: $: ")
    assert "changed since it was read and checked" in line
    assert not list((tmp_path / "runs").glob("run-*"))
