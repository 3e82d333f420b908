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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from newsbench.baselines.base import config_hash
from newsbench.eval.cache import CacheKey, PredictionCache, document_hash
from newsbench.eval.workers import Attempt, Recipe, WorkerPool, attempt

from newsbench.model import Document, SystemInfo
from newsbench.progress import Progress
from newsbench.validate import validate_data

FAILURE_META_KEY = "newsbench_failure"
"""Key in a prediction's ``meta`` marking it as the empty stand-in for a failed extraction."""
MAX_REASON_PROBLEMS = 5
"""Validator problems quoted in a failure's reason; the count of the rest is given."""


@dataclass(frozen=True)
class SystemSpec:
    """What identifies a system's predictions: name, version and config (with its hash)."""

    name: str
    version: str
    config: dict[str, Any]
    config_hash: str
    needs_gold: bool = False

    @classmethod
    def of(cls, extractor: Any) -> SystemSpec:
        config = dict(extractor.config)
        return cls(
            str(extractor.name),
            str(extractor.version),
            config,
            config_hash(config),
            bool(getattr(extractor, "needs_gold", False)),
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

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class Outcome:
    """One document's prediction as scored, and the failure behind it when it is an empty stand-in."""

    doc_id: str
    prediction: Document
    failure: Failure | None = None


@dataclass
class SystemRun:
    system: SystemSpec
    outcomes: list[Outcome]

    @property
    def predictions(self) -> list[Document]:
        return [o.prediction for o in self.outcomes]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failure is not None]


@dataclass
class Work:
    """How the predictions were obtained; shown on stderr, never written to reproducible files."""

    cached: int = 0
    extracted: int = 0
    unreadable_cache_entries: int = 0


@dataclass
class _Task:
    spec: SystemSpec
    gold: Document
    key: CacheKey
    input: Document
    extractor: int
    outcome: Outcome | None = None

    def settle(self, raw: dict[str, Any] | None, failure: Failure | None = None) -> Outcome:
        """The outcome for an output (validated here, whether fresh or cached) or for a failure."""
        if raw is not None:
            failure = check_prediction(raw, self.input, self.spec)
            if failure is None:
                self.outcome = Outcome(self.gold.id, Document.from_json(raw))
                return self.outcome
        failure = failure or Failure("error", "no prediction")
        self.outcome = Outcome(self.gold.id, stand_in(self.gold, self.spec, failure), failure)
        return self.outcome


def input_for(spec: SystemSpec, gold: Document) -> Document:
    """What a system is given: the article without annotations, or the gold document for the oracle."""
    return gold if spec.needs_gold else gold.blank()


def check_prediction(raw: dict[str, Any], given: Document, spec: SystemSpec) -> Failure | None:
    """Schema and consistency checks; an invalid output is reported with the validator's words, not repaired."""
    reasons = [f"{p.path}: {p.message}" for p in validate_data(raw, f"{spec.name} prediction")]
    if raw.get("id") != given.id:
        reasons.append(f"$.id: the prediction is for {raw.get('id')!r}, not {given.id!r}")
    if raw.get("text") != given.text:
        reasons.append("$.text: the prediction's text differs from the document's text")
    expected = {"name": spec.name, "version": spec.version, "config": spec.config}
    if raw.get("system") != expected:
        reasons.append(f"$.system: expected {json.dumps(expected, sort_keys=True)}")
    if not reasons:
        return None
    shown = "; ".join(reasons[:MAX_REASON_PROBLEMS])
    more = len(reasons) - MAX_REASON_PROBLEMS
    return Failure("invalid", shown + (f"; and {more} more" if more > 0 else ""))


def stand_in(gold: Document, spec: SystemSpec, failure: Failure) -> Document:
    """The empty prediction a failed document is scored as, flagged so no reader mistakes it for output."""
    blank = gold.blank(spec.info)
    return replace(blank, meta={**blank.meta, FAILURE_META_KEY: failure.to_json()})


def _finish(task: _Task, result: Attempt, cache: PredictionCache | None, progress: Progress | None) -> None:
    if result.status == "ok":
        raw = json.loads(result.payload)
        if cache is not None:
            cache.put(task.key, raw)
        outcome = task.settle(raw)
    else:
        outcome = task.settle(None, Failure(result.status, result.payload))
    if progress is not None:
        progress.advance(failed=int(outcome.failure is not None))


def run_systems(
    extractors: Sequence[Any],
    gold: Sequence[Document],
    *,
    cache: PredictionCache | None = None,
    jobs: int = 1,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> tuple[list[SystemRun], Work]:
    """Predictions of every extractor for every gold document, in system order then document id order."""
    docs = sorted(gold, key=lambda d: d.id)
    specs = [SystemSpec.of(x) for x in extractors]
    blank_hashes = [document_hash(d.blank()) for d in docs]
    tasks: list[_Task] = []
    for s, spec in enumerate(specs):
        for d, doc in enumerate(docs):
            given = input_for(spec, doc)
            digest = document_hash(given) if spec.needs_gold else blank_hashes[d]
            key = CacheKey(spec.name, spec.version, spec.config_hash, digest)
            tasks.append(_Task(spec, doc, key, given, extractor=s))

    work = Work()
    unreadable_before = cache.unreadable if cache is not None else 0
    missing: list[_Task] = []
    for task in tasks:
        raw = cache.get(task.key) if cache is not None else None
        if raw is None:
            missing.append(task)
            continue
        work.cached += 1
        outcome = task.settle(raw)
        if progress is not None:
            progress.advance(failed=int(outcome.failure is not None))
    work.extracted = len(missing)

    if jobs <= 1 and timeout is None:
        for task in missing:
            _finish(task, attempt(extractors[task.extractor], task.input), cache, progress)
    else:
        recipes = [Recipe.of(x) for x in extractors]
        pool = WorkerPool(jobs, timeout)
        for index, result in pool.run([(recipes[t.extractor], t.input) for t in missing]):
            _finish(missing[index], result, cache, progress)
    if cache is not None:
        work.unreadable_cache_entries = cache.unreadable - unreadable_before

    runs = [SystemRun(spec, []) for spec in specs]
    for task in tasks:
        assert task.outcome is not None
        runs[task.extractor].outcomes.append(task.outcome)
    return runs, work
