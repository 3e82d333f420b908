"""Streaming scoring: the same report as scoring in memory, errors written as it goes, documents not kept.

``newsbench score`` reads documents one at a time (:mod:`newsbench.eval.streaming`); these tests show the
report is byte for byte the in-memory one on the bundled corpus and on synthetic sets, that errors.jsonl
holds the same records (all of them, or a bounded sample), and that no document outlives its scoring.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import random
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, REPO

from newsbench.cli import main
from newsbench.commands.score import scorer_from
from newsbench.corpus import document_root, load_corpus, read_documents
from newsbench.eval import compare, score
from newsbench.eval.report.errors import errors_jsonl
from newsbench.eval.report.errors_file import SAMPLE_PER_GROUP, ErrorsFile, layer_and_reason
from newsbench.eval.report.write import write_report
from newsbench.eval.streaming import _batch_sizes, score_scanned
from newsbench.model import Document
from newsbench.parallel import AHEAD, OrderedPool
from newsbench.problems import NewsbenchError, PredictionProblems
from newsbench.scan import BATCH, Rereader, Scanned, load, scan_all

sys.path.insert(0, str(REPO / "tests" / "perf"))
from synthetic import corpus, noisy_prediction


def _jsonl(path: Path, docs: list[Document]) -> Path:
    path.write_text(
        "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
    )
    return path


def _in_memory(gold: Path, pred: Path, **options: Any) -> Any:
    gold_docs = [item.document for item in read_documents([document_root(gold)], prediction=False)]
    loaded = read_documents([pred], prediction=True)
    problems = PredictionProblems.count(item.tolerated for item in loaded)
    return score(
        gold_docs, [i.document for i in loaded], prediction_problems=problems, collect_errors=True, **options
    )


def _bundled(tmp_path: Path) -> tuple[Path, Path]:
    rng = random.Random(3)
    gold = sorted(load_corpus(CORPUS).documents.values(), key=lambda d: d.id)
    preds = [noisy_prediction(g, rng) for g in gold if rng.random() > 0.1]  # some gold documents unpredicted
    rng.shuffle(preds)  # the prediction file's order is not the gold's
    return CORPUS, _jsonl(tmp_path / "pred.jsonl", preds)


def _synthetic_set(tmp_path: Path, n: int, seed: int) -> tuple[Path, Path]:
    gold, pred = corpus(n, 120, seed=seed)
    random.Random(seed).shuffle(gold)
    return _jsonl(tmp_path / "gold.jsonl", gold), _jsonl(tmp_path / "pred.jsonl", pred)


@pytest.mark.parametrize("which", ["bundled", "synthetic-40", "synthetic-7"])
def test_streaming_gives_the_in_memory_report_and_errors_byte_for_byte(which: str, tmp_path: Path) -> None:
    if which == "bundled":
        gold, pred = _bundled(tmp_path)
    else:
        n = int(which.split("-")[1])
        gold, pred = _synthetic_set(tmp_path, n, seed=n)
    options = ["--mention-kinds", "NAM,NOM", "--bootstrap", "200", "--seed", "5"]
    out = tmp_path / "out"
    assert (
        main(
            [
                "score",
                "--gold",
                str(gold),
                "--pred",
                str(pred),
                "--out",
                str(out),
                "--errors",
                "all",
                *options,
            ]
        )
        == 0
    )
    expected = _in_memory(gold, pred, mention_kinds=("NAM", "NOM"), bootstrap=200, seed=5)
    assert (out / "report.json").read_text(encoding="utf-8") == expected.dumps()
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == errors_jsonl(expected.error_records)


def test_the_bundled_corpus_report_carries_the_prediction_problems(tmp_path: Path) -> None:
    gold, pred = _bundled(tmp_path)
    out = tmp_path / "out"
    assert (
        main(["score", "--gold", str(gold), "--pred", str(pred), "--out", str(out), "--bootstrap", "0"]) == 0
    )
    found = json.loads((out / "report.json").read_text(encoding="utf-8"))["prediction_problems"]
    read = PredictionProblems.count(item.tolerated for item in read_documents([pred], prediction=True))
    assert found == read.to_json()
    assert found["of_documents"] == len(pred.read_text(encoding="utf-8").splitlines())
    assert found["by_rule"], "noisy predictions retype members of entities: some clusters mix types"
    assert "Prediction problems" in (out / "report.md").read_text(encoding="utf-8")


def test_errors_sample_keeps_the_first_records_of_each_group_and_none_writes_no_file(tmp_path: Path) -> None:
    gold, pred = _synthetic_set(tmp_path, 120, seed=2)
    every, sample, none = tmp_path / "all", tmp_path / "sample", tmp_path / "none"
    base = ["score", "--gold", str(gold), "--pred", str(pred), "--bootstrap", "0"]
    assert main([*base, "--out", str(every), "--errors", "all"]) == 0
    assert main([*base, "--out", str(sample)]) == 0  # the default
    assert main([*base, "--out", str(none), "--errors", "none"]) == 0
    records = [json.loads(line) for line in (every / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    kept: list[dict[str, Any]] = []
    per_group: dict[tuple[str, str, str], int] = {}
    for record in records:
        group = (record["task"], record["layer"], record["reason"])
        per_group[group] = per_group.get(group, 0) + 1
        if per_group[group] <= 100:
            kept.append(record)
    assert max(per_group.values()) > 100, "the set must be large enough for the sample to leave some out"
    sampled = [
        json.loads(line) for line in (sample / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sampled == kept
    assert not (none / "errors.jsonl").exists()
    assert (none / "report.json").read_bytes() == (every / "report.json").read_bytes()


def test_a_sample_counts_the_errors_it_leaves_out_as_all_would_write_them(tmp_path: Path) -> None:
    gold, pred = _synthetic_set(tmp_path, 150, seed=6)
    scanned_gold, scanned_pred = scan_all([gold], prediction=False), scan_all([pred], prediction=True)
    sinks = {mode: ErrorsFile(io.StringIO(), mode) for mode in ("all", "sample")}
    for sink in sinks.values():
        score_scanned(scanned_gold, scanned_pred, errors=sink, bootstrap=0)
    every, sample = sinks["all"], sinks["sample"]
    assert sample.full(), "the set must be large enough for some groups to be complete"
    assert sample.found == every.found == every.written == len(every.kept)
    assert sample.written < sample.found
    per_group: dict[Any, int] = {}
    first = []
    for record in every.kept:
        key = layer_and_reason(record)
        per_group[key] = per_group.get(key, 0) + 1
        if per_group[key] <= SAMPLE_PER_GROUP:
            first.append(record)
    assert sample.kept == first


class _CountingReader:
    """Reads documents as the scorer does, and checks at every read how many earlier ones are still alive."""

    def __init__(self) -> None:
        self.alive: list[weakref.ref[Document]] = []
        self.reads = 0
        self.most_alive = 0
        self.read = Rereader.checked

    def checked(self, reread: Rereader, item: Scanned) -> Document:
        self.most_alive = max(self.most_alive, sum(ref() is not None for ref in self.alive))
        doc = self.read(reread, item)
        self.alive.append(weakref.ref(doc))
        self.reads += 1
        return doc


def test_streaming_keeps_no_document_after_scoring_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold, pred = _synthetic_set(tmp_path, 60, seed=4)
    scanned = scan_all([gold], prediction=False), scan_all([pred], prediction=True)
    reader = _CountingReader()
    monkeypatch.setattr(Rereader, "checked", lambda reread, item: reader.checked(reread, item))
    report = score_scanned(*scanned, bootstrap=50)
    assert reader.reads == 120  # each gold document and each prediction read once
    assert reader.most_alive <= 2  # the pair just scored, never more
    assert all(ref() is None for ref in reader.alive)
    assert len(report.results) == 60
    assert all(not result.errors for result in report.results)


def test_scanning_keeps_where_each_document_is_not_the_document(tmp_path: Path) -> None:
    gold, _ = _synthetic_set(tmp_path, 5, seed=1)
    scanned = scan_all([gold], prediction=False)
    assert [item.place is not None and load(item.place).id for item in scanned] == [
        item.id for item in scanned
    ]
    assert all(not hasattr(item, "__dict__") for item in scanned)  # slots: ids, places and hashes only


def test_documents_read_back_are_the_documents_read_in_full(tmp_path: Path) -> None:
    gold, _ = _synthetic_set(tmp_path, 30, seed=5)
    folder = tmp_path / "files"
    folder.mkdir()
    docs = [item.document for item in read_documents([gold], prediction=False)]
    for i, doc in enumerate(docs[:20]):  # one document a file; every other one starts with a byte-order mark
        text = json.dumps(doc.to_json(), ensure_ascii=i % 3 == 0)
        (folder / f"{i:02}.json").write_bytes((b"\xef\xbb\xbf" if i % 2 else b"") + text.encode("utf-8"))
    expected = {d.id: d for d in docs}
    scanned = [
        *scan_all([gold], prediction=False),
        *scan_all([folder], prediction=False),
    ]
    assert len(scanned) == 50
    with Rereader() as read:
        for item in scanned:
            assert item.place is not None and item.id is not None
            assert read(item.place) == expected[item.id]
            assert len(read._open) <= Rereader.OPEN_FILES
    assert not read._open, "leaving the block closes every file"


def test_validate_in_two_processes_reports_what_one_process_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold, pred = _synthetic_set(tmp_path, 150, seed=6)  # over two batches of documents
    lines = gold.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[100])
    broken["mentions"][0]["spans"][0]["end"] = 10**6  # outside the text
    lines[100] = json.dumps(broken)
    lines.append(lines[3])  # an id used twice
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        assert main(["validate", "--jobs", jobs, str(gold), str(pred)]) == 1
        outputs.append(capsys.readouterr().err)
    assert outputs[0] == outputs[1]
    assert "is not inside the text" in outputs[0] and "the same id is also used in" in outputs[0]


def test_validate_reads_a_pipe_in_two_processes_as_it_reads_it_in_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One process per core is the default, so a pipe (``<(zcat corpus.jsonl.gz)``) must work in workers
    # too: its bytes cannot be read twice.
    gold, _ = _synthetic_set(tmp_path, 150, seed=6)
    lines = gold.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[120])
    broken["mentions"][0]["spans"][0]["end"] = 10**6
    lines[120] = json.dumps(broken)
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fifo = tmp_path / "piped.jsonl"
    os.mkfifo(fifo)
    outputs = []
    for jobs in ("1", "2"):
        # Written by another process, as a shell would: a writer thread's end of the pipe would be inherited
        # by the forked workers, and the pipe would never end.
        feeder = subprocess.Popen(["sh", "-c", 'cat "$0" > "$1"', str(gold), str(fifo)])
        assert main(["validate", "--jobs", jobs, str(fifo)]) == 1
        assert feeder.wait(timeout=60) == 0
        outputs.append(capsys.readouterr().err)
    assert outputs[0] == outputs[1]
    assert f"{fifo}:121" in outputs[0] and "is not inside the text" in outputs[0]


def test_input_of_one_batch_is_checked_and_scored_without_starting_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a process pool was started for one batch of documents")

    monkeypatch.setattr("newsbench.scan.OrderedPool", refused)
    monkeypatch.setattr("newsbench.eval.streaming.OrderedPool", refused)
    gold, pred = _synthetic_set(tmp_path, BATCH, seed=3)
    assert main(["validate", "--jobs", "2", str(gold)]) == 0
    assert main(["score", str(pred), "--corpus", str(gold), "--bootstrap", "0", "--jobs", "2"]) == 0
    assert "entities" in capsys.readouterr().out


def test_without_jobs_a_command_works_in_one_process_per_core_with_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[int] = []
    real = OrderedPool.__init__

    def counted(self: OrderedPool[Any], jobs: int) -> None:
        asked.append(jobs)
        real(self, jobs)

    monkeypatch.setattr(OrderedPool, "__init__", counted)
    monkeypatch.setattr("newsbench.parallel.cores", lambda: 2)
    monkeypatch.setattr("newsbench.parallel.WORKERS_BY_DEFAULT", True)
    gold, pred = _synthetic_set(tmp_path, 150, seed=4)
    printed = []
    for jobs in ([], ["--jobs", "1"]):
        out = tmp_path / f"out{len(jobs)}"
        assert (
            main(["score", str(pred), "--corpus", str(gold), "--bootstrap", "50", "--out", str(out), *jobs])
            == 0
        )
        printed.append(capsys.readouterr().out)
    assert asked == [2, 2, 2], "gold and predictions checked, then pairs scored, each in two processes"
    assert printed[0] == printed[1]
    for path in (tmp_path / "out0").iterdir():
        assert path.read_bytes() == (tmp_path / "out2" / path.name).read_bytes(), path.name


def test_compare_streamed_gives_the_in_memory_comparison(tmp_path: Path) -> None:
    gold, pred_a = _synthetic_set(tmp_path, 30, seed=8)
    rng = random.Random(1)
    gold_docs = [item.document for item in read_documents([gold], prediction=False)]
    pred_b = _jsonl(tmp_path / "b.jsonl", [noisy_prediction(g, rng) for g in gold_docs])
    out = tmp_path / "cmp"
    argv = [
        "compare",
        "--corpus",
        str(gold),
        str(pred_a),
        str(pred_b),
        "--bootstrap",
        "100",
        "--trials",
        "200",
    ]
    assert main([*argv, "--out", str(out)]) == 0
    systems = [
        (path.stem, [item.document for item in read_documents([path], prediction=True)])
        for path in (pred_a, pred_b)
    ]
    expected = compare(gold_docs, systems, trials=200, bootstrap=100)
    assert (out / "comparison.json").read_text(encoding="utf-8") == expected.dumps()


def _drop_some(pred: Path, every: int) -> Path:
    """The prediction file without every ``every``-th line: those gold documents are scored as empty."""
    lines = pred.read_text(encoding="utf-8").splitlines(keepends=True)
    pred.write_text("".join(line for i, line in enumerate(lines) if i % every), encoding="utf-8")
    return pred


@pytest.mark.parametrize(("n", "errors"), [(200, "all"), (700, "sample")])
def test_scoring_in_two_processes_writes_the_same_files_as_one(
    n: int, errors: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 700 documents are more than the pool takes before its first results come back: later batches leave
    # out the error groups whose sample filled up, earlier ones build records the sample then only counts.
    gold, pred = _synthetic_set(tmp_path, n, seed=n)
    _drop_some(pred, 9)
    printed = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        argv = ["score", str(pred), "--corpus", str(gold), "--out", str(out), "--errors", errors]
        assert main([*argv, "--bootstrap", "100", "--jobs", jobs]) == 0
        captured = capsys.readouterr()
        printed.append(captured.out + captured.err.replace(str(out), "OUT"))
    one, two = tmp_path / "out-1", tmp_path / "out-2"
    assert sorted(p.name for p in one.iterdir()) == sorted(p.name for p in two.iterdir())
    for path in one.iterdir():
        assert path.read_bytes() == (two / path.name).read_bytes(), path.name
    assert printed[0] == printed[1]
    assert ("errors (the first" in printed[0]) == (errors == "sample"), "a sample leaves some errors out"


@pytest.mark.parametrize("jobs", [2, 8])
def test_with_errors_collected_the_pairs_sent_before_any_result_go_in_smaller_batches(jobs: int) -> None:
    # Until results come back no error group is known to be full, so every record of those pairs is built.
    ahead = AHEAD * jobs * BATCH
    sizes = list(_batch_sizes(ahead + 3 * BATCH + 5, jobs, collect=True))
    assert sum(sizes) == ahead + 3 * BATCH + 5
    assert sizes == [BATCH // 4] * (4 * AHEAD * jobs) + [BATCH] * 3 + [5]
    assert list(_batch_sizes(3 * BATCH + 5, jobs, collect=False)) == [BATCH] * 3 + [5]
    assert list(_batch_sizes(0, jobs, collect=True)) == []


def test_compare_in_two_processes_gives_the_comparison_of_one(tmp_path: Path) -> None:
    gold, pred_a = _synthetic_set(tmp_path, 150, seed=9)
    rng = random.Random(2)
    gold_docs = [item.document for item in read_documents([gold], prediction=False)]
    pred_b = _jsonl(tmp_path / "b.jsonl", [noisy_prediction(g, rng) for g in gold_docs])
    for jobs in ("1", "2"):
        argv = ["compare", "--corpus", str(gold), str(pred_a), str(pred_b), "--out", str(tmp_path / jobs)]
        assert main([*argv, "--bootstrap", "50", "--trials", "50", "--jobs", jobs]) == 0
    assert (tmp_path / "1" / "comparison.json").read_bytes() == (
        tmp_path / "2" / "comparison.json"
    ).read_bytes()


def test_the_default_jobs_do_not_stand_in_the_way_of_a_dask_cluster(tmp_path: Path) -> None:
    args = argparse.Namespace(executor="dask", scheduler=None, jobs=None)
    if importlib.util.find_spec("distributed") is None:
        with pytest.raises(NewsbenchError, match="Dask is not installed"):
            scorer_from(args)
    else:
        assert scorer_from(args) is not None


def test_jobs_with_a_dask_cluster_is_a_usage_error_as_the_cluster_has_its_own_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold, pred = _synthetic_set(tmp_path, 3, seed=1)
    assert main(["score", str(pred), "--corpus", str(gold), "--executor", "dask", "--jobs", "2"]) == 2
    assert "--jobs 2 scores in local processes; --executor dask" in capsys.readouterr().err


def _error_section(report_md: str) -> str:
    return report_md.split("## Errors by layer and reason", 1)[1].split("\n## ", 1)[0]


def test_the_error_summary_counts_every_error_also_when_errors_jsonl_holds_a_sample(tmp_path: Path) -> None:
    gold, pred = _synthetic_set(tmp_path, 120, seed=2)
    base = ["score", str(pred), "--corpus", str(gold), "--bootstrap", "0"]
    for mode in ("all", "sample", "none"):
        assert main([*base, "--out", str(tmp_path / mode), "--errors", mode]) == 0
    every, sample, none = (
        _error_section((tmp_path / m / "report.md").read_text()) for m in ("all", "sample", "none")
    )
    found = len((tmp_path / "all" / "errors.jsonl").read_text(encoding="utf-8").splitlines())
    listed = len((tmp_path / "sample" / "errors.jsonl").read_text(encoding="utf-8").splitlines())
    assert listed < found
    assert f"{found} errors, each counted once; errors.jsonl lists them with" in every
    assert f"{found} errors, each counted once; errors.jsonl lists {listed} of them, the first 100" in sample
    assert every.split("\n| layer", 1)[1] == sample.split("\n| layer", 1)[1], "the same counts in both"
    assert "Not counted: scored with --errors none" in none and "n/a." in none and "| layer" not in none
    html = (tmp_path / "none" / "report.html").read_text(encoding="utf-8")
    assert "Not counted: scored with --errors none" in html


def test_reports_written_from_memory_say_what_the_errors_sample_holds_as_streaming_does(
    tmp_path: Path,
) -> None:
    gold, pred = _synthetic_set(tmp_path, 120, seed=2)
    assert (
        main(["score", str(pred), "--corpus", str(gold), "--bootstrap", "0", "--out", str(tmp_path / "s")])
        == 0
    )
    write_report(_in_memory(gold, pred, bootstrap=0), tmp_path / "m", "sample")
    for name in ("report.md", "errors.jsonl"):
        assert (tmp_path / "m" / name).read_bytes() == (tmp_path / "s" / name).read_bytes(), name


def test_predictions_of_a_whole_corpus_scored_on_one_split_leave_the_other_splits_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus_docs = load_corpus(CORPUS)
    test_ids = {d.id for d in corpus_docs.split("test")}
    rng = random.Random(4)
    every = [noisy_prediction(g, rng) for g in sorted(corpus_docs.documents.values(), key=lambda d: d.id)]
    whole = _jsonl(tmp_path / "whole.jsonl", every)
    only_test = _jsonl(tmp_path / "test.jsonl", [p for p in every if p.id in test_ids])
    base = ["--corpus", str(CORPUS), "--split", "test", "--bootstrap", "0"]
    assert main(["score", str(whole), *base, "--out", str(tmp_path / "whole")]) == 0
    note = capsys.readouterr().err
    assert (
        f"note: {len(every) - len(test_ids)} predictions of documents outside the test split left out" in note
    )
    assert main(["score", str(only_test), *base, "--out", str(tmp_path / "test")]) == 0
    whole_report = json.loads((tmp_path / "whole" / "report.json").read_text(encoding="utf-8"))
    test_report = json.loads((tmp_path / "test" / "report.json").read_text(encoding="utf-8"))
    assert whole_report == test_report
    assert main(["compare", str(whole), str(only_test), *base, "--trials", "20"]) == 0
    assert "note: whole: " in capsys.readouterr().err
    stranger = _jsonl(
        tmp_path / "stranger.jsonl", [Document.from_json({**every[0].to_json(), "id": "not-in-corpus"})]
    )
    assert main(["score", str(stranger), *base]) == 1
    assert "no gold document has this id" in capsys.readouterr().err


def test_every_error_goes_to_the_file_only_and_the_pages_read_it_back(tmp_path: Path) -> None:
    gold, pred = _synthetic_set(tmp_path, 60, seed=3)
    assert (
        main(
            [
                "score",
                str(pred),
                "--corpus",
                str(gold),
                "--bootstrap",
                "0",
                "--errors",
                "all",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    write_report(_in_memory(gold, pred, bootstrap=0), tmp_path / "m", "all")
    for name in ("report.md", "report.html", "errors.jsonl"):
        assert (tmp_path / "m" / name).read_bytes() == (tmp_path / "s" / name).read_bytes(), name
    sink = ErrorsFile(io.StringIO(), "all", keep=False)
    sink.add([{"task": "entities", "layer": "entities", "reason": "missed", "doc_id": "a"}])
    assert sink.found == sink.written == 1 and sink.kept == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_edited_after_it_was_checked_stops_scoring_rather_than_scoring_what_was_not_checked(
    jobs: int, tmp_path: Path
) -> None:
    gold, pred = _synthetic_set(tmp_path, 3 * 64, seed=5)  # three batches, so two processes are used
    scanned_gold, scanned_pred = scan_all([gold], prediction=False), scan_all([pred], prediction=True)
    data = pred.read_bytes()
    changed = data.replace(b'"type": "PER"', b'"type": "ORG"', 1)  # the same length: every place still parses
    assert changed != data
    pred.write_bytes(changed)
    with pytest.raises(NewsbenchError, match="changed since it was read and checked") as raised:
        score_scanned(scanned_gold, scanned_pred, bootstrap=0, jobs=jobs)
    assert raised.value.problems[0].file.startswith(str(pred))
