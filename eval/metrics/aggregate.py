"""Corpus totals from the summed statistics (:meth:`newsbench.eval.metrics.stat_arrays.StatArrays.sums`):
micro counts, per-label counts and macro averages.

Everything here only adds :class:`Counts`; no metric is recomputed from the documents, so the totals are
exactly the sums of what each document contributed and per-label counts add up to the overall ones only
if the per-document scorer made them do so (it does; the tests check it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import StatKey

MetricId = tuple[str, str]
"""``(task, metric)``: one headline number, e.g. ``("entities", "strict")``."""


@dataclass(frozen=True)
class Macro:
    """Unweighted means over labels: each type counts the same however rare it is.

    A mean is ``None`` when no label defines it (precision needs predicted items, recall gold items).
    """

    precision: float | None
    recall: float | None
    f1: float | None
    labels: int


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def macro_average(per_label: dict[str, Counts]) -> Macro:
    """Mean of per-label precision, recall and F1 over the labels where each is defined.

    A label with neither gold nor predicted items says nothing about a system and is left out, as is a
    label's precision when it was never predicted and its recall when the gold never has it: a number
    that is not applicable is not averaged in as 0. With no label at all every mean is ``None``.
    """
    seen = [c for c in per_label.values() if c.pos or c.act]
    return Macro(
        _mean(c.precision for c in seen),
        _mean(c.recall for c in seen),
        _mean(c.f1 for c in seen),
        len(seen),
    )


@dataclass(frozen=True)
class MetricTotals:
    """One metric over the corpus: the micro counts, the counts per label and their macro average."""

    micro: Counts
    per_label: dict[str, Counts] = field(default_factory=dict)

    @property
    def macro(self) -> Macro:
        return macro_average(self.per_label)


def metric_totals(totals: dict[StatKey, Counts]) -> dict[MetricId, MetricTotals]:
    """Group summed statistics by metric; a metric with only per-label keys gets zero overall counts."""
    micro: dict[MetricId, Counts] = {}
    labels: dict[MetricId, dict[str, Counts]] = {}
    for (task, metric, label), counts in totals.items():
        if label:
            labels.setdefault((task, metric), {})[label] = counts
        else:
            micro[(task, metric)] = counts
    ids = sorted(set(micro) | set(labels))
    return {
        mid: MetricTotals(micro.get(mid, Counts()), dict(sorted(labels.get(mid, {}).items()))) for mid in ids
    }
