"""The run loop: cached reruns do no work, interrupted runs resume to the same bytes, failures stay isolated.

The extractors here are small top-level classes so that spawned worker processes can import them by name.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import snapshot
from docfactory import TEXT, valid_document

from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.sanity import OracleExtractor
from newsbench.cli import main
from newsbench.digest import sha256_json
from newsbench.eval.bench.benchmark import RunSettings, run_corpus
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.run import forked
from newsbench.eval.run.cache import PredictionCache
from newsbench.eval.run.runner import FAILURE_META_KEY, Failure, run_systems
from newsbench.eval.run.verdict import checker_fingerprint
from newsbench.model import Document, Mention
from newsbench.progress import Progress
from newsbench.spans import Span

HEADLINE = {"entities": "strict", "events": "trigger_classification", "quotes": "end_to_end"}
OPTIONS = ScoreOptions(bootstrap=50)


def gold_docs(ids: list[str]) -> list[Document]:
    """Documents over the shared test text (curly quotes, an emoji, a combining mark, CRLF), one per id."""
    return [Document.from_json(valid_document(doc_id, f"{doc_id}: {TEXT}")) for doc_id in ids]


class Acme(BaseExtractor):
    """Predicts every "Acme" as an ORG name; counts its calls so tests can see what was served from cache."""

    name: ClassVar[str] = "acme"
    version: ClassVar[str] = "1"
    default_config: ClassVar[dict[str, Any]] = {"type": "ORG"}
    calls: ClassVar[list[str]] = []
    interrupt_after: ClassVar[int | None] = None

    def extract(self, document: Document) -> Document:
        if self.interrupt_after is not None and len(self.calls) >= self.interrupt_after:
            os.kill(
                os.getpid(), signal.SIGINT
            )  # Ctrl-C: a plug-in's own KeyboardInterrupt is only its failure
            time.sleep(5)
        self.calls.append(document.id)
        start = document.text.index("Acme")
        found = Mention("m1", (Span.of(document.text, start, start + 4),), self.config["type"], "NAM")
        return self.prediction(document, mentions=(found,))


class Faulty(Acme):
    """Misbehaves according to the document id; behaves like ``Acme`` on every other document."""

    name: ClassVar[str] = "faulty"

    def extract(self, document: Document) -> Document:
        good = super().extract(document)
        if "raise" in document.id:
            raise ValueError(f"cannot read {document.id}")
        if "hang" in document.id:
            time.sleep(60)
        if "exit" in document.id:
            os._exit(7)
        if "badspan" in document.id:
            wrong = Mention("m1", (Span(0, 4, "nope"),), "ORG", "NAM")
            return replace(good, mentions=(wrong,))
        if "badid" in document.id:
            return replace(good, id="someone-else")
        if "notdoc" in document.id:
            return good.to_json()  # type: ignore[return-value]
        return good


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Acme, "calls", [])
    monkeypatch.setattr(Acme, "interrupt_after", None)
    # These tests watch extraction through side effects (calls, Ctrl-C) visible only in this process, so
    # this module's systems are trusted like built-ins and not moved into a forked child.
    monkeypatch.setattr(forked, "TRUSTED_MODULES", (*forked.TRUSTED_MODULES, __name__))


def test_a_second_run_is_served_from_cache_without_extraction(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a", "b", "c"])
    first, work1 = run_systems([Acme()], docs, cache=cache)
    assert Acme.calls == ["a", "b", "c"]
    assert (work1.cached, work1.extracted) == (0, 3)
    second, work2 = run_systems([Acme()], docs, cache=cache)
    assert Acme.calls == ["a", "b", "c"]
    assert (work2.cached, work2.extracted) == (3, 0)
    assert second[0].predictions == first[0].predictions


def test_a_changed_config_is_a_different_cache_entry(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a"])
    run_systems([Acme()], docs, cache=cache)
    runs, work = run_systems([Acme(type="GPE")], docs, cache=cache)
    assert work.extracted == 1
    assert runs[0].predictions[0].mentions[0].type == "GPE"


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"\xff\xfe", b"[]", b'{"format": 1}'])
def test_a_corrupt_cache_entry_is_recomputed(tmp_path: Path, garbage: bytes) -> None:
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a", "b"])
    first, _ = run_systems([Acme()], docs, cache=cache)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_bytes(garbage)
    Acme.calls.clear()
    again, work = run_systems([Acme()], docs, cache=cache)
    assert len(Acme.calls) == 1
    assert (work.cached, work.extracted, work.unreadable_cache_entries) == (1, 1, 1)
    assert again[0].predictions == first[0].predictions


@pytest.mark.parametrize("stop_after", [0, 1, 3])
def test_an_interrupted_run_resumes_to_the_same_bytes(tmp_path: Path, stop_after: int) -> None:
    docs = gold_docs(["d1", "d2", "d3", "d4", "d5"])
    reference = run_corpus(
        [Acme()],
        docs,
        tmp_path / "ref",
        ("c", None),
        OPTIONS,
        RunSettings(PredictionCache(tmp_path / "c1")),
        HEADLINE,
    )
    Acme.calls.clear()
    settings = RunSettings(PredictionCache(tmp_path / "c2"))
    Acme.interrupt_after = stop_after
    with pytest.raises(KeyboardInterrupt):
        run_corpus([Acme()], docs, tmp_path / "out", ("c", None), OPTIONS, settings, HEADLINE)
    assert Acme.calls == ["d1", "d2", "d3"][:stop_after]
    Acme.interrupt_after = None
    resumed = run_corpus([Acme()], docs, tmp_path / "out", ("c", None), OPTIONS, settings, HEADLINE)
    assert Acme.calls == ["d1", "d2", "d3", "d4", "d5"]
    assert (resumed.work.cached, resumed.work.extracted) == (stop_after, 5 - stop_after)
    assert resumed.folder.name == reference.folder.name
    assert snapshot(resumed.folder) == snapshot(reference.folder)


def test_parallel_jobs_give_the_same_bytes_as_one_job(tmp_path: Path) -> None:
    docs = gold_docs([f"doc{i}" for i in range(6)])
    one = run_corpus([Acme()], docs, tmp_path / "one", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    two = run_corpus(
        [Acme()], docs, tmp_path / "two", ("c", None), OPTIONS, RunSettings(None, jobs=2), HEADLINE
    )
    assert snapshot(one.folder) == snapshot(two.folder)


@pytest.mark.parametrize(
    ("doc_id", "kind", "reason"),
    [
        ("d-raise", "error", "ValueError: cannot read d-raise"),
        ("d-badspan", "invalid", "$.mentions[0].spans[0].text: stored text 'nope' differs"),
        ("d-badid", "invalid", "$.id: the prediction is for 'someone-else', not 'd-badid'"),
        ("d-notdoc", "invalid", "extract returned dict, not a Document"),
    ],
)
def test_a_failing_document_is_recorded_and_the_rest_goes_on(doc_id: str, kind: str, reason: str) -> None:
    docs = gold_docs(["a-ok", doc_id, "z-ok"])
    (run,), _ = run_systems([Faulty()], docs)
    assert [o.doc_id for o in run.outcomes] == ["a-ok", doc_id, "z-ok"]
    (failed,) = run.failures
    assert failed.doc_id == doc_id
    assert failed.failure is not None and failed.failure.kind == kind
    assert reason in failed.failure.reason
    assert failed.prediction.mentions == () and failed.prediction.system is not None
    assert failed.prediction.meta[FAILURE_META_KEY]["kind"] == kind
    assert [len(o.prediction.mentions) for o in run.outcomes if o.failure is None] == [1, 1]


def test_hangs_and_crashed_workers_are_stopped_and_recorded(tmp_path: Path) -> None:
    docs = gold_docs(["a-ok", "b-hang", "c-exit", "d-raise", "e-ok"])
    # 10 s, not less: a worker must import the package and load the system within the limit on a busy machine
    (run,), _ = run_systems([Faulty()], docs, jobs=2, timeout=10)
    failures = {o.doc_id: o.failure for o in run.failures}
    assert failures == {
        "b-hang": Failure("timeout", "no prediction within the 10 s timeout"),
        "c-exit": Failure("error", "PluginExit: the plug-in called os._exit(7)"),
        "d-raise": Failure("error", "ValueError: cannot read d-raise"),
    }
    assert [len(o.prediction.mentions) for o in run.outcomes] == [1, 0, 0, 0, 1]


def test_invalid_outputs_are_cached_but_never_repaired_and_errors_are_retried(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a-badspan", "b-raise", "c-ok"])
    first, _ = run_systems([Faulty()], docs, cache=cache)
    Acme.calls.clear()
    second, work = run_systems([Faulty()], docs, cache=cache)
    assert Acme.calls == ["b-raise"]
    assert (work.cached, work.extracted) == (2, 1)
    assert [o.failure for o in second[0].outcomes] == [o.failure for o in first[0].outcomes]
    assert [o.failure is None for o in second[0].outcomes] == [False, False, True]


def test_the_oracle_is_given_gold_and_everyone_else_a_blank_document() -> None:
    from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor

    docs = gold_docs(["a"])
    oracle, empty = run_systems([OracleExtractor(), EmptyExtractor()], docs)[0]
    assert oracle.predictions[0].mentions == docs[0].mentions
    assert empty.predictions[0].mentions == ()
    assert not oracle.failures and not empty.failures


def test_progress_is_quiet_when_stderr_is_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = Progress(3, stream=stream)
    bar.advance()
    bar.advance(failed=1)
    bar.close()
    assert (bar.done, bar.failures, stream.getvalue()) == (2, 1, "")
    drawn = Progress(2, label="c", stream=stream, enabled=True)
    drawn.advance()
    drawn.advance(failed=1)
    drawn.close()
    line = stream.getvalue().split("\r")[-1]
    assert line.startswith("c: 100%") and "2/2" in line and "1 failed" in line


def test_a_run_draws_one_bar_per_system_counting_documents_with_rate_and_time_left() -> None:
    stream = io.StringIO()
    bar = Progress(2, label="bundled", stream=stream, enabled=True, lanes=["acme", "oracle"])
    run_systems([Acme(), OracleExtractor()], gold_docs(["a", "b"]), progress=bar)
    bar.close()
    drawn = stream.getvalue()
    finals = [line for line in drawn.replace("\n", "\r").split("\r") if "100%" in line]
    assert any(line.startswith("bundled acme: 100%") and "2/2" in line for line in finals)
    assert any(line.startswith("bundled oracle: 100%") and "2/2" in line for line in finals)
    assert all("docs/s]" in line and "<" in line for line in finals)  # rate and time left


def test_quiet_silences_every_bar_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("newsbench.progress._silenced", False)
    assert Progress(1, stream=Terminal()).enabled
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(valid_document()), encoding="utf-8")
    assert main(["score", "--quiet", "--corpus", str(gold), str(gold), "--bootstrap", "0"]) == 0
    assert not Progress(1, stream=Terminal()).enabled


def test_a_cached_verdict_from_other_checks_is_not_trusted(tmp_path: Path) -> None:
    """An entry claiming validity, stamped by different checks (an older schema, say), is checked again."""
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a-badspan"])
    run_systems([Faulty()], docs, cache=cache)
    (path,) = (tmp_path / "cache").rglob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["verdict"]["problem"] is not None
    data["verdict"] = {"problem": None, "checked_by": "an older checker"}
    data["sha256"] = sha256_json({k: data[k] for k in ("key", "verdict", "prediction")})  # a consistent entry
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (run,), work = run_systems([Faulty()], docs, cache=cache)
    assert work.cached == 1
    (failed,) = run.failures
    assert failed.failure is not None and failed.failure.kind == "invalid"
    assert json.loads(path.read_text(encoding="utf-8"))["verdict"]["checked_by"] == checker_fingerprint()


def _forge(prediction: dict[str, Any]) -> None:
    prediction["mentions"][0]["spans"][0]["end"] = len(prediction["text"]) + 40


@pytest.mark.parametrize(
    "forge",
    [
        _forge,  # offsets past the end of the text
        lambda p: p.pop("text"),
        lambda p: p["mentions"][0]["spans"][0].update(end=7.0),
        lambda p: p.update(mentions=5),
        lambda p: p.update(id="someone-else"),
        lambda p: p.update(text=p["text"][:-3]),
        lambda p: p["mentions"][0].update(type="NOT-A-TYPE"),
    ],
    ids=["outside-text", "no-text", "float-offset", "wrong-type", "other-id", "other-text", "unknown-type"],
)
def test_a_cached_entry_claiming_validity_with_a_matching_digest_is_checked_and_recomputed(
    tmp_path: Path, forge: Any
) -> None:
    """The sha256 catches a torn or edited entry, not one written whole with a matching digest (by a faulty
    build, by hand): every cached prediction is checked again, and one that fails is recomputed and counted,
    never used and never fatal."""
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a", "b"])
    first, _ = run_systems([Acme()], docs, cache=cache)
    path = sorted((tmp_path / "cache").rglob("*.json"))[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    original = json.loads(json.dumps(data["prediction"]))
    forge(data["prediction"])
    data["sha256"] = sha256_json({k: data[k] for k in ("key", "verdict", "prediction")})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    Acme.calls.clear()
    again, work = run_systems([Acme()], docs, cache=cache)
    assert (work.cached, work.extracted, work.unreadable_cache_entries) == (1, 1, 1)
    assert len(Acme.calls) == 1 and again[0].failures == []
    assert again[0].predictions == first[0].predictions
    assert json.loads(path.read_text(encoding="utf-8"))["prediction"] == original


class StopAfterFirst(Progress):
    """Interrupts the run (as Ctrl-C would, in the parent) once the first document is done."""

    def advance(self, count: int = 1, failed: int = 0, lane: int = 0) -> None:
        super().advance(count, failed, lane)
        raise KeyboardInterrupt


def test_an_interrupted_parallel_run_leaves_no_worker_and_resumes_from_cache(tmp_path: Path) -> None:
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs(["a", "b", "c", "d"])
    with pytest.raises(KeyboardInterrupt):
        run_systems(
            [Acme()], docs, cache=cache, jobs=2, timeout=30, progress=StopAfterFirst(4, enabled=False)
        )
    assert multiprocessing.active_children() == []
    (run,), work = run_systems([Acme()], docs, cache=cache)
    assert work.cached >= 1 and work.cached + work.extracted == 4
    assert [len(o.prediction.mentions) for o in run.outcomes] == [1, 1, 1, 1]
