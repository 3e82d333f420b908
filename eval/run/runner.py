"""The run loop: every system over every document, served from the cache where possible, failures isolated.

For each (system, document) the runner builds the system's input (``doc.blank()``, or the gold document for
a system with ``needs_gold``), looks the prediction up in the cache, and extracts the misses -- in this
process when there is neither parallelism nor a timeout to enforce, otherwise in a :class:`WorkerPool`.
Every output, fresh or cached, is validated the same way; a document the system raised on, hung on, or
answered invalidly is recorded as a :class:`Failure` and scored as an empty prediction, flagged in its
``meta``. Results are ordered by system and document id, never by completion, so ``--jobs N`` and a resumed
run give the same bytes as one uninterrupted ``--jobs 1`` run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Any

from newsbench.eval.run.cache import CacheKey, Entry, PredictionCache, document_hash
from newsbench.eval.run.executors import Executor, Task, local_executor
from newsbench.eval.run.gold import GoldSet
from newsbench.eval.run.verdict import check_prediction, checker_fingerprint
from newsbench.eval.run.workers import Attempt
from newsbench.extractor import TASKS, Extractor, attempted_tasks, config_hash, system_block
from newsbench.model import Document, SystemInfo
from newsbench.progress import Progress

FAILURE_META_KEY = "newsbench_failure"
"""Key in a prediction's ``meta`` marking it as the empty stand-in for a failed extraction."""


@dataclass(frozen=True)
class SystemSpec:
    """What identifies a system's predictions: name, version and config (with its hash)."""

    name: str
    version: str
    config: dict[str, Any]
    config_hash: str
    needs_gold: bool = False
    tasks: tuple[str, ...] = TASKS
    """The tasks the system attempts (not part of what identifies its predictions)."""

    @classmethod
    def of(cls, extractor: Extractor) -> SystemSpec:
        config = dict(extractor.config)
        return cls(
            str(extractor.name),
            str(extractor.version),
            config,
            config_hash(config),
            bool(getattr(extractor, "needs_gold", False)),
            attempted_tasks(extractor),
        )

    @property
    def info(self) -> SystemInfo:
        return SystemInfo(self.name, self.version, dict(self.config))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "config": self.config,
            "config_hash": self.config_hash,
        }


@dataclass(frozen=True)
class Failure:
    """Why a document has no prediction: ``error`` (raised), ``timeout`` (hung) or ``invalid`` (bad output)."""

    kind: str
    reason: str
    details: dict[str, Any] | None = None
    """What the system measured before failing (tokens spent, whether an answer came back unparsed)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "reason": self.reason}
        if self.details is not None:
            out["details"] = self.details
        return out


@dataclass(frozen=True)
class Outcome:
    """One document's prediction as scored, and the failure behind it when it is an empty stand-in."""

    doc_id: str
    prediction: Document
    failure: Failure | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """What a run keeps of one document's outcome once its prediction is written out: whether it failed,
    how much was predicted, and the cost figures a system reports in the prediction's ``meta``."""

    doc_id: str
    failure: Failure | None
    predicted: tuple[int, int, int, int]
    """Mentions, entities, events and quotes predicted."""
    llm: dict[str, Any] | None = None
    """The valid prediction's ``meta["llm"]`` (what the ``llm`` system measured), when it has one."""

    @classmethod
    def of(cls, outcome: Outcome) -> Record:
        doc = outcome.prediction
        meta = doc.meta.get("llm") if outcome.failure is None else None
        sizes = (len(doc.mentions), len(doc.entities), len(doc.events), len(doc.quotes))
        return cls(outcome.doc_id, outcome.failure, sizes, meta if isinstance(meta, dict) else None)


@dataclass
class SystemRecords:
    """One system's run as kept once its predictions are written: a :class:`Record` per document, by id."""

    system: SystemSpec
    records: list[Record]

    @property
    def failures(self) -> list[Record]:
        return [r for r in self.records if r.failure is not None]


@dataclass
class SystemRun:
    """One system's run with every prediction in memory (:func:`run_systems`)."""

    system: SystemSpec
    outcomes: list[Outcome]

    @property
    def predictions(self) -> list[Document]:
        return [o.prediction for o in self.outcomes]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failure is not None]

    @property
    def records(self) -> list[Record]:
        return [Record.of(o) for o in self.outcomes]


@dataclass
class Work:
    """How the predictions were obtained; shown on stderr, never written to reproducible files."""

    cached: int = 0
    extracted: int = 0
    unreadable_cache_entries: int = 0
    unwritable_cache_entries: int = 0


@dataclass
class _Task:
    """One (system, document) pair between the cache look-up and its outcome: what the system is given."""

    spec: SystemSpec
    key: CacheKey
    input: Document
    extractor: int
    position: int
    """The document's position in id order."""

    def settle(self, prediction: dict[str, Any] | None, failure: Failure | None) -> Outcome:
        """The outcome: the prediction when it is valid (``failure`` None), else the flagged stand-in."""
        if failure is None and prediction is not None:
            return Outcome(self.input.id, Document.from_json(prediction))
        failure = failure or Failure("error", "no prediction")
        return Outcome(self.input.id, stand_in(self.input, self.spec, failure), failure)


def input_for(spec: SystemSpec, gold: Document) -> Document:
    """What a system is given: the article without annotations, or the gold document for the oracle."""
    return gold if spec.needs_gold else gold.blank()


def stand_in(gold: Document, spec: SystemSpec, failure: Failure) -> Document:
    """The empty prediction a failed document is scored as, flagged so no reader mistakes it for output.

    ``gold`` may be the gold document or what the system was given (:func:`input_for`): both blank alike."""
    blank = gold.blank(spec.info)
    return replace(blank, meta={**blank.meta, FAILURE_META_KEY: failure.to_json()})


