"""Error analysis beside the scores: type confusion matrices, per-type tables and per-document figures.

These are views of what scoring already counted, so they add no number the totals do not imply:

- **Confusion matrices** (entities, event triggers): gold type × predicted type over the items paired by
  identical spans (:func:`newsbench.eval.metrics.confusion.span_confusion`, the reading of nervaluate and
  spaCy: a confusion is a right span with a wrong type). Every gold item in scope is counted once in its
  row (a partner's type, or ``missed``), every prediction once in its column (or the ``spurious`` row), so
  rows add up to the gold counts and columns to the predicted counts per type. The diagonal is what
  ``strict`` (entities) and ``trigger_classification`` (events) count as correct; a boundary error is not
  a confusion and shows as one missed and one spurious item.
- **Per-type tables**: per task and kind of label (types, roles, attribute values), the lead metric's
  P/R/F1, interval and counts per label with the other metrics' F1 beside them.
- **Per-document figures**: each document's headline metric per task (:data:`HEADLINE`), with its counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsbench.eval.metrics.aggregate import MetricId, MetricTotals
from newsbench.eval.metrics.catalog import label_field
from newsbench.eval.metrics.confusion import Confusion
from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult

JSON = dict[str, Any]

HEADLINE = {"entities": "strict", "events": "trigger_classification", "quotes": "end_to_end"}
"""The metric that stands for each task in per-document tables (the standard suite's leaderboard metric)."""

CONFUSION_TASKS = {"entities": "entity mentions in scope", "events": "event triggers"}

PAIRING = (
    "items paired by identical spans (same-type pairs first); a gold item with no prediction of its exact "
    "span is missed, a prediction with no gold item of its span spurious; overlapping but different spans "
    "are a boundary error, not a confusion, and count as missed plus spurious"
)


def confusions(results: Sequence[DocResult], tasks: Sequence[str]) -> dict[str, Confusion]:
    """Per task with a matrix (entities, events) among ``tasks``, the confusion summed over documents."""
    return {
        task: Confusion.total(r.confusion.get(task, {}) for r in results)
        for task in CONFUSION_TASKS
        if task in tasks
    }


def confusion_json(found: Mapping[str, Confusion]) -> JSON:
    """``report.json``'s ``confusion`` key: per task, the labels, the cells, and missed and spurious."""
    return {
        task: {"items": CONFUSION_TASKS[task], "pairing": PAIRING, **confusion.to_json()}
        for task, confusion in found.items()
    }


def _counts_json(counts: Counts) -> JSON:
    return {
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
        "gold": counts.pos,
        "predicted": counts.act,
    }


_ZERO = Counts()


def per_document(results: Sequence[DocResult], tasks: Sequence[str]) -> dict[str, dict[str, Counts]]:
    """doc id -> task -> the headline metric's counts in that document (tasks given, in order)."""
    wanted = [(task, HEADLINE[task]) for task in tasks if task in HEADLINE]
    return {
        r.doc_id: {task: r.stats.get((task, metric, ""), _ZERO) for task, metric in wanted} for r in results
    }


def per_document_json(results: Sequence[DocResult], tasks: Sequence[str], number: Any) -> JSON:
    """``report.json``'s ``per_document`` key: the metric per task, then per document its figures."""
    rows = per_document(results, tasks)
    # Documents share their counts (:mod:`newsbench.eval.metrics.shared`), so each distinct object's
    # figures are made once, by identity: the objects stay alive in ``results`` meanwhile.
    made: dict[int, JSON] = {}

    def figures(counts: Counts) -> JSON:
        found = made.get(id(counts))
        if found is None:
            found = made[id(counts)] = {k: number(v) for k, v in _counts_json(counts).items()}
        return found

    return {
        "metrics": {task: HEADLINE[task] for task in tasks if task in HEADLINE},
        "documents": {
            doc: {task: figures(c) for task, c in by_task.items()} for doc, by_task in rows.items()
        },
    }


@dataclass(frozen=True)
class LabelTable:
    """One task's labels of one kind: the lead metric's full row per label, other metrics' F1 beside it."""

    task: str
    by: str
    """What the labels are: ``type``, ``role`` or ``value``."""
    lead: str
    """The metric whose full row each label gets (empty when each row has its own: attribute values)."""
    others: tuple[str, ...]
    labels: tuple[str, ...]
    sources: Mapping[str, tuple[str, str]]
    """Row label -> the metric and label of its full row (``attribute: value`` rows name their attribute)."""

    def counts(self, totals: Mapping[MetricId, MetricTotals], metric: str, label: str) -> Counts | None:
        if not metric:
            metric, label = self.sources[label]
        found = totals.get((self.task, metric))
        return None if found is None else found.per_label.get(label)


def label_tables(metrics: Sequence[MetricId], totals: Mapping[MetricId, MetricTotals]) -> list[LabelTable]:
    """Per task and kind of label, in report order: the headline metric leads where it belongs."""
    groups: dict[tuple[str, str], list[str]] = {}
    for task, metric in metrics:
        if totals[(task, metric)].per_label:
            groups.setdefault((task, label_field(metric)), []).append(metric)
    tables = []
    for (task, field), names in groups.items():
        if field == "per_value":  # each attribute has values of its own: one row per attribute and value
            sources = {
                f"{m.removeprefix('attribute_')}: {label}": (m, label)
                for m in names
                for label in totals[(task, m)].per_label
            }
            tables.append(LabelTable(task, "attribute value", "", (), tuple(sources), sources))
            continue
        lead = HEADLINE[task] if HEADLINE.get(task) in names else names[0]
        labels = sorted({label for m in names for label in totals[(task, m)].per_label})
        others = tuple(m for m in names if m != lead)
        tables.append(LabelTable(task, field.removeprefix("per_"), lead, others, tuple(labels), {}))
    return tables
