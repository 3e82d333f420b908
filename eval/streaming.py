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

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from newsbench.eval.metrics.aggregate import metric_totals, sum_stats
from newsbench.eval.metrics.confusion import Cell
from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.results import DocResult, StatKey
from newsbench.eval.metrics.scoring import GOLD_SOURCE, make_options, paused_gc
from newsbench.eval.report.errors import document_errors, leave_out
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import bootstrap_intervals
from newsbench.eval.stats.signature import DocumentsHash, make_signature
from newsbench.model import Document
from newsbench.problems import NewsbenchError, PredictionProblems, Problem
from newsbench.progress import tracked
from newsbench.scan import Place, Rereader, Scanned

__all__ = ["ErrorSink", "pairing_problems", "score_scanned"]


class ErrorSink(Protocol):
    """Where each document's error records go, as JSON objects in their final order; ``kept`` are the
    records it keeps (for the HTML page) and ``found`` how many it was given."""

    kept: list[dict[str, Any]]
    found: int

    def full(self) -> Collection[Hashable]:
        """Groups ``(task, layer, reason)`` whose records the sink would only count."""
        ...

    def add(self, records: Sequence[dict[str, Any]], left_out: int = 0) -> None: ...


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
    **options: Any,
) -> Report:
    """Score the predictions ``pred`` against ``gold`` (both valid, as scanned), reading each pair back with
    ``read`` (by default a :class:`newsbench.scan.Rereader`); with ``errors`` each document's error records are built and handed to it. With a ``label``, a
    progress bar of that name counts the documents (on a terminal only).

    Options are the fields of :class:`newsbench.eval.metrics.options.ScoreOptions`.
    """
    checked = make_options(**options)
    by_id = {item.id: item for item in gold if item.id is not None}
    NewsbenchError.collect(pairing_problems(by_id, pred))
    predicted = {item.id: item for item in pred}
    gold_hash, pred_hash = DocumentsHash(), DocumentsHash()
    results: list[DocResult] = []
    # Every document has the same keys, mostly the same few counts and the same few confusion cells: one
    # object each, shared, keeps the statistics of 20,000 documents in tens of megabytes rather than hundreds.
    shared: dict[StatKey, StatKey] = {}
    shared_counts: dict[Counts, Counts] = {}
    shared_cells: dict[Cell, Cell] = {}
    with paused_gc(), Rereader() as reread:
        read = read or reread
        ids: Iterable[str] = sorted(by_id)
        if label:
            ids = tracked(ids, len(by_id), label)
        for doc_id in ids:
            g = read(_place(by_id[doc_id]))
            gold_hash.add(g)
            match = predicted.get(doc_id)
            p = g.blank() if match is None else read(_place(match))
            if match is not None:
                pred_hash.add(p)
            full = frozenset(errors.full()) if errors is not None else frozenset()
            result = score_document(g, p, checked, errors is not None, full)
            if errors is not None:
                left_out = leave_out(result, full)
                errors.add(document_errors(result, g.text), left_out)
                result.errors.clear()
            result.stats = {
                shared.setdefault(k, k): shared_counts.setdefault(c, c) for k, c in result.stats.items()
            }
            result.confusion = {
                task: {shared_cells.setdefault(c, c): n for c, n in cells.items()}
                for task, cells in result.confusion.items()
            }
            results.append(result)
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
    )


def _place(item: Scanned) -> Place:
    assert item.place is not None, "a scanned document always has a place"
    return item.place