def _verified(task: _Task, entry: Entry, cache: PredictionCache) -> Entry | None:
    """The cached entry with the verdict the current checks give its prediction, or None when the stored
    verdict is not that one.

    The checks run again on every read: an entry's sha256 catches a torn or hand-edited file, not one written
    with a matching digest by a faulty build or by hand (offsets outside the text, a missing ``text``,
    another document's id), and such an entry must be neither used nor fatal. One whose verdict disagrees
    with the checks is reported, counted as unreadable and recomputed, as a damaged entry is; one checked by
    other checks gets the new verdict.
    """
    problem = check_prediction(entry.prediction, task.input.id, task.input.text, system_block(task.spec))
    if entry.checked_by != checker_fingerprint():
        entry = Entry(entry.prediction, problem, checker_fingerprint())
        cache.put(task.key, entry)
        return entry
    if problem != entry.problem:
        cache.discard(task.key, "holds a verdict the checks do not give its prediction")
        return None
    return entry


def _from_cache(task: _Task, entry: Entry) -> Outcome:
    """A cached output's outcome, its verdict from the current checks (:func:`_verified`)."""
    return task.settle(entry.prediction, None if entry.problem is None else Failure("invalid", entry.problem))


def _finish(task: _Task, result: Attempt, cache: PredictionCache | None) -> Outcome:
    """A fresh attempt's outcome; any output (valid or not) is cached with its verdict."""
    prediction = json.loads(result.output) if result.output is not None else None
    if cache is not None and prediction is not None:
        cache.put(task.key, Entry(prediction, result.reason, checker_fingerprint()))
    failure = None
    if result.status != "ok":
        details = json.loads(result.details) if result.details is not None else None
        failure = Failure(result.status, result.reason or result.status, details)
    return task.settle(prediction, failure)


OnOutcome = Callable[[int, int, Outcome], None]
"""Told each outcome as it is settled: the system's index, the document's position in id order, the outcome."""


def stream_systems(
    extractors: Sequence[Extractor],
    gold: GoldSet,
    on_outcome: OnOutcome,
    *,
    cache: PredictionCache | None = None,
    jobs: int = 1,
    timeout: float | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> Work:
    """Every extractor over every gold document, system after system, documents in id order, each outcome
    handed to ``on_outcome`` as it is settled (cached ones at once, extracted ones as they finish).

    Each gold document is read when its turn comes and dropped once its input is handed over: the executor
    takes the inputs as it has room for them, so only the documents in flight are held, whatever the size
    of the corpus. ``executor`` says where the misses are extracted; by default, as ``jobs`` and ``timeout``
    ask.
    """
    specs = [SystemSpec.of(x) for x in extractors]
    work = Work()
    unreadable_before = cache.unreadable if cache is not None else 0
    unwritable_before = cache.unwritable if cache is not None else 0
    in_flight: dict[int, _Task] = {}

    def told(task: _Task, outcome: Outcome) -> None:
        on_outcome(task.extractor, task.position, outcome)
        if progress is not None:
            progress.advance(failed=int(outcome.failure is not None), lane=task.extractor)

    def misses() -> Iterator[Task]:
        """The inputs the cache lacks, read and built one at a time as the executor asks for them."""
        sent = 0
        for s, spec in enumerate(specs):
            for position in range(len(gold)):
                given = input_for(spec, gold.document(position))
                key = CacheKey(spec.name, spec.version, spec.config_hash, document_hash(given))
                task = _Task(spec, key, given, s, position)
                entry = cache.get(key) if cache is not None else None
                if entry is not None and cache is not None:
                    entry = _verified(task, entry, cache)
                if entry is not None:
                    work.cached += 1
                    told(task, _from_cache(task, entry))
                    continue
                in_flight[sent] = task
                sent += 1
                yield s, given

    chosen = executor if executor is not None else local_executor(jobs, timeout)
    results: Generator[tuple[int, Attempt], None, None] = chosen.attempts(extractors, misses())
    # Closed on any exit, an interrupt included, so the pool kills its workers at once rather than whenever
    # the traceback holding this frame is freed. Each finished document is already in the cache.
    with closing(results):
        for index, result in results:
            task = in_flight.pop(index)
            work.extracted += 1
            told(task, _finish(task, result, cache))
    if cache is not None:
        work.unreadable_cache_entries = cache.unreadable - unreadable_before
        work.unwritable_cache_entries = cache.unwritable - unwritable_before
    return work


def run_systems(
    extractors: Sequence[Extractor],
    gold: Sequence[Document],
    *,
    cache: PredictionCache | None = None,
    jobs: int = 1,
    timeout: float | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> tuple[list[SystemRun], Work]:
    """Predictions of every extractor for every gold document, in system order then document id order, all
    kept in memory (:func:`stream_systems` keeps none).

    ``executor`` says where the misses are extracted; by default, as ``jobs`` and ``timeout`` ask.
    """
    docs = GoldSet.of_documents(gold)
    found: list[dict[int, Outcome]] = [{} for _ in extractors]

    def keep(system: int, position: int, outcome: Outcome) -> None:
        found[system][position] = outcome

    work = stream_systems(
        extractors,
        docs,
        keep,
        cache=cache,
        jobs=jobs,
        timeout=timeout,
        progress=progress,
        executor=executor,
    )
    runs = [
        SystemRun(SystemSpec.of(x), [outcomes[p] for p in sorted(outcomes)])
        for x, outcomes in zip(extractors, found, strict=True)
    ]
    return runs, work
