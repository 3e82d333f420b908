"""``run`` streams: gold documents are read from the corpus folder when their turn comes, each prediction is
written as it is settled, executors take their inputs only as they have room, and the run folder is the
same bytes as when everything was held in memory."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import ClassVar

import pytest
from test_runner import HEADLINE, OPTIONS, Acme, gold_docs

from newsbench.eval.bench.benchmark import RunSettings, run_corpus
from newsbench.eval.evaluate import score
from newsbench.eval.report.write import write_report
from newsbench.eval.run import forked
from newsbench.eval.run.executors import FORK_BATCH, InProcess, ProcessPool, Task
from newsbench.eval.run.gold import GoldSet, corpus_split
from newsbench.eval.run.runner import Outcome, run_systems, stream_systems
from newsbench.eval.run.workers import Recipe, WorkerPool
from newsbench.model import Document
from newsbench.problems import NewsbenchError

DOCUMENTS = 40


def _folder(tmp_path: Path, docs: list[Document]) -> Path:
    """The documents as one JSON Lines file in a folder: a corpus without splits."""
    folder = tmp_path / "docs"
    folder.mkdir()
    lines = "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in docs)
    (folder / "gold.jsonl").write_text(lines, encoding="utf-8")
    return folder


def _live_documents() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Document)


class Watching(Acme):
    """Acme that counts the Document objects alive in this process at each extraction, and the lines of
    the predictions spool written so far."""

    name: ClassVar[str] = "watching"
    live: ClassVar[list[int]] = []
    written: ClassVar[list[int]] = []
    out: ClassVar[Path | None] = None

    def extract(self, document: Document) -> Document:
        self.live.append(_live_documents())
        if self.out is not None:
            spools = list(self.out.glob(".run-*/predictions/.watching.jsonl.spool"))
            self.written.append(sum(len(p.read_bytes().splitlines()) for p in spools))
        return super().extract(document)


@pytest.fixture(autouse=True)
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Watching, "live", [])
    monkeypatch.setattr(Watching, "written", [])
    monkeypatch.setattr(Watching, "out", None)
    monkeypatch.setattr(forked, "TRUSTED_MODULES", (*forked.TRUSTED_MODULES, "test_runner", __name__))


def test_a_run_over_a_corpus_folder_holds_a_few_documents_at_a_time_not_the_corpus(tmp_path: Path) -> None:
    folder = _folder(tmp_path, gold_docs([f"d{i:03d}" for i in range(DOCUMENTS)]))
    gold = corpus_split(folder, None)
    gc.collect()
    before = _live_documents()
    run_corpus([Watching()], gold, tmp_path / "out", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    assert len(Watching.live) == DOCUMENTS
    # the gold document being worked on, its input and the prediction before it: never the whole corpus
    assert max(Watching.live) - before <= 4, Watching.live


def test_in_memory_documents_are_all_alive_so_the_count_above_would_see_a_held_corpus(tmp_path: Path) -> None:
    docs = gold_docs([f"d{i:03d}" for i in range(DOCUMENTS)])
    run_corpus([Watching()], docs, tmp_path / "out", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    assert min(Watching.live) >= DOCUMENTS


def test_each_prediction_is_on_disk_before_the_next_document_is_extracted(tmp_path: Path) -> None:
    folder = _folder(tmp_path, gold_docs([f"d{i:03d}" for i in range(10)]))
    Watching.out = tmp_path / "out"
    run_corpus(
        [Watching()],
        corpus_split(folder, None),
        tmp_path / "out",
        ("c", None),
        OPTIONS,
        RunSettings(None),
        HEADLINE,
    )
    assert Watching.written == list(range(10))
    (run,) = (tmp_path / "out").iterdir()
    lines = (run / "predictions" / "watching.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"d{i:03d}" for i in range(10)]
    assert not list(run.rglob("*.spool"))


def test_a_run_from_a_corpus_folder_writes_the_same_bytes_as_one_from_documents_in_memory(
    tmp_path: Path,
) -> None:
    docs = gold_docs(["b", "a", "c-raise", "d"])
    folder = _folder(tmp_path, docs)
    here = run_corpus([Acme()], docs, tmp_path / "mem", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    there = run_corpus(
        [Acme()],
        corpus_split(folder, None),
        tmp_path / "disk",
        ("c", None),
        OPTIONS,
        RunSettings(None),
        HEADLINE,
    )
    assert here.folder.name == there.folder.name
    files = sorted(p.relative_to(here.folder) for p in here.folder.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(there.folder) for p in there.folder.rglob("*") if p.is_file())
    for name in files:
        assert (here.folder / name).read_bytes() == (there.folder / name).read_bytes(), name


def _counted(tasks: list[Task], taken: list[int]) -> Iterator[Task]:
    for task in tasks:
        taken.append(1)
        yield task


@pytest.mark.parametrize("executor", [InProcess(), ProcessPool(2, None)], ids=["inline", "pool"])
def test_an_executor_takes_inputs_only_as_it_has_room_for_them(executor: InProcess | ProcessPool) -> None:
    docs = gold_docs([f"d{i:02d}" for i in range(12)])
    taken: list[int] = []
    seen: list[int] = []
    for _ in executor.attempts([Acme()], _counted([(0, d.blank()) for d in docs], taken)):
        seen.append(len(taken))
    room = 1 if isinstance(executor, InProcess) else 2
    assert all(n <= i + room for i, n in enumerate(seen, start=1)), seen
    assert len(seen) == len(docs)


class Outsider(Acme):
    """A system from outside newsbench: extracted in forked children, a batch at a time."""

    name: ClassVar[str] = "outsider"


def test_a_plugin_in_forked_children_is_given_its_documents_a_batch_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forked, "TRUSTED_MODULES", ("newsbench.",))
    if not forked.can_fork():
        pytest.skip("no fork here")
    docs = gold_docs([f"d{i:03d}" for i in range(FORK_BATCH + 5)])
    taken: list[int] = []
    seen: list[int] = []
    for _ in InProcess().attempts([Outsider()], _counted([(0, d.blank()) for d in docs], taken)):
        seen.append(len(taken))
    assert seen[0] == FORK_BATCH and len(seen) == len(docs)


def test_the_worker_pool_sends_no_more_than_its_workers_at_once() -> None:
    recipe = Recipe.of(Acme())
    taken: list[int] = []

    def tasks() -> Iterator[tuple[Recipe, Document]]:
        for d in gold_docs([f"d{i}" for i in range(6)]):
            taken.append(1)
            yield recipe, d.blank()

    firsts = [len(taken) for _ in WorkerPool(2, None).run(tasks())]
    assert firsts[0] <= 2 and len(firsts) == 6


def test_the_run_loop_reads_a_gold_document_only_when_its_turn_comes() -> None:
    docs = gold_docs([f"d{i}" for i in range(5)])
    reads: list[str] = []

    class Counted(GoldSet):
        def document(self, index: int) -> Document:
            doc = super().document(index)
            reads.append(doc.id)
            return doc

    memory = GoldSet.of_documents(docs)
    gold = Counted(memory.items, memory.held)
    settled: list[tuple[int, int]] = []

    def told(system: int, position: int, outcome: Outcome) -> None:
        settled.append((system, len(reads)))

    stream_systems([Acme(), Acme(type="GPE")], gold, told)
    # each outcome is settled right after its own document was read, for one system then the next
    assert settled == [(0, i) for i in range(1, 6)] + [(1, i) for i in range(6, 11)]


def test_a_gold_document_edited_during_the_run_stops_it_naming_the_file_and_document(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in gold_docs(["a", "b"]):
        (folder / f"{doc.id}.json").write_text(
            json.dumps(doc.to_json(), ensure_ascii=False), encoding="utf-8"
        )
    gold = corpus_split(folder, None)
    edited = folder / "b.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Acme", "Acne", 1), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        run_corpus([Acme()], gold, tmp_path / "out", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    (problem,) = caught.value.problems
    assert (problem.file, problem.doc_id, problem.path) == (str(edited), "b", "$")
    assert "changed since it was read and checked" in problem.message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_run_folder_report_is_the_bytes_of_scoring_its_predictions_in_memory(tmp_path: Path) -> None:
    docs = gold_docs([f"d{i}" for i in range(6)])
    result = run_corpus([Acme()], docs, tmp_path / "out", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    (run,), _ = run_systems([Acme()], docs)
    report = score(docs, run.predictions, collect_errors=True, **asdict(OPTIONS))
    write_report(report, tmp_path / "memory")
    assert report.error_records, "the comparison must cover the error browser"
    for name in ("report.json", "report.md", "report.html", "errors.jsonl"):
        streamed = (result.folder / "reports" / "acme" / name).read_bytes()
        assert streamed == (tmp_path / "memory" / name).read_bytes(), name
