"""A task's score sheet for one document: counts under fixed keys, and the errors behind them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import astuple
from typing import Any, NamedTuple, TypeVar

from newsbench.eval.metrics.counts import SHARED, Counts, shared_counts
from newsbench.eval.metrics.results import DocResult, ErrorRecord, ItemKey, StatKey
from newsbench.eval.metrics.shared import shared


def declare(result: DocResult, task: str, metrics: Iterable[str]) -> None:
    """Create every metric's overall key, zero if nothing is counted, so reports have fixed key paths."""
    for metric in metrics:
        result.stats.setdefault(shared(_KEYS, (task, metric, "")), _ZERO)


_ZERO = Counts()
"""Counts are immutable, so every declared key can share one zero."""

_KEYS: dict[StatKey, StatKey] = {}
"""The statistics keys of every document, shared (:mod:`newsbench.eval.metrics.shared`)."""

JSON = dict[str, Any]
T = TypeVar("T")
Near = tuple[int, str, str]
"""A spurious item paired with a missed one as one error: its index, the reason and the cause."""


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
        self._sums: dict[StatKey, list[float]] = {}
        self._described: dict[tuple[int, Callable[[Any], JSON]], JSON] = {}

    def count_row(
        self,
        metric: str,
        label: str | None,
        tp: float,
        pos: int,
        act: int,
        *,
        cor: int = 0,
        inc: int = 0,
        par: int = 0,
        mis: int = 0,
        spu: int = 0,
    ) -> None:
        """Count one row of numbers (a :class:`Counts`' fields) under ``label`` and under the overall label.

        Plain numbers rather than a Counts: scorers count per label in a loop, and building a Counts only to
        take it apart again was a tenth of a document's scoring time. The breakdown is passed by name (a
        partial match is ``pos=1, act=1, par=1``); what is not named is zero."""
        task = self.task
        self._add((task, metric, ""), tp, pos, act, cor, inc, par, mis, spu)
        if label is not None:
            self._add((task, metric, label), tp, pos, act, cor, inc, par, mis, spu)

    def count_labels(
        self, metric: str, rows: Iterable[tuple[str, int, int, int, int, int, int, int]]
    ) -> None:
        """Whole-number rows ``(label, tp, pos, act, cor, inc, mis, spu)``, one per label, each counted under
        its label, and their sum once under the overall label.

        Whole numbers add up to the same total in any grouping, so the overall row is summed here rather
        than key by key: half the dictionary work of counting each row twice, on the keys every document
        has most of."""
        task = self.task
        sums_of = self._sums
        # The hottest loop of counting: :meth:`_add` is spelled out here and the totals are kept in locals,
        # which takes about a quarter off its time.
        all_tp = all_pos = all_act = all_cor = all_inc = all_mis = all_spu = 0
        for label, tp, pos, act, cor, inc, mis, spu in rows:
            key = (task, metric, label)
            sums = sums_of.get(key)
            if sums is None:
                sums_of[key] = [float(tp), pos, act, cor, inc, 0, mis, spu]
            else:
                sums[0] += tp
                sums[1] += pos
                sums[2] += act
                sums[3] += cor
                sums[4] += inc
                sums[6] += mis
                sums[7] += spu
            all_tp += tp
            all_pos += pos
            all_act += act
            all_cor += cor
            all_inc += inc
            all_mis += mis
            all_spu += spu
        if all_pos or all_act:
            self._add((task, metric, ""), all_tp, all_pos, all_act, all_cor, all_inc, 0, all_mis, all_spu)

    def _add(
        self, key: StatKey, tp: float, pos: int, act: int, cor: int, inc: int, par: int, mis: int, spu: int
    ) -> None:
        sums = self._sums.get(key)
        if sums is None:
            self._sums[key] = [float(tp), pos, act, cor, inc, par, mis, spu]
        else:
            sums[0] += tp
            sums[1] += pos
            sums[2] += act
            sums[3] += cor
            sums[4] += inc
            sums[5] += par
            sums[6] += mis
            sums[7] += spu

    def count_rows(self, metric: str, rows: Mapping[str, Sequence[int]]) -> None:
        """Whole-number rows ``label: (tp, pos, act)`` (the breakdown all zero), counted in label order under
        each label, and their sum once under the overall label.

        :meth:`count_labels` for P/R/F and accuracies, which is what most metrics count: their rows go
        straight into the sums, with no eight-field row built per label only to be taken apart again."""
        task = self.task
        sums_of = self._sums
        # As in :meth:`count_labels`: the loop runs for every metric of every document.
        all_tp = all_pos = all_act = 0
        for label in sorted(rows):
            tp, pos, act = rows[label]
            key = (task, metric, label)
            sums = sums_of.get(key)
            if sums is None:
                sums_of[key] = [float(tp), pos, act, 0, 0, 0, 0, 0]
            else:
                sums[0] += tp
                sums[1] += pos
                sums[2] += act
            all_tp += tp
            all_pos += pos
            all_act += act
        if all_pos or all_act:
            self._add((task, metric, ""), all_tp, all_pos, all_act, 0, 0, 0, 0, 0)

    def count_matching(
        self,
        metric: str,
        matching: Sequence[tuple[int, int]],
        gold_labels: Sequence[str],
        pred_labels: Sequence[str],
    ) -> tuple[list[int], list[int]]:
        """P/R/F over items: each pair is one hit under its gold label, every other item a miss or a false
        alarm under its own label. Returns the unmatched gold and predicted indices when the sheet keeps
        error records (empty lists otherwise)."""
        matched = tally_matching(matching, gold_labels, pred_labels, self.errors_on)
        self.count_rows(metric, matched.rows)
        return matched.missed, matched.spurious

    def error(
        self,
        metric: str,
        kind: str,
        reason: str,
        items: tuple[T | None, T | None],
        how: Callable[[T], JSON],
        key: Callable[[T], ItemKey],
        *,
        layer: str,
        cause: str,
        credit: float | None = None,
    ) -> None:
        """Record one error of ``metric`` about ``items`` (gold, predicted; ``None`` on a side without one),
        each described by ``how``; ``layer`` and ``cause`` are as :class:`ErrorRecord` says.

        An error of a group that is only counted (:attr:`DocResult.leave_out`) is kept as its merge key
        alone, made of ``key`` of each item: its record would be dropped unwritten, so its items are not
        described and no record is built."""
        gold, pred = items
        result = self.result
        if result.leave_out and (self.task, layer, cause) in result.leave_out:
            if result.left_out is None:
                result.left_out = set()
            result.left_out.add(
                (
                    self.task,
                    layer,
                    cause,
                    None if gold is None else key(gold),
                    None if pred is None else key(pred),
                )
            )
            return
        result.errors.append(
            ErrorRecord(
                result.doc_id,
                self.task,
                metric,
                kind,
                reason,
                None if gold is None else self.describe(gold, how),
                None if pred is None else self.describe(pred, how),
                layer,
                cause,
                credit,
            )
        )

    def unmatched(
        self,
        metric: str,
        missed: Iterable[int],
        spurious: Iterable[int],
        items: tuple[Sequence[T], Sequence[T]],
        how: Callable[[T], JSON],
        key: Callable[[T], ItemKey],
        *,
        layer: str,
        reasons: tuple[str | Callable[[int], str], str],
        near: Callable[[int, set[int]], Near | None] | None = None,
    ) -> None:
        """Error records for the ``items`` (gold, predicted) a matching left out, each described by ``how``
        and merged by ``key`` (``reasons``: gold side, then predicted side). A missed gold item that ``near``
        pairs with a spurious one not yet listed is one INC error with ``near``'s reason and cause, listed
        once; the other missed items are FN errors, in the order given, and the spurious ones left FP
        errors, in index order."""
        golds, preds = items
        missed_reason, spurious_reason = reasons
        left = set(spurious)
        for g in missed:
            found = near(g, left) if near is not None else None
            if found is not None:
                p, reason, cause = found
                left.discard(p)
                self.error(metric, "INC", reason, (golds[g], preds[p]), how, key, layer=layer, cause=cause)
                continue
            reason = missed_reason if isinstance(missed_reason, str) else missed_reason(g)
            self.error(metric, "FN", reason, (golds[g], None), how, key, layer=layer, cause="missed")
        for p in sorted(left):
            self.error(
                metric, "FP", spurious_reason, (None, preds[p]), how, key, layer=layer, cause="spurious"
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
        """Add the sums to the document's statistics, as shared keys and :class:`Counts` (see
        :func:`shared_counts`)."""
        stats = self.result.stats
        counts, keys = SHARED, _KEYS
        for key, row in self._sums.items():
            before = stats.get(key)
            if before is not None and before is not _ZERO:
                row = [a + b for a, b in zip(row, astuple(before), strict=True)]
            value = tuple(row)
            found = counts.get(value)
            stats[keys.get(key) or shared(keys, key)] = found if found is not None else shared_counts(value)
        self._sums.clear()


def add_judgement(rows: dict[str, list[int]], label: str, correct: bool) -> None:
    """Add one judged item to the accuracy ``rows`` of :meth:`Sheet.count_rows` (``[right, judged, judged]``
    per label): an accuracy's rows are made as its scorer judges its items."""
    row = rows.get(label)
    if row is None:
        rows[label] = [int(correct), 1, 1]
    else:
        row[0] += correct
        row[1] += 1
        row[2] += 1


class Matched(NamedTuple):
    """What :func:`tally_matching` makes of a matching."""

    rows: dict[str, list[int]]
    """Per label, ``[hits, gold items, predicted items counted under it]``, for :meth:`Sheet.count_rows`."""
    missed: list[int]
    """The unmatched gold indices, in order, when wanted (empty otherwise)."""
    spurious: list[int]
    """The unmatched predicted indices, in order, when wanted (empty otherwise)."""


def tally_matching(
    matching: Sequence[tuple[int, int]],
    gold_labels: Sequence[str],
    pred_labels: Sequence[str],
    with_unmatched: bool,
) -> Matched:
    """The counts of :meth:`Sheet.count_matching`, and its unmatched items when ``with_unmatched``.

    Apart from the sheet, so a scorer whose metrics often end in the same matching over the same labels (the
    event arguments with and without their triggers) counts it once and adds the rows to each metric."""
    missed: list[int] = []
    spurious: list[int] = []
    rows: dict[str, list[int]] = {}
    if not gold_labels and not pred_labels:
        return Matched(rows, missed, spurious)
    for label in gold_labels:
        row = rows.get(label)
        if row is None:
            rows[label] = [0, 1, 0]
        else:
            row[1] += 1
    for g, _ in matching:
        row = rows[gold_labels[g]]
        row[0] += 1
        row[2] += 1
    if len(matching) < len(pred_labels):
        taken = {p for _, p in matching}
        spurious = [p for p in range(len(pred_labels)) if p not in taken]
        for p in spurious:
            row = rows.get(pred_labels[p])
            if row is None:
                rows[pred_labels[p]] = [0, 0, 1]
            else:
                row[2] += 1
    if not with_unmatched:
        return Matched(rows, missed, [])
    if len(matching) < len(gold_labels):
        taken = {g for g, _ in matching}
        missed = [g for g in range(len(gold_labels)) if g not in taken]
    return Matched(rows, missed, spurious)
