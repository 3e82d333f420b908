"""Scoring from documents on disk, one pair at a time, in bounded memory.

:func:`score_scanned` takes what :func:`newsbench.scan.scan` kept of each gold and predicted document (its
id, where it is, a hash of its text), pairs them by id with the same checks and messages as the in-memory
pairing, then reads each pair back in gold id order, scores it and keeps only its statistics. The
signature's hashes are built in the same order as they are in memory, and the statistics are the same, so
the report is the same bytes as :func:`newsbench.eval.evaluate.score` gives for the same documents. Error
records (:func:`newsbench.eval.report.errors.document_errors`) go to a sink as each document is scored
(``errors.jsonl``), which keeps only what it writes (a bounded sample by default) for the HTML page.

Every document is read one way, :meth:`newsbench.scan.Rereader.checked` on its scanned record, then put
through the optional :class:`TypeView`; both are data a worker process can be given, so any scoring can
run in ``jobs`` processes, except of documents held only in memory, which no other process can read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsbench.eval.metrics.aggregate import metric_totals
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.scoring import GOLD_SOURCE, make_options, paused_gc
from newsbench.eval.metrics.stat_arrays import StatArrays
from newsbench.eval.report.errors import document_errors, error_line, leave_out
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import bootstrap_intervals
from newsbench.eval.stats.signature import DocumentsHash, hash_line, make_signature
from newsbench.model import Document
from newsbench.parallel import AHEAD, OrderedPool
from newsbench.problems import NewsbenchError, PredictionProblems, Problem
from newsbench.progress import Progress
from newsbench.scan import BATCH, Rereader, Scanned

__all__ = ["ErrorSink", "TypeView", "pairing_problems", "score_scanned"]


class TypeView(Protocol):
    """A type space both sides are scored in (an external track's types): applied to each gold document and
    each prediction after it is read. It is sent to worker processes with the pairs, so it must pickle."""

    def view(self, doc: Document) -> Document: ...


class ErrorSink(Protocol):
    """Where each document's error records go, as JSON objects in their final order; ``kept`` are the
    records it keeps (for the HTML page), ``found`` how many errors it was given and ``groups`` how many
    of each task, layer and reason."""

    kept: list[dict[str, Any]]
    found: int

    @property
    def groups(self) -> Mapping[Hashable, int]: ...

    def full(self) -> Collection[Hashable]:
        """Groups ``(task, layer, reason)`` whose records the sink would only count."""
        ...

    def add(
        self,
        records: Sequence[dict[str, Any]],
        left_out: Mapping[Hashable, int] | None = None,
        rendered: Sequence[str] | None = None,
    ) -> None:
        """Take one document's records; ``rendered`` are their ``errors.jsonl`` lines, made where the
        document was scored (a worker process), so that this process only writes them."""
        ...


def pairing_problems(gold: Mapping[str, Scanned], pred: Sequence[Scanned]) -> list[Problem]:
    """Unknown ids and changed texts, worded as :func:`newsbench.eval.metrics.scoring.pair_documents` words them."""
    if not gold:
        return [Problem(GOLD_SOURCE, None, "$", "there are no gold documents to score against")]
    problems: list[Problem] = []
    for item in pred:
        assert item.id is not None
        match = gold.get(item.id)
        if match is None:
            problems.append(Problem(item.where, item.id, "$.id", "no gold document has this id"))
        elif match.text_sha256 != item.text_sha256:
            message = "the text differs from the gold document's text, so its offsets cannot be compared"
            problems.append(Problem(item.where, item.id, "$.text", message))
    return sorted(problems)


def score_scanned(
    gold: Sequence[Scanned],
    pred: Sequence[Scanned],
    *,
    errors: ErrorSink | None = None,
    suite_hash: str | None = None,
    held: Sequence[Document] = (),
    view: TypeView | None = None,
    label: str = "",
    jobs: int = 1,
    **options: Any,
) -> Report:
    """Score the predictions ``pred`` against ``gold`` (both valid, as scanned), reading each pair back from
    its places (``held`` are the documents of places :data:`newsbench.scan.IN_MEMORY`), in ``view``'s
    type space when given; with ``errors`` each document's error records are built and handed to it. With a
    ``label``, a progress bar of that name counts the documents (on a terminal only). ``jobs`` above 1
    scores batches of pairs in that many processes, the report the same bytes; documents ``held`` in
    memory are scored in this process whatever ``jobs`` says, as a worker could not read them.

    Options are the fields of :class:`newsbench.eval.metrics.options.ScoreOptions`.
    """
    checked = make_options(**options)
    by_id = {item.id: item for item in gold if item.id is not None}
    NewsbenchError.collect(pairing_problems(by_id, pred))
    predicted = {item.id: item for item in pred}
    gold_hash, pred_hash = DocumentsHash(), DocumentsHash()
    results: list[DocResult] = []
    pairs = [(by_id[i], predicted.get(i)) for i in sorted(by_id)]
    bar = Progress(len(pairs), label, leave=False) if label else None
    try:
        with paused_gc():
            for batch in _scored(pairs, checked, errors, _Reading(held, view), 1 if held else jobs):
                for item in batch:
                    gold_hash.add_line(item.gold_line)
                    if item.pred_line is not None:
                        pred_hash.add_line(item.pred_line)
                    if errors is not None and item.records is not None:
                        errors.add(item.records, item.left_out, item.lines)
                    results.append(item.result)
                if bar is not None:
                    bar.advance(len(batch))
    finally:
        if bar is not None:
            bar.close()
    stats = StatArrays.of(results)
    sums = stats.sums()
    return Report(
        signature=make_signature(gold_hash.hexdigest(), pred_hash.hexdigest(), checked, suite_hash),
        options=checked,
        totals=metric_totals(sums),
        intervals=bootstrap_intervals(stats, sorted(sums), checked.bootstrap, checked.seed),
        gold_documents=len(by_id),
        predicted_documents=len(pred),
        missing=tuple(doc_id for doc_id in sorted(by_id) if doc_id not in predicted),
        suite_hash=suite_hash,
        results=results,
        prediction_problems=PredictionProblems.count(item.tolerated for item in pred),
        kept_records=errors.kept if errors is not None else None,
        error_count=errors.found if errors is not None else None,
        error_groups=dict(errors.groups) if errors is not None else None,
        errors_counted=errors is not None,
    )


@dataclass(frozen=True, slots=True)
class _Scored:
    """One pair scored: its statistics, its error records (None when none are collected) with their lines of
    ``errors.jsonl`` (rendered where the pair was scored: in a worker, that is work taken off the process
    that writes the file) and how many more errors were only counted, and the two documents' lines of the
    signature's hashes."""

    result: DocResult
    records: list[dict[str, Any]] | None
    lines: list[str] | None
    left_out: Counter[Hashable]
    gold_line: bytes
    pred_line: bytes | None


Pair = tuple[Scanned, Scanned | None]
"""A gold document and its prediction as scanned (None: no prediction, scored as empty)."""


@dataclass(frozen=True, slots=True)
class _Reading:
    """How a pair is read, here or in a worker (which is only ever given one with nothing ``held``)."""

    held: Sequence[Document]
    view: TypeView | None

    def document(self, reread: Rereader, item: Scanned) -> Document:
        doc = reread.checked(item)
        return doc if self.view is None else self.view.view(doc)


def _scored(
    pairs: list[Pair], checked: ScoreOptions, errors: ErrorSink | None, reading: _Reading, jobs: int
) -> Iterator[list[_Scored]]:
    """The pairs scored, a batch at a time, in order: here, or in ``jobs`` processes. A batch is given the
    error groups that were full when it was sent; a group that fills up meanwhile only has records built
    that the sink then counts rather than writes, so the errors file is the same either way."""
    collect = errors is not None

    def full() -> frozenset[Hashable]:
        return frozenset(errors.full()) if errors is not None else frozenset()

    if jobs <= 1 or len(pairs) <= BATCH:
        with Rereader(reading.held) as reread:
            for gold, pred in pairs:  # one pair a batch: the sink's full groups are always up to date
                yield [_score_pair(reading, reread, gold, pred, checked, collect, full())]
        return
    sent = _Reading((), reading.view)
    with OrderedPool[list[_Scored]](jobs) as pool:
        start = 0
        for size in _batch_sizes(len(pairs), jobs, collect):
            pool.submit(_score_batch, pairs[start : start + size], sent, checked, collect, full())
            start += size
            yield from pool.results()
        yield from pool.results(every=True)


def _batch_sizes(pairs: int, jobs: int, collect: bool) -> Iterator[int]:
    """The sizes of the batches ``pairs`` are sent in: :data:`BATCH`, but with error records collected, the
    pairs the pool takes before any result can come back (``AHEAD`` batches per process) go in batches a
    quarter of that size. Until results come back no error group is known to be full, so every record of
    those pairs is built, though the sample keeps only the first ones of each group; smaller first batches
    bring the first results back, and with them the full groups, sooner (a third of the records built on
    10,000 documents, 4% of the time)."""
    small = BATCH // 4 if collect else BATCH
    ramp = AHEAD * jobs * BATCH if collect else 0
    done = 0
    while done < pairs:
        size = min(pairs - done, small if done < ramp else BATCH)
        yield size
        done += size


def _score_batch(
    pairs: list[Pair], reading: _Reading, checked: ScoreOptions, collect: bool, full: frozenset[Hashable]
) -> list[list[_Scored]]:
    """A worker process's share: pairs read back and scored, as one batch, whose results share their keys,
    counts and cells (:mod:`newsbench.eval.metrics.shared`) and so travel back as one copy of each."""
    with paused_gc(), Rereader() as reread:
        return [[_score_pair(reading, reread, gold, pred, checked, collect, full) for gold, pred in pairs]]


def _score_pair(
    reading: _Reading,
    reread: Rereader,
    gold_item: Scanned,
    pred_item: Scanned | None,
    checked: ScoreOptions,
    collect: bool,
    full: frozenset[Hashable],
) -> _Scored:
    gold = reading.document(reread, gold_item)
    pred = gold.blank() if pred_item is None else reading.document(reread, pred_item)
    result = score_document(gold, pred, checked, collect, full)
    records, lines, left = None, None, Counter[Hashable]()
    if collect:
        left = leave_out(result, full)
        records = document_errors(result, gold.text)
        lines = [error_line(record) for record in records]
        result.errors.clear()
    pred_line = None if pred_item is None else hash_line(pred)
    return _Scored(result, records, lines, left, hash_line(gold), pred_line)
