"""Scoring one (gold, prediction) document pair: the entry point the corpus-level scorer calls per document.

A gold document without a prediction is scored against ``gold.blank(...)``, an empty prediction. Every metric
of every task in ``options.tasks`` gets its overall key ``(task, metric, "")`` even when nothing is counted,
so reports always have the same key paths. With ``collect_errors`` off the scorers build no error records
(``DocResult.errors`` stays empty) and the statistics are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsbench.eval.metrics import entities, events, quotes
from newsbench.eval.metrics.conll import METRIC as CONLL
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.tally import declare
from newsbench.model import Document

Scorer = Callable[[Document, Document, ScoreOptions, DocResult, bool], None]

METRICS: dict[str, tuple[str, ...]] = {
    entities.TASK: (*entities.MODES, CONLL),
    events.TASK: events.METRICS,
    quotes.TASK: quotes.METRICS,
}
"""Every metric name per task: the fixed key paths of a report."""

_SCORERS: dict[str, Scorer] = {
    entities.TASK: entities.score_entities,
    events.TASK: events.score_events,
    quotes.TASK: quotes.score_quotes,
}


def score_document(
    gold: Document,
    pred: Document,
    options: ScoreOptions,
    collect_errors: bool = True,
    leave_out: frozenset[Any] = frozenset(),
) -> DocResult:
    """``leave_out``: error groups only to be counted (:attr:`DocResult.leave_out`)."""
    result = DocResult(gold.id, leave_out=leave_out)
    for task in options.tasks:
        declare(result, task, METRICS[task])
        _SCORERS[task](gold, pred, options, result, collect_errors)
    return result
