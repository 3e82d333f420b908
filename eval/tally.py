"""A task's score sheet for one document: counts under fixed keys, and the errors behind them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from newsbench.eval.counts import Counts
from newsbench.eval.results import DocResult, ErrorRecord


def declare(result: DocResult, task: str, metrics: Iterable[str]) -> None:
    """Create every metric's overall key, zero if nothing is counted, so reports have fixed key paths."""
    for metric in metrics:
        result.stats.setdefault((task, metric, ""), _ZERO)


_ZERO = Counts()
"""Counts are immutable, so every declared key can share one zero."""

JSON = dict[str, Any]
T = TypeVar("T")


class Sheet:
    """Counts of one task for one document, summed per ``(metric, label)`` and added to the result on close.

    Each item is counted under the overall label ``""`` and, given one, under its own label: every item has
    exactly one label, so the per-label keys of a metric add up to its overall key. Sums are kept as plain
    numbers (a long document counts tens of thousands of items), and scorers count items in a canonical
    order, so fractional credits add up to the same float whatever the input order.

    ``errors_on`` says whether error records are wanted. Building them (and the gold/predicted dicts they
    show) was a fifth of the scoring time, and only ``errors.jsonl``, the HTML report and agreement
    disagreements read them, so scorers test ``sheet.errors_on`` before calling :meth:`error` or
    :meth:`describe`: with it off, no error work is done at all and the counts are the same.
    """

    def __init__(self, result: DocResult, task: str, errors_on: bool = True) -> None:
        self.result = result
        self.task = task
        self.errors_on = errors_on
        self._sums: dict[tuple[str, str], list[float]] = {}
        self._described: dict[tuple[int, Callable[[Any], JSON]], JSON] = {}

    def count(self, metric: str, label: str | None, counts: Counts) -> None:
        """Count ``counts`` under ``label`` (and under the overall label)."""
        row = [
            float(counts.tp),
            counts.pos,
            counts.act,
            counts.cor,
            counts.inc,
            counts.par,
            counts.mis,
            counts.spu,
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

    def count_judged(self, metric: str, judged: Iterable[tuple[str, bool]]) -> None:
        """An accuracy: one judged item per ``(label, correct)``, counted per label in one step (the counts
        are whole numbers, so grouping them cannot change a sum)."""
        rows: dict[str, list[int]] = {}
        for label, correct in judged:
            row = rows.get(label)
            if row is None:
                row = rows[label] = [0, 0]
            row[0] += correct
            row[1] += 1
        for label in sorted(rows):
            right, total = rows[label]
            self.count(metric, label, Counts(tp=right, pos=total, act=total))

    def count_matching(
        self,
        metric: str,
        matching: Sequence[tuple[int, int]],
        gold_labels: Sequence[str],
        pred_labels: Sequence[str],
    ) -> tuple[list[int], list[int]]:
        """P/R/F over items: each pair is one hit under its gold label, every other item a miss or a false
        alarm under its own label. Returns the unmatched gold and predicted indices, for error records."""
        gold_matched = [g for g, _ in matching]
        pred_matched = [p for _, p in matching]
        missed: list[int] = []
        if len(gold_matched) < len(gold_labels):
            taken = set(gold_matched)
            missed = [g for g in range(len(gold_labels)) if g not in taken]
        spurious: list[int] = []
        if len(pred_matched) < len(pred_labels):
            taken = set(pred_matched)
            spurious = [p for p in range(len(pred_labels)) if p not in taken]
        # One row per label: [hits, misses, false alarms]. They are whole numbers, so counting them in one
        # step per label cannot change a sum.
        rows: dict[str, list[int]] = {}
        for g in gold_matched:
            row = rows.get(gold_labels[g])
            if row is None:
                row = rows[gold_labels[g]] = [0, 0, 0]
            row[0] += 1
        for g in missed:
            row = rows.get(gold_labels[g])
            if row is None:
                row = rows[gold_labels[g]] = [0, 0, 0]
            row[1] += 1
        for p in spurious:
            row = rows.get(pred_labels[p])
            if row is None:
                row = rows[pred_labels[p]] = [0, 0, 0]
            row[2] += 1
        for label in sorted(rows):
            hit, miss, false_alarm = rows[label]
            self.count(metric, label, Counts(tp=hit, pos=hit + miss, act=hit + false_alarm))
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
            if before is not None and before is not _ZERO:
                tp, pos, act, cor = tp + before.tp, pos + before.pos, act + before.act, cor + before.cor
                inc, par, mis, spu = inc + before.inc, par + before.par, mis + before.mis, spu + before.spu
            stats[key] = shared_counts(
                tp, int(pos), int(act), int(cor), int(inc), int(par), int(mis), int(spu)
            )
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
