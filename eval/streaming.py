"""Scoring from documents on disk, one pair at a time, in bounded memory.

:func:`score_scanned` takes what :func:`newsbench.scan.scan` kept of each gold and predicted document (its
id, where it is, a hash of its text), pairs them by id with the same checks and messages as the in-memory
pairing, then reads each pair back in gold id order, scores it and keeps only its statistics. The
signature's hashes are built in the same order as they are in memory, and the statistics are the same, so
the report is the same bytes as :func:`newsbench.eval.evaluate.score` gives for the same documents. Error
records (:func:`newsbench.eval.report.errors.document_errors`) go to a sink as each document is scored
(``errors.jsonl``), which keeps only what it writes (a bounded sample by default) for the HTML page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsbench.eval.metrics.aggregate import metric_totals, sum_stats
from newsbench.eval.metrics.confusion import Cell
from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult, StatKey
from newsbench.eval.metrics.scoring import GOLD_SOURCE, make_options, paused_gc
from newsbench.eval.report.errors import document_errors, leave_out
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import bootstrap_intervals
from newsbench.eval.stats.signature import DocumentsHash, hash_line, make_signature
from newsbench.model import Document
from newsbench.parallel import OrderedPool
from newsbench.problems import NewsbenchError, PredictionProblems, Problem
from newsbench.progress import Progress
from newsbench.scan import BATCH, Place, Rereader, Scanned

__all__ = ["ErrorSink", "pairing_problems", "score_scanned"]


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
        self, records: Sequence[dict[str, Any]], left_out: Mapping[Hashable, int] | None = None
    ) -> None: ...


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
    read: Callable[[Place], Document] | None = None,
    label: str = "",
    jobs: int = 1,
    **options: Any,
) -> Report:
    """Score the predictions ``pred`` against ``gold`` (both valid, as scanned), reading each pair back with
    ``read`` (by default a :class:`newsbench.scan.Rereader`); with ``errors`` each document's error records
    are built and handed to it. With a ``label``, a progress bar of that name counts the documents (on a
    terminal only). ``jobs`` above 1 scores batches of pairs in that many processes (``read`` must then be
    the default): the report is the same bytes.

    Options are the fields of :class:`newsbench.eval.metrics.options.ScoreOptions`.
    """
    checked = make_options(**options)
    by_id = {item.id: item for item in gold if item.id is not None}
    NewsbenchError.collect(pairing_problems(by_id, pred))
    if read is not None and jobs > 1:
        raise ValueError("score_scanned reads with its own readers when jobs > 1; leave read out")
    predicted = {item.id: item for item in pred}
    gold_hash, pred_hash = DocumentsHash(), DocumentsHash()
    results: list[DocResult] = []
    shared = Shared()
    pairs = [(by_id[i], predicted.get(i)) for i in sorted(by_id)]
    bar = Progress(len(pairs), label, leave=False) if label else None
    try:
        with paused_gc():
            for batch in _scored(pairs, checked, errors, read, jobs):
                shared.adopt([item.result for item in batch])
                for item in batch:
                    gold_hash.add_line(item.gold_line)
                    if item.pred_line is not None:
                        pred_hash.add_line(item.pred_line)
                    if errors is not None and item.records is not None:
                        errors.add(item.records, item.left_out)
                    results.append(item.result)
                if bar is not None:
                    bar.advance(len(batch))
    finally:
        if bar is not None:
            bar.close()
    sums = sum_stats(results)
    return Report(
        signature=make_signature(gold_hash.hexdigest(), pred_hash.hexdigest(), checked, suite_hash),
        options=checked,
        totals=metric_totals(sums),
        intervals=bootstrap_intervals(results, sorted(sums), checked.bootstrap, checked.seed),
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
    """One pair scored: its statistics, its error records (None when none are collected) and how many more
    errors were only counted, and the two documents' lines of the signature's hashes."""

    result: DocResult
    records: list[dict[str, Any]] | None
    left_out: Counter[Hashable]
    gold_line: bytes
    pred_line: bytes | None


Pair = tuple[Scanned, Scanned | None]
"""A gold document and its prediction as scanned (None: no prediction, scored as empty)."""
Reader = Callable[[Scanned], Document]


def _scored(
    pairs: list[Pair],
    checked: ScoreOptions,
    errors: ErrorSink | None,
    read: Callable[[Place], Document] | None,
    jobs: int,
) -> Iterator[list[_Scored]]:
    """The pairs scored, a batch at a time, in order: here, or in ``jobs`` processes. A batch is given the
    error groups that were full when it was sent; a group that fills up meanwhile only has records built
    that the sink then counts rather than writes, so the errors file is the same either way."""
    collect = errors is not None

    def full() -> frozenset[Hashable]:
        return frozenset(errors.full()) if errors is not None else frozenset()

    if jobs <= 1 or len(pairs) <= BATCH:
        with Rereader() as reread:
            reader: Reader = reread.checked if read is None else lambda item: read(_place(item))
            for gold, pred in pairs:  # one pair a batch: the sink's full groups are always up to date
                yield [_score_pair(reader, gold, pred, checked, collect, full())]
        return
    with OrderedPool[list[_Scored]](jobs) as pool:
        for start in range(0, len(pairs), BATCH):
            pool.submit(_score_batch, pairs[start : start + BATCH], checked, collect, full())
            yield from pool.results()
        yield from pool.results(every=True)


def _score_batch(
    pairs: list[Pair], checked: ScoreOptions, collect: bool, full: frozenset[Hashable]
) -> list[list[_Scored]]:
    """A worker process's share: pairs read back and scored, as one batch whose results share their keys,
    counts and cells (:class:`Shared`), so they travel back as one copy of each."""
    with paused_gc(), Rereader() as reread:
        batch = [_score_pair(reread.checked, gold, pred, checked, collect, full) for gold, pred in pairs]
    Shared().adopt([item.result for item in batch])
    return [batch]


def _score_pair(
    read: Reader,
    gold_item: Scanned,
    pred_item: Scanned | None,
    checked: ScoreOptions,
    collect: bool,
    full: frozenset[Hashable],
) -> _Scored:
    gold = read(gold_item)
    pred = gold.blank() if pred_item is None else read(pred_item)
    result = score_document(gold, pred, checked, collect, full)
    records, left = None, Counter[Hashable]()
    if collect:
        left = leave_out(result, full)
        records = document_errors(result, gold.text)
        result.errors.clear()
    return _Scored(result, records, left, hash_line(gold), None if pred_item is None else hash_line(pred))


class Shared:
    """One object for each distinct statistics key, count and confusion cell.

    Every document has the same keys, mostly the same few counts and the same few cells: one object each,
    shared, keeps the statistics of 20,000 documents in tens of megabytes rather than hundreds.
    """

    def __init__(self) -> None:
        self._keys: dict[StatKey, StatKey] = {}
        self._counts: dict[Counts, Counts] = {}
        self._cells: dict[Cell, Cell] = {}

    def adopt(self, results: list[DocResult]) -> None:
        """Make ``results`` use the shared objects. Results read back together (unpickled from one batch)
        already share objects among themselves, so each distinct object is looked up once, by identity
        (the objects stay alive in ``results`` meanwhile, so no identity is reused)."""
        counts: dict[int, Counts] = {}
        for result in results:
            stats: dict[StatKey, Counts] = {}
            for key, value in result.stats.items():
                one = counts.get(id(value))
                if one is None:
                    one = counts[id(value)] = self._counts.setdefault(value, value)
                stats[self._keys.setdefault(key, key)] = one
            result.stats = stats
            result.confusion = {
                task: {self._cells.setdefault(c, c): n for c, n in cells.items()}
                for task, cells in result.confusion.items()
            }


def _place(item: Scanned) -> Place:
    assert item.place is not None, "a scanned document always has a place"
    return item.place
