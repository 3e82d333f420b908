"""A task's score sheet for one document: counts under fixed keys, and the errors behind them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from newsbench.eval.counts import Counts
from newsbench.eval.results import DocResult, ErrorRecord


def declare(result: DocResult, task: str, metrics: Iterable[str]) -> None:
    """Create every metric's overall key, zero if nothing is counted, so reports have fixed key paths."""
    for metric in metrics:
        result.stats.setdefault((task, metric, ""), Counts())


JSON = dict[str, Any]
T = TypeVar("T")

_HIT = Counts(tp=1.0, pos=1, act=1)
_MISS = Counts(pos=1)
_FALSE_ALARM = Counts(act=1)


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
        self._described: dict[tuple[int, Callable[[Any], JSON]], JSON] = {}

    def count(self, metric: str, label: str | None, counts: Counts, times: int = 1) -> None:
        """Count ``times`` items, each worth ``counts``, under ``label``."""
        row = [
            counts.tp * times,
            counts.pos * times,
            counts.act * times,
            counts.cor * times,
            counts.inc * times,
            counts.par * times,
            counts.mis * times,
            counts.spu * times,
        ]
        all_sums = self._sums
        for key in ((metric, ""), (metric, label)) if label is not None else ((metric, ""),):
            sums = all_sums.get(key)
            if sums is None:
                all_sums[key] = row[:]  # the same floats as adding the row to zeros
            else:
                sums[0] += row[0]
                sums[1] += row[1]
                sums[2] += row[2]
                sums[3] += row[3]
                sums[4] += row[4]
                sums[5] += row[5]
                sums[6] += row[6]
                sums[7] += row[7]

    def count_each(self, metric: str, labels: Iterable[str], counts: Counts) -> None:
        """Count one item worth ``counts`` per label listed (labels may repeat)."""
        times: dict[str, int] = {}
        for label in labels:
            times[label] = times.get(label, 0) + 1
        for label in sorted(times):
            self.count(metric, label, counts, times[label])

    def count_matching(
        self,
        metric: str,
        matching: Sequence[tuple[int, int]],
        gold_labels: Sequence[str],
        pred_labels: Sequence[str],
    ) -> tuple[list[int], list[int]]:
        """P/R/F over items: each pair is one hit under its gold label, every other item a miss or a false
        alarm under its own label. Returns the unmatched gold and predicted indices, for error records."""
        matched_gold = {g for g, _ in matching}
        matched_pred = {p for _, p in matching}
        missed = [g for g in range(len(gold_labels)) if g not in matched_gold]
        spurious = [p for p in range(len(pred_labels)) if p not in matched_pred]
        self.count_each(metric, (gold_labels[g] for g, _ in matching), _HIT)
        self.count_each(metric, (gold_labels[g] for g in missed), _MISS)
        self.count_each(metric, (pred_labels[p] for p in spurious), _FALSE_ALARM)
        return missed, spurious

    def error(
        self, metric: str, kind: str, reason: str, gold: dict[str, Any] | None, pred: dict[str, Any] | None
    ) -> None:
        self.result.errors.append(
            ErrorRecord(self.result.doc_id, self.task, metric, kind, reason, gold, pred)
        )

    def describe(self, item: T, how: Callable[[T], JSON]) -> JSON:
        """``how(item)``, made once per item while the document is scored: a mention missed in every entity
        mode is reported four times. The error records share the dict, which nothing mutates."""
        key = (id(item), how)
        made = self._described.get(key)
        if made is None:
            made = self._described[key] = how(item)
        return made

    def close(self) -> None:
        stats = self.result.stats
        for (metric, label), (tp, pos, act, cor, inc, par, mis, spu) in self._sums.items():
            key = (self.task, metric, label)
            before = stats.get(key)
            if before is not None:
                tp, pos, act, cor = tp + before.tp, pos + before.pos, act + before.act, cor + before.cor
                inc, par, mis, spu = inc + before.inc, par + before.par, mis + before.mis, spu + before.spu
            stats[key] = shared_counts(tp, int(pos), int(act), int(cor), int(inc), int(par), int(mis), int(spu))
        self._sums.clear()


_SHARED: dict[tuple[float, int, int, int, int, int, int, int], Counts] = {}
_SHARED_MAX = 1 << 16


def shared_counts(tp: float, pos: int, act: int, cor: int, inc: int, par: int, mis: int, spu: int) -> Counts:
    """``Counts(tp, pos, …)``, one shared instance per value.

    Documents keep counts under a hundred keys each and most values recur (one hit, one miss), so sharing
    the immutable instances saves building hundreds of thousands of equal objects per corpus. The table is
    emptied when it grows large, so memory stays bounded on any input.
    """
    value = (tp, pos, act, cor, inc, par, mis, spu)
    found = _SHARED.get(value)
    if found is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        found = _SHARED[value] = Counts(*value)
    return found
