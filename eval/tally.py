"""A task's score sheet for one document: counts under fixed keys, and the errors behind them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsbench.eval.counts import Counts
from newsbench.eval.results import DocResult, ErrorRecord

_FIELDS = ("tp", "pos", "act", "cor", "inc", "par", "mis", "spu")


def declare(result: DocResult, task: str, metrics: Iterable[str]) -> None:
    """Create every metric's overall key, zero if nothing is counted, so reports have fixed key paths."""
    for metric in metrics:
        result.add((task, metric, ""), Counts())


class Sheet:
    """Counts of one task for one document, summed per ``(metric, label)`` and added to the result on close.

    Each item is counted under the overall label ``""`` and, given one, under its own label: every item has
    exactly one label, so the per-label keys of a metric add up to its overall key. Sums are kept as plain
    numbers (a long document counts tens of thousands of items), and scorers count items in a canonical
    order, so fractional credits add up to the same float whatever the input order.
    """

    def __init__(self, result: DocResult, task: str) -> None:
        self.result = result
        self.task = task
        self._sums: dict[tuple[str, str], list[float]] = {}

    def count(self, metric: str, label: str | None, counts: Counts) -> None:
        values = [float(getattr(counts, name)) for name in _FIELDS]
        for key in ((metric, ""), (metric, label)) if label is not None else ((metric, ""),):
            sums = self._sums.get(key)
            if sums is None:
                self._sums[key] = values[:]
            else:
                for i, value in enumerate(values):
                    sums[i] += value

    def error(
        self, metric: str, kind: str, reason: str, gold: dict[str, Any] | None, pred: dict[str, Any] | None
    ) -> None:
        self.result.errors.append(
            ErrorRecord(self.result.doc_id, self.task, metric, kind, reason, gold, pred)
        )

    def close(self) -> None:
        for (metric, label), sums in self._sums.items():
            tp, *integers = sums
            self.result.add((self.task, metric, label), Counts(tp, *(int(n) for n in integers)))
        self._sums.clear()
